package io.lopq.search;

import io.lopq.model.LopqModel;

/**
 * The per-half coarse distances of a query that drive the multi-sequence:
 *
 * <pre>
 *   d_h(i) = ||q_h - C_h[i]||^2,   i in [0, V)
 * </pre>
 *
 * Sums of squared differences in double (V x D/2 per half is small next to the tables), so that
 * the cell order does not suffer from the cancellation of the expanded form.
 */
public final class CoarseDistances {
  private CoarseDistances() {}

  /**
   * Fills {@code out} (length V) with half {@code h}'s coarse distances of {@code query}, whose
   * half starts at {@code queryOffset + h * D/2}.
   */
  public static void compute(LopqModel model, float[] query, int queryOffset, int h, float[] out) {
    int half = model.halfDimension();
    float[] centroids = model.coarseCentroids(h);
    int start = queryOffset + h * half;
    for (int i = 0; i < model.coarseClusters(); i++) {
      double d = 0;
      int c = i * half;
      for (int j = 0; j < half; j++) {
        double diff = (double) query[start + j] - centroids[c + j];
        d += diff * diff;
      }
      out[i] = (float) d;
    }
  }
}
