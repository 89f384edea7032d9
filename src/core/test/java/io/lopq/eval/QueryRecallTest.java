package io.lopq.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class QueryRecallTest {
  private static final long[] TRUTH = {7, 3, 9, 1};

  @Test
  void hitCountsOnlyTheTrueNearestWithinTheFirstR() {
    long[] returned = {3, 5, 7, 1};
    assertEquals(0, QueryRecall.hitAt(1, returned, TRUTH));
    assertEquals(0, QueryRecall.hitAt(2, returned, TRUTH));
    assertEquals(1, QueryRecall.hitAt(3, returned, TRUTH));
    assertEquals(1, QueryRecall.hitAt(100, returned, TRUTH), "R beyond the list length");
  }

  @Test
  void overlapIsOrderFreeWithinTheTopK() {
    assertEquals(1.0, QueryRecall.overlapAt(3, new long[] {9, 7, 3}, TRUTH));
    assertEquals(2.0 / 3, QueryRecall.overlapAt(3, new long[] {9, 1, 3}, TRUTH), 1e-12);
    assertEquals(0.5, QueryRecall.overlapAt(2, new long[] {3, 9, 7}, TRUTH), 1e-12);
    assertEquals(0.0, QueryRecall.overlapAt(1, new long[] {}, TRUTH));
  }

  @Test
  void badArgumentsAreNamed() {
    IllegalArgumentException shortTruth = assertThrows(IllegalArgumentException.class,
        () -> QueryRecall.overlapAt(10, new long[] {1}, TRUTH));
    assertTrue(shortTruth.getMessage().contains("needs at least 10"), shortTruth.getMessage());
    assertThrows(IllegalArgumentException.class, () -> QueryRecall.hitAt(0, new long[] {1}, TRUTH));
    assertThrows(IllegalArgumentException.class, () -> QueryRecall.hitAt(1, new long[] {1}, new long[0]));
  }
}
