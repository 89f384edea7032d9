package io.lopq.spark.ml;

import java.util.Arrays;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.Params;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * The column parameters the estimator and the model share (declared once here, with their docs
 * and defaults), and the schema rules of the transformation:
 *
 * <pre>
 *   inputCol   array&lt;float&gt;, array&lt;double&gt; or a Spark ML Vector, of dimension D     default "vector"
 *   coarse0Col int, the coarse cluster of the first half                           default "coarse0"
 *   coarse1Col int, the coarse cluster of the second half                          default "coarse1"
 *   codesCol   binary, the M fine codes (one unsigned byte each)                    default "codes"
 * </pre>
 */
final class LopqColumns {
  static final String INPUT_COL = "inputCol";
  static final String COARSE0_COL = "coarse0Col";
  static final String COARSE1_COL = "coarse1Col";
  static final String CODES_COL = "codesCol";
  static final String DEFAULT_INPUT_COL = "vector";
  static final String DEFAULT_COARSE0_COL = "coarse0";
  static final String DEFAULT_COARSE1_COL = "coarse1";
  static final String DEFAULT_CODES_COL = "codes";

  private LopqColumns() {}

  static Param<String> inputCol(Params parent) {
    return new Param<>(parent, INPUT_COL,
        "input column of vectors (array<float>, array<double> or a Spark ML Vector) of dimension D");
  }

  static Param<String> coarse0Col(Params parent) {
    return new Param<>(parent, COARSE0_COL, "output column (int) of the first half's coarse cluster");
  }

  static Param<String> coarse1Col(Params parent) {
    return new Param<>(parent, COARSE1_COL, "output column (int) of the second half's coarse cluster");
  }

  static Param<String> codesCol(Params parent) {
    return new Param<>(parent, CODES_COL, "output column (binary) of the M fine codes, one unsigned byte each");
  }

  /** Checks that {@code column} exists and holds vectors. */
  static void checkInput(StructType schema, String column) {
    DataType type = field(schema, column).dataType();
    boolean array = type instanceof ArrayType a
        && (a.elementType().equals(DataTypes.FloatType) || a.elementType().equals(DataTypes.DoubleType));
    if (!array && !type.equals(SQLDataTypes.VectorType())) {
      throw new IllegalArgumentException("input column '" + column + "' has type " + type.simpleString()
          + ", expected array<float>, array<double> or a Spark ML Vector");
    }
  }

  /** The input schema plus the three output columns (which must not exist yet). */
  static StructType outputSchema(StructType schema, String input, String coarse0, String coarse1, String codes) {
    checkInput(schema, input);
    for (String out : new String[] {coarse0, coarse1, codes}) {
      if (Arrays.asList(schema.fieldNames()).contains(out)) {
        throw new IllegalArgumentException("output column '" + out + "' already exists in the input");
      }
    }
    if (coarse0.equals(coarse1) || coarse0.equals(codes) || coarse1.equals(codes)) {
      throw new IllegalArgumentException("output columns must differ, got '" + coarse0 + "', '" + coarse1
          + "' and '" + codes + "'");
    }
    return schema.add(coarse0, DataTypes.IntegerType, false)
        .add(coarse1, DataTypes.IntegerType, false)
        .add(codes, DataTypes.BinaryType, false);
  }

  private static StructField field(StructType schema, String column) {
    for (StructField f : schema.fields()) {
      if (f.name().equals(column)) {
        return f;
      }
    }
    throw new IllegalArgumentException("input column '" + column + "' not found; the input has columns "
        + Arrays.toString(schema.fieldNames()));
  }
}
