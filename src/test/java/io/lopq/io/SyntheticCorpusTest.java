package io.lopq.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class SyntheticCorpusTest {
  @Test
  void rowsDependOnlyOnSeedAndIndex() {
    SyntheticCorpus a = new SyntheticCorpus(16, 4, 42);
    SyntheticCorpus b = new SyntheticCorpus(16, 4, 42);
    float[] all = a.rows(0, 100);
    float[] slice = b.rows(37, 5);
    assertArrayEquals(Arrays.copyOfRange(all, 37 * 16, 42 * 16), slice);
    assertFalse(Arrays.equals(all, new SyntheticCorpus(16, 4, 43).rows(0, 100)), "another seed, other rows");
  }

  @Test
  void clustersAreAnisotropic() {
    int d = 8;
    SyntheticCorpus corpus = new SyntheticCorpus(d, 1, 7);
    int n = 4000;
    float[] rows = corpus.rows(0, n);
    double[] mean = new double[d];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < d; j++) {
        mean[j] += rows[i * d + j] / n;
      }
    }
    // Variance along the coordinate axes differs from the largest-variance direction: with a
    // decaying spectrum the total variance is far from evenly spread.
    double total = 0;
    double max = 0;
    for (int j = 0; j < d; j++) {
      double v = 0;
      for (int i = 0; i < n; i++) {
        double diff = rows[i * d + j] - mean[j];
        v += diff * diff / n;
      }
      total += v;
      max = Math.max(max, v);
    }
    assertTrue(total > 0);
    assertEquals(d, corpus.dimension());
    assertTrue(max < total, "variance is spread over several axes");
  }
}
