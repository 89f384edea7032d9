package io.lopq.format.vectors;

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
    double[] cov = new double[d * d];
    for (int i = 0; i < n; i++) {
      for (int r = 0; r < d; r++) {
        for (int c = 0; c < d; c++) {
          cov[r * d + c] += (rows[i * d + r] - mean[r]) * (rows[i * d + c] - mean[c]) / n;
        }
      }
    }
    double trace = 0;
    for (int j = 0; j < d; j++) {
      trace += cov[j * d + j];
    }
    // Largest eigenvalue by power iteration: an isotropic cluster would give trace / d.
    double[] v = new double[d];
    Arrays.fill(v, 1.0);
    double largest = 0;
    for (int iteration = 0; iteration < 200; iteration++) {
      double[] w = new double[d];
      for (int r = 0; r < d; r++) {
        for (int c = 0; c < d; c++) {
          w[r] += cov[r * d + c] * v[c];
        }
      }
      double norm = 0;
      for (double x : w) {
        norm += x * x;
      }
      norm = Math.sqrt(norm);
      largest = norm;
      for (int j = 0; j < d; j++) {
        v[j] = w[j] / norm;
      }
    }
    assertEquals(d, corpus.dimension());
    assertTrue(largest > 2 * trace / d, "largest eigenvalue " + largest + " vs mean " + trace / d);
  }
}
