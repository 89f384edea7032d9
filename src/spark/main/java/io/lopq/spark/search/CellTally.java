package io.lopq.spark.search;

import io.lopq.format.vectors.InvalidInputException;
import io.lopq.search.batch.CellCounts;
import java.io.Serializable;
import java.util.Arrays;

/**
 * Rows per cell of a part of an index, counted without hashing: consecutive rows of one cell
 * (the files {@code lopq encode} writes are sorted by cell) add to one run, and the runs are put
 * in key order once at the end by merging their ascending segments (a partition may read several
 * sorted files). Two tallies merge like sorted lists, so the per-cell counts of a
 * whole index are a tree of merges of small arrays ({@link IndexSummary}).
 *
 * <pre>
 *   key(c0, c1) = c0 V + c1
 *   row of cell key:  runs[last].key == key ? count[last]++ : append (key, 1)
 *   finish:           merge the runs' ascending segments pairwise, add equal keys
 *   merge(a, b):      one pass over both sorted lists
 * </pre>
 *
 * Memory: two longs per run (twice that while merging), at most one run per row of the part (sorted
 * input: one per cell per file).
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
  /** Where each ascending segment of the runs starts (a run with a smaller key than the last starts one). */
  private int[] segmentStarts = new int[] {0, 0};
  private int segments = 1;

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
      if (segments + 1 == segmentStarts.length) {
        segmentStarts = Arrays.copyOf(segmentStarts, Math.multiplyExact(2, segmentStarts.length));
      }
      segmentStarts[segments++] = size;
    }
    keys[size] = key;
    counts[size] = 1;
    size++;
  }

  /**
   * Puts the runs in key order, one per cell; returns this. The runs form ascending segments (one per
   * sorted file a partition reads, or many short ones for rows in no order); they are merged pairwise,
   * bottom-up, on primitive arrays: {@code O(runs log segments)}.
   */
  CellTally finish() {
    long[] k = keys;
    long[] c = counts;
    int[] starts = Arrays.copyOf(segmentStarts, segments + 1);
    starts[segments] = size;
    int n = segments;
    int total = size;
    // Two buffers used in turn: each pass merges pairs of segments from one into the other.
    long[] mergedKeys = n > 1 ? new long[total] : null;
    long[] mergedCounts = n > 1 ? new long[total] : null;
    while (n > 1) {
      int[] mergedStarts = new int[(n + 1) / 2 + 1];
      int out = 0;
      int m = 0;
      for (int seg = 0; seg < n; seg += 2) {
        mergedStarts[m++] = out;
        int second = Math.min(seg + 1, n);
        int end = Math.min(seg + 2, n);
        out = mergeInto(k, c, starts[seg], starts[second], k, c, starts[second], starts[end], mergedKeys,
            mergedCounts, out);
      }
      mergedStarts[m] = out;
      long[] spareKeys = k;
      long[] spareCounts = c;
      k = mergedKeys;
      c = mergedCounts;
      mergedKeys = spareKeys;
      mergedCounts = spareCounts;
      starts = mergedStarts;
      n = m;
      total = out;
    }
    keys = Arrays.copyOf(k, total);
    counts = Arrays.copyOf(c, total);
    size = total;
    segmentStarts = new int[] {0, 0};
    segments = 1;
    return this;
  }

  /**
   * Merges two ascending lists of (key, count), adding the counts of equal keys, into
   * {@code outKeys/outCounts} from {@code out}; returns the end of what was written.
   */
  private static int mergeInto(long[] aKeys, long[] aCounts, int aFrom, int aTo, long[] bKeys, long[] bCounts,
      int bFrom, int bTo, long[] outKeys, long[] outCounts, int out) {
    int i = aFrom;
    int j = bFrom;
    int n = out;
    while (i < aTo || j < bTo) {
      long key;
      long count;
      if (j == bTo || (i < aTo && aKeys[i] < bKeys[j])) {
        key = aKeys[i];
        count = aCounts[i++];
      } else if (i == aTo || bKeys[j] < aKeys[i]) {
        key = bKeys[j];
        count = bCounts[j++];
      } else {
        key = aKeys[i];
        count = aCounts[i++] + bCounts[j++];
      }
      if (n > out && outKeys[n - 1] == key) {
        outCounts[n - 1] += count;
      } else {
        outKeys[n] = key;
        outCounts[n] = count;
        n++;
      }
    }
    return n;
  }

  /** The per-cell sums of two {@link #finish finished} tallies, finished. */
  static CellTally merge(CellTally a, CellTally b) {
    CellTally out = new CellTally(a.coarseClusters, a.index);
    long[] keys = new long[a.size + b.size];
    long[] counts = new long[keys.length];
    int n = mergeInto(a.keys, a.counts, 0, a.size, b.keys, b.counts, 0, b.size, keys, counts, 0);
    out.keys = Arrays.copyOf(keys, n);
    out.counts = Arrays.copyOf(counts, n);
    out.size = n;
    return out;
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
