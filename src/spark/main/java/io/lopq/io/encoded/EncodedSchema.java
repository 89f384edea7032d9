package io.lopq.io.encoded;

import io.lopq.model.LopqModel;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * The row schema of an encoded dataset (schema version {@value #VERSION}), in Avro (how the
 * Parquet files are written) and in Spark (how they are read back), plus the Parquet key-value
 * metadata every file carries. The contract is {@code docs/ENCODED-FORMAT.md}.
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
 */
public final class EncodedSchema {
  /** The schema version this build writes, and the newest it reads. */
  public static final int VERSION = 1;
  /** Column of the input's id (long or string). */
  public static final String ID = "id";
  /** Column of the first half's coarse index. */
  public static final String COARSE0 = "coarse0";
  /** Column of the second half's coarse index. */
  public static final String COARSE1 = "coarse1";
  /** Column of the M fine codes, one unsigned byte each. */
  public static final String CODES = "codes";
  /** The encoded dataset's own columns, in file order; kept columns follow them. */
  public static final List<String> OWN_COLUMNS = List.of(ID, COARSE0, COARSE1, CODES);
  /** Avro record name of a row. */
  public static final String RECORD_NAME = "EncodedVector";
  /** Avro namespace of a row. */
  public static final String RECORD_NAMESPACE = "io.lopq.encoded";
  /** Parquet key-value metadata: the schema version. */
  public static final String META_SCHEMA_VERSION = "lopq.schema.version";
  /** Parquet key-value metadata: the model fingerprint ({@link LopqModel#fingerprint()}). */
  public static final String META_FINGERPRINT = "lopq.model.fingerprint";
  /** Parquet key-value metadata: the model shape as {@code D,V,M,K}. */
  public static final String META_SHAPE = "lopq.model.shape";

  private EncodedSchema() {}

  /** The Avro schema of a row: id (long or string), coarse0, coarse1, codes, then the kept columns. */
  public static Schema avro(boolean stringIds, List<KeptColumn> kept) {
    SchemaBuilder.FieldAssembler<Schema> fields = SchemaBuilder.record(RECORD_NAME).namespace(RECORD_NAMESPACE)
        .doc("One LOPQ code per input vector (lopq-spark encoded dataset, schema version " + VERSION + ")")
        .fields();
    fields = stringIds ? fields.requiredString(ID) : fields.requiredLong(ID);
    fields = fields.requiredInt(COARSE0).requiredInt(COARSE1).requiredBytes(CODES);
    for (KeptColumn k : kept) {
      fields = fields.name(k.name()).type(k.avroSchema()).noDefault();
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
    kept.forEach(k -> fields.add(k.sparkField()));
    return DataTypes.createStructType(fields);
  }

  /** Spark's type of the id column: string or long. */
  public static DataType idType(boolean stringIds) {
    return stringIds ? DataTypes.StringType : DataTypes.LongType;
  }

  /** The model's shape as written in {@link #META_SHAPE}: {@code D,V,M,K}. */
  public static String shape(LopqModel model) {
    return shape(model.dimension(), model.coarseClusters(), model.subquantizers(), model.subquantizerClusters());
  }

  /** A shape as written in {@link #META_SHAPE}: {@code D,V,M,K}. */
  public static String shape(int d, int v, int m, int k) {
    return d + "," + v + "," + m + "," + k;
  }

  /** The key-value metadata every Parquet file of a dataset encoded with {@code model} carries. */
  public static Map<String, String> fileMetadata(LopqModel model) {
    Map<String, String> meta = new LinkedHashMap<>();
    meta.put(META_SCHEMA_VERSION, String.valueOf(VERSION));
    meta.put(META_FINGERPRINT, model.fingerprint());
    meta.put(META_SHAPE, shape(model));
    return meta;
  }
}
