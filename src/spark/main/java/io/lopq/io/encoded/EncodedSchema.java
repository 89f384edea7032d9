package io.lopq.io.encoded;

import static io.lopq.format.encoded.EncodedFormat.CODES;
import static io.lopq.format.encoded.EncodedFormat.COARSE0;
import static io.lopq.format.encoded.EncodedFormat.COARSE1;
import static io.lopq.format.encoded.EncodedFormat.ID;

import io.lopq.format.encoded.EncodedFormat;
import io.lopq.format.encoded.KeptColumn;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.spark.sql.types.BinaryType;
import org.apache.spark.sql.types.BooleanType;
import org.apache.spark.sql.types.ByteType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.DoubleType;
import org.apache.spark.sql.types.FloatType;
import org.apache.spark.sql.types.IntegerType;
import org.apache.spark.sql.types.LongType;
import org.apache.spark.sql.types.ShortType;
import org.apache.spark.sql.types.StringType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * The row schema of an encoded dataset (schema version {@value EncodedFormat#SCHEMA_VERSION}) in
 * Avro (how the Parquet files are written) and in Spark (how they are read back). The column
 * names and the file metadata are {@link EncodedFormat}'s; the contract is
 * {@code docs/ENCODED-FORMAT.md}.
 *
 * <pre>
 *   record io.lopq.encoded.EncodedVector {
 *     long|string id;        the input's id
 *     int         coarse0;   coarse cluster of the first half, in [0, V)
 *     int         coarse1;   coarse cluster of the second half, in [0, V)
 *     bytes       codes;     the M fine codes, one unsigned byte each
 *     ...                    kept columns ({@link KeptColumn})
 *   }
 * </pre>
 *
 * A kept column's type in the three vocabularies involved:
 *
 * <pre>
 *   Spark input type            stored (Avro)   read back (Spark)   manifest
 *   string                      string          string              string
 *   bigint                      long            bigint              long
 *   int, smallint, tinyint      int             int                 int
 *   double / float / boolean    same            same                same
 *   binary                      bytes           binary              bytes
 * </pre>
 *
 * A nullable input column becomes an Avro union {@code ["null", T]}. Other types (dates,
 * decimals, arrays, structs) are refused with a message naming the column: convert them to one
 * of the above first.
 */
public final class EncodedSchema {
  /** Avro record name of a row. */
  public static final String RECORD_NAME = "EncodedVector";
  /** Avro namespace of a row. */
  public static final String RECORD_NAMESPACE = "io.lopq.encoded";

  private EncodedSchema() {}

  /** The Avro schema of a row: id (long or string), coarse0, coarse1, codes, then the kept columns. */
  public static Schema avro(boolean stringIds, List<KeptColumn> kept) {
    SchemaBuilder.FieldAssembler<Schema> fields = SchemaBuilder.record(RECORD_NAME).namespace(RECORD_NAMESPACE)
        .doc("One LOPQ code per input vector (lopq-spark encoded dataset, schema version "
            + EncodedFormat.SCHEMA_VERSION + ")")
        .fields();
    fields = stringIds ? fields.requiredString(ID) : fields.requiredLong(ID);
    fields = fields.requiredInt(COARSE0).requiredInt(COARSE1).requiredBytes(CODES);
    for (KeptColumn k : kept) {
      fields = fields.name(k.name()).type(avroSchema(k)).noDefault();
    }
    return fields.endRecord();
  }

  /** The Spark schema of the files read back (without a partition column). */
  public static StructType spark(boolean stringIds, List<KeptColumn> kept) {
    List<StructField> fields = new ArrayList<>();
    fields.add(DataTypes.createStructField(ID, idType(stringIds), false));
    fields.add(DataTypes.createStructField(COARSE0, DataTypes.IntegerType, false));
    fields.add(DataTypes.createStructField(COARSE1, DataTypes.IntegerType, false));
    fields.add(DataTypes.createStructField(CODES, DataTypes.BinaryType, false));
    kept.forEach(k -> fields.add(sparkField(k)));
    return DataTypes.createStructType(fields);
  }

  /** Spark's type of the id column: string or long. */
  public static DataType idType(boolean stringIds) {
    return stringIds ? DataTypes.StringType : DataTypes.LongType;
  }

  /**
   * The kept column for an input field.
   *
   * @throws IllegalArgumentException naming the column if its name or type cannot be kept
   */
  public static KeptColumn keptColumn(StructField field) {
    KeptColumn.Type type = keptType(field.dataType());
    if (type == null) {
      throw new IllegalArgumentException("kept column '" + field.name() + "' has type "
          + field.dataType().simpleString() + ", which an encoded dataset cannot store; supported: string, "
          + "bigint, int, smallint, tinyint, double, float, boolean, binary (cast it first)");
    }
    return new KeptColumn(field.name(), type, field.nullable());
  }

  /** The stored type of a Spark input type, or null if it cannot be kept. */
  private static KeptColumn.Type keptType(DataType type) {
    if (type instanceof StringType) {
      return KeptColumn.Type.STRING;
    } else if (type instanceof LongType) {
      return KeptColumn.Type.LONG;
    } else if (type instanceof IntegerType || type instanceof ShortType || type instanceof ByteType) {
      return KeptColumn.Type.INT;
    } else if (type instanceof DoubleType) {
      return KeptColumn.Type.DOUBLE;
    } else if (type instanceof FloatType) {
      return KeptColumn.Type.FLOAT;
    } else if (type instanceof BooleanType) {
      return KeptColumn.Type.BOOLEAN;
    } else if (type instanceof BinaryType) {
      return KeptColumn.Type.BYTES;
    }
    return null;
  }

  /** The Avro schema of a kept column's field: its type, or {@code ["null", type]} if nullable. */
  public static Schema avroSchema(KeptColumn column) {
    Schema plain = Schema.create(switch (column.type()) {
      case STRING -> Schema.Type.STRING;
      case LONG -> Schema.Type.LONG;
      case INT -> Schema.Type.INT;
      case DOUBLE -> Schema.Type.DOUBLE;
      case FLOAT -> Schema.Type.FLOAT;
      case BOOLEAN -> Schema.Type.BOOLEAN;
      case BYTES -> Schema.Type.BYTES;
    });
    return column.nullable() ? Schema.createUnion(Schema.create(Schema.Type.NULL), plain) : plain;
  }

  /** The Spark field of a kept column when the files are read back. */
  public static StructField sparkField(KeptColumn column) {
    DataType type = switch (column.type()) {
      case STRING -> DataTypes.StringType;
      case LONG -> DataTypes.LongType;
      case INT -> DataTypes.IntegerType;
      case DOUBLE -> DataTypes.DoubleType;
      case FLOAT -> DataTypes.FloatType;
      case BOOLEAN -> DataTypes.BooleanType;
      case BYTES -> DataTypes.BinaryType;
    };
    return DataTypes.createStructField(column.name(), type, column.nullable());
  }
}
