package io.lopq.search.batch;

import java.io.Serializable;
import java.util.Arrays;

/**
 * Encoded rows held in memory, grouped into <em>units</em>: a unit is a cell of the inverted
 * multi-index, or a slice or replica of one when a big or popular cell is split over several
 * blocks (the distributed search's bucket plan does that). A query names the units it wants
 * scanned ({@link QueryBlock}).
 *
 * <pre>
 *   unit u:   key unitKey(u), cell (c0(u), c1(u)), rows [start(u), start(u+1))
 *   row r:    ids[r], fine codes codes[r*M .. r*M + M)
 * </pre>
 *
 * Units are sorted by key, so a unit is found by binary search. Immutable once built.
 */
public final class CellBlock implements Serializable {
  private static final long serialVersionUID = 1L;

  private final int subquantizers;
  private final long[] unitKeys;
  private final int[] unitC0;
  private final int[] unitC1;
  private final int[] starts;
  private final long[] ids;
  private final byte[] codes;

  private CellBlock(int subquantizers, long[] unitKeys, int[] unitC0, int[] unitC1, int[] starts, long[] ids,
      byte[] codes) {
    this.subquantizers = subquantizers;
    this.unitKeys = unitKeys;
    this.unitC0 = unitC0;
    this.unitC1 = unitC1;
    this.starts = starts;
    this.ids = ids;
    this.codes = codes;
  }

  /** Collects rows, then builds a {@link CellBlock}. Not thread-safe. */
  public static final class Builder {
    private final int subquantizers;
    private long[] keys = new long[64];
    private int[] c0 = new int[64];
    private int[] c1 = new int[64];
    private long[] ids = new long[64];
    private byte[] codes;
    private int size;

    /** A builder for rows with {@code subquantizers} fine codes each. */
    public Builder(int subquantizers) {
      if (subquantizers < 1) {
        throw new IllegalArgumentException("subquantizers M must be >= 1, got " + subquantizers);
      }
      this.subquantizers = subquantizers;
      this.codes = new byte[64 * subquantizers];
    }

    /**
     * Adds one row of unit {@code unitKey} (a unit has one cell: every row of a unit must name
     * the same cell).
     *
     * @param fine the M fine codes at {@code fine[offset .. offset + M)}
     */
    public Builder add(long unitKey, int cell0, int cell1, long id, byte[] fine, int offset) {
      if (size == ids.length) {
        int capacity = Math.multiplyExact(2, size);
        keys = Arrays.copyOf(keys, capacity);
        c0 = Arrays.copyOf(c0, capacity);
        c1 = Arrays.copyOf(c1, capacity);
        ids = Arrays.copyOf(ids, capacity);
        codes = Arrays.copyOf(codes, Math.multiplyExact(capacity, subquantizers));
      }
      keys[size] = unitKey;
      c0[size] = cell0;
      c1[size] = cell1;
      ids[size] = id;
      System.arraycopy(fine, offset, codes, size * subquantizers, subquantizers);
      size++;
      return this;
    }

    /** Rows added so far. */
    public int size() {
      return size;
    }

    /**
     * The block, rows grouped by unit key (ascending).
     *
     * @throws IllegalArgumentException if one unit key comes with two different cells
     */
    public CellBlock build() {
      int[] order = sortByKey();
      long[] sortedIds = new long[size];
      byte[] sortedCodes = new byte[Math.multiplyExact(size, subquantizers)];
      int units = 0;
      for (int p = 0; p < size; p++) {
        int r = order[p];
        sortedIds[p] = ids[r];
        System.arraycopy(codes, r * subquantizers, sortedCodes, p * subquantizers, subquantizers);
        if (p == 0 || keys[r] != keys[order[p - 1]]) {
          units++;
        }
      }
      long[] unitKeys = new long[units];
      int[] unitC0 = new int[units];
      int[] unitC1 = new int[units];
      int[] starts = new int[units + 1];
      int u = -1;
      for (int p = 0; p < size; p++) {
        int r = order[p];
        if (p == 0 || keys[r] != keys[order[p - 1]]) {
          u++;
          unitKeys[u] = keys[r];
          unitC0[u] = c0[r];
          unitC1[u] = c1[r];
          starts[u] = p;
        } else if (c0[r] != unitC0[u] || c1[r] != unitC1[u]) {
          throw new IllegalArgumentException("unit " + keys[r] + " holds rows of cells (" + unitC0[u] + ", "
              + unitC1[u] + ") and (" + c0[r] + ", " + c1[r] + ")");
        }
      }
      starts[units] = size;
      return new CellBlock(subquantizers, unitKeys, unitC0, unitC1, starts, sortedIds, sortedCodes);
    }

    /** Row order by key, stable (an index sort on primitive longs: key and row packed together). */
    private int[] sortByKey() {
      int[] order = new int[size];
      boolean packable = true;
      for (int i = 0; i < size && packable; i++) {
        packable = keys[i] >= 0 && keys[i] < (1L << Integer.SIZE);
      }
      if (packable) {
        long[] packed = new long[size];
        for (int i = 0; i < size; i++) {
          packed[i] = (keys[i] << (Integer.SIZE - 1)) | i;
        }
        Arrays.sort(packed);
        long rowMask = (1L << (Integer.SIZE - 1)) - 1;
        for (int i = 0; i < size; i++) {
          order[i] = (int) (packed[i] & rowMask);
        }
        return order;
      }
      Integer[] boxed = new Integer[size];
      for (int i = 0; i < size; i++) {
        boxed[i] = i;
      }
      Arrays.sort(boxed, (a, b) -> keys[a] != keys[b] ? Long.compare(keys[a], keys[b]) : Integer.compare(a, b));
      for (int i = 0; i < size; i++) {
        order[i] = boxed[i];
      }
      return order;
    }
  }

  /** M, fine codes per row. */
  public int subquantizers() {
    return subquantizers;
  }

  /** Units held. */
  public int units() {
    return unitKeys.length;
  }

  /** Rows held. */
  public int rows() {
    return ids.length;
  }

  /** Position of the unit with {@code key}, or a negative number if this block does not hold it. */
  public int indexOf(long key) {
    return Arrays.binarySearch(unitKeys, key);
  }

  /** Key of unit {@code u}. */
  public long unitKey(int u) {
    return unitKeys[u];
  }

  /** First-half coarse index of unit {@code u}'s cell. */
  public int cell0(int u) {
    return unitC0[u];
  }

  /** Second-half coarse index of unit {@code u}'s cell. */
  public int cell1(int u) {
    return unitC1[u];
  }

  /** Coarse index of half {@code h} of unit {@code u}'s cell. */
  public int cell(int h, int u) {
    return h == 0 ? unitC0[u] : unitC1[u];
  }

  /** First row of unit {@code u}. */
  public int start(int u) {
    return starts[u];
  }

  /** One past the last row of unit {@code u}. */
  public int end(int u) {
    return starts[u + 1];
  }

  /** Rows of unit {@code u}. */
  public int size(int u) {
    return starts[u + 1] - starts[u];
  }

  /** Id of row {@code r}. */
  public long id(int r) {
    return ids[r];
  }

  /** The ids, by row. */
  long[] idArray() {
    return ids;
  }

  /** The fine codes, row-major {@code rows x M}. */
  byte[] codeArray() {
    return codes;
  }
}
