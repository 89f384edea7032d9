package io.lopq.math;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.FloatBuffer;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class KMeansPlusPlusTest {

  @Test
  void seedsAreDistinctDataPointsAndReproducible() {
    Random random = new Random(12);
    int n = 400, d = 3, k = 30;
    float[] points = new float[n * d];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < d; j++) {
        points[i * d + j] = random.nextInt(6); // many duplicates, 216 possible values
      }
    }
    Set<FloatBuffer> rows = new HashSet<>();
    for (int i = 0; i < n; i++) {
      rows.add(FloatBuffer.wrap(points, i * d, d).slice());
    }
    for (int trials : new int[] {1, 5}) {
      float[] seeds = KMeansPlusPlus.seed(points, n, d, k, trials, 99);
      Set<FloatBuffer> distinct = new HashSet<>();
      for (int c = 0; c < k; c++) {
        FloatBuffer row = FloatBuffer.wrap(seeds, c * d, d).slice();
        assertTrue(rows.contains(row), "seed " + c + " is not a data point");
        distinct.add(row);
      }
      assertEquals(k, distinct.size(), "seeds must be distinct");
      assertArrayEquals(seeds, KMeansPlusPlus.seed(points, n, d, k, trials, 99));
    }
  }

  @Test
  void returnsNullWhenThereAreFewerDistinctPointsThanClusters() {
    float[] points = {1, 1, 2, 2, 1, 1, 2, 2, 3, 3};
    assertNull(KMeansPlusPlus.seed(points, 5, 2, 4, 3, 1));
    assertEquals(6, KMeansPlusPlus.seed(points, 5, 2, 3, 3, 1).length);
  }

  @Test
  void greedySeedingFindsWellSeparatedBlobs() {
    // Eight tight, far-apart blobs: greedy seeding should put one seed in each.
    Random random = new Random(13);
    int blobs = 8, perBlob = 50, d = 2, n = blobs * perBlob;
    float[] points = new float[n * d];
    for (int i = 0; i < n; i++) {
      int b = i / perBlob;
      points[i * d] = 100f * b + (float) random.nextGaussian();
      points[i * d + 1] = (float) random.nextGaussian();
    }
    int hits = 0;
    for (long seed = 0; seed < 10; seed++) {
      float[] seeds = KMeansPlusPlus.seed(points, n, d, blobs, KMeansPlusPlus.defaultTrials(blobs), seed);
      Set<Integer> covered = new HashSet<>();
      for (int c = 0; c < blobs; c++) {
        covered.add(Math.round(seeds[c * d] / 100f));
      }
      hits += covered.size() == blobs ? 1 : 0;
    }
    assertTrue(hits >= 9, "greedy k-means++ covered every blob in only " + hits + " of 10 runs");
  }
}
