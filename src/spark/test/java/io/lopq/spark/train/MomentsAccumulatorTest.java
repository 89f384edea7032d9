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
}
