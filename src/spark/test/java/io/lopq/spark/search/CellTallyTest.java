package io.lopq.spark.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lopq.format.vectors.InvalidInputException;
import io.lopq.search.batch.CellCounts;
import java.util.Random;
import org.junit.jupiter.api.Test;

class CellTallyTest {
  private static final int V = 7;

  /** Counts by brute force: rows per key c0 * V + c1. */
  private static long[] bruteForce(int[][] rows) {
    long[] counts = new long[V * V];
    for (int[] r : rows) {
      counts[r[0] * V + r[1]]++;
    }
    return counts;
  }

  private static void assertCounts(long[] expected, CellCounts actual) {
    long total = 0;
    int nonEmpty = 0;
    for (int key = 0; key < expected.length; key++) {
      assertEquals(expected[key], actual.size(key / V, key % V), "cell " + key);
      total += expected[key];
      nonEmpty += expected[key] > 0 ? 1 : 0;
    }
    assertEquals(total, actual.totalRows());
    assertEquals(nonEmpty, actual.cells());
  }

  private static int[][] rows(Random random, int n, boolean sorted) {
    int[][] rows = new int[n][];
    for (int i = 0; i < n; i++) {
      // Few cells, so that runs and repeats across parts both occur.
      rows[i] = new int[] {random.nextInt(3), random.nextInt(V)};
    }
    if (sorted) {
      java.util.Arrays.sort(rows, (a, b) -> a[0] != b[0] ? a[0] - b[0] : a[1] - b[1]);
    }
    return rows;
  }

  private static CellTally tally(int[][] rows, int from, int to) {
    CellTally t = new CellTally(V, "idx");
    for (int i = from; i < to; i++) {
      t.add(false, false, rows[i][0], rows[i][1]);
    }
    return t.finish();
  }

  @Test
  void sortedAndUnsortedPartsMergeToTheCountsOfEveryRow() {
    Random random = new Random(3);
    for (boolean sorted : new boolean[] {true, false}) {
      int[][] rows = rows(random, 500, sorted);
      // Three parts of uneven size, one of them empty, merged in two orders.
      CellTally a = tally(rows, 0, 120);
      CellTally b = tally(rows, 120, 120);
      CellTally c = tally(rows, 120, 500);
      assertCounts(bruteForce(rows), CellTally.merge(CellTally.merge(a, b), c).toCounts());
      assertCounts(bruteForce(rows), CellTally.merge(c, CellTally.merge(b, a)).toCounts());
    }
  }

  @Test
  void severalSortedFilesInOnePartitionCountAsTheirRowsTogether() {
    Random random = new Random(11);
    for (int files : new int[] {2, 3, 5, 8}) {
      int[][] all = new int[0][];
      CellTally tally = new CellTally(V, "idx");
      for (int f = 0; f < files; f++) {
        int[][] file = rows(random, 40 + random.nextInt(80), true);
        for (int[] r : file) {
          tally.add(false, false, r[0], r[1]);
        }
        all = java.util.stream.Stream.concat(java.util.Arrays.stream(all), java.util.Arrays.stream(file))
            .toArray(int[][]::new);
      }
      assertCounts(bruteForce(all), tally.finish().toCounts());
    }
  }

  @Test
  void sortedInputKeepsOneRunPerCell() {
    int[][] rows = rows(new Random(5), 300, true);
    CellTally t = new CellTally(V, "idx");
    for (int[] r : rows) {
      t.add(false, false, r[0], r[1]);
    }
    long distinct = java.util.Arrays.stream(bruteForce(rows)).filter(x -> x > 0).count();
    assertEquals(distinct, t.cells(), "runs before finish");
    assertEquals(distinct, t.finish().cells());
  }

  @Test
  void aRowWithoutIdOrCellOrOutsideTheGridIsRefusedNamingTheIndex() {
    CellTally t = new CellTally(V, "the-index");
    InvalidInputException e = assertThrows(InvalidInputException.class, () -> t.add(true, false, 0, 0));
    assertEquals("the encoded index the-index has rows with a null id", e.getMessage());
    e = assertThrows(InvalidInputException.class, () -> t.add(false, true, 0, 0));
    assertTrue(e.getMessage().contains("without a cell"), e.getMessage());
    for (int[] cell : new int[][] {{V, 0}, {0, V}, {-1, 2}, {2, -1}}) {
      e = assertThrows(InvalidInputException.class, () -> t.add(false, false, cell[0], cell[1]));
      assertTrue(e.getMessage().contains("cell (" + cell[0] + ", " + cell[1] + "), outside [0, 7)^2"), e.getMessage());
    }
    // A cell just past a valid one's key (c1 = V is c0 + 1's first key) is refused, not counted with it.
    t.add(false, false, 1, 0);
    assertThrows(InvalidInputException.class, () -> t.add(false, false, 0, V));
    assertEquals(1, t.finish().toCounts().totalRows());
  }
}
