package io.lopq.spark.search;

import io.lopq.io.vectors.VectorSchema;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.types.DataTypes;
import scala.Tuple2;

/**
 * The (id, vector) pairs of a dataset in the normalized vector schema, read from Spark's internal
 * rows: the vector comes out as one copy of the row's float array, whereas {@code Dataset.javaRDD()}
 * would box every element (a Seq of Float), which costs more than the search itself.
 */
public final class VectorRows {
  private static final int ID = 0;
  private static final int VECTOR = 1;

  private VectorRows() {}

  /** {@code (id, vector)}: the id a {@code Long} or {@code String}, the vector a fresh float array. */
  public static JavaRDD<Tuple2<Object, float[]>> of(Dataset<Row> rows) {
    VectorSchema.check(rows.schema());
    boolean stringIds = rows.schema().fields()[ID].dataType().equals(DataTypes.StringType);
    return internal(rows).map(r -> new Tuple2<>(stringIds ? r.getUTF8String(ID).toString() : (Object) r.getLong(ID),
        r.getArray(VECTOR).toFloatArray()));
  }

  private static JavaRDD<InternalRow> internal(Dataset<Row> rows) {
    return rows.select(VectorSchema.ID, VectorSchema.VECTOR).queryExecution().toRdd().toJavaRDD();
  }
}
