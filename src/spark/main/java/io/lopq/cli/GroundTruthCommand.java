package io.lopq.cli;

import io.lopq.spark.eval.GroundTruth;
import io.lopq.spark.eval.StreamingGroundTruthJob;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code lopq ground-truth}: the exact k nearest base vectors of (the first {@code --query-count})
 * queries, by a distributed exact search that streams the base once ({@link StreamingGroundTruthJob}),
 * written as {@code .ivecs} (row q: the base ids of query q's neighbours, nearest first) for
 * {@code lopq eval --ground-truth}.
 */
@Command(name = "ground-truth", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Exact k nearest neighbours of the queries in the base, written as .ivecs.",
        "One streaming pass over the base (any size); the queries (up to some hundred thousand) are broadcast."})
final class GroundTruthCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin SparkOptions spark;

  @Option(names = "--base", required = true, paramLabel = "PATH", description = "Base vectors.")
  String base;

  @Option(names = "--queries", required = true, paramLabel = "PATH",
      description = "Query vectors; their ids must be 0..Q-1 (row numbers of .fvecs/.bvecs are).")
  String queries;

  @Option(names = "--output", required = true, paramLabel = "GT.ivecs", description = ".ivecs file to write.")
  String output;

  @Option(names = "--base-format", paramLabel = "FORMAT", description = "Format of --base (default: --format).")
  String baseFormat;

  @Option(names = "--queries-format", paramLabel = "FORMAT",
      description = "Format of --queries (default: --format).")
  String queriesFormat;

  @Option(names = "--k", paramLabel = "K", descriptionKey = "truth.k")
  Integer k;

  @Option(names = "--query-count", paramLabel = "Q",
      description = "Use only the first Q queries (default: all).")
  Integer queryCount;

  @Option(names = "--base-block-rows", paramLabel = "N", descriptionKey = "truth.streamingBaseBlockRows")
  Integer baseBlockRows;

  @Mixin InputOptions in;

  @Mixin OverwriteOption overwrite;

  @Override
  public Integer call() throws IOException {
    if (queryCount != null && queryCount < 1) {
      throw new ParameterException(spec.commandLine(), "--query-count must be >= 1, got " + queryCount);
    }
    overwrite.requireWritable("ground truth output", output);
    SparkSession session = spark.session("lopq ground-truth");
    int parallelism = session.sparkContext().defaultParallelism();
    int depth = io.lopq.spark.eval.GroundTruthJob.Params.K.orDefault(k);
    GroundTruth truth = StreamingGroundTruthJob.run(session, in.read(base, baseFormat, parallelism),
        in.read(queries, queriesFormat, 1), depth, queryCount == null ? 0 : queryCount,
        StreamingGroundTruthJob.BASE_BLOCK_ROWS.orDefault(baseBlockRows));
    try {
      truth.saveIvecs(output, overwrite.overwrite(), session.sparkContext().hadoopConfiguration());
      PrintWriter out = spec.commandLine().getOut();
      out.printf(Locale.ROOT, "exact %d nearest of %d queries among %d base vectors (D=%d) in %.1f s: %s%n",
          truth.depth(), truth.queries(), truth.baseRows(), truth.dimension(), truth.seconds(), output);
      out.flush();
    } finally {
      truth.release();
    }
    return ExitCodes.OK;
  }
}
