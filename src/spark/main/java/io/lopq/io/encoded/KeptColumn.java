package io.lopq.io.encoded;

import java.io.Serializable;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;
import org.apache.avro.Schema;
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

/**
 * An input column that an encoded dataset carries through unchanged (e.g. an image URL), with
 * its type in the three vocabularies involved: the manifest's name, the Avro schema of the
 * Parquet files, and Spark's type when the files are read back.
 *
 * <pre>
 *   Spark input type            stored (Avro)   read back (Spark)
 *   string                      string          string
 *   bigint                      long            bigint
 *   int, smallint, tinyint      int             int
 *   double / float / boolean    same            same
 *   binary                      bytes           binary
 * </pre>
 *
 * A nullable input column becomes an Avro union {@code ["null", T]}. Other types (dates,
 * decimals, arrays, structs) are refused with a message naming the column: convert them to one
 * of the above first.
 */
public final class KeptColumn implements Serializable {
  private static final long serialVersionUID = 1L;
  /** Avro's rule for field names, which Parquet files written through Avro must follow. */
  private static final Pattern AVRO_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

  /** The value types a kept column may have. */
  public enum Type {
    STRING(Schema.Type.STRING, DataTypes.StringType),
    LONG(Schema.Type.LONG, DataTypes.LongType),
    INT(Schema.Type.INT, DataTypes.IntegerType),
    DOUBLE(Schema.Type.DOUBLE, DataTypes.DoubleType),
    FLOAT(Schema.Type.FLOAT, DataTypes.FloatType),
    BOOLEAN(Schema.Type.BOOLEAN, DataTypes.BooleanType),
    BYTES(Schema.Type.BYTES, DataTypes.BinaryType);

    private final Schema.Type avro;
    private final DataType spark;

    Type(Schema.Type avro, DataType spark) {
      this.avro = avro;
      this.spark = spark;
    }

    /** The name used in the manifest ({@code "string"}, {@code "long"}, ...). */
    public String manifestName() {
      return name().toLowerCase(Locale.ROOT);
    }

    /** The Avro type of the column in the Parquet files. */
    public Schema.Type avroType() {
      return avro;
    }

    /** The Spark type of the column when the files are read back. */
    public DataType sparkType() {
      return spark;
    }

    /** The type called {@code name} in a manifest. */
    public static Type fromManifestName(String name) {
      for (Type t : values()) {
        if (t.manifestName().equals(name)) {
          return t;
        }
      }
      throw new IllegalArgumentException("unknown kept column type '" + name + "'; expected one of "
          + Arrays.stream(values()).map(Type::manifestName).toList());
    }

    /** The stored type of a Spark input type, or null if it cannot be kept. */
    static Type fromSpark(DataType type) {
      if (type instanceof StringType) {
        return STRING;
      } else if (type instanceof LongType) {
        return LONG;
      } else if (type instanceof IntegerType || type instanceof ShortType || type instanceof ByteType) {
        return INT;
      } else if (type instanceof DoubleType) {
        return DOUBLE;
      } else if (type instanceof FloatType) {
        return FLOAT;
      } else if (type instanceof BooleanType) {
        return BOOLEAN;
      } else if (type instanceof BinaryType) {
        return BYTES;
      }
      return null;
    }
  }

  private final String name;
  private final Type type;
  private final boolean nullable;

  /**
   * A kept column.
   *
   * @throws IllegalArgumentException if the name is not a valid Avro field name or is one of the
   *     encoded dataset's own columns
   */
  public KeptColumn(String name, Type type, boolean nullable) {
    this.name = checkName(name);
    this.type = Objects.requireNonNull(type, "type");
    this.nullable = nullable;
  }

  /**
   * The kept column for an input field.
   *
   * @throws IllegalArgumentException naming the column if its name or type cannot be kept
   */
  public static KeptColumn of(StructField field) {
    Type type = Type.fromSpark(field.dataType());
    if (type == null) {
      throw new IllegalArgumentException("kept column '" + field.name() + "' has type "
          + field.dataType().simpleString() + ", which an encoded dataset cannot store; supported: string, "
          + "bigint, int, smallint, tinyint, double, float, boolean, binary (cast it first)");
    }
    return new KeptColumn(field.name(), type, field.nullable());
  }

  private static String checkName(String name) {
    if (name == null || !AVRO_NAME.matcher(name).matches()) {
      throw new IllegalArgumentException("kept column name '" + name
          + "' is not usable in an encoded dataset: it must match " + AVRO_NAME.pattern() + " (an Avro field name)");
    }
    if (EncodedSchema.OWN_COLUMNS.contains(name)) {
      throw new IllegalArgumentException("cannot keep a column named '" + name
          + "': the encoded dataset has its own column of that name (" + EncodedSchema.OWN_COLUMNS + ")");
    }
    return name;
  }

  public String name() {
    return name;
  }

  public Type type() {
    return type;
  }

  public boolean nullable() {
    return nullable;
  }

  /** The Avro schema of the field: the type, or {@code ["null", type]} if nullable. */
  public Schema avroSchema() {
    Schema plain = Schema.create(type.avroType());
    return nullable ? Schema.createUnion(Schema.create(Schema.Type.NULL), plain) : plain;
  }

  /** The Spark field of the column when the files are read back. */
  public StructField sparkField() {
    return DataTypes.createStructField(name, type.sparkType(), nullable);
  }

  /**
   * The Avro value of a Spark value of this column (widening small integers, wrapping binary).
   *
   * @throws IllegalArgumentException for a null in a column that is not nullable
   */
  public Object toAvro(Object sparkValue) {
    if (sparkValue == null) {
      if (!nullable) {
        throw new IllegalArgumentException("kept column '" + name + "' holds a null, but is declared not nullable");
      }
      return null;
    }
    return switch (type) {
      case INT -> ((Number) sparkValue).intValue();
      case BYTES -> ByteBuffer.wrap((byte[]) sparkValue);
      default -> sparkValue;
    };
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof KeptColumn k && k.name.equals(name) && k.type == type && k.nullable == nullable;
  }

  @Override
  public int hashCode() {
    return Objects.hash(name, type, nullable);
  }

  @Override
  public String toString() {
    return name + " " + type.manifestName() + (nullable ? " (nullable)" : "");
  }
}
