package io.lopq.spark.common;

import java.io.Serializable;
import java.util.Arrays;

/**
 * Rows of vectors as one row-major float matrix, with their ids: the unit of work of every Spark
 * job that multiplies many vectors at once (training passes, exact ground truth, exact
 * re-ranking), as {@link VectorBlocks} reads it from a dataset.
 *
 * <pre>
 *   vectors[i * D + j] = value j of row i,                      0 &lt;= i &lt; size
 *   ids[i]             = the long id of row i                   (string ids: 0, and stringIds[i] the id)
 * </pre>
 *
 * Immutable once built: the arrays are kept, not copied, and nobody modifies them; they are
 * exactly {@code size} (times D) long. A plain serializable class (Kryo cannot serialize records).
 */
public final class VectorBlock implements Serializable {
  private static final long serialVersionUID = 1L;

  private final int dimension;
  private final float[] vectors;
  private final long[] ids;
  private final String[] stringIds;

  /**
   * A block of {@code ids.length} vectors with long ids.
   *
   * @throws IllegalArgumentException if {@code vectors} does not hold {@code ids.length x D} values
   */
  public VectorBlock(long[] ids, float[] vectors, int dimension) {
    this(ids, null, vectors, dimension);
  }

  /**
   * A block of {@code ids.length} vectors.
   *
   * @param stringIds the string ids (then {@code ids} holds zeros), or null for long ids
   * @throws IllegalArgumentException if the arrays do not hold {@code ids.length} ids and
   *     {@code ids.length x D} values
   */
  public VectorBlock(long[] ids, String[] stringIds, float[] vectors, int dimension) {
    if (dimension < 1 || vectors.length != (long) ids.length * dimension
        || (stringIds != null && stringIds.length != ids.length)) {
      throw new IllegalArgumentException("a block of " + ids.length + " ids and dimension " + dimension + " needs "
          + (long) ids.length * dimension + " values" + (stringIds == null ? "" : " and as many string ids")
          + ", got " + vectors.length + (stringIds == null ? "" : " and " + stringIds.length));
    }
    this.dimension = dimension;
    this.vectors = vectors;
    this.ids = ids;
    this.stringIds = stringIds;
  }

  /** Rows in the block. */
  public int size() {
    return ids.length;
  }

  /** D. */
  public int dimension() {
    return dimension;
  }

  /** The row-major vectors (the block's own array: do not modify). */
  public float[] vectors() {
    return vectors;
  }

  /** The long ids (the block's own array: do not modify); zeros when the ids are strings. */
  public long[] ids() {
    return ids;
  }

  /** The long id of row {@code i} (0 when the ids are strings). */
  public long id(int i) {
    return ids[i];
  }

  /** True if the rows have string ids. */
  public boolean hasStringIds() {
    return stringIds != null;
  }

  /** The string id of row {@code i}, or null when the ids are longs. */
  public String stringId(int i) {
    return stringIds == null ? null : stringIds[i];
  }

  /** The id of row {@code i} as a {@code Long} or a {@code String}. */
  public Object idObject(int i) {
    return stringIds != null ? stringIds[i] : (Object) ids[i];
  }

  /** A copy of row {@code i}'s vector. */
  public float[] vector(int i) {
    return Arrays.copyOfRange(vectors, i * dimension, (i + 1) * dimension);
  }

  /** Half {@code h} of every row as a new {@code size x D/2} row-major matrix. */
  public float[] half(int h) {
    int half = dimension / 2;
    int size = size();
    float[] out = new float[size * half];
    for (int i = 0; i < size; i++) {
      System.arraycopy(vectors, i * dimension + h * half, out, i * half, half);
    }
    return out;
  }

  /** The rows {@code rows[0 .. count)} of this block, in that order, as a new block. */
  public VectorBlock select(int[] rows, int count) {
    float[] values = new float[Math.multiplyExact(count, dimension)];
    long[] selectedIds = new long[count];
    String[] selectedStrings = stringIds == null ? null : new String[count];
    for (int t = 0; t < count; t++) {
      int r = rows[t];
      System.arraycopy(vectors, r * dimension, values, t * dimension, dimension);
      selectedIds[t] = ids[r];
      if (selectedStrings != null) {
        selectedStrings[t] = stringIds[r];
      }
    }
    return new VectorBlock(selectedIds, selectedStrings, values, dimension);
  }

  /** The same vectors with other long ids ({@code newIds.length == size()}); string ids are dropped. */
  public VectorBlock withIds(long[] newIds) {
    return new VectorBlock(newIds, null, vectors, dimension);
  }

  @Override
  public String toString() {
    int shown = Math.min(size(), 3);
    return "VectorBlock{size=" + size() + ", dimension=" + dimension + ", firstIds="
        + (stringIds != null ? Arrays.toString(Arrays.copyOf(stringIds, shown))
            : Arrays.toString(Arrays.copyOf(ids, shown))) + "}";
  }
}
