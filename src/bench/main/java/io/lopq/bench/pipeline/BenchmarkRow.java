package io.lopq.bench.pipeline;

import java.util.Locale;
import java.util.OptionalDouble;

/**
 * One row of the Fashion-MNIST pipeline table in {@code docs/BENCHMARKS.md}: one search setting of
 * one run of {@code scripts/dev/bench-fashion-mnist}, with the model, the recall, the bytes per
 * vector and the wall time of each {@code scripts/submit} step.
 *
 * @param date when the run took place (UTC, minutes)
 * @param master where the jobs ran (e.g. "local cluster (2 workers x 1 core, 2g)")
 * @param model the trained model's settings
 * @param candidates candidates ranked per query
 * @param rerank whether the candidates were re-ranked exactly against the raw base
 * @param recall Recall@1, @10, @100 and k of the eval report
 * @param codeBytes bytes of one code (coarse indices and fine codes)
 * @param diskBytesPerVector bytes per vector of the encoded dataset on disk (ids, codes, footers)
 * @param seconds wall seconds of the train, encode, search and eval steps
 * @param machine the machine the run took place on
 */
public record BenchmarkRow(String date, String master, ModelSettings model, int candidates, boolean rerank,
    EvalRecall recall, int codeBytes, double diskBytesPerVector, StepSeconds seconds, String machine) {

  /** The table's header line. */
  public static final String HEADER = "| date (UTC) | master | model | candidates | re-rank | k | R@1 | R@10 | R@100"
      + " | bytes/vector (code / on disk) | train s | encode s | search s | eval s | machine |";
  /** The line under the header. */
  public static final String RULE = "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|";
  /** What a missing number shows. */
  static final String MISSING = "n/a";

  /** The model settings of a row: V, M, K, the training seed and the refinement rounds (LOPQ.md step 6). */
  public record ModelSettings(int coarseClusters, int subquantizers, int subquantizerClusters, long seed,
      OptionalDouble refineIterations) {
    String markdown() {
      String refine = refineIterations.isPresent()
          ? String.valueOf((long) refineIterations.getAsDouble()) : MISSING;
      return "V=" + coarseClusters + " M=" + subquantizers + " K=" + subquantizerClusters + " seed=" + seed
          + " refine=" + refine;
    }
  }

  /** Wall seconds of each step of a run (train and encode are shared by every row of the run). */
  public record StepSeconds(double train, double encode, double search, double eval) {}

  /** The row as one Markdown table line (numbers in the ROOT locale). */
  public String markdown() {
    return "| " + String.join(" | ",
        date,
        master,
        model.markdown(),
        Integer.toString(candidates),
        rerank ? "rerank" : "no",
        Integer.toString(recall.k()),
        format(recall.at(1), "%.3f"),
        format(recall.at(10), "%.3f"),
        format(recall.at(100), "%.3f"),
        codeBytes + " / " + String.format(Locale.ROOT, "%.1f", diskBytesPerVector),
        seconds(seconds.train()),
        seconds(seconds.encode()),
        seconds(seconds.search()),
        seconds(seconds.eval()),
        machine) + " |";
  }

  private static String seconds(double value) {
    return String.format(Locale.ROOT, "%.1f", value);
  }

  private static String format(OptionalDouble value, String pattern) {
    return value.isPresent() ? String.format(Locale.ROOT, pattern, value.getAsDouble()) : MISSING;
  }
}
