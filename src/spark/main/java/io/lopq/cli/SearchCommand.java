package io.lopq.cli;

import io.lopq.io.encoded.EncodedDataset;
import io.lopq.io.model.ModelStore;
import io.lopq.io.vectors.VectorDataset;
import io.lopq.io.vectors.VectorInput;
import io.lopq.model.LopqModel;
import io.lopq.spark.search.SearchJob;
import io.lopq.spark.search.ResultWriter;
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
  @Spec CommandSpec spec;

  @Mixin SparkOptions spark;

  @Option(names = "--model", required = true, paramLabel = "MODEL", description = "The model that encoded the index.")
  String model;

  @Option(names = "--index", required = true, paramLabel = "ENCODED", description = "Encoded dataset (lopq encode).")
  String index;

  @Option(names = "--queries", required = true, paramLabel = "PATH",
      description = "Query vectors: a file or folder (fvecs, bvecs, csv, tsv, parquet).")
  String queries;

  @Option(names = "--k", defaultValue = "" + SearchJob.Params.DEFAULT_K, paramLabel = "K",
      description = "Neighbours per query (default ${DEFAULT-VALUE}).")
  int k;

  @ArgGroup(exclusive = true, multiplicity = "0..1")
  Work work = new Work();

  /** --candidates or --cells, not both. */
  static final class Work {
    @Option(names = "--candidates", paramLabel = "N", required = true,
        description = "Rank at least N candidates per query (default " + SearchJob.Params.DEFAULT_CANDIDATES + ").")
    Long candidates;

    @Option(names = "--cells", paramLabel = "C", required = true,
        description = "Visit C cells of the multi-index per query instead.")
    Long cells;
  }

  @Option(names = "--rerank", paramLabel = "RAW_PATH",
      description = "Re-rank the best --rerank-depth by ADC with exact distances on these raw vectors (the corpus"
          + " the index was encoded from, same ids).")
  String rerank;

  @Option(names = "--rerank-depth", paramLabel = "K2",
      description = "Candidates re-ranked per query (default max(k, " + SearchJob.Params.DEFAULT_RERANK_DEPTH + ")).")
  Integer rerankDepth;

  @Option(names = "--exclude-self", description = "Leave each query's own id out of its neighbours (self-join).")
  boolean excludeSelf;

  @Option(names = "--output", required = true, paramLabel = "RESULTS", description = "Results folder to write.")
  String output;

  @Option(names = "--output-format", defaultValue = "parquet", paramLabel = "FORMAT",
      description = "parquet (default) or csv (with header query_id,rank,neighbor_id,distance).")
  String outputFormat;

  @Option(names = "--overwrite", description = "Replace existing results.")
  boolean overwrite;

  @Option(names = "--report", paramLabel = "JSON",
      description = "Also write the JSON report here (it is always in RESULTS/" + ResultWriter.REPORT_FILE + ").")
  String report;

  @Option(names = "--format", paramLabel = "FORMAT",
      description = "Format of --queries and --rerank: parquet, fvecs, bvecs, csv, tsv (default: from the path).")
  String format;

  @Option(names = "--id-col", paramLabel = "NAME",
      description = "Id column of --queries and --rerank (default: 'id' if present, else row numbers).")
  String idCol;

  @Option(names = "--vector-col", paramLabel = "NAME", defaultValue = VectorInput.DEFAULT_VECTOR_COL,
      description = "Vector column of --queries and --rerank (default ${DEFAULT-VALUE}).")
  String vectorCol;

  @Option(names = "--header", description = "CSV/TSV inputs start with a header line.")
  boolean header;

  @Option(names = "--plan", defaultValue = "auto", paramLabel = "PLAN",
      description = "auto (default: broadcast an index of at most --broadcast-mb, else shuffle), broadcast, shuffle.")
  String plan;

  @Option(names = "--broadcast-mb", paramLabel = "MB", defaultValue = "" + (SearchJob.Params.DEFAULT_BROADCAST_BYTES >> 20),
      description = "Largest index (ids, cells, codes) the auto plan broadcasts (default ${DEFAULT-VALUE}).")
  long broadcastMb;

  @Option(names = "--partitions", paramLabel = "P", defaultValue = "0",
      description = "Buckets of the shuffle plan and shards of the re-ranking (default: 2 x Spark's parallelism).")
  int partitions;

  @Option(names = "--query-block", paramLabel = "B", defaultValue = "" + SearchJob.Params.DEFAULT_QUERY_BLOCK,
      description = "Queries searched together in a task (default ${DEFAULT-VALUE}).")
  int queryBlock;

  @Option(names = "--exact-tables",
      description = "Build ADC tables one query at a time, bit for bit as the in-memory searcher (slower).")
  boolean exactTables;

  @Override
  public Integer call() throws IOException {
    SearchJob.Params.Builder params = SearchJob.Params.builder()
        .k(k)
        .excludeSelf(excludeSelf)
        .plan(plan(plan))
        .partitions(partitions)
        .queryBlock(queryBlock)
        .exactTables(exactTables)
        .broadcastBytes(Math.multiplyExact(broadcastMb, 1L << 20))
        .output(output)
        .format(ResultWriter.Format.of(outputFormat))
        .overwrite(overwrite)
        .report(report);
    if (work.cells != null) {
      params.cells(work.cells);
    } else if (work.candidates != null) {
      params.candidates(work.candidates);
    }
    if (rerankDepth != null && rerank == null) {
      throw new IllegalArgumentException("--rerank-depth needs --rerank RAW_PATH");
    }
    if (rerank != null) {
      params.rerankDepth(rerankDepth != null ? rerankDepth : Math.max(k, SearchJob.Params.DEFAULT_RERANK_DEPTH));
    }
    SearchJob.Params checked = params.build();
    LopqModel loaded = ModelStore.load(model);
    SparkSession session = spark.session("lopq search");
    EncodedDataset encoded = EncodedDataset.open(session, index);
    encoded.requireModel(loaded);
    SearchIndex searchIndex = new SearchIndex(encoded.rows(), encoded.modelFingerprint(), encoded.path());
    int minPartitions = 2 * session.sparkContext().defaultParallelism();
    VectorDataset queryVectors = input(queries, minPartitions).load(session);
    VectorDataset raw = rerank == null ? null : input(rerank, minPartitions).load(session);
    SearchReport report = SearchJob.run(session, loaded, searchIndex, queryVectors, raw, checked);
    PrintWriter out = spec.commandLine().getOut();
    report.lines().forEach(out::println);
    out.printf("results: %s (%s)%n", output, checked.format().name().toLowerCase(Locale.ROOT));
    out.flush();
    return ExitCodes.OK;
  }

  private VectorInput input(String path, int minPartitions) {
    VectorInput in = VectorInput.of(path).withFormat(format).withVectorCol(vectorCol).withHeader(header)
        .withMinPartitions(minPartitions);
    return idCol != null ? in.withIdCol(idCol) : in;
  }

  private static SearchJob.Plan plan(String name) {
    for (SearchJob.Plan p : SearchJob.Plan.values()) {
      if (p.name().equalsIgnoreCase(name.strip())) {
        return p;
      }
    }
    throw new IllegalArgumentException("--plan must be auto, broadcast or shuffle, got '" + name + "'");
  }
}
