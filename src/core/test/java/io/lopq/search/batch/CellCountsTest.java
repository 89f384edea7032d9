package io.lopq.search.batch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
