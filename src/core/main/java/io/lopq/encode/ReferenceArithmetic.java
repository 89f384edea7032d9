package io.lopq.encode;

/**
 * The distances of {@link LopqEncoder}, operation for operation, so that {@link BatchEncoder} can
 * settle a near tie exactly as the reference encoder would.
 *
 * <p>BLAS computes {@code ||x - c||^2} as {@code ||c||^2 - 2 x.c + ||x||^2} in float, which is fast
 * but rounds differently from the reference's double sums of squared differences; when two
 * candidates score within rounding of each other, the batch encoder recomputes just those
 * candidates here. Keep these methods in step with {@link LopqEncoder}.
 */
final class ReferenceArithmetic {
  private ReferenceArithmetic() {}

  /**
   * {@code ||x_h - C_h[i]||^2} as {@link LopqEncoder#nearestCoarse}: float differences, double sum.
   *
   * @param x the vector, half {@code h} starting at {@code xOffset}
   * @param centroids V x D/2 row-major
   */
  static double coarseDistance(float[] x, int xOffset, float[] centroids, int i, int half) {
    double d = 0;
    int c = i * half;
    for (int j = 0; j < half; j++) {
      double diff = x[xOffset + j] - centroids[c + j];
      d += diff * diff;
    }
    return d;
  }

  /**
   * The double residual {@code x_h - C_h[c] - mu_h[c]} as {@link LopqEncoder#rotatedResidual}.
   *
   * @param out receives D/2 values
   */
  static void residual(float[] x, int xOffset, float[] centroids, float[] means, int c, int half, double[] out) {
    int base = c * half;
    for (int j = 0; j < half; j++) {
      out[j] = (double) x[xOffset + j] - centroids[base + j] - means[base + j];
    }
  }

  /**
   * Rows {@code [firstRow, firstRow + rows)} of {@code y_h = R_h[c] residual} as
   * {@link LopqEncoder#rotatedResidual}: double sums rounded once to float.
   *
   * @param rotation all rotations of the half; {@code rotationOffset} selects cluster c's block
   */
  static void rotateRows(float[] rotation, int rotationOffset, double[] residual, int half, int firstRow, int rows,
      float[] out) {
    for (int r = 0; r < rows; r++) {
      double s = 0;
      int row = rotationOffset + (firstRow + r) * half;
      for (int j = 0; j < half; j++) {
        s += rotation[row + j] * residual[j];
      }
      out[r] = (float) s;
    }
  }

  /** {@code ||chunk - P[k]||^2} as {@link LopqEncoder#nearestCodeword}: float differences, double sum. */
  static double codewordDistance(float[] chunk, float[] codebook, int k, int sub) {
    double d = 0;
    int base = k * sub;
    for (int j = 0; j < sub; j++) {
      double diff = chunk[j] - codebook[base + j];
      d += diff * diff;
    }
    return d;
  }
}
