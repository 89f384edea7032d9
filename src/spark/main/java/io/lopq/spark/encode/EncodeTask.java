package io.lopq.spark.encode;

import io.lopq.encode.BatchEncoder;
import io.lopq.encode.EncodedBatch;
import io.lopq.format.vectors.InvalidInputException;
import io.lopq.model.LopqModel;
import java.util.Iterator;
import java.util.NoSuchElementException;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.util.ArrayData;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.unsafe.types.UTF8String;

/**
 * The encode stage of {@link EncodeJob}, run once per Spark partition of the input: rows of the
 * normalized vector schema ({@code id}, {@code vector}, kept columns) are copied into one
 * reusable row-major batch, each full batch is encoded with one {@link BatchEncoder} (BLAS matrix
 * products), and comes out as one {@link EncodedChunk}.
 *
 * <p>It reads Spark's internal rows ({@code Dataset.queryExecution().toRdd()}) rather than
 * {@code Row}s: the generic {@code Row} form of an {@code array<float>} is a sequence of boxed
 * {@code Float}s (D objects per row), while an internal row's vector is read in place. So the hot
 * path allocates nothing per row: only one chunk per batch (its column arrays), plus the kept
 * columns' values. The CPU time of the task and of the encoder alone go to {@link CpuTimes}.
 */
final class EncodeTask implements FlatMapFunction<Iterator<InternalRow>, EncodedChunk> {
  private static final long serialVersionUID = 1L;
  private static final int ID = 0;
  private static final int VECTOR = 1;
  private static final int FIRST_KEPT = 2;

  private final Broadcast<LopqModel> model;
  private final int batchSize;
  private final boolean stringIds;
  private final DataType[] keptTypes;
  private final CpuTimes cpu;

  /**
   * An encode stage.
   *
   * @param keptTypes the Spark types of the kept columns (positions 2, 3, ... of a row)
   */
  EncodeTask(Broadcast<LopqModel> model, int batchSize, boolean stringIds, DataType[] keptTypes,
      CpuTimes cpu) {
    if (batchSize < 1) {
      throw new IllegalArgumentException("batch size must be >= 1, got " + batchSize);
    }
    this.model = model;
    this.batchSize = batchSize;
    this.stringIds = stringIds;
    this.keptTypes = keptTypes.clone();
    this.cpu = cpu;
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
    private final long startCpu = CpuTimes.threadNanos();
    private boolean finished;

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
      boolean more = rows.hasNext();
      if (!more && !finished) {
        finished = true;
        cpu.encodeStage.add(CpuTimes.threadNanos() - startCpu);
      }
      return more;
    }

    @Override
    public EncodedChunk next() {
      if (!rows.hasNext()) {
        throw new NoSuchElementException();
      }
      EncodedChunk chunk = new EncodedChunk(batchSize, subquantizers, stringIds, keptTypes.length);
      int n = 0;
      while (n < batchSize && rows.hasNext()) {
        InternalRow row = rows.next();
        if (stringIds) {
          chunk.stringIds[n] = row.getUTF8String(ID).toString();
        } else {
          chunk.longIds[n] = row.getLong(ID);
        }
        copyVector(row.getArray(VECTOR), n, chunk);
        for (int k = 0; k < keptTypes.length; k++) {
          chunk.kept[k][n] = external(row, FIRST_KEPT + k, keptTypes[k]);
        }
        n++;
      }
      long start = CpuTimes.threadNanos();
      encoder.encode(vectors, n, codes);
      cpu.encoder.add(CpuTimes.threadNanos() - start);
      EncodedChunk out = n == batchSize ? chunk : chunk.truncated(n);
      System.arraycopy(codes.coarse0Array(), 0, out.coarse0, 0, n);
      System.arraycopy(codes.coarse1Array(), 0, out.coarse1, 0, n);
      System.arraycopy(codes.fineArray(), 0, out.fine, 0, n * subquantizers);
      return out;
    }

    private void copyVector(ArrayData vector, int n, EncodedChunk chunk) {
      if (vector.numElements() != dimension) {
        throw new InvalidInputException("row with id " + chunk.id(n) + " has dimension " + vector.numElements()
            + ", but the model expects " + dimension);
      }
      int offset = n * dimension;
      for (int j = 0; j < dimension; j++) {
        vectors[offset + j] = vector.getFloat(j);
      }
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
