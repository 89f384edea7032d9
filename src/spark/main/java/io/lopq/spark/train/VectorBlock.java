package io.lopq.spark.train;

import java.io.Serializable;
import java.util.Arrays;

/**
 * A block of training vectors as one row-major float matrix, with a 64-bit sampling key per row:
 * the unit every training pass works on, so that each pass runs matrix products over many rows.
 *
 * <pre>
 *   vectors[i * D + j] = value j of row i,   0 &lt;= i &lt; size
 *   keys[i]            = a well-mixed hash of row i's id ({@link RowKeys}), used for seeded sampling
 * </pre>
 *
 * Blocks are immutable once built (the arrays are not copied; nobody modifies them).
 */
public final class VectorBlock implements Serializable {
  private static final long serialVersionUID = 1L;

  private final int size;
  private final int dimension;
  private final float[] vectors;
  private final long[] keys;

  /**
   * A block of {@code size} rows of dimension {@code dimension}.
   *
   * @param vectors at least {@code size * dimension} floats, row-major
   * @param keys at least {@code size} sampling keys
   */
  public VectorBlock(int size, int dimension, float[] vectors, long[] keys) {
    if (size < 0 || dimension < 1) {
      throw new IllegalArgumentException("block size must be >= 0 and dimension >= 1, got " + size + " and "
          + dimension);
    }
    if (vectors.length < (long) size * dimension || keys.length < size) {
      throw new IllegalArgumentException("block of " + size + " rows of dimension " + dimension + " needs "
          + (long) size * dimension + " values and " + size + " keys, got " + vectors.length + " and "
          + keys.length);
    }
    this.size = size;
    this.dimension = dimension;
    this.vectors = vectors;
    this.keys = keys;
  }

  /** Number of rows. */
  public int size() {
    return size;
  }

  /** D. */
  public int dimension() {
    return dimension;
  }

  /** The rows, row-major; do not modify. */
  public float[] vectors() {
    return vectors;
  }

  /** The sampling key of row {@code i}. */
  public long key(int i) {
    return keys[i];
  }

  /** Half {@code h} of every row as a new {@code size x D/2} row-major matrix. */
  public float[] half(int h) {
    int half = dimension / 2;
    float[] out = new float[size * half];
    for (int i = 0; i < size; i++) {
      System.arraycopy(vectors, i * dimension + h * half, out, i * half, half);
    }
    return out;
  }

  /**
   * The rows whose key {@link RowKeys#sampled sampling} keeps for {@code streamSeed} and
   * {@code fraction}, as a new block (this block itself when all are kept).
   */
  public VectorBlock sample(long streamSeed, double fraction) {
    if (fraction >= 1) {
      return this;
    }
    int[] kept = new int[size];
    int count = 0;
    for (int i = 0; i < size; i++) {
      if (RowKeys.sampled(keys[i], streamSeed, fraction)) {
        kept[count++] = i;
      }
    }
    if (count == size) {
      return this;
    }
    float[] values = new float[count * dimension];
    long[] sampledKeys = new long[count];
    for (int t = 0; t < count; t++) {
      System.arraycopy(vectors, kept[t] * dimension, values, t * dimension, dimension);
      sampledKeys[t] = keys[kept[t]];
    }
    return new VectorBlock(count, dimension, values, sampledKeys);
  }

  @Override
  public String toString() {
    return "VectorBlock{size=" + size + ", dimension=" + dimension + ", firstKeys="
        + Arrays.toString(Arrays.copyOf(keys, Math.min(size, 3))) + "}";
  }
}
