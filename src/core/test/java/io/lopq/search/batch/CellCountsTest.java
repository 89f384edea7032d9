package io.lopq.search.batch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class CellCountsTest {
  private static final int V = 4;

  @Test
  void cellsAreSortedByKeyAndLookedUpBySize() {
    CellCounts counts = new CellCounts(V, new int[] {3, 0, 1}, new int[] {2, 3, 0}, new long[] {5, 7, 1});
    assertEquals(3, counts.cells());
    assertEquals(13, counts.totalRows());
    assertEquals(7, counts.maxCount());
    long[] keys = {CellCounts.key(V, 0, 3), CellCounts.key(V, 1, 0), CellCounts.key(V, 3, 2)};
    long[] sizes = {7, 1, 5};
    for (int i = 0; i < 3; i++) {
      assertEquals(keys[i], counts.keyAt(i));
      assertEquals(sizes[i], counts.countAt(i));
      assertEquals(i, counts.indexOf(keys[i]));
    }
    assertEquals(5, counts.size(3, 2));
    assertEquals(0, counts.size(2, 2));
    assertTrue(counts.indexOf(CellCounts.key(V, 2, 2)) < 0);
  }

  @Test
  void rowLookUpFindsEveryCellAtItsRankAmongTheSortedKeys() {
    int v = 37;
    SplittableRandom random = new SplittableRandom(3);
    int n = 400;
    long[] chosen = random.longs(0, (long) v * v).distinct().limit(n).toArray();
    int[] c0 = new int[n];
    int[] c1 = new int[n];
    long[] sizes = new long[n];
    for (int i = 0; i < n; i++) {
      c0[i] = (int) (chosen[i] / v);
      c1[i] = (int) (chosen[i] % v);
      sizes[i] = 1 + i;
    }
    CellCounts counts = new CellCounts(v, c0, c1, sizes);
    long[] sorted = chosen.clone();
    Arrays.sort(sorted);
    for (int a = 0; a < v; a++) {
      for (int b = 0; b < v; b++) {
        long key = CellCounts.key(v, a, b);
        int expected = Arrays.binarySearch(sorted, key);
        if (expected >= 0) {
          assertEquals(expected, counts.indexOf(a, b));
          assertEquals(expected, counts.indexOf(key));
          assertEquals(key, counts.keyAt(expected));
          assertTrue(counts.size(a, b) >= 1);
        } else {
          assertTrue(counts.indexOf(a, b) < 0);
          assertTrue(counts.indexOf(key) < 0);
          assertEquals(0, counts.size(a, b));
        }
      }
    }
    assertTrue(counts.indexOf(-1L) < 0);
    assertTrue(counts.indexOf((long) v * v) < 0);
  }

  @Test
  void badCellsAreRejected() {
    assertThrows(IllegalArgumentException.class, () -> new CellCounts(V, new int[] {V}, new int[] {0}, new long[] {1}));
    assertThrows(IllegalArgumentException.class, () -> new CellCounts(V, new int[] {0}, new int[] {-1}, new long[] {1}));
    assertThrows(IllegalArgumentException.class, () -> new CellCounts(V, new int[] {1}, new int[] {1}, new long[] {0}));
    assertThrows(IllegalArgumentException.class,
        () -> new CellCounts(V, new int[] {1, 1}, new int[] {2, 2}, new long[] {1, 3}));
    assertThrows(IllegalArgumentException.class, () -> new CellCounts(V, new int[] {1}, new int[] {}, new long[] {1}));
    assertThrows(IllegalArgumentException.class, () -> new CellCounts(0, new int[] {}, new int[] {}, new long[] {}));
  }
}
