package io.lopq.cli;

import io.lopq.spark.encode.EncodeJob;
import io.lopq.spark.search.ResultWriter;
import java.util.Map;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The output options of the pipeline's commands (train, encode, search, eval), declared once and
 * mixed into each with {@code @Mixin}: {@code --overwrite} ({@link OverwriteOption}) and
 * {@code --report}. What the report is and where it also goes differs by command; those words are
 * in {@link #COMMAND_TEXTS}, which {@link ParamHelp} serves under picocli's qualified keys.
 */
public final class OutputOptions {
  /** Per-command help of the shared output options, by picocli's qualified key. */
  static final Map<String, String> COMMAND_TEXTS = Map.of(
      "lopq.train.output.report",
      "Also write the training report (JSON) here; it is always written inside the model directory.",
      "lopq.train.output.overwrite", "Replace an existing model (and report) at the output paths.",
      "lopq.encode.output.report", "Where to write the JSON report (default: ENCODED/"
          + EncodeJob.DEFAULT_REPORT_NAME + ").",
      "lopq.encode.output.overwrite",
      "Replace an existing encoded dataset as a whole (e.g. after retraining the model).",
      "lopq.search.output.report", "Also write the JSON report here (it is always in RESULTS/"
          + ResultWriter.REPORT_FILE + ").",
      "lopq.search.output.overwrite", "Replace existing results.",
      "lopq.eval.output.report", "Folder to write recall.json into (with --sweep, also its tables and charts).",
      "lopq.eval.output.overwrite", "Replace an existing report folder or ground-truth file.");

  @Mixin OverwriteOption overwrite;

  @Option(names = "--report", paramLabel = "PATH", descriptionKey = "output.report",
      description = "Where to write the report.")
  String report;

  /** Whether existing outputs may be replaced. */
  public boolean overwrite() {
    return overwrite.overwrite();
  }

  /** Where {@code --report} asks the report to go, or null. */
  public String report() {
    return report;
  }
}
