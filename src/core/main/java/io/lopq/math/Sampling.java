package io.lopq.math;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Seeded uniform sampling of row indices without replacement, and gathering of the sampled rows,
 * so that a k-means on a large set can run on a bounded, reproducible subset.
 */
public final class Sampling {
  private Sampling() {}

  /**
   * {@code min(n, limit)} distinct indices of {@code [0, n)}, drawn uniformly without replacement
   * (a partial Fisher-Yates shuffle) and returned in ascending order. With {@code limit >= n} all
   * indices are returned.
   *
   * @throws IllegalArgumentException if {@code n < 0} or {@code limit < 1}
   */
  public static int[] sampleIndices(int n, int limit, long seed) {
    if (n < 0) {
      throw new IllegalArgumentException("number of rows must be >= 0, got " + n);
    }
    if (limit < 1) {
      throw new IllegalArgumentException("sample limit must be >= 1, got " + limit);
    }
    int[] indices = new int[n];
    for (int i = 0; i < n; i++) {
      indices[i] = i;
    }
    if (limit >= n) {
      return indices;
    }
    SplittableRandom random = new SplittableRandom(seed);
    for (int i = 0; i < limit; i++) {
      int j = i + random.nextInt(n - i);
      int swap = indices[i];
      indices[i] = indices[j];
      indices[j] = swap;
    }
    int[] sample = Arrays.copyOf(indices, limit);
    Arrays.sort(sample);
    return sample;
  }

  /** The rows {@code indices} of a row-major matrix with {@code d} columns, as a new row-major matrix. */
  public static float[] gatherRows(float[] rows, int d, int[] indices) {
    float[] out = new float[Math.multiplyExact(indices.length, d)];
    for (int i = 0; i < indices.length; i++) {
      System.arraycopy(rows, indices[i] * d, out, i * d, d);
    }
    return out;
  }
}
