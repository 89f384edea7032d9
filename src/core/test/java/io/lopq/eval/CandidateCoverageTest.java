package io.lopq.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class CandidateCoverageTest {
  @Test
  void aNeighbourIsAmongTheCandidatesWhenTheCellsBeforeItHoldFewerRowsThanAsked() {
    // before = 0 (the query's own cell), 10, 10, 99, never; N = 100.
    CandidateCoverage coverage = new CandidateCoverage(new long[] {10, 0, CandidateCoverage.NEVER, 99, 10}, 100);
    assertEquals(5, coverage.queries());
    assertEquals(1.0 / 5, coverage.amongCandidates(1), 1e-12);
    assertEquals(1.0 / 5, coverage.amongCandidates(10), 1e-12, "exactly 10 rows before: the traversal stops first");
    assertEquals(3.0 / 5, coverage.amongCandidates(11), 1e-12);
    assertEquals(3.0 / 5, coverage.amongCandidates(99), 1e-12);
    assertEquals(4.0 / 5, coverage.amongCandidates(100), 1e-12);
    assertEquals(4.0 / 5, coverage.amongCandidates(Long.MAX_VALUE), 1e-12, "budgets are capped at N; never stays out");
    assertTrue(Double.isNaN(new CandidateCoverage(new long[0], 1).amongCandidates(5)));
    assertThrows(IllegalArgumentException.class, () -> new CandidateCoverage(new long[] {-1}, 10));
  }
}
