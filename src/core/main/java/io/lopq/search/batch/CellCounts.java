package io.lopq.search.batch;

import io.lopq.search.MultiSequence;
import java.io.Serializable;
import java.util.Arrays;

/**
 * How many encoded rows each non-empty cell {@code (c0, c1)} of the inverted multi-index holds:
 * the small table the multi-sequence needs to know when it has covered enough candidates.
 * Computed once per index (the distributed search counts rows per cell and broadcasts it).
 *
 * <pre>
 *   key(c0, c1) = c0 * V + c1          sorted keys; position of a cell = its rank among them
 *   look-up of (c0, c1): binary search among the cells of row c0 only (RowIndex, built on first use)
 * </pre>
 *
 * The multi-sequence looks up thousands of cells per query, mostly in few rows c0; searching the
 * row's short, cache-resident column list instead of all keys (megabytes at millions of cells)
 * keeps a look-up to a few cached probes.
 */
public final class CellCounts implements MultiSequence.CellSize, Serializable {
  private static final long serialVersionUID = 1L;

  private final int coarseClusters;
  private final long[] keys;
  private final long[] counts;
  private final long total;
  /** Built on first look-up (not serialized; a benign race may build it twice, identically). */
  private transient volatile RowIndex rowIndex;

  /**
   * A table from parallel arrays of cells and their row counts (any order; copied).
   *
   * @throws IllegalArgumentException if a cell is outside {@code [0, V)^2}, repeated, or has a
   *     count below 1
   */
  public CellCounts(int coarseClusters, int[] c0, int[] c1, long[] rowCounts) {
    if (coarseClusters < 1) {
      throw new IllegalArgumentException("coarse clusters V must be >= 1, got " + coarseClusters);
    }
    if (c0.length != c1.length || c0.length != rowCounts.length) {
      throw new IllegalArgumentException("cell arrays differ in length: " + c0.length + ", " + c1.length + ", "
          + rowCounts.length);
    }
    this.coarseClusters = coarseClusters;
    int n = c0.length;
    Integer[] order = new Integer[n];
    long[] unsortedKeys = new long[n];
    for (int i = 0; i < n; i++) {
      checkCell(coarseClusters, c0[i], c1[i]);
      if (rowCounts[i] < 1) {
        throw new IllegalArgumentException("cell (" + c0[i] + ", " + c1[i] + ") has count " + rowCounts[i]
            + ", expected >= 1");
      }
      unsortedKeys[i] = key(coarseClusters, c0[i], c1[i]);
      order[i] = i;
    }
    Arrays.sort(order, (a, b) -> Long.compare(unsortedKeys[a], unsortedKeys[b]));
    this.keys = new long[n];
    this.counts = new long[n];
    long sum = 0;
    for (int i = 0; i < n; i++) {
      keys[i] = unsortedKeys[order[i]];
      counts[i] = rowCounts[order[i]];
      if (i > 0 && keys[i] == keys[i - 1]) {
        throw new IllegalArgumentException("cell (" + c0[order[i]] + ", " + c1[order[i]] + ") is listed twice");
      }
      sum += counts[i];
    }
    this.total = sum;
  }

  /** The key of cell {@code (c0, c1)} among {@code V^2} cells. */
  public static long key(int coarseClusters, int c0, int c1) {
    return (long) c0 * coarseClusters + c1;
  }

  static void checkCell(int coarseClusters, int c0, int c1) {
    if (c0 < 0 || c0 >= coarseClusters || c1 < 0 || c1 >= coarseClusters) {
      throw new IllegalArgumentException("cell (" + c0 + ", " + c1 + ") is outside [0, " + coarseClusters
          + ")^2, the model's V=" + coarseClusters);
    }
  }

  /** V. */
  public int coarseClusters() {
    return coarseClusters;
  }

  /** Rows in all cells. */
  public long totalRows() {
    return total;
  }

  /** Non-empty cells. */
  public int cells() {
    return keys.length;
  }

  /** The key of the {@code i}-th non-empty cell, ascending. */
  public long keyAt(int i) {
    return keys[i];
  }

  /** The row count of the {@code i}-th non-empty cell. */
  public long countAt(int i) {
    return counts[i];
  }

  /** The position of cell {@code key} among the non-empty cells, or a negative number if empty. */
  public int indexOf(long key) {
    if (key < 0 || key >= (long) coarseClusters * coarseClusters) {
      return -1;
    }
    return indexOf((int) (key / coarseClusters), (int) (key % coarseClusters));
  }

  /**
   * The position of cell {@code (c0, c1)} (both in {@code [0, V)}) among the non-empty cells, or a
   * negative number if it is empty.
   */
  public int indexOf(int c0, int c1) {
    RowIndex index = rowIndex;
    if (index == null) {
      index = new RowIndex(coarseClusters, keys);
      rowIndex = index;
    }
    int from = index.rowStarts[c0];
    int to = index.rowStarts[c0 + 1];
    int found = Arrays.binarySearch(index.columns, from, to, c1);
    return found >= 0 ? found : -1;
  }

  @Override
  public long size(int c0, int c1) {
    int i = indexOf(c0, c1);
    return i < 0 ? 0 : counts[i];
  }

  /** The largest row count of a cell. */
  public long maxCount() {
    long max = 0;
    for (long c : counts) {
      max = Math.max(max, c);
    }
    return max;
  }

  /** The sorted keys as rows: the cells of row c0 are positions {@code [rowStarts[c0], rowStarts[c0+1])}. */
  private static final class RowIndex {
    final int[] rowStarts;
    final int[] columns;

    RowIndex(int coarseClusters, long[] keys) {
      rowStarts = new int[coarseClusters + 1];
      columns = new int[keys.length];
      for (int i = 0; i < keys.length; i++) {
        rowStarts[(int) (keys[i] / coarseClusters) + 1]++;
        columns[i] = (int) (keys[i] % coarseClusters);
      }
      for (int c = 0; c < coarseClusters; c++) {
        rowStarts[c + 1] += rowStarts[c];
      }
    }
  }
}
