package io.lopq.math;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;

class BlasTest {
  private static final double TOLERANCE = 1e-4;

  @Test
  void rowMajorProductsMatchNaiveLoops() {
    Random random = new Random(7);
    int m = 5, n = 4, k = 3;
    float[] a = randomFloats(random, m * k);
    float[] bt = randomFloats(random, n * k);
    float[] b = randomFloats(random, k * n);
    float[] c = new float[m * n];
    Blas.gemmNT(m, n, k, 1f, a, 0, bt, 0, 0f, c, 0);
    for (int i = 0; i < m; i++) {
      for (int j = 0; j < n; j++) {
        double s = 0;
        for (int t = 0; t < k; t++) {
          s += a[i * k + t] * bt[j * k + t];
        }
        assertEquals(s, c[i * n + j], TOLERANCE, "A B^T at " + i + "," + j);
      }
    }
    Blas.gemmNN(m, n, k, 1f, a, 0, b, 0, 0f, c, 0);
    for (int i = 0; i < m; i++) {
      for (int j = 0; j < n; j++) {
        double s = 0;
        for (int t = 0; t < k; t++) {
          s += a[i * k + t] * b[t * n + j];
        }
        assertEquals(s, c[i * n + j], TOLERANCE, "A B at " + i + "," + j);
      }
    }
  }

  @Test
  void transposedLeftProductMatchesNaiveLoop() {
    Random random = new Random(11);
    int m = 3, n = 4, k = 6;
    double[] a = new double[k * m];
    double[] b = new double[k * n];
    for (int i = 0; i < a.length; i++) {
      a[i] = random.nextGaussian();
    }
    for (int i = 0; i < b.length; i++) {
      b[i] = random.nextGaussian();
    }
    double[] c = new double[m * n];
    Blas.gemmTN(m, n, k, 1.0, a, 0, b, 0, 0.0, c, 0);
    for (int i = 0; i < m; i++) {
      for (int j = 0; j < n; j++) {
        double s = 0;
        for (int t = 0; t < k; t++) {
          s += a[t * m + i] * b[t * n + j];
        }
        assertEquals(s, c[i * n + j], 1e-9, "A^T B at " + i + "," + j);
      }
    }
  }

  /** Both routes of A^T B (as given, and through transposed copies for pure Java) equal the naive loop. */
  @Test
  void transposedLeftProductBothRoutes() {
    Random random = new Random(13);
    int m = 7, n = 5, k = 33;
    int aOffset = 3, bOffset = 2, cOffset = 4;
    double[] a = randomDoubles(random, aOffset + k * m);
    double[] b = randomDoubles(random, bOffset + k * n);
    double[] c0 = randomDoubles(random, cOffset + m * n);
    for (boolean transposeFirst : new boolean[] {false, true}) {
      double[] c = c0.clone();
      Blas.gemmTN(m, n, k, 0.5, a, aOffset, b, bOffset, 2.0, c, cOffset, transposeFirst);
      for (int i = 0; i < m; i++) {
        for (int j = 0; j < n; j++) {
          double s = 0;
          for (int t = 0; t < k; t++) {
            s += a[aOffset + t * m + i] * b[bOffset + t * n + j];
          }
          assertEquals(0.5 * s + 2.0 * c0[cOffset + i * n + j], c[cOffset + i * n + j], 1e-9,
              "A^T B at " + i + "," + j + ", transposeFirst " + transposeFirst);
        }
      }
      // X^T X: the same array on both sides
      double[] q = new double[m * m];
      Blas.gemmTN(m, m, k, 1.0, a, aOffset, a, aOffset, 0.0, q, 0, transposeFirst);
      for (int i = 0; i < m; i++) {
        for (int j = 0; j < m; j++) {
          double s = 0;
          for (int t = 0; t < k; t++) {
            s += a[aOffset + t * m + i] * a[aOffset + t * m + j];
          }
          assertEquals(s, q[i * m + j], 1e-9, "X^T X at " + i + "," + j + ", transposeFirst " + transposeFirst);
        }
      }
    }
  }

  /** Both routes of the scatter matrix (dsyrk; transposed copy and gemm) give its upper triangle. */
  @Test
  void scatterRowsBothRoutes() {
    Random random = new Random(17);
    int d = 9, n = 21;
    double[] rows = randomDoubles(random, n * d);
    double[] q0 = new double[d * d];
    for (int i = 0; i < d; i++) {
      for (int j = 0; j < d; j++) {
        q0[i * d + j] = q0[j * d + i] = random.nextGaussian();
      }
    }
    for (boolean transposeFirst : new boolean[] {false, true}) {
      double[] q = q0.clone();
      Blas.scatterRows(d, n, 1.0, rows, 1.0, q, transposeFirst);
      for (int a = 0; a < d; a++) {
        for (int b = a; b < d; b++) {
          double s = 0;
          for (int t = 0; t < n; t++) {
            s += rows[t * d + a] * rows[t * d + b];
          }
          // column-major upper triangle: row a, column b at a + b * d
          assertEquals(s + q0[a + b * d], q[a + b * d], 1e-9, "Q at " + a + "," + b + ", transposeFirst " + transposeFirst);
        }
      }
    }
  }

  private static double[] randomDoubles(Random random, int n) {
    double[] x = new double[n];
    for (int i = 0; i < n; i++) {
      x[i] = random.nextGaussian();
    }
    return x;
  }

  private static float[] randomFloats(Random random, int n) {
    float[] x = new float[n];
    for (int i = 0; i < n; i++) {
      x[i] = (float) random.nextGaussian();
    }
    return x;
  }
}
