package io.lopq.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class CoarseClusterRuleTest {

  @Test
  void fashionMnistGetsTheMeasuredChoice() {
    assertEquals(CoarseClusterRule.choose(60_000, 784), CoarseClusterRule.choose(60_000, 784));
    assertEquals(EXPECTED_FASHION_MNIST, CoarseClusterRule.choose(60_000, 784));
  }

  private static final int EXPECTED_FASHION_MNIST = 256;

  @Test
  void choicesArePowersOfTwoGrowingWithTheRowsAndBoundedByTheRotations() {
    int previous = 0;
    for (long rows = 1; rows <= 2_000_000_000L; rows *= 3) {
      for (int d : new int[] {2, 32, 128, 784, 4096}) {
        int v = CoarseClusterRule.choose(rows, d);
        assertTrue(v >= 1 && Integer.bitCount(v) == 1, "V=" + v + " for N=" + rows + ", D=" + d);
        assertTrue(v <= CoarseClusterRule.MAX);
        assertTrue(v == 1 || v <= rows * CoarseClusterRule.SHRUNK_CLUSTERS_FACTOR / (d / 2 + 1),
            "V=" + v + " leaves too few rows per cluster for N=" + rows + ", D=" + d);
        assertTrue(v == 1 || v * (long) v <= 4 * rows / CoarseClusterRule.ROWS_PER_CELL,
            "V=" + v + " spreads N=" + rows + " too thin");
      }
      int v = CoarseClusterRule.choose(rows, 128);
      assertTrue(v >= previous, "V falls from " + previous + " to " + v + " at N=" + rows);
      previous = v;
    }
    assertEquals(CoarseClusterRule.MAX, CoarseClusterRule.choose(Long.MAX_VALUE / 2, 128));
  }

  @Test
  void rejectsNoRows() {
    assertThrows(IllegalArgumentException.class, () -> CoarseClusterRule.choose(0, 784));
    assertThrows(IllegalArgumentException.class, () -> CoarseClusterRule.choose(10, 1));
  }
}
