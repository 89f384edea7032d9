package io.lopq.math;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** The Vector API product equals the plain loop (in double) to float rounding, edges and all. */
class GemmVectorTest {
  @Test
  void equalsThePlainProductOnEveryShapeEdge() {
    // Called directly, as ArgminTest calls ArgminVector: the module is present in the test JVM.
    int lanes = GemmVector.lanes();
    assertTrue(lanes > 1, "the module is present");
    Random random = new Random(3);
    int[] rowCounts = {1, 3, 4, 5, 67}; // 67: past a block of 64 rows, then 3 single rows
    int[] columnCounts = {1, lanes - 1, lanes, lanes + 1, 2 * lanes, 2 * lanes + 3, 64, 100};
    int[] depths = {1, 37};
    for (int m : rowCounts) {
      for (int n : columnCounts) {
        for (int k : depths) {
          for (float beta : new float[] {0f, 0.5f}) {
            check(m, n, k, -2f, beta, random);
          }
        }
      }
    }
  }

  private static void check(int m, int n, int k, float alpha, float beta, Random random) {
    int aOffset = 5;
    int bOffset = 3;
    int cOffset = 7;
    float[] a = floats(random, aOffset + m * k);
    float[] b = floats(random, bOffset + n * k);
    float[] c = floats(random, cOffset + m * n + 4);
    float[] before = c.clone();
    GemmVector.gemmNT(m, n, k, alpha, a, aOffset, b, bOffset, beta, c, cOffset);
    String shape = m + "x" + n + "x" + k + " beta " + beta;
    for (int i = 0; i < cOffset; i++) {
      assertEquals(before[i], c[i], 0f, "untouched before C, " + shape);
    }
    for (int i = cOffset + m * n; i < c.length; i++) {
      assertEquals(before[i], c[i], 0f, "untouched after C, " + shape);
    }
    for (int i = 0; i < m; i++) {
      for (int j = 0; j < n; j++) {
        double s = 0;
        double magnitude = 0;
        for (int l = 0; l < k; l++) {
          double p = (double) a[aOffset + i * k + l] * b[bOffset + j * k + l];
          s += p;
          magnitude += Math.abs(p);
        }
        double expected = alpha * s + beta * before[cOffset + i * n + j];
        assertEquals(expected, c[cOffset + i * n + j], 1e-5 * (Math.abs(alpha) * magnitude + 1),
            "C at " + i + "," + j + ", " + shape);
      }
    }
  }

  private static float[] floats(Random random, int n) {
    float[] x = new float[n];
    for (int i = 0; i < n; i++) {
      x[i] = (float) random.nextGaussian();
    }
    return x;
  }
}
