package io.lopq.math;

/**
 * Derives independent, reproducible seeds for sub-tasks (a half, a cluster, a subquantizer) from
 * one training seed, so that every task draws its own random stream no matter in which order, on
 * which thread or on which machine it runs.
 *
 * <pre>
 *   derive(seed, stream) = mix64(seed + GOLDEN_GAMMA * (stream + 1))
 * </pre>
 *
 * where {@code mix64} is the SplitMix64 finalizer (Steele, Lea &amp; Flood, OOPSLA 2014).
 */
public final class Seeds {
  /** The odd constant SplitMix64 steps by: 2^64 divided by the golden ratio. */
  private static final long GOLDEN_GAMMA = 0x9E3779B97F4A7C15L;
  private static final long MIX_MULTIPLIER_1 = 0xBF58476D1CE4E5B9L;
  private static final long MIX_MULTIPLIER_2 = 0x94D049BB133111EBL;
  private static final int SHIFT_1 = 30;
  private static final int SHIFT_2 = 27;
  private static final int SHIFT_3 = 31;

  private Seeds() {}

  /** The seed of sub-task {@code stream} of a task seeded with {@code seed}. */
  public static long derive(long seed, long stream) {
    return mix64(seed + GOLDEN_GAMMA * (stream + 1));
  }

  /** The seed of sub-task {@code (stream, substream)}: {@code derive(derive(seed, stream), substream)}. */
  public static long derive(long seed, long stream, long substream) {
    return derive(derive(seed, stream), substream);
  }

  private static long mix64(long z) {
    z = (z ^ (z >>> SHIFT_1)) * MIX_MULTIPLIER_1;
    z = (z ^ (z >>> SHIFT_2)) * MIX_MULTIPLIER_2;
    return z ^ (z >>> SHIFT_3);
  }
}
