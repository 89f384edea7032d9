package io.lopq.math;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;

class BlasGemvTest {
  @Test
  void rowMajorMatrixVectorProductMatchesNaiveLoopAtOffsets() {
    Random random = new Random(3);
    int m = 7;
    int n = 5;
    float[] a = new float[3 + m * n];
    float[] x = new float[2 + n];
    float[] y = new float[1 + m];
    for (int i = 0; i < a.length; i++) {
      a[i] = (float) random.nextGaussian();
    }
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) random.nextGaussian();
    }
    for (int i = 0; i < y.length; i++) {
      y[i] = (float) random.nextGaussian();
    }
    float[] before = y.clone();
    Blas.gemv(m, n, 2f, a, 3, x, 2, 0.5f, y, 1);
    for (int i = 0; i < m; i++) {
      double s = 0;
      for (int j = 0; j < n; j++) {
        s += a[3 + i * n + j] * x[2 + j];
      }
      assertEquals(2 * s + 0.5 * before[1 + i], y[1 + i], 1e-4, "row " + i);
    }
    assertEquals(before[0], y[0], 0.0, "outside the output range nothing changes");
  }
}
