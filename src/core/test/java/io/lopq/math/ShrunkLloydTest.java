package io.lopq.math;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ShrunkLloydTest {
  private static final int K = 8;
  private static final int D = 3;

  private static float[] gaussian(Random random, int count, double scale, double shift) {
    float[] out = new float[count];
    for (int i = 0; i < count; i++) {
      out[i] = (float) (shift + scale * random.nextGaussian());
    }
    return out;
  }

  private static double error(float[] codebook, float[] rows, int n) {
    int[] a = new int[n];
    Arrays.fill(a, -1);
    return KMeans.reassign(codebook, K, rows, n, D, a, null);
  }

  @Test
  void theRowsErrorNeverExceedsThePriorCodebooksWhateverTheShrinkage() {
    Random random = new Random(1);
    for (int trial = 0; trial < 20; trial++) {
      float[] prior = gaussian(random, K * D, 1.0, 0);
      int n = 1 + random.nextInt(60);
      float[] rows = gaussian(random, n * D, 0.7, 0.5);
      for (double lambda : new double[] {0, 0.5, 4, 100}) {
        ShrunkLloyd.Result r = ShrunkLloyd.fit(prior, K, rows, n, D, lambda, 6, 0);
        assertEquals(error(prior, rows, n), r.errorBefore(), 1e-9);
        assertEquals(error(r.codebook(), rows, n), r.errorAfter(), 1e-6 * (1 + r.errorAfter()));
        assertTrue(r.errorAfter() <= r.errorBefore(), "trial " + trial + " lambda " + lambda + ": " + r);
      }
    }
  }

  @Test
  void withoutShrinkageLloydFitsTheRowsAndMoreShrinkageStaysCloser() {
    Random random = new Random(2);
    float[] prior = gaussian(random, K * D, 1.0, 0);
    float[] rows = gaussian(random, 400 * D, 1.0, 2.0);
    double none = ShrunkLloyd.fit(prior, K, rows, 400, D, 0, 10, 0).errorAfter();
    double some = ShrunkLloyd.fit(prior, K, rows, 400, D, 4, 10, 0).errorAfter();
    double heavy = ShrunkLloyd.fit(prior, K, rows, 400, D, 1e6, 10, 0).errorAfter();
    double before = error(prior, rows, 400);
    assertTrue(none <= some && some <= heavy && heavy <= before, none + " " + some + " " + heavy + " " + before);
    assertTrue(none < 0.5 * before, "rows shifted by 2 are fitted much better: " + none + " vs " + before);
  }

  @Test
  void codewordsNoRowPicksStayAtThePriorAndNoRowsKeepThePrior() {
    float[] prior = new float[K * D];
    for (int k = 0; k < K; k++) {
      prior[k * D] = 10 * k;
    }
    // Every row is near codeword 0: the others keep their prior values (any shrinkage, even none).
    float[] rows = {0.5f, 1, 1, 1.5f, -1, 1};
    for (double lambda : new double[] {0, 3}) {
      float[] fitted = ShrunkLloyd.fit(prior, K, rows, 2, D, lambda, 5, 0).codebook();
      assertArrayEquals(Arrays.copyOfRange(prior, D, K * D), Arrays.copyOfRange(fitted, D, K * D));
      // Codeword 0: (sum of rows + lambda * prior) / (2 + lambda).
      assertEquals(2.0 / (2 + lambda), fitted[0], 1e-6);
      assertEquals(0.0, fitted[1], 1e-6);
      assertEquals(2.0 / (2 + lambda), fitted[2], 1e-6);
    }
    ShrunkLloyd.Result empty = ShrunkLloyd.fit(prior, K, new float[0], 0, D, 4, 5, 0);
    assertArrayEquals(prior, empty.codebook());
    assertEquals(0, empty.errorAfter());
  }

  @Test
  void badArgumentsAreRefused() {
    assertThrows(IllegalArgumentException.class, () -> ShrunkLloyd.fit(new float[5], K, new float[3], 1, D, 1, 1, 0));
    assertThrows(IllegalArgumentException.class,
        () -> ShrunkLloyd.fit(new float[K * D], K, new float[3], 1, D, -1, 1, 0));
  }
}
