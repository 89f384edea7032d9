package io.lopq.spark.common;

import io.lopq.spark.eval.GroundTruthJob;

import java.io.Serializable;
import java.util.Arrays;
import java.util.Iterator;
import org.apache.spark.sql.Row;

/**
 * A block of vectors with long ids kept as one row-major matrix, the unit of work of the
 * distributed exact search ({@link GroundTruthJob}): a task multiplies a block of queries with a
 * block of base vectors in one BLAS call per sub-block instead of comparing rows one by one.
 *
 * <pre>
 *   vectors[i * D + j] = value j of the vector with id ids[i],   0 &lt;= i &lt; size
 * </pre>
 *
 * Plain serializable class (Kryo cannot serialize records); the arrays are exactly {@code size}
 * (times D) long.
 */
public final class VectorBlock implements Serializable {
  private static final long serialVersionUID = 1L;

  private final long[] ids;
  private final float[] vectors;
  private final int dimension;

  /**
   * A block of {@code ids.length} vectors of {@code dimension} (arrays kept, not copied).
   *
   * @throws IllegalArgumentException if the vector array does not hold ids.length x D values
   */
  public VectorBlock(long[] ids, float[] vectors, int dimension) {
    if (dimension < 1 || vectors.length != (long) ids.length * dimension) {
      throw new IllegalArgumentException("a block of " + ids.length + " ids and dimension " + dimension
          + " needs " + (long) ids.length * dimension + " values, got " + vectors.length);
    }
    this.ids = ids;
    this.vectors = vectors;
    this.dimension = dimension;
  }

  /**
   * Cuts rows of the normalized vector schema (long {@code id}, {@code vector}) into blocks of at
   * most {@code maxRows} rows, for {@code mapPartitions}.
   *
   * @param what names the input in errors ("base", "queries")
   * @throws IllegalArgumentException (from the iterator) for a row with a string id or a vector of
   *     another dimension
   */
  public static Iterator<VectorBlock> blocks(Iterator<Row> rows, int dimension, int maxRows, String what) {
    VectorBatches batches = new VectorBatches(rows, dimension, maxRows);
    return new Iterator<>() {
      @Override
      public boolean hasNext() {
        return batches.hasNext();
      }

      @Override
      public VectorBlock next() {
        VectorBatch batch = batches.next();
        int n = batch.size();
        for (int i = 0; i < n; i++) {
          if (batch.stringId(i) != null) {
            throw new IllegalArgumentException(what + " row with id '" + batch.stringId(i)
                + "' has a string id; exact search needs integer ids");
          }
        }
        return new VectorBlock(Arrays.copyOf(batch.longIds(), n), Arrays.copyOf(batch.vectors(), n * dimension),
            dimension);
      }
    };
  }

  /** Rows in the block. */
  public int size() {
    return ids.length;
  }

  /** D. */
  public int dimension() {
    return dimension;
  }

  /** The ids (the block's own array: do not modify). */
  public long[] ids() {
    return ids;
  }

  /** The row-major vectors (the block's own array: do not modify). */
  public float[] vectors() {
    return vectors;
  }
}
