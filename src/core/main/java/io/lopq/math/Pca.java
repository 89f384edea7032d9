package io.lopq.math;

import java.util.Objects;

/**
 * Principal component analysis: the mean and the leading eigenvectors of the covariance of a
 * sample, and the projection of rows onto them.
 *
 * <pre>
 *   mu = (1/n) sum_i x_i,     C = (1/n) sum_i (x_i - mu)(x_i - mu)^T = E^T diag(l) E   ({@link SymmetricEigen})
 *   P = the first c rows of E (l_1 &gt;= l_2 &gt;= ...),      project(x) = P (x - mu) = P x - P mu
 * </pre>
 *
 * Eigenvector signs are fixed by {@link SymmetricEigen}, so the same sample gives the same
 * projection on every run. {@link #project} multiplies a whole block of rows at once (one gemm).
 */
public final class Pca {
  private final int inputDimension;
  private final int components;
  private final float[] basis;
  private final float[] projectedMean;
  private final double[] variances;

  private Pca(int inputDimension, int components, float[] basis, float[] projectedMean, double[] variances) {
    this.inputDimension = inputDimension;
    this.components = components;
    this.basis = basis;
    this.projectedMean = projectedMean;
    this.variances = variances;
  }

  /**
   * Fits the first {@code components} principal components of {@code n} row-major rows of
   * dimension {@code d}.
   *
   * @throws IllegalArgumentException on bad shapes, {@code components} outside [1, d], fewer than 2 rows
   */
  public static Pca fit(float[] rows, int n, int d, int components) {
    Objects.requireNonNull(rows, "rows");
    if (d < 1 || components < 1 || components > d) {
      throw new IllegalArgumentException("components must be in [1, " + d + "], got " + components);
    }
    if (n < 2 || rows.length < (long) n * d) {
      throw new IllegalArgumentException("need at least 2 rows of dimension " + d + ", got " + n + " rows in "
          + rows.length + " values");
    }
    double[] mean = new double[d];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < d; j++) {
        mean[j] += rows[i * d + j];
      }
    }
    for (int j = 0; j < d; j++) {
      mean[j] /= n;
    }
    double[] covariance = new double[d * d];
    int block = Math.max(1, Math.min(n, (1 << 20) / d));
    double[] centred = new double[block * d];
    for (int first = 0; first < n; first += block) {
      int count = Math.min(block, n - first);
      for (int i = 0; i < count; i++) {
        for (int j = 0; j < d; j++) {
          centred[i * d + j] = rows[(first + i) * d + j] - mean[j];
        }
      }
      Blas.gemmTN(d, d, count, 1.0 / n, centred, 0, centred, 0, 1.0, covariance, 0);
    }
    // Exact symmetry for the eigen-solver (the gemm's two triangles may differ in the last bit).
    for (int r = 0; r < d; r++) {
      for (int c = r + 1; c < d; c++) {
        double v = 0.5 * (covariance[r * d + c] + covariance[c * d + r]);
        covariance[r * d + c] = v;
        covariance[c * d + r] = v;
      }
    }
    SymmetricEigen eigen = SymmetricEigen.decompose(covariance, d);
    double[] vectors = eigen.vectors();
    float[] basis = new float[components * d];
    float[] projectedMean = new float[components];
    double[] variances = new double[components];
    for (int c = 0; c < components; c++) {
      double s = 0;
      for (int j = 0; j < d; j++) {
        basis[c * d + j] = (float) vectors[c * d + j];
        s += (float) vectors[c * d + j] * mean[j];
      }
      projectedMean[c] = (float) s;
      variances[c] = eigen.value(c);
    }
    return new Pca(d, components, basis, projectedMean, variances);
  }

  /** Dimension of the rows projected. */
  public int inputDimension() {
    return inputDimension;
  }

  /** Dimension of a projected row. */
  public int components() {
    return components;
  }

  /** Variance of the sample along each component, descending (a copy). */
  public double[] variances() {
    return variances.clone();
  }

  /**
   * Projects {@code count} row-major rows of {@link #inputDimension()} into {@code out}
   * ({@code count x} {@link #components()}, row-major).
   */
  public void project(float[] rows, int count, float[] out) {
    if (rows.length < (long) count * inputDimension || out.length < (long) count * components) {
      throw new IllegalArgumentException("buffers too short for " + count + " rows: " + rows.length + " in, "
          + out.length + " out");
    }
    Blas.gemmNT(count, components, inputDimension, 1f, rows, 0, basis, 0, 0f, out, 0);
    for (int i = 0; i < count; i++) {
      for (int c = 0; c < components; c++) {
        out[i * components + c] -= projectedMean[c];
      }
    }
  }
}
