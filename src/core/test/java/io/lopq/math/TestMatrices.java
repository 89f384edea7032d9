package io.lopq.math;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;

/** Small matrix helpers shared by the math tests. */
public final class TestMatrices {
  private TestMatrices() {}

  /** A random orthogonal d x d matrix (rows of the eigenvectors of a random symmetric matrix). */
  public static double[] randomOrthogonal(int d, Random random) {
    double[] a = new double[d * d];
    for (int i = 0; i < d; i++) {
      for (int j = i; j < d; j++) {
        double v = random.nextGaussian();
        a[i * d + j] = v;
        a[j * d + i] = v;
      }
    }
    return SymmetricEigen.decompose(a, d).vectors();
  }

  /** Asserts that the rows of the d x d row-major {@code q} are orthonormal: {@code Q Q^T = I}. */
  public static void assertOrthonormalRows(double[] q, int d, double tolerance) {
    for (int i = 0; i < d; i++) {
      for (int j = 0; j < d; j++) {
        double s = 0;
        for (int k = 0; k < d; k++) {
          s += q[i * d + k] * q[j * d + k];
        }
        assertEquals(i == j ? 1.0 : 0.0, s, tolerance, "row " + i + " . row " + j);
      }
    }
  }

  public static void assertOrthonormalRows(float[] q, int d, double tolerance) {
    double[] asDouble = new double[q.length];
    for (int i = 0; i < q.length; i++) {
      asDouble[i] = q[i];
    }
    assertOrthonormalRows(asDouble, d, tolerance);
  }

  /**
   * n row-major Gaussian rows in d dimensions with covariance Q^T diag(scales^2) Q for a random
   * orthogonal Q: strongly anisotropic and correlated, plus an offset.
   */
  public static float[] anisotropicRows(int n, int d, double[] scales, double offset, Random random) {
    double[] q = randomOrthogonal(d, random);
    float[] rows = new float[n * d];
    double[] z = new double[d];
    for (int i = 0; i < n; i++) {
      for (int k = 0; k < d; k++) {
        z[k] = scales[k] * random.nextGaussian();
      }
      for (int j = 0; j < d; j++) {
        double s = offset;
        for (int k = 0; k < d; k++) {
          s += q[k * d + j] * z[k];
        }
        rows[i * d + j] = (float) s;
      }
    }
    return rows;
  }

  /** The covariance of 2,000 rows whose coordinates' scales fall geometrically (like image pixels'). */
  public static double[] imageLikeCovariance(int n, Random random) {
    int rows = 2000;
    double[] a = new double[n * n];
    double[] x = new double[n];
    for (int k = 0; k < rows; k++) {
      for (int j = 0; j < n; j++) {
        x[j] = random.nextGaussian() * Math.pow(0.97, j) * 100;
      }
      for (int i = 0; i < n; i++) {
        for (int j = 0; j < n; j++) {
          a[i * n + j] += x[i] * x[j] / rows;
        }
      }
    }
    return a;
  }
}
