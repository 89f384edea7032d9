package io.lopq.spark.encode;

/**
 * The order in which a file's rows are written: by cell {@code (coarse0, coarse1)}, then by id,
 * as a permutation of row indices. A stable merge sort over primitive indices (no boxing).
 *
 * <pre>
 *   order[0..n) such that (coarse0, coarse1, id) of row order[j] &lt;= that of row order[j+1]
 * </pre>
 */
final class CellOrder {
  private CellOrder() {}

  /** The sorted permutation of the rows of {@code chunk}. */
  static int[] of(EncodedChunk chunk) {
    int n = chunk.size;
    int[] order = new int[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    int[] scratch = new int[n];
    sort(chunk, order, scratch, 0, n);
    return order;
  }

  private static final int INSERTION_SORT_BELOW = 16;

  private static void sort(EncodedChunk c, int[] a, int[] scratch, int from, int to) {
    if (to - from < INSERTION_SORT_BELOW) {
      for (int i = from + 1; i < to; i++) {
        int v = a[i];
        int j = i - 1;
        while (j >= from && compare(c, a[j], v) > 0) {
          a[j + 1] = a[j];
          j--;
        }
        a[j + 1] = v;
      }
      return;
    }
    int mid = (from + to) >>> 1;
    sort(c, a, scratch, from, mid);
    sort(c, a, scratch, mid, to);
    if (compare(c, a[mid - 1], a[mid]) <= 0) {
      return;
    }
    System.arraycopy(a, from, scratch, from, to - from);
    int i = from;
    int j = mid;
    for (int k = from; k < to; k++) {
      if (j >= to || (i < mid && compare(c, scratch[i], scratch[j]) <= 0)) {
        a[k] = scratch[i++];
      } else {
        a[k] = scratch[j++];
      }
    }
  }

  /** Compares rows {@code x} and {@code y} by (coarse0, coarse1, id). */
  static int compare(EncodedChunk c, int x, int y) {
    int d = Integer.compare(c.coarse0[x], c.coarse0[y]);
    if (d != 0) {
      return d;
    }
    d = Integer.compare(c.coarse1[x], c.coarse1[y]);
    if (d != 0) {
      return d;
    }
    return c.stringIds != null ? c.stringIds[x].compareTo(c.stringIds[y]) : Long.compare(c.longIds[x], c.longIds[y]);
  }
}
