package io.lopq.search.batch;

import java.util.Arrays;

/**
 * A block of queries searched together against one {@link CellBlock}, each with the units it
 * wants scanned: the input of {@link BlockScanner}. Reusable via {@link #clear()}; not
 * thread-safe.
 *
 * <pre>
 *   query i:  vector vectors[i*D .. (i+1)*D), units units[unitStart(i) .. unitStart(i+1))
 *             (positions in the CellBlock), optional id to leave out of its results
 * </pre>
 */
public final class QueryBlock {
  private final int dimension;
  private final int capacity;
  private final float[] vectors;
  private final long[] excludedIds;
  private final boolean[] excludes;
  private final int[] unitStarts;
  private int[] units = new int[64];
  private int size;
  private int pairs;

  /** A block of up to {@code capacity} queries of dimension {@code dimension}. */
  public QueryBlock(int dimension, int capacity) {
    if (dimension < 1 || capacity < 1) {
      throw new IllegalArgumentException("dimension and capacity must be >= 1, got " + dimension + " and " + capacity);
    }
    this.dimension = dimension;
    this.capacity = capacity;
    this.vectors = new float[Math.multiplyExact(dimension, capacity)];
    this.excludedIds = new long[capacity];
    this.excludes = new boolean[capacity];
    this.unitStarts = new int[capacity + 1];
  }

  /** Forgets every query. */
  public void clear() {
    size = 0;
    pairs = 0;
  }

  /** Queries in the block. */
  public int size() {
    return size;
  }

  /** True when no query fits any more. */
  public boolean isFull() {
    return size == capacity;
  }

  /** D. */
  public int dimension() {
    return dimension;
  }

  /**
   * Adds a query (its vector is copied) with no unit yet.
   *
   * @param excludeSelf whether {@code selfId} must be left out of this query's results
   * @return the query's position in the block
   */
  public int add(float[] vector, int offset, boolean excludeSelf, long selfId) {
    if (size == capacity) {
      throw new IllegalStateException("the block is full (" + capacity + " queries)");
    }
    System.arraycopy(vector, offset, vectors, size * dimension, dimension);
    excludes[size] = excludeSelf;
    excludedIds[size] = selfId;
    unitStarts[size] = pairs;
    size++;
    unitStarts[size] = pairs;
    return size - 1;
  }

  /** Adds a unit (a position in the CellBlock) to the last query added. */
  public void addUnit(int unit) {
    if (size == 0) {
      throw new IllegalStateException("add a query before its units");
    }
    if (pairs == units.length) {
      units = Arrays.copyOf(units, Math.multiplyExact(2, pairs));
    }
    units[pairs++] = unit;
    unitStarts[size] = pairs;
  }

  /** The vectors, row-major; the first {@code size() * D} floats are this block's. */
  public float[] vectors() {
    return vectors;
  }

  /** Total (query, unit) pairs. */
  public int pairs() {
    return pairs;
  }

  /** The units of all queries, query by query. */
  int[] unitArray() {
    return units;
  }

  /** First pair of query {@code i}; {@code unitStart(size())} is {@link #pairs()}. */
  public int unitStart(int i) {
    return unitStarts[i];
  }

  /** True if query {@code i} must leave {@link #excludedId(int)} out. */
  public boolean excludes(int i) {
    return excludes[i];
  }

  /** The id query {@code i} leaves out, if {@link #excludes(int)}. */
  public long excludedId(int i) {
    return excludedIds[i];
  }
}
