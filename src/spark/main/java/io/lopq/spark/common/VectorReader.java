package io.lopq.spark.common;

import io.lopq.format.vectors.InvalidInputException;
import java.io.Serializable;
import java.util.Arrays;
import java.util.Iterator;
import java.util.NoSuchElementException;
import org.apache.spark.TaskContext;
import org.apache.spark.ml.linalg.DenseVector;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.util.ArrayData;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.sql.types.UserDefinedType;
import scala.Tuple2;

/**
 * Reads the id and the vector of Spark's internal rows ({@code Dataset.queryExecution().toRdd()}):
 * the one place that does, for every job (training, encoding, search queries and raw vectors,
 * ground truth). The generic {@code Row} form of an {@code array<float>} is a sequence of boxed
 * {@code Float}s, D objects per row; an internal row's vector is read in place, so reading
 * allocates nothing per row (ML vectors aside).
 *
 * <pre>
 *   id      long, int or string column; or none: row i of partition p gets the id p * 2^40 + i
 *   vector  array&lt;float&gt;, array&lt;double&gt; or a Spark ML Vector (dense or sparse) of dimension D
 * </pre>
 *
 * Every row is checked: a null id, a null vector, a null element, another dimension than D or a
 * non-finite value fails the task with an {@link InvalidInputException} naming the row (its id, or
 * its position in its partition) and the column. Immutable and serializable: made on the driver
 * ({@link VectorBlocks}), used in the tasks; holds no per-task state.
 */
public final class VectorReader implements Serializable {
  private static final long serialVersionUID = 1L;
  /** Bit position of the partition index in the id of a row without an id column. */
  public static final int PARTITION_SHIFT = 40;

  private enum IdKind { NONE, LONG, INT, STRING }

  private enum VectorKind { FLOATS, DOUBLES, ML_VECTOR }

  private final int idOrdinal;
  private final int vectorOrdinal;
  private final IdKind idKind;
  private final VectorKind vectorKind;
  private final boolean containsNull;
  private final int dimension;
  private final String idCol;
  private final String vectorCol;
  private final UserDefinedType<?> vectorUdt;
  private final int vectorUdtFields;

  private VectorReader(StructType schema, int idOrdinal, int vectorOrdinal, int dimension) {
    this.idOrdinal = idOrdinal;
    this.vectorOrdinal = vectorOrdinal;
    this.dimension = dimension;
    this.vectorCol = schema.fields()[vectorOrdinal].name();
    this.idCol = idOrdinal < 0 ? null : schema.fields()[idOrdinal].name();
    this.idKind = idOrdinal < 0 ? IdKind.NONE : idKind(schema.fields()[idOrdinal].dataType(), idCol);
    DataType type = schema.fields()[vectorOrdinal].dataType();
    if (type instanceof ArrayType array && array.elementType().equals(DataTypes.FloatType)) {
      this.vectorKind = VectorKind.FLOATS;
      this.containsNull = array.containsNull();
    } else if (type instanceof ArrayType array && array.elementType().equals(DataTypes.DoubleType)) {
      this.vectorKind = VectorKind.DOUBLES;
      this.containsNull = array.containsNull();
    } else if (type.equals(SQLDataTypes.VectorType())) {
      this.vectorKind = VectorKind.ML_VECTOR;
      this.containsNull = false;
    } else {
      throw new InvalidInputException("vector column '" + vectorCol + "' has type " + type.simpleString()
          + ", expected array<float>, array<double> or a Spark ML Vector");
    }
    this.vectorUdt = vectorKind == VectorKind.ML_VECTOR ? (UserDefinedType<?>) type : null;
    this.vectorUdtFields = vectorUdt == null ? 0 : ((StructType) vectorUdt.sqlType()).size();
  }

  private static IdKind idKind(DataType type, String column) {
    if (type.equals(DataTypes.LongType)) {
      return IdKind.LONG;
    } else if (type.equals(DataTypes.IntegerType)) {
      return IdKind.INT;
    } else if (type.equals(DataTypes.StringType)) {
      return IdKind.STRING;
    }
    throw new InvalidInputException("id column '" + column + "' has type " + type.simpleString()
        + ", expected long, int or string");
  }

  /**
   * A reader of rows of {@code schema} whose id is column {@code idOrdinal} (negative: no id
   * column) and whose vector is column {@code vectorOrdinal}, of dimension {@code dimension}.
   *
   * @throws InvalidInputException if a column is of a type the reader cannot read
   */
  public static VectorReader of(StructType schema, int idOrdinal, int vectorOrdinal, int dimension) {
    if (dimension < 1) {
      throw new IllegalArgumentException("dimension must be >= 1, got " + dimension);
    }
    return new VectorReader(schema, idOrdinal, vectorOrdinal, dimension);
  }

  /** A reader of the vector column alone, for its length ({@link #length}). */
  static VectorReader lengthOnly(StructType schema, int vectorOrdinal) {
    return new VectorReader(schema, -1, vectorOrdinal, 0);
  }

  /** D. */
  public int dimension() {
    return dimension;
  }

  /** True if the ids are strings ({@link #stringId}), else longs ({@link #longId}). */
  public boolean stringIds() {
    return idKind == IdKind.STRING;
  }

  /**
   * The long id of {@code row}, the {@code position}-th row of its partition (a long or int id
   * column, or the positional id without one).
   */
  public long longId(InternalRow row, long position) {
    switch (idKind) {
      case NONE:
        return positionalId(position);
      case STRING:
        throw new IllegalStateException("the id column '" + idCol + "' holds strings");
      default:
        requireId(row, position);
        return idKind == IdKind.INT ? row.getInt(idOrdinal) : row.getLong(idOrdinal);
    }
  }

  /** The string id of {@code row}, the {@code position}-th row of its partition. */
  public String stringId(InternalRow row, long position) {
    if (idKind != IdKind.STRING) {
      throw new IllegalStateException("the ids are not strings");
    }
    requireId(row, position);
    return row.getUTF8String(idOrdinal).toString();
  }

  /** The id of {@code row} as a {@code Long} or a {@code String}. */
  public Object id(InternalRow row, long position) {
    return idKind == IdKind.STRING ? stringId(row, position) : (Object) longId(row, position);
  }

  private static long positionalId(long position) {
    TaskContext task = TaskContext.get();
    long partition = task == null ? 0 : task.partitionId();
    return (partition << PARTITION_SHIFT) + position;
  }

  private void requireId(InternalRow row, long position) {
    if (row.isNullAt(idOrdinal)) {
      throw new InvalidInputException("row " + position + " of input partition " + partition()
          + " has a null id (id column '" + idCol + "')");
    }
  }

  /**
   * Copies the vector of {@code row} (the {@code position}-th row of its partition) into
   * {@code dest} from {@code offset}, checking it.
   *
   * @throws InvalidInputException if the vector is null, holds a null, has another dimension than
   *     D or a non-finite value
   */
  public void read(InternalRow row, float[] dest, int offset, long position) {
    if (row.isNullAt(vectorOrdinal)) {
      throw bad(row, position, "has a null vector");
    }
    if (vectorKind == VectorKind.ML_VECTOR) {
      readVector(row, dest, offset, position);
      return;
    }
    ArrayData array = row.getArray(vectorOrdinal);
    checkLength(row, position, array.numElements());
    if (containsNull) {
      for (int j = 0; j < dimension; j++) {
        if (array.isNullAt(j)) {
          throw bad(row, position, "has a null value at index " + j);
        }
      }
    }
    if (vectorKind == VectorKind.FLOATS) {
      for (int j = 0; j < dimension; j++) {
        dest[offset + j] = array.getFloat(j);
      }
    } else {
      for (int j = 0; j < dimension; j++) {
        dest[offset + j] = (float) array.getDouble(j);
      }
    }
    for (int j = 0; j < dimension; j++) {
      if (!Float.isFinite(dest[offset + j])) {
        throw bad(row, position, "has a non-finite value " + dest[offset + j] + " at index " + j);
      }
    }
  }

  private void readVector(InternalRow row, float[] dest, int offset, long position) {
    Vector vector = (Vector) vectorUdt.deserialize(row.getStruct(vectorOrdinal, vectorUdtFields));
    checkLength(row, position, vector.size());
    double[] values = vector instanceof DenseVector dense ? dense.values() : vector.toArray();
    for (int j = 0; j < dimension; j++) {
      float value = (float) values[j];
      if (!Float.isFinite(value)) {
        throw bad(row, position, "has a non-finite value " + value + " at index " + j);
      }
      dest[offset + j] = value;
    }
  }

  private void checkLength(InternalRow row, long position, int length) {
    if (length != dimension) {
      throw bad(row, position, "has dimension " + length + ", expected " + dimension);
    }
  }

  /** The number of values of {@code row}'s vector. */
  int length(InternalRow row) {
    if (row.isNullAt(vectorOrdinal)) {
      throw new InvalidInputException("the first row's vector column '" + vectorCol + "' is null");
    }
    return vectorKind == VectorKind.ML_VECTOR
        ? ((Vector) vectorUdt.deserialize(row.getStruct(vectorOrdinal, vectorUdtFields))).size()
        : row.getArray(vectorOrdinal).numElements();
  }

  private InvalidInputException bad(InternalRow row, long position, String problem) {
    String which = idKind == IdKind.NONE || row.isNullAt(idOrdinal)
        ? "row " + position + " of input partition " + partition()
        : "row with id " + id(row, position);
    return new InvalidInputException(which + " (vector column '" + vectorCol + "') " + problem);
  }

  private static int partition() {
    TaskContext task = TaskContext.get();
    return task == null ? 0 : task.partitionId();
  }

  /**
   * Reads {@code row}, the {@code position}-th row of its partition, into slot {@code n} of a
   * block under construction: its id into {@code ids[n]} (or {@code stringIds[n]} when the ids are
   * strings) and its vector into {@code vectors[n * D ..]}, checked as {@link #read} does.
   */
  public void read(InternalRow row, long position, long[] ids, String[] stringIds, float[] vectors, int n) {
    if (stringIds()) {
      stringIds[n] = stringId(row, position);
    } else {
      ids[n] = longId(row, position);
    }
    read(row, vectors, n * dimension, position);
  }

  /**
   * The rows as blocks of up to {@code blockRows} rows (each a fresh {@link VectorBlock}, the
   * last one possibly shorter), for {@code mapPartitions}.
   */
  public Iterator<VectorBlock> blocks(Iterator<InternalRow> rows, int blockRows) {
    if (blockRows < 1) {
      throw new IllegalArgumentException("block rows must be >= 1, got " + blockRows);
    }
    return new Rows<>(rows) {
      @Override
      VectorBlock read(Iterator<InternalRow> input) {
        float[] values = new float[Math.multiplyExact(blockRows, dimension)];
        long[] ids = new long[blockRows];
        String[] strings = stringIds() ? new String[blockRows] : null;
        int n = 0;
        while (n < blockRows && input.hasNext()) {
          VectorReader.this.read(input.next(), position++, ids, strings, values, n++);
        }
        if (n < blockRows) {
          values = Arrays.copyOf(values, n * dimension);
          ids = Arrays.copyOf(ids, n);
          strings = strings == null ? null : Arrays.copyOf(strings, n);
        }
        return new VectorBlock(ids, strings, values, dimension);
      }
    };
  }

  /** The rows one by one as {@code (id, vector)}: the id a {@code Long} or {@code String}, the vector a fresh array. */
  public Iterator<Tuple2<Object, float[]>> vectors(Iterator<InternalRow> rows) {
    return new Rows<>(rows) {
      @Override
      Tuple2<Object, float[]> read(Iterator<InternalRow> input) {
        InternalRow row = input.next();
        float[] vector = new float[dimension];
        Object id = id(row, position);
        VectorReader.this.read(row, vector, 0, position++);
        return new Tuple2<>(id, vector);
      }
    };
  }

  /** Outputs made from a partition's rows, counting the rows read (their positions). */
  private abstract static class Rows<T> implements Iterator<T> {
    private final Iterator<InternalRow> input;
    /** Position in the partition of the next row read. */
    long position;

    Rows(Iterator<InternalRow> input) {
      this.input = input;
    }

    /** Reads the next output from {@code input}, which has at least one row left. */
    abstract T read(Iterator<InternalRow> input);

    @Override
    public boolean hasNext() {
      return input.hasNext();
    }

    @Override
    public T next() {
      if (!input.hasNext()) {
        throw new NoSuchElementException();
      }
      return read(input);
    }
  }
}
