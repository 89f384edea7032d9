package io.lopq.spark.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.lopq.math.Moments;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class MomentsAccumulatorTest {
  @Test
  void batchedSymmetricUpdatesGiveTheMomentsOfAllRowsAndSurvivePackingAndMerging() {
    int d = 6;
    int n = 50;
    SplittableRandom random = new SplittableRandom(3);
    float[] rows = new float[n * d];
    for (int t = 0; t < rows.length; t++) {
      rows[t] = (float) (random.nextGaussian() * (1 + t % d) + t % 3);
    }
    MomentsAccumulator first = new MomentsAccumulator(d);
    first.add(Arrays.copyOfRange(rows, 0, 20 * d), 20);
    first.add(Arrays.copyOfRange(rows, 20 * d, 35 * d), 15);
    MomentsAccumulator second = new MomentsAccumulator(d);
    second.add(Arrays.copyOfRange(rows, 35 * d, n * d), n - 35);

    Moments merged = first.packed().merge(second.packed()).unpack();
    Moments expected = Moments.ofRows(rows, n, d);
    assertEquals(n, merged.count());
    assertArrayEquals(expected.sum(), merged.sum(), 1e-9);
    assertArrayEquals(expected.outerProducts(), merged.outerProducts(), 1e-9);
    assertArrayEquals(expected.covariance(), merged.covariance(), 1e-9);
  }

  /**
   * Accumulators sharing one scratch (as a rotation map task's 2V accumulators do) give bit for bit the
   * moments of accumulators with their own, and the shared scratch is only as large as the largest batch:
   * the task's scratch no longer grows with the number of clusters.
   */
  @Test
  void accumulatorsSharingAScratchGiveTheSameMomentsAndHoldOneBatch() {
    int d = 5;
    int clusters = 7;
    SplittableRandom random = new SplittableRandom(11);
    MomentsAccumulator.Scratch scratch = new MomentsAccumulator.Scratch();
    MomentsAccumulator[] shared = new MomentsAccumulator[clusters];
    MomentsAccumulator[] own = new MomentsAccumulator[clusters];
    for (int c = 0; c < clusters; c++) {
      shared[c] = new MomentsAccumulator(d, scratch);
      own[c] = new MomentsAccumulator(d);
    }
    int largest = 0;
    for (int batch = 0; batch < 40; batch++) {
      int c = random.nextInt(clusters);
      int n = 1 + random.nextInt(30);
      largest = Math.max(largest, n);
      float[] rows = new float[n * d];
      for (int t = 0; t < rows.length; t++) {
        rows[t] = (float) (random.nextGaussian() * 3 + c);
      }
      shared[c].add(rows, n);
      own[c].add(rows, n);
    }
    for (int c = 0; c < clusters; c++) {
      Moments a = shared[c].packed().unpack();
      Moments b = own[c].packed().unpack();
      assertEquals(b.count(), a.count());
      assertArrayEquals(b.sum(), a.sum(), 0.0);
      assertArrayEquals(b.outerProducts(), a.outerProducts(), 0.0);
    }
    assertEquals(largest * d, scratch.capacity());
  }
}
