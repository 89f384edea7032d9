package io.lopq.search.batch;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.lopq.search.SearchResult;
import io.lopq.search.TopK;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.Random;
import org.junit.jupiter.api.Test;

class PartialResultTest {
  private static final int KEPT = 6;

  private static PartialResult part(Random random, long firstId, int rows, long scanned, long cells) {
    TopK top = new TopK(KEPT);
    for (int i = 0; i < rows; i++) {
      top.offer(firstId + i, Math.floor(random.nextDouble() * 20));
    }
    return PartialResult.drain("q", top, scanned, cells);
  }

  @Test
  void mergingPartsIsTheTopKOfTheirUnionWithCountersAdded() {
    Random random = new Random(1);
    for (int trial = 0; trial < 50; trial++) {
      PartialResult a = part(random, 0, random.nextInt(12), 30, 4);
      PartialResult b = part(random, 100, random.nextInt(12), 12, 0);
      PartialResult merged = PartialResult.merge(a, b, KEPT);
      TopK expected = new TopK(KEPT);
      expected.offerAll(a.toSearchResult());
      expected.offerAll(b.toSearchResult());
      SearchResult union = expected.drain();
      assertArrayEquals(union.ids(), merged.ids());
      assertArrayEquals(union.distances(), merged.distances());
      assertEquals(42, merged.scanned());
      assertEquals(4, merged.cellsVisited());
      assertEquals("q", merged.queryId());
      assertEquals(merged.toSearchResult(), PartialResult.merge(b, a, KEPT).toSearchResult(), "order-free");
    }
  }

  @Test
  void survivesJavaSerializationAndRejectsRaggedArrays() throws Exception {
    PartialResult r = new PartialResult(7L, new long[] {3, 1}, new double[] {0.5, 2}, 9, 2);
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(r);
    }
    PartialResult back;
    try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
      back = (PartialResult) in.readObject();
    }
    assertEquals(7L, back.queryId());
    assertEquals(r.toSearchResult(), back.toSearchResult());
    assertEquals(9, back.scanned());
    assertArrayEquals(new long[] {5}, r.withNeighbours(new long[] {5}, new double[] {1}).ids());
    assertThrows(IllegalArgumentException.class, () -> new PartialResult(1L, new long[1], new double[2], 0, 0));
  }
}
