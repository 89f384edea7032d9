package io.lopq.spark.ml;

import io.lopq.format.vectors.VectorInputParams;
import io.lopq.param.Check;
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
public final class LopqColumns {
  static final io.lopq.param.Param<String> INPUT_COL = io.lopq.param.Param.ofString("inputCol",
      "input column of vectors (array<float>, array<double> or a Spark ML Vector) of dimension D",
      VectorInputParams.VECTOR_COL.defaultValue(), Check.any());
  static final io.lopq.param.Param<String> COARSE0_COL = io.lopq.param.Param.ofString("coarse0Col",
      "output column (int) of the first half's coarse cluster", "coarse0", Check.any());
  static final io.lopq.param.Param<String> COARSE1_COL = io.lopq.param.Param.ofString("coarse1Col",
      "output column (int) of the second half's coarse cluster", "coarse1", Check.any());
  static final io.lopq.param.Param<String> CODES_COL = io.lopq.param.Param.ofString("codesCol",
      "output column (binary) of the M fine codes, one unsigned byte each", "codes", Check.any());

  private LopqColumns() {}

  /** The four column params of one stage. */
  public record Set(Param<String> inputCol, Param<String> coarse0Col, Param<String> coarse1Col, Param<String> codesCol)
      implements java.io.Serializable {}

  /** The column params of {@code owner}, their defaults set. */
  static Set declare(Params owner) {
    return new Set(declare(owner, INPUT_COL), declare(owner, COARSE0_COL), declare(owner, COARSE1_COL),
        declare(owner, CODES_COL));
  }

  private static Param<String> declare(Params owner, io.lopq.param.Param<String> column) {
    return MlParams.declare(owner, MlParams.stringParam(owner, column), column);
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
