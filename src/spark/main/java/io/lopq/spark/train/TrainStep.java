package io.lopq.spark.train;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/**
 * The three training steps that can be run or kept from an initial model (LOPQ.md steps 1, 3 and
 * 5; residuals and rotated residuals are computed on the way).
 */
public enum TrainStep {
  /** Coarse k-means per half. */
  COARSE,
  /** Per-cluster residual means and local rotations. */
  ROTATIONS,
  /** The M subquantizer codebooks. */
  SUBQUANTIZERS;

  /** The name used on the command line and in reports. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** All steps. */
  public static Set<TrainStep> all() {
    return EnumSet.allOf(TrainStep.class);
  }

  /**
   * Parses a comma-separated list such as {@code "rotations,subquantizers"}.
   *
   * @throws IllegalArgumentException naming an unknown or repeated step, or an empty list
   */
  public static Set<TrainStep> parse(String list) {
    if (list == null || list.isBlank()) {
      throw new IllegalArgumentException("steps list is empty; expected a comma-separated subset of "
          + "coarse,rotations,subquantizers");
    }
    Set<TrainStep> steps = EnumSet.noneOf(TrainStep.class);
    for (String part : list.split(",")) {
      String name = part.strip().toUpperCase(Locale.ROOT);
      TrainStep step;
      try {
        step = valueOf(name);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("unknown training step '" + part.strip()
            + "'; expected a comma-separated subset of coarse,rotations,subquantizers");
      }
      if (!steps.add(step)) {
        throw new IllegalArgumentException("training step '" + step.label() + "' is listed twice in '" + list + "'");
      }
    }
    return steps;
  }
}
