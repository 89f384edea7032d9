package io.lopq.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class RecallTotalsTest {
  private static final int[] CUTOFFS = {1, 2, 3};

  @Test
  void averagesHitsAndOverlapsLikeAHandComputation() {
    RecallTotals totals = new RecallTotals(CUTOFFS, 2);
    // truth nearest first: query a's nearest is 7, b's is 1, c's is 9.
    totals.add(new long[] {7, 3, 5}, new long[] {7, 3, 1});   // hit@1,2,3; overlap@2 = 2/2
    totals.add(new long[] {4, 1, 8}, new long[] {1, 8, 4});   // hit@2,3;   overlap@2 = {4,1}∩{1,8} = 1/2
    totals.add(new long[] {2, 6}, new long[] {9, 2, 6});      // no hit;    overlap@2 = {2,6}∩{9,2} = 1/2
    assertEquals(3, totals.queries());
    assertEquals(1.0 / 3, totals.recallAt(0), 1e-12);
    assertEquals(2.0 / 3, totals.recallAt(1), 1e-12);
    assertEquals(2.0 / 3, totals.recallAt(2), 1e-12);
    assertEquals((1.0 + 0.5 + 0.5) / 3, totals.kRecall(), 1e-12);
    assertEquals(2, totals.minDepth());
    assertEquals(3, totals.maxDepth());
  }

  @Test
  void mergingPartsEqualsAddingEverythingToOne() {
    RecallTotals all = new RecallTotals(CUTOFFS, 2);
    RecallTotals left = new RecallTotals(CUTOFFS, 2);
    RecallTotals right = new RecallTotals(CUTOFFS, 2);
    long[][] returned = {{1, 2, 3}, {3, 2}, {5, 6, 7}, {9}};
    long[][] truth = {{2, 1}, {3, 4}, {7, 5}, {9, 8}};
    for (int q = 0; q < returned.length; q++) {
      all.add(returned[q], truth[q]);
      (q % 2 == 0 ? left : right).add(returned[q], truth[q]);
    }
    RecallTotals merged = left.merge(right);
    for (int i = 0; i < CUTOFFS.length; i++) {
      assertEquals(all.recallAt(i), merged.recallAt(i), 1e-12);
    }
    assertEquals(all.kRecall(), merged.kRecall(), 1e-12);
    assertEquals(1, merged.minDepth());
    assertThrows(IllegalArgumentException.class, () -> merged.merge(new RecallTotals(CUTOFFS, 3)));
  }

  @Test
  void kRecallIsTheSameToTheBitInAnyOrderOfQueriesAndParts() {
    // 60 queries with overlaps of 0..5 out of k = 5 (thirds, fifths: sums of doubles would depend on order).
    int k = 5;
    long[] truth = {0, 1, 2, 3, 4};
    long[][] returned = new long[60][];
    for (int q = 0; q < returned.length; q++) {
      int found = (q * 7) % (k + 1);
      returned[q] = new long[k];
      for (int i = 0; i < k; i++) {
        returned[q][i] = i < found ? i : 100 + i;
      }
    }
    RecallTotals forward = new RecallTotals(CUTOFFS, k);
    RecallTotals backward = new RecallTotals(CUTOFFS, k);
    RecallTotals odd = new RecallTotals(CUTOFFS, k);
    RecallTotals even = new RecallTotals(CUTOFFS, k);
    for (int q = 0; q < returned.length; q++) {
      forward.add(returned[q], truth);
      backward.add(returned[returned.length - 1 - q], truth);
      (q % 2 == 0 ? even : odd).add(returned[q], truth);
    }
    double merged = odd.merge(even).kRecall();
    assertEquals(Double.doubleToLongBits(forward.kRecall()), Double.doubleToLongBits(backward.kRecall()));
    assertEquals(Double.doubleToLongBits(forward.kRecall()), Double.doubleToLongBits(merged));
  }

  @Test
  void rejectsBadCutoffsAndK() {
    assertThrows(IllegalArgumentException.class, () -> new RecallTotals(new int[] {0}, 1));
    assertThrows(IllegalArgumentException.class, () -> new RecallTotals(new int[0], 1));
    IllegalArgumentException k = assertThrows(IllegalArgumentException.class, () -> new RecallTotals(CUTOFFS, 0));
    assertEquals("k must be >= 1, got 0", k.getMessage());
  }
}
