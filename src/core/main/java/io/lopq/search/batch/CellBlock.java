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
 * Units are sorted by key, so a unit is found by binary search. Immutable once built. The id and
 * code arrays may hold a few unused rows at their end (see {@link Builder}).
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

  /**
   * Collects rows, then builds a {@link CellBlock}. Not thread-safe.
   *
   * <p><b>Memory.</b> Per row the builder keeps its unit's ordinal (an int), its id and its codes:
   * {@value #ROW_BYTES} + M bytes; per distinct unit its key, cell and row count and a hash-table
   * slot, about {@value #UNIT_BYTES} bytes (while built). {@link #build()} puts the rows in unit
   * order with a counting sort on the ordinals, then scatters the ids into a new array (the old one is
   * dropped) and then the codes: the peak is {@code 12 + M + max(8, M)} bytes per row
   * ({@link #bytes}), and the block keeps {@code 8 + M}. Given the number of rows to expect
   * ({@link #Builder(int, int)}), the arrays are allocated once at that size; when more rows come
   * they grow by an eighth. Without it they start small and double, so up to twice {@code 12 + M} is
   * allocated while adding.
   * Until 2026-12-04, rows were kept with a long key and two int cells (24 + M B per row), doubled,
   * and sorted through an index and a packed copy into new arrays: up to {@code 68 + 3M} B per row
   * (measured, M = 8, 2.5M rows, smallest {@code -Xmx} that builds: 75 B per row). Moving the rows in
   * place along the permutation's cycles (peak {@code 12 + M}, measured 22 B) was tried and dropped:
   * each step waits on a random memory access, and at 31M rows the bucket tasks spent about four
   * times as long building their blocks as with a scatter (JFR, docs/BENCHMARKS.md).
   */
  public static final class Builder {
    /** Bytes per row the builder holds besides the M fine codes: a unit ordinal (int) and an id (long). */
    public static final int ROW_BYTES = Integer.BYTES + Long.BYTES;
    /**
     * Bytes per distinct unit while built, about: key (8), cell (8), rows (4), rank and next row at
     * build time (8), hash-table slots (4 at most half full: 8).
     */
    public static final int UNIT_BYTES = 40;
    private static final int INITIAL_ROWS = 64;

    private final int subquantizers;
    private final boolean presized;
    /** Per row: the ordinal of its unit (first-seen order); at build time, the row's destination. */
    private int[] rowUnit;
    private long[] ids;
    private byte[] codes;
    private int size;
    /** Per unit, by ordinal. */
    private long[] keyOf = new long[16];
    private int[] c0Of = new int[16];
    private int[] c1Of = new int[16];
    private int[] rowsOf = new int[16];
    private int units;
    /** Open addressing: ordinal + 1 per slot, 0 for empty; a power of two, at most half full. */
    private int[] slots = new int[32];
    private long lastKey;
    private int lastUnit = -1;

    /** A builder for rows with {@code subquantizers} fine codes each, of a number not known beforehand. */
    public Builder(int subquantizers) {
      this(subquantizers, INITIAL_ROWS, false);
    }

    /**
     * A builder for about {@code expectedRows} rows (an estimate: more or fewer may come) with
     * {@code subquantizers} fine codes each: its arrays are allocated once at that size.
     */
    public Builder(int subquantizers, int expectedRows) {
      this(subquantizers, expectedRows, true);
      if (expectedRows < 0) {
        throw new IllegalArgumentException("expected rows must be >= 0, got " + expectedRows);
      }
    }

    private Builder(int subquantizers, int capacity, boolean presized) {
      if (subquantizers < 1) {
        throw new IllegalArgumentException("subquantizers M must be >= 1, got " + subquantizers);
      }
      this.subquantizers = subquantizers;
      this.presized = presized;
      int rows = Math.max(0, capacity);
      this.rowUnit = new int[rows];
      this.ids = new long[rows];
      this.codes = new byte[Math.multiplyExact(rows, subquantizers)];
    }

    /**
     * Bytes a builder holds at its peak for {@code rows} rows of {@code units} distinct units and M
     * = {@code subquantizers}, when presized to the rows: {@code rows (12 + M + max(8, M)) + 40 units}
     * (the build's scatter holds the old and the new ids, then the old and the new codes).
     */
    public static long bytes(long rows, long units, int subquantizers) {
      return rows * (ROW_BYTES + subquantizers + Math.max(Long.BYTES, subquantizers)) + units * UNIT_BYTES;
    }

    /**
     * Adds one row of unit {@code unitKey} (a unit has one cell: every row of a unit must name
     * the same cell).
     *
     * @param fine the M fine codes at {@code fine[offset .. offset + M)}
     * @throws IllegalArgumentException if the unit was added before with another cell
     */
    public Builder add(long unitKey, int cell0, int cell1, long id, byte[] fine, int offset) {
      int u = lastUnit >= 0 && unitKey == lastKey ? lastUnit : unit(unitKey, cell0, cell1);
      if (c0Of[u] != cell0 || c1Of[u] != cell1) {
        throw new IllegalArgumentException("unit " + unitKey + " holds rows of cells (" + c0Of[u] + ", "
            + c1Of[u] + ") and (" + cell0 + ", " + cell1 + ")");
      }
      if (size == ids.length) {
        grow();
      }
      rowUnit[size] = u;
      ids[size] = id;
      System.arraycopy(fine, offset, codes, size * subquantizers, subquantizers);
      rowsOf[u]++;
      size++;
      return this;
    }

    /** Rows added so far. */
    public int size() {
      return size;
    }

    private void grow() {
      int capacity = presized ? Math.addExact(size, Math.max(INITIAL_ROWS, size >>> 3))
          : Math.max(INITIAL_ROWS, Math.multiplyExact(2, size));
      rowUnit = Arrays.copyOf(rowUnit, capacity);
      ids = Arrays.copyOf(ids, capacity);
      codes = Arrays.copyOf(codes, Math.multiplyExact(capacity, subquantizers));
    }

    /** The ordinal of the unit with {@code key}, a new one (with this cell) if it is not known yet. */
    private int unit(long key, int cell0, int cell1) {
      int mask = slots.length - 1;
      int slot = hash(key) & mask;
      while (slots[slot] != 0) {
        int u = slots[slot] - 1;
        if (keyOf[u] == key) {
          lastKey = key;
          lastUnit = u;
          return u;
        }
        slot = (slot + 1) & mask;
      }
      if (units == keyOf.length) {
        int capacity = Math.multiplyExact(2, units);
        keyOf = Arrays.copyOf(keyOf, capacity);
        c0Of = Arrays.copyOf(c0Of, capacity);
        c1Of = Arrays.copyOf(c1Of, capacity);
        rowsOf = Arrays.copyOf(rowsOf, capacity);
      }
      int u = units++;
      keyOf[u] = key;
      c0Of[u] = cell0;
      c1Of[u] = cell1;
      slots[slot] = u + 1;
      if (2 * units > slots.length) {
        rehash();
      }
      lastKey = key;
      lastUnit = u;
      return u;
    }

    private void rehash() {
      int[] larger = new int[Math.multiplyExact(2, slots.length)];
      int mask = larger.length - 1;
      for (int u = 0; u < units; u++) {
        int slot = hash(keyOf[u]) & mask;
        while (larger[slot] != 0) {
          slot = (slot + 1) & mask;
        }
        larger[slot] = u + 1;
      }
      slots = larger;
    }

    private static int hash(long key) {
      long z = key * 0x9E3779B97F4A7C15L;
      return (int) (z ^ (z >>> 32));
    }

    /**
     * The block, rows grouped by unit key (ascending), in the order they were added within a unit.
     * The builder is spent: its arrays now belong to the block.
     */
    public CellBlock build() {
      long[] sortedKeys = Arrays.copyOf(keyOf, units);
      Arrays.sort(sortedKeys);
      int[] rank = new int[units];
      int[] unitC0 = new int[units];
      int[] unitC1 = new int[units];
      int[] starts = new int[units + 1];
      for (int u = 0; u < units; u++) {
        int r = Arrays.binarySearch(sortedKeys, keyOf[u]);
        rank[u] = r;
        unitC0[r] = c0Of[u];
        unitC1[r] = c1Of[u];
        starts[r + 1] = rowsOf[u];
      }
      for (int r = 0; r < units; r++) {
        starts[r + 1] += starts[r];
      }
      // Counting sort: each row's destination, in place of its unit ordinal (stable: rows in added order).
      int[] next = new int[units];
      for (int u = 0; u < units; u++) {
        next[u] = starts[rank[u]];
      }
      int[] dest = rowUnit;
      for (int row = 0; row < size; row++) {
        dest[row] = next[dest[row]]++;
      }
      rowUnit = null;
      // Scatter: sequential reads, independent writes (a cycle-following move in place waits on each access).
      long[] blockIds = new long[size];
      for (int row = 0; row < size; row++) {
        blockIds[dest[row]] = ids[row];
      }
      ids = null;
      int m = subquantizers;
      byte[] blockCodes = new byte[Math.multiplyExact(size, m)];
      for (int row = 0; row < size; row++) {
        System.arraycopy(codes, row * m, blockCodes, dest[row] * m, m);
      }
      codes = null;
      return new CellBlock(subquantizers, sortedKeys, unitC0, unitC1, starts, blockIds, blockCodes);
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
    return starts[starts.length - 1];
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

  /** The ids, by row (the array may be longer than {@link #rows()}). */
  long[] idArray() {
    return ids;
  }

  /** The fine codes, row-major {@code rows x M} (the array may be longer). */
  byte[] codeArray() {
    return codes;
  }
}
