package io.lopq.math;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class ProcrustesTest {

  private static float[] apply(double[] r, float[] rows, int n, int d) {
    float[] out = new float[n * d];
    for (int i = 0; i < n; i++) {
      for (int a = 0; a < d; a++) {
        double s = 0;
        for (int b = 0; b < d; b++) {
          s += r[a * d + b] * rows[i * d + b];
        }
        out[i * d + a] = (float) s;
      }
    }
    return out;
  }

  private static double loss(double[] r, float[] x, float[] y, int n, int d) {
    float[] rx = apply(r, x, n, d);
    double s = 0;
    for (int t = 0; t < n * d; t++) {
      double diff = rx[t] - y[t];
      s += diff * diff;
    }
    return s;
  }

  @Test
  void recoversAKnownRotation() {
    Random random = new Random(10);
    int n = 300, d = 12;
    double[] q = TestMatrices.randomOrthogonal(d, random);
    float[] x = new float[n * d];
    for (int t = 0; t < x.length; t++) {
      x[t] = (float) random.nextGaussian();
    }
    float[] y = apply(q, x, n, d);
    double[] r = Procrustes.fit(x, y, n, d);
    TestMatrices.assertOrthonormalRows(r, d, 1e-9);
    for (int t = 0; t < d * d; t++) {
      assertEquals(q[t], r[t], 1e-5, "entry " + t);
    }
  }

  @Test
  void noisyTargetsGetTheBestOrthogonalFit() {
    Random random = new Random(11);
    int n = 200, d = 6;
    double[] q = TestMatrices.randomOrthogonal(d, random);
    float[] x = new float[n * d];
    for (int t = 0; t < x.length; t++) {
      x[t] = (float) random.nextGaussian();
    }
    float[] y = apply(q, x, n, d);
    for (int t = 0; t < y.length; t++) {
      y[t] += (float) (0.3 * random.nextGaussian());
    }
    double[] r = Procrustes.fit(x, y, n, d);
    double best = loss(r, x, y, n, d);
    assertTrue(best <= loss(q, x, y, n, d) + 1e-6, "the fit must beat the true rotation on noisy data");
    for (int trial = 0; trial < 20; trial++) {
      double[] other = TestMatrices.randomOrthogonal(d, random);
      assertTrue(best <= loss(other, x, y, n, d), "a random orthogonal matrix beat the fit");
    }
  }
}
