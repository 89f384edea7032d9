package io.lopq.spark.search;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class RoutedQueryTest {
  private static final QueryRow QUERY = new QueryRow(7L, new float[] {1f, 2f});

  @Test
  void cellsComeBackAscendingWhateverTheirOrderAndSize() {
    Random random = new Random(3);
    for (int trial = 0; trial < 200; trial++) {
      int n = random.nextInt(3000);
      int bound = 1 << (1 + random.nextInt(30));
      int[] cells = random.ints(0, bound).distinct().limit(Math.min(n, bound)).toArray();
      int[] padded = Arrays.copyOf(cells, cells.length + 5);
      RoutedQuery q = new RoutedQuery(QUERY, padded, cells.length, 42);
      int[] expected = cells.clone();
      Arrays.sort(expected);
      assertEquals(cells.length, q.cellCount());
      assertArrayEquals(expected, Arrays.copyOf(q.cells(new int[0]), cells.length));
      assertEquals(42, q.visitedCells());
      assertSame(QUERY, q.query());
    }
  }

  @Test
  void extremesAndTheCallersArray() {
    int[] cells = {Integer.MAX_VALUE, 0, 1, 127, 128, 16_383, 16_384, Integer.MAX_VALUE - 1};
    RoutedQuery q = new RoutedQuery(QUERY, cells, cells.length, cells.length);
    int[] out = new int[20];
    assertSame(out, q.cells(out));
    assertArrayEquals(new int[] {0, 1, 127, 128, 16_383, 16_384, Integer.MAX_VALUE - 1, Integer.MAX_VALUE},
        Arrays.copyOf(out, cells.length));
    assertEquals(0, new RoutedQuery(QUERY, new int[0], 0, 3).cells(new int[0]).length);
  }

  @Test
  void nearbyCellsTakeOneByteEach() {
    int[] cells = IntStream.range(0, 1000).map(i -> 5 + 100 * i).toArray();
    RoutedQuery q = new RoutedQuery(QUERY, cells, cells.length, 1000);
    assertEquals(1000, q.encodedBytes());
    assertTrue(new RoutedQuery(QUERY, new int[] {1 << 20}, 1, 1).encodedBytes() <= 3);
  }

  @Test
  void refusesRepeatsAndNegatives() {
    assertThrows(IllegalArgumentException.class, () -> new RoutedQuery(QUERY, new int[] {3, 5, 3}, 3, 3));
    assertThrows(IllegalArgumentException.class, () -> new RoutedQuery(QUERY, new int[] {-1, 5}, 2, 2));
  }
}
