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
 *   key(c0, c1) = c0 * V + c1          sorted keys, binary search: O(log cells) per look-up
 * </pre>
 */
public final class CellCounts implements MultiSequence.CellSize, Serializable {
  private static final long serialVersionUID = 1L;

  private final int coarseClusters;
  private final long[] keys;
  private final long[] counts;
  private final long total;

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
    return Arrays.binarySearch(keys, key);
  }

  @Override
  public long size(int c0, int c1) {
    int i = indexOf(key(coarseClusters, c0, c1));
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
}
