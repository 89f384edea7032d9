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

  private static float[] randomFloats(Random random, int n) {
    float[] x = new float[n];
    for (int i = 0; i < n; i++) {
      x[i] = (float) random.nextGaussian();
    }
    return x;
  }
}
