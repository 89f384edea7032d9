package io.lopq.spark.train;

import io.lopq.format.vectors.InvalidInputException;
import io.lopq.io.vectors.RowVectors;
import io.lopq.io.vectors.VectorDataset;
import io.lopq.io.vectors.VectorSchema;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.util.ArrayData;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Turns rows with a vector column (and optionally an id column) into {@link VectorBlock}s of up to
 * {@link #DEFAULT_BLOCK_ROWS} rows, checking every row on the way: its dimension must be D and
 * every value finite, else the task fails with an {@link InvalidInputException} naming the row (its
 * id, or its position in its partition when there is no id column).
 *
 * <p>Columns of type {@code array<float>} or {@code array<double>} are read from Spark's internal
 * rows (no boxing); Spark ML vectors (dense or sparse) go through {@link RowVectors}.
 *
 * <p>Sampling keys come from the ids ({@link RowKeys}), so samples do not depend on partitioning.
 * Without an id column the key is the row's position (partition, index), which does.
 */
public final class VectorBlocks {
  /** Rows per block: large enough for efficient matrix products, small enough to stay cache-friendly. */
  public static final int DEFAULT_BLOCK_ROWS = 4096;
  /** Bit position of the partition index in a positional key. */
  private static final int PARTITION_SHIFT = 40;

  private VectorBlocks() {}

  /** Blocks of the normalized rows a {@link io.lopq.io.vectors.VectorInput} reader returns. */
  public static JavaRDD<VectorBlock> of(VectorDataset data) {
    return of(data.rows(), VectorSchema.VECTOR, VectorSchema.ID, data.dimension(), DEFAULT_BLOCK_ROWS);
  }

  /**
   * Blocks of {@code dataset}'s {@code vectorCol}, keyed by {@code idCol} (null: by position).
   *
   * @throws InvalidInputException if a column is missing or of an unsupported type
   */
  public static JavaRDD<VectorBlock> of(Dataset<?> dataset, String vectorCol, String idCol, int dimension,
      int blockRows) {
    if (blockRows < 1) {
      throw new IllegalArgumentException("block rows must be >= 1, got " + blockRows);
    }
    StructType schema = dataset.schema();
    DataType vectorType = requireColumn(schema, vectorCol, "vector").dataType();
    DataType idType = idCol == null ? null : requireColumn(schema, idCol, "id").dataType();
    if (idType != null && !(idType.equals(DataTypes.LongType) || idType.equals(DataTypes.IntegerType)
        || idType.equals(DataTypes.StringType))) {
      throw new InvalidInputException("id column '" + idCol + "' has type " + idType.simpleString()
          + ", expected long, int or string");
    }
    List<Column> columns = new ArrayList<>();
    columns.add(functions.col(quote(vectorCol)));
    if (idCol != null) {
      columns.add(functions.col(quote(idCol)));
    }
    Dataset<Row> selected = dataset.select(columns.toArray(new Column[0]));
    Layout layout = new Layout(vectorCol, idType, dimension, blockRows);
    if (vectorType instanceof ArrayType array
        && (array.elementType().equals(DataTypes.FloatType) || array.elementType().equals(DataTypes.DoubleType))) {
      boolean floats = array.elementType().equals(DataTypes.FloatType);
      return selected.queryExecution().toRdd().toJavaRDD()
          .mapPartitions(new InternalRowBlocker(layout, floats, array.containsNull()));
    }
    return selected.javaRDD().mapPartitions(new RowBlocker(layout));
  }

  /**
   * D of {@code dataset}'s vector column, from its first row.
   *
   * @throws InvalidInputException if the column is missing or there are no rows
   */
  public static int dimensionOf(Dataset<?> dataset, String vectorCol) {
    requireColumn(dataset.schema(), vectorCol, "vector");
    List<Row> first = dataset.select(functions.col(quote(vectorCol))).limit(1).collectAsList();
    if (first.isEmpty()) {
      throw new InvalidInputException("the input has no rows: nothing to train on");
    }
    Object value = first.get(0).get(0);
    if (value == null) {
      throw new InvalidInputException("the first row's vector column '" + vectorCol + "' is null");
    }
    return RowVectors.length(value);
  }

  private static StructField requireColumn(StructType schema, String name, String role) {
    for (StructField field : schema.fields()) {
      if (field.name().equals(name)) {
        return field;
      }
    }
    throw new InvalidInputException(role + " column '" + name + "' not found; the input has columns "
        + Arrays.toString(schema.fieldNames()));
  }

  private static String quote(String column) {
    return "`" + column.replace("`", "``") + "`";
  }

  /** What the blockers need to know, shipped with the task. */
  private static final class Layout implements Serializable {
    private static final long serialVersionUID = 1L;
    final String vectorCol;
    final boolean hasId;
    final boolean stringId;
    final boolean intId;
    final int dimension;
    final int blockRows;

    Layout(String vectorCol, DataType idType, int dimension, int blockRows) {
      this.vectorCol = vectorCol;
      this.hasId = idType != null;
      this.stringId = DataTypes.StringType.equals(idType);
      this.intId = DataTypes.IntegerType.equals(idType);
      this.dimension = dimension;
      this.blockRows = blockRows;
    }
  }

  /** Fills blocks row by row and checks each row; subclasses say how to read one row. */
  private abstract static class Blocker<R> implements FlatMapFunction<Iterator<R>, VectorBlock> {
    private static final long serialVersionUID = 1L;
    final Layout layout;

    Blocker(Layout layout) {
      this.layout = layout;
    }

    /** Copies row {@code row}'s vector into {@code dest} at {@code offset}, returning its length. */
    abstract int copyVector(R row, float[] dest, int offset, Object id, long position);

    /** The row's id (Long or String), or null without an id column. */
    abstract Object id(R row);

    @Override
    public Iterator<VectorBlock> call(Iterator<R> rows) {
      TaskContext task = TaskContext.get();
      long partition = task == null ? 0 : task.partitionId();
      int d = layout.dimension;
      return new Iterator<>() {
        private long position;

        @Override
        public boolean hasNext() {
          return rows.hasNext();
        }

        @Override
        public VectorBlock next() {
          if (!rows.hasNext()) {
            throw new NoSuchElementException();
          }
          float[] values = new float[layout.blockRows * d];
          long[] keys = new long[layout.blockRows];
          int n = 0;
          while (n < layout.blockRows && rows.hasNext()) {
            R row = rows.next();
            Object id = id(row);
            int length = copyVector(row, values, n * d, id, position);
            if (length != d) {
              throw new InvalidInputException(describe(id, position) + " has dimension " + length + ", expected " + d);
            }
            for (int j = n * d, end = j + d; j < end; j++) {
              if (!Float.isFinite(values[j])) {
                throw new InvalidInputException(describe(id, position) + " has a non-finite value " + values[j]
                    + " at index " + (j - n * d));
              }
            }
            keys[n] = id != null ? RowKeys.of(id) : RowKeys.ofLong((partition << PARTITION_SHIFT) + position);
            position++;
            n++;
          }
          if (n < layout.blockRows) {
            values = Arrays.copyOf(values, n * d);
            keys = Arrays.copyOf(keys, n);
          }
          return new VectorBlock(n, d, values, keys);
        }

        private String describe(Object id, long row) {
          return id != null ? "row with id " + id + " (vector column '" + layout.vectorCol + "')"
              : "row " + row + " of input partition " + partition + " (vector column '" + layout.vectorCol + "')";
        }
      };
    }

    /** Checks that a vector of {@code length} values fits at {@code offset} (before copying). */
    int checkLength(int length, Object id, long position) {
      if (length != layout.dimension) {
        throw new InvalidInputException((id != null ? "row with id " + id : "row " + position + " of its input partition")
            + " (vector column '" + layout.vectorCol + "') has dimension " + length + ", expected " + layout.dimension);
      }
      return length;
    }
  }

  /** Reads Spark's internal rows: array columns copied without boxing. */
  private static final class InternalRowBlocker extends Blocker<InternalRow> {
    private static final long serialVersionUID = 1L;
    private final boolean floats;
    private final boolean containsNull;

    InternalRowBlocker(Layout layout, boolean floats, boolean containsNull) {
      super(layout);
      this.floats = floats;
      this.containsNull = containsNull;
    }

    @Override
    Object id(InternalRow row) {
      if (!layout.hasId) {
        return null;
      }
      if (row.isNullAt(1)) {
        throw new InvalidInputException("a row has a null id (id column of the input)");
      }
      if (layout.stringId) {
        return row.getUTF8String(1).toString();
      }
      return layout.intId ? (long) row.getInt(1) : row.getLong(1);
    }

    @Override
    int copyVector(InternalRow row, float[] dest, int offset, Object id, long position) {
      if (row.isNullAt(0)) {
        throw new InvalidInputException((id != null ? "row with id " + id : "row " + position + " of its input partition")
            + " has a null vector (column '" + layout.vectorCol + "')");
      }
      ArrayData array = row.getArray(0);
      int length = checkLength(array.numElements(), id, position);
      if (containsNull) {
        for (int j = 0; j < length; j++) {
          if (array.isNullAt(j)) {
            throw new InvalidInputException((id != null ? "row with id " + id : "row " + position
                + " of its input partition") + " has a null value at index " + j + " of column '"
                + layout.vectorCol + "'");
          }
        }
      }
      if (floats) {
        System.arraycopy(array.toFloatArray(), 0, dest, offset, length);
      } else {
        double[] values = array.toDoubleArray();
        for (int j = 0; j < length; j++) {
          dest[offset + j] = (float) values[j];
        }
      }
      return length;
    }
  }

  /** Reads external rows (Spark ML vectors and anything else {@link RowVectors} accepts). */
  private static final class RowBlocker extends Blocker<Row> {
    private static final long serialVersionUID = 1L;

    RowBlocker(Layout layout) {
      super(layout);
    }

    @Override
    Object id(Row row) {
      if (!layout.hasId) {
        return null;
      }
      Object id = row.get(1);
      if (id == null) {
        throw new InvalidInputException("a row has a null id (id column of the input)");
      }
      return id instanceof Integer i ? (Object) (long) i : id;
    }

    @Override
    int copyVector(Row row, float[] dest, int offset, Object id, long position) {
      Object value = row.get(0);
      String where = (id != null ? "row with id " + id : "row " + position + " of its input partition")
          + " (vector column '" + layout.vectorCol + "')";
      if (value == null) {
        throw new InvalidInputException(where + " has a null vector");
      }
      try {
        checkLength(RowVectors.length(value), id, position);
        return RowVectors.copy(value, dest, offset);
      } catch (IllegalArgumentException e) {
        if (e instanceof InvalidInputException) {
          throw e;
        }
        throw new InvalidInputException(where + " " + e.getMessage(), e);
      }
    }
  }
}
