package io.lopq.spark.search;

import java.io.Serializable;
import java.util.Arrays;

/**
 * A query with the cells its multi-sequence visits, routed once in the shuffle plan's planning
 * pass and kept (cached) until the search pass turns it into requests ({@link BucketRequests}):
 * the shuffle plan used to route every query twice, once to count requests per cell and once to
 * send them.
 *
 * <p>The cells (positions in {@link io.lopq.search.batch.CellCounts}) are kept sorted and
 * delta-coded in variable-length bytes (7 bits a byte): a query visits hundreds to thousands of
 * the index's cells, whose positions are a few hundred apart, so a cell takes 1-2 bytes instead
 * of 4. Their visit order is not kept: a query's results do not depend on the order its cells are
 * scanned in (the top k is by (distance, id)). A plain class (not a record): Kryo serializes it.
 */
public final class RoutedQuery implements Serializable {
  private static final long serialVersionUID = 1L;

  private QueryRow query;
  private byte[] cells;
  private int cellCount;
  private long visitedCells;

  /** For serializers. */
  public RoutedQuery() {}

  /**
   * A routed query.
   *
   * @param cells its non-empty cells, {@code cells[0 .. n)}, each {@code >= 0}, no repeats (any
   *     order; the array is not modified)
   * @param visitedCells cells the multi-sequence visited, empty ones included
   */
  public RoutedQuery(QueryRow query, int[] cells, int n, long visitedCells) {
    this.query = query;
    this.cellCount = n;
    this.cells = encode(cells, n);
    this.visitedCells = visitedCells;
  }

  /** The query. */
  public QueryRow query() {
    return query;
  }

  /** Non-empty cells visited. */
  public int cellCount() {
    return cellCount;
  }

  /** Cells the multi-sequence visited, empty ones included. */
  public long visitedCells() {
    return visitedCells;
  }

  /** Bytes that hold the cells (for memory accounting). */
  public int encodedBytes() {
    return cells.length;
  }

  /**
   * Writes the cells, ascending, to {@code out} (grown if shorter than {@link #cellCount()}).
   *
   * @return {@code out} or the larger array that replaced it
   */
  public int[] cells(int[] out) {
    int[] dest = out.length >= cellCount ? out : new int[cellCount];
    int p = 0;
    int previous = -1;
    for (int i = 0; i < cellCount; i++) {
      int gap = 0;
      int shift = 0;
      byte b;
      do {
        b = cells[p++];
        gap |= (b & 0x7F) << shift;
        shift += 7;
      } while (b < 0);
      previous += gap + 1;
      dest[i] = previous;
    }
    return dest;
  }

  /** Sorted cells as gaps minus one (the first from -1), 7 bits a byte, high bit set on all bytes but a gap's last. */
  static byte[] encode(int[] cells, int n) {
    int[] sorted = Arrays.copyOf(cells, n);
    Arrays.sort(sorted);
    byte[] out = new byte[5 * n];
    int p = 0;
    int previous = -1;
    for (int i = 0; i < n; i++) {
      int cell = sorted[i];
      if (cell <= previous) {
        throw new IllegalArgumentException(cell < 0 ? "negative cell " + cell : "cell " + cell + " listed twice");
      }
      int gap = cell - previous - 1;
      while ((gap & ~0x7F) != 0) {
        out[p++] = (byte) ((gap & 0x7F) | 0x80);
        gap >>>= 7;
      }
      out[p++] = (byte) gap;
      previous = cell;
    }
    return Arrays.copyOf(out, p);
  }
}
