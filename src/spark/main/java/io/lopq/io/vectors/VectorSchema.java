package io.lopq.io.vectors;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * The normalized schema every reader returns, whatever the input format:
 *
 * <pre>
 *   id      long (or string, when the input's id column holds strings), not null
 *   vector  array&lt;float&gt; of the input's dimension D, no null elements, not null
 *   ...     the kept columns of the input, unchanged
 * </pre>
 */
public final class VectorSchema {
  /** Name of the id column in the normalized schema. */
  public static final String ID = "id";
  /** Name of the vector column in the normalized schema. */
  public static final String VECTOR = "vector";
  /** Type of the vector column: {@code array<float>} without null elements. */
  public static final ArrayType VECTOR_TYPE = DataTypes.createArrayType(DataTypes.FloatType, false);

  private VectorSchema() {}

  /** The normalized schema with an id of {@code idType} (long or string) and the kept fields. */
  public static StructType of(DataType idType, List<StructField> keptFields) {
    if (!idType.equals(DataTypes.LongType) && !idType.equals(DataTypes.StringType)) {
      throw new IllegalArgumentException("id type must be long or string, got " + idType.simpleString());
    }
    List<StructField> fields = new ArrayList<>();
    fields.add(DataTypes.createStructField(ID, idType, false));
    fields.add(DataTypes.createStructField(VECTOR, VECTOR_TYPE, false));
    fields.addAll(keptFields);
    return DataTypes.createStructType(fields);
  }

  /** The normalized schema with long ids and no kept columns. */
  public static StructType withLongIds() {
    return of(DataTypes.LongType, List.of());
  }

  /**
   * Checks that {@code schema} starts like the normalized schema (an id of long or string type,
   * then an {@code array<float>} vector), naming what differs.
   */
  public static void check(StructType schema) {
    String[] names = schema.fieldNames();
    if (names.length < 2 || !ID.equals(names[0]) || !VECTOR.equals(names[1])) {
      throw new IllegalArgumentException(
          "expected the normalized vector schema (" + ID + ", " + VECTOR + ", ...), got " + schema.simpleString());
    }
    DataType idType = schema.fields()[0].dataType();
    if (!idType.equals(DataTypes.LongType) && !idType.equals(DataTypes.StringType)) {
      throw new IllegalArgumentException("column " + ID + " must be long or string, got " + idType.simpleString());
    }
    DataType vectorType = schema.fields()[1].dataType();
    if (!(vectorType instanceof ArrayType array) || !array.elementType().equals(DataTypes.FloatType)) {
      throw new IllegalArgumentException(
          "column " + VECTOR + " must be array<float>, got " + vectorType.simpleString());
    }
  }
}
