package io.lopq.cli;

import io.lopq.eval.EvalReport;
import io.lopq.io.encoded.EncodedDataset;
import io.lopq.io.model.ModelStore;
import io.lopq.io.vectors.VectorDataset;
import io.lopq.format.vectors.VectorInputParams;
import io.lopq.model.LopqModel;
import io.lopq.spark.eval.EvalJob;
import io.lopq.search.SearchOptions;
import io.lopq.spark.eval.SearchJobSweep;
import io.lopq.spark.search.SearchIndex;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code lopq eval}: Recall@1/10/100 and k-recall@k of search results against exact ground
 * truth, read from an {@code .ivecs} file or computed from the base and queries by a distributed
 * exact search (and optionally saved). The work is {@link EvalJob}'s; this class checks the
 * command line and prints the report.
 */
@Command(name = "eval", mixinStandardHelpOptions = true, sortOptions = false,
    description = {
        "Recall of search results against exact ground truth (Recall@R, k-recall@k).",
        "Ground truth: --ground-truth GT.ivecs (row q = true neighbour ids of query q), or --base and --queries to "
            + "compute it by a distributed exact search (--save-ground-truth keeps it as .ivecs).",
        "--sweep C1,C2,...: search --index at each --candidates value and chart recall (and the share of queries "
            + "whose true nearest neighbour is among the candidates) against candidates and queries/s."})
final class EvalCommand implements Callable<Integer> {
  /** Query partitions per core when the sweep reads the queries (as lopq search does). */
  private static final int SEARCH_PARTITIONS_PER_CORE = 2;

  @Spec CommandSpec spec;

  @Mixin SparkOptions spark;

  @Option(names = "--results", paramLabel = "PATH",
      description = "Search results: Parquet or CSV with header query_id,rank,neighbor_id,distance (required unless "
          + "only computing and saving the ground truth).")
  String results;

  @Option(names = "--results-format", paramLabel = "FORMAT",
      description = "parquet or csv (default: csv if the path ends in .csv, else parquet).")
  String resultsFormat;

  @Option(names = "--ground-truth", paramLabel = "GT.ivecs",
      description = "Exact neighbours: row q holds the base ids of query q's nearest neighbours, nearest first.")
  String groundTruth;

  @Option(names = "--base", paramLabel = "PATH",
      description = "Base vectors: with --queries, to compute the ground truth; with --ground-truth, to check "
          + "neighbour ids.")
  String base;

  @Option(names = "--queries", paramLabel = "PATH", description = "Query vectors (with --base).")
  String queries;

  @Option(names = "--base-format", paramLabel = "FORMAT",
      description = "Format of --base and --rerank (default: --format, else from the name).")
  String baseFormat;

  @Option(names = "--queries-format", paramLabel = "FORMAT",
      description = "Format of --queries (default: --format, else from the name).")
  String queriesFormat;

  @Option(names = "--k", paramLabel = "K", descriptionKey = "eval.k")
  Integer k;

  @Option(names = "--save-ground-truth", paramLabel = "PATH",
      description = "Write the computed ground truth as .ivecs (needs --base and --queries).")
  String saveGroundTruth;

  @Option(names = "--ground-truth-depth", paramLabel = "N", descriptionKey = "eval.groundTruthDepth")
  Integer groundTruthDepth;

  @Option(names = "--sweep", split = ",", paramLabel = "CANDIDATES",
      description = "Run lopq search at each of these --candidates values (e.g. 1000,3000,10000) and write the "
          + "recall-vs-candidates and recall-vs-queries/s curves (tables and charts, with the share of queries whose "
          + "true nearest neighbour is among the candidates) to --report. A value below the search k returns that "
          + "many neighbours. Needs --model, --index and --queries.")
  int[] sweep;

  @Option(names = "--model", paramLabel = "MODEL", description = "Model of the searched index (with --sweep).")
  String model;

  @Option(names = "--index", paramLabel = "ENCODED", description = "Encoded dataset to search (with --sweep).")
  String index;

  @Option(names = "--search-k", paramLabel = "K",
      description = "Neighbours per query the sweep searches for (default max(--k, ${bundle:truth.k.default}), so "
          + "Recall@100 counts).")
  Integer searchK;

  @Mixin RerankOptions rerank;

  @Mixin InputOptions in;

  @Mixin OutputOptions out;

  @Override
  public Integer call() throws IOException {
    EvalJob.Params.Builder params = params();
    LopqModel loaded = sweep == null ? null : ModelStore.load(model);
    SparkSession session = spark.session("lopq eval");
    if (sweep != null) {
      params.sweep(sweepSearch(session, loaded), sweep);
    }
    EvalReport evaluated = EvalJob.run(session, params.build());
    PrintWriter out = spec.commandLine().getOut();
    out.print(evaluated.summary());
    if (this.out.report() != null) {
      out.printf("report             %s/%s%s%n", this.out.report(), EvalReport.FILE_NAME,
          sweep == null ? "" : " (with sweep.csv, sweep.md and charts)");
    }
    if (saveGroundTruth != null) {
      out.printf("ground truth saved %s%n", saveGroundTruth);
    }
    out.flush();
    return ExitCodes.OK;
  }

  /** The search the sweep runs: lopq search on the index, at each candidates value. */
  private SearchJobSweep sweepSearch(SparkSession session, LopqModel loaded) {
    EncodedDataset encoded = EncodedDataset.open(session, index);
    encoded.requireModel(loaded);
    SearchIndex searchIndex = new SearchIndex(encoded.rows(), encoded.modelFingerprint(), encoded.path());
    int minPartitions = SEARCH_PARTITIONS_PER_CORE * session.sparkContext().defaultParallelism();
    VectorDataset queryVectors = in.read(queries, queriesFormat, minPartitions).load(session);
    VectorDataset raw = rerank.path() == null ? null : in.read(rerank.path(), baseFormat, minPartitions).load(session);
    return new SearchJobSweep(session, loaded, searchIndex, queryVectors, raw, effectiveSearchK(),
        rerank.depth(spec, effectiveSearchK()));
  }

  private int k() {
    return EvalJob.Params.K.orDefault(k);
  }

  private int effectiveSearchK() {
    return searchK != null ? searchK : Math.max(k(), EvalJob.SAVED_GROUND_TRUTH_DEPTH);
  }

  /** The job's parameters (without the sweep's search), or a usage error for a wrong combination of options. */
  EvalJob.Params.Builder params() {
    int k = k();
    checkDeclared("--k", EvalJob.Params.K, k);
    checkDeclared("--ground-truth-depth", EvalJob.Params.GROUND_TRUTH_DEPTH, groundTruthDepth);
    if (results == null && saveGroundTruth == null && sweep == null) {
      throw usage("--results is required (it may be left out only with --sweep, or to compute and "
          + "--save-ground-truth)");
    }
    checkSweepOptions();
    int blockSplits = VectorInputParams.MIN_PARTITIONS.defaultValue();
    EvalJob.Params.Builder params = EvalJob.Params.builder().results(results).k(k);
    if (groundTruth != null) {
      if (queries != null && sweep == null) {
        throw usage("give either --ground-truth or --base with --queries, not both (--queries goes with "
            + "--ground-truth only for a --sweep)");
      }
      if (saveGroundTruth != null) {
        throw usage("--save-ground-truth needs the ground truth computed from --base and --queries");
      }
      params.groundTruthFile(groundTruth);
      if (base != null) {
        params.base(in.read(base, baseFormat, blockSplits));
      }
    } else {
      if (base == null || queries == null) {
        throw usage("the ground truth is needed: give --ground-truth GT.ivecs, or --base and --queries to compute it");
      }
      params.computeGroundTruth(in.read(base, baseFormat, blockSplits),
          in.read(queries, queriesFormat, blockSplits));
      if (saveGroundTruth != null) {
        params.saveGroundTruth(saveGroundTruth);
      }
      if (groundTruthDepth != null && groundTruthDepth > 0) {
        if (groundTruthDepth < k) {
          throw usage("--ground-truth-depth " + groundTruthDepth + " is below --k " + k);
        }
        params.groundTruthDepth(groundTruthDepth);
      }
    }
    return params.resultsFormat(resultsFormat).reportDir(out.report()).overwrite(out.overwrite());
  }

  /** A usage error naming {@code option} when {@code value} fails its declaration. */
  private <T> void checkDeclared(String option, io.lopq.param.Param<T> param, T value) {
    String problem = param.problem(value);
    if (problem != null) {
      throw usage(option + " " + problem);
    }
  }

  private void checkSweepOptions() {
    if (sweep == null) {
      if (model != null || index != null || searchK != null || rerank.path != null || rerank.depth != null) {
        throw usage("--model, --index, --search-k, --rerank and --rerank-depth only apply to a --sweep");
      }
      return;
    }
    if (model == null || index == null || queries == null) {
      throw usage("--sweep searches: it needs --model, --index and --queries");
    }
    if (out.report() == null) {
      throw usage("--sweep writes its tables and charts to --report DIR; give one");
    }
    int searched = effectiveSearchK();
    if (searched < k()) {
      throw usage("--search-k " + searched + " is below --k " + k() + "; k-recall@k needs k results per query");
    }
    int depth = rerank.depth(spec, searched);
    if (depth != SearchOptions.NO_RERANK && depth < searched) {
      throw usage("--rerank-depth " + depth + " is below the search k " + searched);
    }
    for (int c : sweep) {
      if (c < 1) {
        throw usage("--sweep value " + c + " must be >= 1");
      }
    }
  }

  private ParameterException usage(String message) {
    return new ParameterException(spec.commandLine(), message);
  }
}
