package io.lopq.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class CoarseClusterRuleTest {
  private static final int[] DIMENSIONS = {2, 16, 32, 128, 784, 4096};

  @Test
  void fashionMnistSubsetsGetTheMeasuredChoices() {
    // docs/BENCHMARKS.md, "Auto V from sqrt(N) on small bases": V follows sqrt(N) from 5,000 rows on.
    assertEquals(64, CoarseClusterRule.choose(5_000, 784));
    assertEquals(128, CoarseClusterRule.choose(10_000, 784));
    assertEquals(128, CoarseClusterRule.choose(20_000, 784));
    assertEquals(256, CoarseClusterRule.choose(60_000, 784));
    assertEquals(CoarseClusterRule.choose(60_000, 784), CoarseClusterRule.choose(60_000, 784));
  }

  @Test
  void choicesArePowersOfTwoWithinTheirBounds() {
    for (long rows = 1; rows <= 2_000_000_000L; rows = rows * 3 + 1) {
      for (int d : DIMENSIONS) {
        int v = CoarseClusterRule.choose(rows, d);
        String what = "V=" + v + " for N=" + rows + ", D=" + d;
        assertTrue(v >= 1 && Integer.bitCount(v) == 1, what);
        assertTrue(v <= CoarseClusterRule.MAX, what);
        assertTrue(v == 1 || v <= rows * CoarseClusterRule.SHRUNK_CLUSTERS_FACTOR / (d / 2 + 1),
            what + " leaves too few rows per cluster");
        assertTrue(v == 1 || 2.0 * v * (d / 2) * (d / 2) < 8.0 * rows * d, what + " has rotations larger than 8 N D");
        assertTrue(v == 1 || v * (double) v <= 2 * rows / CoarseClusterRule.ROWS_PER_CELL, what + " spreads N too thin");
      }
    }
  }

  @Test
  void followsTheSquareRootOfTheRowsWhereTheRotationsAllowIt() {
    for (int d : DIMENSIONS) {
      // From here on the rotations' bound no longer binds: V is the power of two nearest sqrt(N).
      double free = 2 * Math.pow((d / 2 + 1) / CoarseClusterRule.SHRUNK_CLUSTERS_FACTOR, 2);
      for (long rows = Math.max(1, (long) Math.ceil(free)); rows <= 1L << 30; rows = rows * 2 + 1) {
        int v = CoarseClusterRule.choose(rows, d);
        double ideal = Math.sqrt(rows / CoarseClusterRule.ROWS_PER_CELL);
        assertTrue(v == CoarseClusterRule.MAX || (v >= ideal / Math.sqrt(2) && v <= ideal * Math.sqrt(2)),
            "V=" + v + " is not the power of two nearest sqrt(" + rows + ") for D=" + d);
      }
    }
  }

  @Test
  void growsWithTheRowsAndFallsWithTheDimension() {
    for (int d : DIMENSIONS) {
      int previous = 0;
      for (long rows = 1; rows <= 4_000_000_000L; rows = rows * 5 / 4 + 1) {
        int v = CoarseClusterRule.choose(rows, d);
        assertTrue(v >= previous, "V falls from " + previous + " to " + v + " at N=" + rows + ", D=" + d);
        previous = v;
      }
    }
    for (long rows : new long[] {100, 5_000, 60_000, 1_000_000}) {
      int previous = Integer.MAX_VALUE;
      for (int d = 2; d <= 8192; d *= 2) {
        int v = CoarseClusterRule.choose(rows, d);
        assertTrue(v <= previous, "V grows from " + previous + " to " + v + " at D=" + d + ", N=" + rows);
        previous = v;
      }
    }
    assertEquals(CoarseClusterRule.MAX, CoarseClusterRule.choose(Long.MAX_VALUE / 2, 128));
    assertEquals(1, CoarseClusterRule.choose(1, 784));
  }

  @Test
  void theDescriptionStatesTheBound() {
    assertTrue(CoarseClusterRule.DESCRIPTION.contains((int) CoarseClusterRule.SHRUNK_CLUSTERS_FACTOR + "N/(D/2+1)"),
        CoarseClusterRule.DESCRIPTION);
    assertTrue(CoarseClusterRule.DESCRIPTION.contains("at most " + CoarseClusterRule.MAX), CoarseClusterRule.DESCRIPTION);
  }

  @Test
  void rejectsNoRows() {
    assertThrows(IllegalArgumentException.class, () -> CoarseClusterRule.choose(0, 784));
    assertThrows(IllegalArgumentException.class, () -> CoarseClusterRule.choose(10, 1));
  }
}
