package io.lopq.spark.search;

import io.lopq.format.vectors.InvalidInputException;
import io.lopq.search.batch.CellCounts;
import java.io.Serializable;
import java.util.Arrays;

/**
 * Rows per cell of a part of an index, counted without hashing: consecutive rows of one cell
 * (the files {@code lopq encode} writes are sorted by cell) add to one run, and the runs are put
 * in key order once at the end. Two tallies merge like sorted lists, so the per-cell counts of a
 * whole index are a tree of merges of small arrays ({@link IndexSummary}).
 *
 * <pre>
 *   key(c0, c1) = c0 V + c1
 *   row of cell key:  runs[last].key == key ? count[last]++ : append (key, 1)
 *   finish:           sort runs by key (only if they came out of order), add equal keys
 *   merge(a, b):      one pass over both sorted lists
 * </pre>
 *
 * Memory: two longs per run, at most one run per row of the part (sorted input: one per cell).
 * A cell outside {@code [0, V)^2}, a row without a cell and a row without an id are refused on
 * the row, with a message naming the index. Not thread-safe while counting.
 */
final class CellTally implements Serializable {
  private static final long serialVersionUID = 1L;
  private static final int FIRST_CAPACITY = 1024;

  private final int coarseClusters;
  private final String index;
  private long[] keys = new long[FIRST_CAPACITY];
  private long[] counts = new long[FIRST_CAPACITY];
  private int size;
  private boolean sorted = true;

  /**
   * An empty tally over V = {@code coarseClusters}.
   *
   * @param index the index's description, for messages
   */
  CellTally(int coarseClusters, String index) {
    this.coarseClusters = coarseClusters;
    this.index = index;
  }

  /**
   * Counts one row.
   *
   * @throws InvalidInputException if the row has no id or cell, or its cell is outside [0, V)^2
   */
  void add(boolean idIsNull, boolean cellIsNull, int c0, int c1) {
    if (idIsNull) {
      throw new InvalidInputException("the encoded index " + index + " has rows with a null id");
    }
    if (cellIsNull) {
      throw new InvalidInputException("the encoded index " + index
          + " has rows without a cell (null coarse0 or coarse1)");
    }
    if (c0 < 0 || c0 >= coarseClusters || c1 < 0 || c1 >= coarseClusters) {
      throw new InvalidInputException("the encoded index " + index + " has rows in cell (" + c0 + ", " + c1
          + "), outside [0, " + coarseClusters + ")^2 of the model's V=" + coarseClusters);
    }
    long key = CellCounts.key(coarseClusters, c0, c1);
    if (size > 0 && keys[size - 1] == key) {
      counts[size - 1]++;
      return;
    }
    if (size == keys.length) {
      keys = Arrays.copyOf(keys, Math.multiplyExact(2, size));
      counts = Arrays.copyOf(counts, keys.length);
    }
    if (size > 0 && key < keys[size - 1]) {
      sorted = false;
    }
    keys[size] = key;
    counts[size] = 1;
    size++;
  }

  /** Puts the runs in key order, one per cell; returns this. */
  CellTally finish() {
    if (!sorted) {
      Integer[] order = new Integer[size];
      for (int i = 0; i < size; i++) {
        order[i] = i;
      }
      long[] k = keys;
      Arrays.sort(order, (a, b) -> Long.compare(k[a], k[b]));
      long[] newKeys = new long[size];
      long[] newCounts = new long[size];
      int n = 0;
      for (int i = 0; i < size; i++) {
        int r = order[i];
        if (n > 0 && newKeys[n - 1] == keys[r]) {
          newCounts[n - 1] += counts[r];
        } else {
          newKeys[n] = keys[r];
          newCounts[n] = counts[r];
          n++;
        }
      }
      keys = newKeys;
      counts = newCounts;
      size = n;
      sorted = true;
    }
    keys = Arrays.copyOf(keys, size);
    counts = Arrays.copyOf(counts, size);
    return this;
  }

  /** The per-cell sums of two {@link #finish finished} tallies, finished. */
  static CellTally merge(CellTally a, CellTally b) {
    CellTally out = new CellTally(a.coarseClusters, a.index);
    out.keys = new long[a.size + b.size];
    out.counts = new long[out.keys.length];
    int i = 0;
    int j = 0;
    int n = 0;
    while (i < a.size || j < b.size) {
      long key;
      long count;
      if (j == b.size || (i < a.size && a.keys[i] < b.keys[j])) {
        key = a.keys[i];
        count = a.counts[i++];
      } else if (i == a.size || b.keys[j] < a.keys[i]) {
        key = b.keys[j];
        count = b.counts[j++];
      } else {
        key = a.keys[i];
        count = a.counts[i++] + b.counts[j++];
      }
      out.keys[n] = key;
      out.counts[n] = count;
      n++;
    }
    out.size = n;
    return out.finish();
  }

  /** Cells counted (after {@link #finish}: distinct cells). */
  int cells() {
    return size;
  }

  /** The counts as the search's {@link CellCounts}. */
  CellCounts toCounts() {
    int[] c0 = new int[size];
    int[] c1 = new int[size];
    for (int i = 0; i < size; i++) {
      c0[i] = (int) (keys[i] / coarseClusters);
      c1[i] = (int) (keys[i] % coarseClusters);
    }
    return new CellCounts(coarseClusters, c0, c1, Arrays.copyOf(counts, size));
  }
}
