package io.lopq.search;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class TopKTest {
  @Test
  void keepsTheKSmallestInOrderWhateverTheArrivalOrder() {
    Random random = new Random(1);
    List<long[]> entries = new ArrayList<>();
    for (long id = 0; id < 500; id++) {
      // Few distinct distances: many ties, settled by id.
      entries.add(new long[] {id, random.nextInt(20)});
    }
    List<long[]> expected = new ArrayList<>(entries);
    expected.sort(Comparator.<long[]>comparingLong(e -> e[1]).thenComparingLong(e -> e[0]));
    for (int trial = 0; trial < 5; trial++) {
      Collections.shuffle(entries, random);
      TopK top = new TopK(37);
      for (long[] e : entries) {
        top.offer(e[0], e[1]);
      }
      SearchResult result = top.drain();
      assertEquals(37, result.size());
      for (int i = 0; i < 37; i++) {
        assertEquals(expected.get(i)[0], result.id(i), "rank " + i);
        assertEquals(expected.get(i)[1], result.distance(i), 0.0, "rank " + i);
      }
      assertEquals(0, top.size(), "drain empties");
    }
  }

  @Test
  void equalDistancesGoToTheSmallerId() {
    TopK top = new TopK(2);
    top.offer(9, 1.0);
    top.offer(7, 1.0);
    assertTrue(top.offer(3, 1.0), "a smaller id with an equal distance displaces the largest id");
    assertTrue(!top.offer(8, 1.0), "a larger id with an equal distance does not get in");
    assertArrayEquals(new long[] {3, 7}, top.drain().ids());
  }

  @Test
  void fewerOffersThanKGiveThemAllAndPayloadsFollowTheirEntries() {
    TopK top = new TopK(10);
    top.offer(5, 0.5, 50);
    top.offer(1, 2.0, 10);
    top.offer(4, 0.1, 40);
    assertEquals(Double.POSITIVE_INFINITY, top.worstDistance());
    long[] ids = new long[10];
    double[] distances = new double[10];
    int[] payloads = new int[10];
    assertEquals(3, top.drainTo(ids, distances, payloads));
    assertArrayEquals(new long[] {4, 5, 1}, java.util.Arrays.copyOf(ids, 3));
    assertArrayEquals(new int[] {40, 50, 10}, java.util.Arrays.copyOf(payloads, 3));
  }

  @Test
  void badInputsAreRejected() {
    IllegalArgumentException k = assertThrows(IllegalArgumentException.class, () -> new TopK(0));
    assertTrue(k.getMessage().contains("k must be >= 1, got 0"), k.getMessage());
    IllegalArgumentException nan = assertThrows(IllegalArgumentException.class, () -> new TopK(1).offer(4, Double.NaN));
    assertTrue(nan.getMessage().contains("NaN") && nan.getMessage().contains("4"), nan.getMessage());
  }
}
