package io.lopq.spark.ml;

import io.lopq.encode.BatchEncoder;
import io.lopq.encode.EncodedBatch;
import io.lopq.io.vectors.RowVectors;
import io.lopq.model.LopqModel;
import io.lopq.spark.common.SerializableModel;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;

/**
 * Encodes a partition's rows in batches with one {@link BatchEncoder} per task and appends the
 * codes to each row: {@code (input columns..., coarse0 int, coarse1 int, codes binary[M])}.
 * A vector of the wrong dimension, null or with a non-finite value fails the task with a message
 * naming its position in the partition.
 */
final class EncodeRows implements MapPartitionsFunction<Row, Row> {
  /** Rows encoded per batch. */
  static final int BATCH_ROWS = 1024;
  private static final long serialVersionUID = 1L;

  private final Broadcast<SerializableModel> model;
  private final int vectorField;
  private final String vectorCol;

  EncodeRows(Broadcast<SerializableModel> model, int vectorField, String vectorCol) {
    this.model = model;
    this.vectorField = vectorField;
    this.vectorCol = vectorCol;
  }

  @Override
  public Iterator<Row> call(Iterator<Row> rows) {
    LopqModel lopq = model.value().model();
    BatchEncoder encoder = new BatchEncoder(lopq);
    int d = lopq.dimension();
    int m = lopq.subquantizers();
    return new Iterator<>() {
      private final float[] vectors = new float[BATCH_ROWS * d];
      private final List<Row> batch = new ArrayList<>(BATCH_ROWS);
      private final EncodedBatch codes = new EncodedBatch(m, BATCH_ROWS);
      private int next;
      private long position;

      @Override
      public boolean hasNext() {
        return next < batch.size() || rows.hasNext();
      }

      @Override
      public Row next() {
        if (next == batch.size()) {
          fill();
        }
        Row row = batch.get(next);
        int i = next++;
        Object[] values = new Object[row.length() + 3];
        for (int f = 0; f < row.length(); f++) {
          values[f] = row.get(f);
        }
        byte[] fine = new byte[m];
        System.arraycopy(codes.fineArray(), codes.fineOffset(i), fine, 0, m);
        values[row.length()] = codes.coarse(0, i);
        values[row.length() + 1] = codes.coarse(1, i);
        values[row.length() + 2] = fine;
        return RowFactory.create(values);
      }

      private void fill() {
        if (!rows.hasNext()) {
          throw new NoSuchElementException();
        }
        batch.clear();
        next = 0;
        while (batch.size() < BATCH_ROWS && rows.hasNext()) {
          Row row = rows.next();
          int offset = batch.size() * d;
          Object value = row.get(vectorField);
          if (value == null) {
            throw new IllegalArgumentException(where() + " has a null vector");
          }
          int length = RowVectors.length(value);
          if (length != d) {
            throw new IllegalArgumentException(where() + " has dimension " + length + ", the model expects " + d);
          }
          RowVectors.copy(value, vectors, offset);
          for (int j = 0; j < d; j++) {
            if (!Float.isFinite(vectors[offset + j])) {
              throw new IllegalArgumentException(where() + " has a non-finite value " + vectors[offset + j]
                  + " at index " + j);
            }
          }
          batch.add(row);
          position++;
        }
        encoder.encode(vectors, batch.size(), codes);
      }

      private String where() {
        return "row " + position + " of its partition (column '" + vectorCol + "')";
      }
    };
  }
}
