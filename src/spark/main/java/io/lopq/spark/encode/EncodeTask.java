package io.lopq.spark.encode;

import io.lopq.encode.BatchEncoder;
import io.lopq.encode.EncodedBatch;
import io.lopq.model.LopqModel;
import io.lopq.spark.common.TaskTimes;
import io.lopq.spark.common.VectorReader;
import java.util.Iterator;
import java.util.NoSuchElementException;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.unsafe.types.UTF8String;

/**
 * The encode stage of {@link EncodeJob}, run once per Spark partition of the input: rows of the
 * normalized vector schema ({@code id}, {@code vector}, kept columns) are read by the common
 * {@link VectorReader} into one reusable row-major batch, each full batch is encoded with one
 * {@link BatchEncoder} (BLAS matrix products), and comes out as one {@link EncodedChunk}.
 *
 * <p>It reads Spark's internal rows, so the hot path allocates nothing per row: only one chunk
 * per batch (its column arrays), plus the kept columns' values. The CPU time spent inside the
 * encoder goes to a {@link TaskTimes.Section}.
 */
final class EncodeTask implements FlatMapFunction<Iterator<InternalRow>, EncodedChunk> {
  private static final long serialVersionUID = 1L;
  private static final int FIRST_KEPT = 2;

  private final Broadcast<LopqModel> model;
  private final VectorReader reader;
  private final int batchSize;
  private final DataType[] keptTypes;
  private final TaskTimes.Section encoderCpu;

  /**
   * An encode stage.
   *
   * @param reader the reader of the rows (id at 0, vector at 1)
   * @param keptTypes the Spark types of the kept columns (positions 2, 3, ... of a row)
   * @param encoderCpu receives the CPU time spent inside the encoder
   */
  EncodeTask(Broadcast<LopqModel> model, VectorReader reader, int batchSize, DataType[] keptTypes,
      TaskTimes.Section encoderCpu) {
    if (batchSize < 1) {
      throw new IllegalArgumentException("batch size must be >= 1, got " + batchSize);
    }
    this.model = model;
    this.reader = reader;
    this.batchSize = batchSize;
    this.keptTypes = keptTypes.clone();
    this.encoderCpu = encoderCpu;
  }

  @Override
  public Iterator<EncodedChunk> call(Iterator<InternalRow> rows) {
    return new Batches(rows, model.value());
  }

  /** Cuts the rows into batches and encodes each. */
  private final class Batches implements Iterator<EncodedChunk> {
    private final Iterator<InternalRow> rows;
    private final int dimension;
    private final int subquantizers;
    private final BatchEncoder encoder;
    private final EncodedBatch codes;
    private final float[] vectors;
    private long position;

    Batches(Iterator<InternalRow> rows, LopqModel m) {
      this.rows = rows;
      this.dimension = m.dimension();
      this.subquantizers = m.subquantizers();
      this.encoder = new BatchEncoder(m, Math.min(batchSize, BatchEncoder.DEFAULT_BLOCK_ROWS));
      this.codes = new EncodedBatch(subquantizers, batchSize);
      this.vectors = new float[Math.multiplyExact(batchSize, dimension)];
    }

    @Override
    public boolean hasNext() {
      return rows.hasNext();
    }

    @Override
    public EncodedChunk next() {
      if (!rows.hasNext()) {
        throw new NoSuchElementException();
      }
      EncodedChunk chunk = new EncodedChunk(batchSize, subquantizers, reader.stringIds(), keptTypes.length);
      int n = 0;
      while (n < batchSize && rows.hasNext()) {
        InternalRow row = rows.next();
        reader.read(row, position++, chunk.longIds, chunk.stringIds, vectors, n);
        for (int k = 0; k < keptTypes.length; k++) {
          chunk.kept[k][n] = external(row, FIRST_KEPT + k, keptTypes[k]);
        }
        n++;
      }
      long start = encoderCpu.start();
      encoder.encode(vectors, n, codes);
      encoderCpu.stop(start);
      EncodedChunk out = n == batchSize ? chunk : chunk.truncated(n);
      System.arraycopy(codes.coarse0Array(), 0, out.coarse0, 0, n);
      System.arraycopy(codes.coarse1Array(), 0, out.coarse1, 0, n);
      System.arraycopy(codes.fineArray(), 0, out.fine, 0, n * subquantizers);
      return out;
    }
  }

  /** The value of an atomic column in its external Java form (strings as {@code String}). */
  private static Object external(InternalRow row, int ordinal, DataType type) {
    if (row.isNullAt(ordinal)) {
      return null;
    }
    Object value = row.get(ordinal, type);
    return value instanceof UTF8String s ? s.toString() : value;
  }
}
