package io.lopq.bench.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalDouble;

/**
 * The recall figures of an eval report ({@code REPORT/recall.json}, written by {@code lopq eval
 * --report REPORT}): Recall@R for the cutoffs it measured, and the k of its searches.
 */
public final class EvalRecall {
  /** The report file inside an eval report directory. */
  public static final String FILE = "recall.json";

  private final JsonNode recall;
  private final int k;

  private EvalRecall(JsonNode recall, int k) {
    this.recall = recall;
    this.k = k;
  }

  /**
   * Reads {@code reportDir/recall.json}.
   *
   * @throws IOException if the file cannot be read or is not JSON
   * @throws IllegalArgumentException if it has no "recall" object or no "k"
   */
  public static EvalRecall read(Path reportDir) throws IOException {
    Path file = reportDir.resolve(FILE);
    if (!Files.isRegularFile(file)) {
      throw new IllegalArgumentException("no eval report at " + file);
    }
    JsonNode root = new ObjectMapper().readTree(file.toFile());
    JsonNode recall = root.path("recall");
    if (!recall.isObject() || !root.path("k").canConvertToInt()) {
      throw new IllegalArgumentException(file + " is not an eval report: it lacks \"recall\" or \"k\"");
    }
    return new EvalRecall(recall, root.path("k").intValue());
  }

  /** Recall@R: the share of queries whose true nearest neighbour is among the first R results; empty if not measured. */
  public OptionalDouble at(int cutoff) {
    JsonNode value = recall.path("R@" + cutoff);
    return value.isNumber() ? OptionalDouble.of(value.doubleValue()) : OptionalDouble.empty();
  }

  /** Neighbours per query of the evaluated results. */
  public int k() {
    return k;
  }
}
