package io.lopq.spark.common;

import io.lopq.io.vectors.RowVectors;
import java.util.Arrays;
import org.apache.spark.sql.Row;

/**
 * A batch of up to {@link #capacity()} rows of the normalized vector schema, laid out for
 * matrix products: the vectors as one row-major {@code n x D} float matrix, the ids beside them,
 * and the rows themselves (for their kept columns).
 *
 * <pre>
 *   vectors()[i * D + j] = value j of the vector of row i,   0 &lt;= i &lt; size()
 * </pre>
 *
 * A batch is reused by {@link VectorBatches}: its contents are valid until the next batch is
 * taken. Entries past {@link #size()} are stale.
 */
public final class VectorBatch {
  private final int dimension;
  private final float[] vectors;
  private final long[] longIds;
  private final String[] stringIds;
  private final Row[] rows;
  private int size;

  VectorBatch(int capacity, int dimension) {
    this.dimension = dimension;
    this.vectors = new float[Math.multiplyExact(capacity, dimension)];
    this.longIds = new long[capacity];
    this.stringIds = new String[capacity];
    this.rows = new Row[capacity];
  }

  /** Number of rows in the batch. */
  public int size() {
    return size;
  }

  /** Largest number of rows a batch holds. */
  public int capacity() {
    return rows.length;
  }

  /** D, the length of each vector. */
  public int dimension() {
    return dimension;
  }

  /** The vectors, row-major {@code capacity x D}; the first {@code size()} rows are this batch's. */
  public float[] vectors() {
    return vectors;
  }

  /** Offset of row {@code i}'s vector in {@link #vectors()}. */
  public int offset(int i) {
    return i * dimension;
  }

  /** The long id of row {@code i} (when the id column is long). */
  public long longId(int i) {
    return longIds[i];
  }

  /** The ids as longs; the first {@code size()} are this batch's (when the id column is long). */
  public long[] longIds() {
    return longIds;
  }

  /** The string id of row {@code i} (when the id column is a string), else null. */
  public String stringId(int i) {
    return stringIds[i];
  }

  /** The id of row {@code i} as a {@code Long} or {@code String}. */
  public Object id(int i) {
    return stringIds[i] != null ? stringIds[i] : (Object) longIds[i];
  }

  /** Row {@code i} itself, for its kept columns. */
  public Row row(int i) {
    return rows[i];
  }

  void clear() {
    Arrays.fill(rows, 0, size, null);
    size = 0;
  }

  boolean isFull() {
    return size == rows.length;
  }

  void add(Row row, Object id, Object vectorValue) {
    int i = size;
    if (id instanceof String s) {
      stringIds[i] = s;
      longIds[i] = 0;
    } else if (id instanceof Number n) {
      stringIds[i] = null;
      longIds[i] = n.longValue();
    } else {
      throw new IllegalArgumentException("row has an id of unsupported type "
          + (id == null ? "null" : id.getClass().getName()) + "; expected a long or a string");
    }
    int length = RowVectors.length(vectorValue);
    if (length != dimension) {
      throw new IllegalArgumentException("row with id " + id + " has dimension " + length + ", expected " + dimension);
    }
    RowVectors.copy(vectorValue, vectors, i * dimension);
    rows[i] = row;
    size++;
  }
}
