package io.lopq.math;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class PcaTest {
  @Test
  void findsTheDirectionsOfLargestVarianceAndCentres() {
    int n = 4000;
    int d = 5;
    SplittableRandom random = new SplittableRandom(2);
    float[] rows = new float[n * d];
    double[] spread = {1, 10, 0.5, 4, 0.1};
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < d; j++) {
        rows[i * d + j] = (float) (100 * j + spread[j] * (2 * random.nextDouble() - 1) * Math.sqrt(3));
      }
    }
    Pca pca = Pca.fit(rows, n, d, 2);
    double[] variances = pca.variances();
    assertEquals(100, variances[0], 8);
    assertEquals(16, variances[1], 1.5);
    float[] projected = new float[n * 2];
    pca.project(rows, n, projected);
    double mean0 = 0;
    double mean1 = 0;
    double var0 = 0;
    for (int i = 0; i < n; i++) {
      mean0 += projected[2 * i];
      mean1 += projected[2 * i + 1];
      var0 += projected[2 * i] * projected[2 * i];
      // The first component is (up to sign) the axis of spread 10: |y_0| tracks |x_1 - 100|.
      assertEquals(Math.abs(rows[i * d + 1] - 100), Math.abs(projected[2 * i]), 0.3, "row " + i);
    }
    assertEquals(0, mean0 / n, 1e-3);
    assertEquals(0, mean1 / n, 1e-3);
    assertTrue(Math.abs(var0 / n - variances[0]) < 1e-2 * variances[0]);
  }

  @Test
  void refusesBadShapes() {
    assertThrows(IllegalArgumentException.class, () -> Pca.fit(new float[10], 5, 2, 3));
    assertThrows(IllegalArgumentException.class, () -> Pca.fit(new float[2], 1, 2, 1));
  }
}
