package io.lopq.cli;

import io.lopq.io.encoded.EncodedDataset;
import io.lopq.io.model.ModelStore;
import io.lopq.io.vectors.VectorDataset;
import io.lopq.model.LopqModel;
import io.lopq.search.SearchOptions;
import io.lopq.spark.search.SearchJob;
import io.lopq.spark.search.SearchIndex;
import io.lopq.spark.search.SearchReport;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code lopq search}: bulk k-nearest-neighbour search of a query set against an encoded dataset
 * (multi-sequence + ADC, optional exact re-rank). Only parses options, reads the inputs and calls
 * {@link SearchJob}; prints the report on stdout.
 */
@Command(name = "search", mixinStandardHelpOptions = true, sortOptions = false,
    description = {
      "Bulk kNN search of a query set against an encoded dataset (multi-sequence + ADC, optional exact re-rank).",
      "Writes one row per (query_id, rank, neighbor_id, distance), rank from 1, distances squared L2, ties by id.",
      "Self-join: give the corpus's raw vectors as --queries and add --exclude-self."})
final class SearchCommand implements Callable<Integer> {
  /** Query partitions per core by default. */
  private static final int PARTITIONS_PER_CORE = 2;

  @Spec CommandSpec spec;

  @Mixin SparkOptions spark;

  @Option(names = "--model", required = true, paramLabel = "MODEL", description = "The model that encoded the index.")
  String model;

  @Option(names = "--index", required = true, paramLabel = "ENCODED", description = "Encoded dataset (lopq encode).")
  String index;

  @Option(names = "--queries", required = true, paramLabel = "PATH",
      description = "Query vectors: a file or folder (fvecs, bvecs, csv, tsv, parquet).")
  String queries;

  @Option(names = "--k", paramLabel = "K", descriptionKey = "search.k")
  Integer k;

  @ArgGroup(exclusive = true, multiplicity = "0..1")
  Work work = new Work();

  /** --candidates or --cells, not both. */
  static final class Work {
    @Option(names = "--candidates", paramLabel = "N", required = true, descriptionKey = "search.candidates")
    Long candidates;

    @Option(names = "--cells", paramLabel = "C", required = true, descriptionKey = "search.cells")
    Long cells;
  }

  @Mixin RerankOptions rerank;

  @Option(names = "--exclude-self", descriptionKey = "search.excludeSelf")
  boolean excludeSelf;

  @Option(names = "--output", required = true, paramLabel = "RESULTS", description = "Results folder to write.")
  String output;

  @Option(names = "--output-format", paramLabel = "FORMAT", descriptionKey = "search.outputFormat")
  String outputFormat;

  @Mixin InputOptions in;

  @Mixin OutputOptions out;

  @Option(names = "--plan", paramLabel = "PLAN", descriptionKey = "search.plan")
  String plan;

  @Option(names = "--broadcast-mb", paramLabel = "MB", descriptionKey = "search.broadcastMb")
  Long broadcastMb;

  @Option(names = "--partitions", paramLabel = "P", descriptionKey = "search.partitions")
  Integer partitions;

  @Option(names = "--bucket-mb", paramLabel = "MB", descriptionKey = "search.bucketMb")
  Long bucketMb;

  @Option(names = "--query-block", paramLabel = "B", descriptionKey = "search.queryBlock")
  Integer queryBlock;

  @Option(names = "--exact-tables", descriptionKey = "search.exactTables")
  boolean exactTables;

  @Override
  public Integer call() throws IOException {
    int neighbours = SearchOptions.K.orDefault(k);
    SearchJob.Params.Builder params = SearchJob.Params.builder()
        .k(neighbours)
        .rerankDepth(rerank.depth(spec, neighbours))
        .excludeSelf(excludeSelf)
        .exactTables(exactTables)
        .output(output)
        .overwrite(out.overwrite())
        .report(out.report());
    if (work.cells != null) {
      params.cells(work.cells);
    } else if (work.candidates != null) {
      params.candidates(work.candidates);
    }
    if (plan != null) {
      params.plan(SearchJob.Params.PLAN.parse(plan));
    }
    if (broadcastMb != null) {
      params.broadcastBytes(Math.multiplyExact(SearchJob.Params.BROADCAST_MB.check(broadcastMb), 1L << 20));
    }
    if (partitions != null) {
      params.partitions(partitions);
    }
    if (bucketMb != null) {
      params.bucketBytes(Math.multiplyExact(SearchJob.Params.BUCKET_MB.check(bucketMb), 1L << 20));
    }
    if (queryBlock != null) {
      params.queryBlock(queryBlock);
    }
    if (outputFormat != null) {
      params.format(SearchJob.Params.OUTPUT_FORMAT.parse(outputFormat));
    }
    SearchJob.Params checked = params.build();
    LopqModel loaded = ModelStore.load(model);
    SparkSession session = spark.session("lopq search");
    EncodedDataset encoded = EncodedDataset.open(session, index);
    encoded.requireModel(loaded);
    SearchIndex searchIndex = new SearchIndex(encoded.rows(), encoded.modelFingerprint(), encoded.path());
    int minPartitions = PARTITIONS_PER_CORE * session.sparkContext().defaultParallelism();
    VectorDataset queryVectors = in.read(queries, minPartitions).load(session);
    VectorDataset raw = rerank.path() == null ? null : in.read(rerank.path(), minPartitions).load(session);
    SearchReport report = SearchJob.run(session, loaded, searchIndex, queryVectors, raw, checked);
    PrintWriter stdout = spec.commandLine().getOut();
    report.lines().forEach(stdout::println);
    stdout.printf("results: %s (%s)%n", output, checked.format().name().toLowerCase(Locale.ROOT));
    stdout.flush();
    return ExitCodes.OK;
  }
}
