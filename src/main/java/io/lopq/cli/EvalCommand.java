package io.lopq.cli;

import io.lopq.eval.EvalReport;
import io.lopq.io.VectorInput;
import io.lopq.spark.EvalJob;
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
            + "compute it by a distributed exact search (--save-ground-truth keeps it as .ivecs)."})
final class EvalCommand implements Callable<Integer> {
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

  @Option(names = "--base-format", paramLabel = "FORMAT", description = "Format of --base (default: from the name).")
  String baseFormat;

  @Option(names = "--queries-format", paramLabel = "FORMAT",
      description = "Format of --queries (default: from the name).")
  String queriesFormat;

  @Option(names = "--k", defaultValue = "10", paramLabel = "K",
      description = "The k of k-recall@k (default ${DEFAULT-VALUE}).")
  int k;

  @Option(names = "--report", paramLabel = "DIR", description = "Folder to write recall.json into.")
  String report;

  @Option(names = "--save-ground-truth", paramLabel = "PATH",
      description = "Write the computed ground truth as .ivecs (needs --base and --queries).")
  String saveGroundTruth;

  @Option(names = "--ground-truth-depth", paramLabel = "N",
      description = "Neighbours per query of a computed ground truth (default: k, or max(k, 100) when saved).")
  int groundTruthDepth;

  @Option(names = "--overwrite", description = "Replace an existing report folder or ground-truth file.")
  boolean overwrite;

  @Override
  public Integer call() throws IOException {
    EvalJob.Params params = params();
    SparkSession session = spark.session("lopq eval");
    EvalReport evaluated = EvalJob.run(session, params);
    PrintWriter out = spec.commandLine().getOut();
    out.print(evaluated.summary());
    if (report != null) {
      out.printf("report             %s/%s%n", report, EvalReport.FILE_NAME);
    }
    if (saveGroundTruth != null) {
      out.printf("ground truth saved %s%n", saveGroundTruth);
    }
    out.flush();
    return ExitCodes.OK;
  }

  /** The job's parameters, or a usage error for a wrong combination of options. */
  EvalJob.Params params() {
    if (k < 1) {
      throw usage("--k must be >= 1, got " + k);
    }
    if (groundTruthDepth < 0) {
      throw usage("--ground-truth-depth must be >= 1, got " + groundTruthDepth);
    }
    if (results == null && saveGroundTruth == null) {
      throw usage("--results is required (it may be left out only to compute and --save-ground-truth)");
    }
    EvalJob.Params params;
    if (groundTruth != null) {
      if (queries != null) {
        throw usage("give either --ground-truth or --base with --queries, not both");
      }
      if (saveGroundTruth != null) {
        throw usage("--save-ground-truth needs the ground truth computed from --base and --queries");
      }
      params = EvalJob.Params.withGroundTruthFile(results, groundTruth).withK(k);
      if (base != null) {
        params = params.withBase(VectorInput.of(base).withFormat(baseFormat));
      }
    } else {
      if (base == null || queries == null) {
        throw usage("the ground truth is needed: give --ground-truth GT.ivecs, or --base and --queries to compute it");
      }
      params = EvalJob.Params.computingGroundTruth(results, VectorInput.of(base).withFormat(baseFormat),
          VectorInput.of(queries).withFormat(queriesFormat)).withK(k);
      if (saveGroundTruth != null) {
        params = params.withSaveGroundTruth(saveGroundTruth);
      }
      if (groundTruthDepth > 0) {
        if (groundTruthDepth < k) {
          throw usage("--ground-truth-depth " + groundTruthDepth + " is below --k " + k);
        }
        params = params.withGroundTruthDepth(groundTruthDepth);
      }
    }
    return params.withResultsFormat(resultsFormat).withReportDir(report).withOverwrite(overwrite);
  }

  private ParameterException usage(String message) {
    return new ParameterException(spec.commandLine(), message);
  }
}
