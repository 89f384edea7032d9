package io.lopq.spark.common;

import io.lopq.io.vectors.VectorSchema;
import java.util.Iterator;
import java.util.NoSuchElementException;
import org.apache.spark.sql.Row;

/**
 * Groups rows of the {@link VectorSchema normalized schema} ({@code id} first, {@code vector}
 * second) into {@link VectorBatch}es of a fixed size, for batched encoding and search inside
 * {@code mapPartitions}.
 *
 * <p>One batch object is allocated up front and refilled for every batch: a batch returned by
 * {@link #next()} is valid until the following call. Vectors Spark hands over as a primitive
 * float array are copied without boxing.
 *
 * <pre>
 *   rows.forEachRemaining(...)  -&gt;  [batch 0: rows 0..B-1] [batch 1: rows B..2B-1] ... [last: rest]
 * </pre>
 */
public final class VectorBatches implements Iterator<VectorBatch> {
  /** A batch size that keeps a batch's matrices in cache for typical D while amortizing BLAS calls. */
  public static final int DEFAULT_BATCH_SIZE = 1024;
  private static final int ID_FIELD = 0;
  private static final int VECTOR_FIELD = 1;

  private final Iterator<Row> rows;
  private final VectorBatch batch;

  /**
   * Batches of up to {@code batchSize} rows, each vector of dimension {@code dimension}.
   *
   * @throws IllegalArgumentException if the sizes are not positive; {@link #next()} throws it for
   *     a row whose vector does not have {@code dimension} values or whose id is null
   */
  public VectorBatches(Iterator<Row> rows, int dimension, int batchSize) {
    if (dimension <= 0 || batchSize <= 0) {
      throw new IllegalArgumentException(
          "dimension and batch size must be positive, got " + dimension + " and " + batchSize);
    }
    this.rows = rows;
    this.batch = new VectorBatch(batchSize, dimension);
  }

  /** Batches of {@value #DEFAULT_BATCH_SIZE} rows. */
  public VectorBatches(Iterator<Row> rows, int dimension) {
    this(rows, dimension, DEFAULT_BATCH_SIZE);
  }

  @Override
  public boolean hasNext() {
    return rows.hasNext();
  }

  @Override
  public VectorBatch next() {
    if (!rows.hasNext()) {
      throw new NoSuchElementException();
    }
    batch.clear();
    while (!batch.isFull() && rows.hasNext()) {
      Row row = rows.next();
      batch.add(row, row.get(ID_FIELD), row.get(VECTOR_FIELD));
    }
    return batch;
  }
}
