package io.lopq.spark.search;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.length;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import io.lopq.format.vectors.InvalidInputException;
import io.lopq.model.LopqModel;
import io.lopq.search.batch.CellCounts;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Checks an encoded index against the model and counts its rows per cell, in one aggregation:
 *
 * <pre>
 *   SELECT coarse0, coarse1, count(*), sum(codes is null or length(codes) != M), sum(id is null)
 *   GROUP BY coarse0, coarse1
 * </pre>
 *
 * The result is small (one row per non-empty cell) and becomes the broadcast {@link CellCounts}.
 */
public final class IndexSummary {
  private IndexSummary() {}

  /**
   * Checks the schema and fingerprint of {@code index} against {@code model}, then counts rows per cell.
   *
   * @throws IllegalArgumentException if the index was encoded by another model, lacks a column or
   *     has it with another type
   * @throws InvalidInputException if the index has no rows, a null, a code of the wrong length,
   *     or a cell outside the model's {@code [0, V)^2}
   */
  public static CellCounts summarize(SearchIndex index, LopqModel model) {
    requireModel(index, model);
    Dataset<Row> rows = index.rows();
    checkSchema(rows.schema(), index.description());
    int m = model.subquantizers();
    List<Row> cells = rows
        .groupBy(col(SearchIndex.COARSE0), col(SearchIndex.COARSE1))
        .agg(count(lit(1)),
            sum(when(col(SearchIndex.CODES).isNull().or(length(col(SearchIndex.CODES)).notEqual(m)), 1).otherwise(0)),
            sum(when(col(SearchIndex.ID).isNull(), 1).otherwise(0)))
        .collectAsList();
    if (cells.isEmpty()) {
      throw new InvalidInputException("the encoded index " + index.description() + " has no rows");
    }
    int n = cells.size();
    int[] c0 = new int[n];
    int[] c1 = new int[n];
    long[] counts = new long[n];
    long badCodes = 0;
    long nullIds = 0;
    int v = model.coarseClusters();
    for (int i = 0; i < n; i++) {
      Row r = cells.get(i);
      if (r.isNullAt(0) || r.isNullAt(1)) {
        throw new InvalidInputException("the encoded index " + index.description() + " has " + r.getLong(2)
            + " rows without a cell (null coarse0 or coarse1)");
      }
      c0[i] = r.getInt(0);
      c1[i] = r.getInt(1);
      if (c0[i] < 0 || c0[i] >= v || c1[i] < 0 || c1[i] >= v) {
        throw new InvalidInputException("the encoded index " + index.description() + " has " + r.getLong(2)
            + " rows in cell (" + c0[i] + ", " + c1[i] + "), outside [0, " + v + ")^2 of the model's V=" + v);
      }
      counts[i] = r.getLong(2);
      badCodes += r.getLong(3);
      nullIds += r.getLong(4);
    }
    if (badCodes > 0) {
      throw new InvalidInputException("the encoded index " + index.description() + " has " + badCodes
          + " rows whose codes are not " + m + " bytes (the model's M=" + m + ")");
    }
    if (nullIds > 0) {
      throw new InvalidInputException("the encoded index " + index.description() + " has " + nullIds
          + " rows with a null id");
    }
    return new CellCounts(v, c0, c1, counts);
  }

  /**
   * Refuses an index encoded by another model.
   *
   * @throws IllegalArgumentException naming both fingerprints
   */
  public static void requireModel(SearchIndex index, LopqModel model) {
    if (!index.fingerprint().equals(model.fingerprint())) {
      throw new IllegalArgumentException("the encoded index " + index.description()
          + " was encoded by the model with fingerprint " + index.fingerprint()
          + ", but the model given has fingerprint " + model.fingerprint()
          + "; search with the model that encoded the index");
    }
  }

  private static void checkSchema(StructType schema, String description) {
    checkField(schema, SearchIndex.ID, DataTypes.LongType, description); // or string
    checkField(schema, SearchIndex.COARSE0, DataTypes.IntegerType, description);
    checkField(schema, SearchIndex.COARSE1, DataTypes.IntegerType, description);
    checkField(schema, SearchIndex.CODES, DataTypes.BinaryType, description);
  }

  private static void checkField(StructType schema, String name, DataType type, String description) {
    for (StructField f : schema.fields()) {
      if (f.name().equals(name)) {
        if (name.equals(SearchIndex.ID) && f.dataType().equals(DataTypes.StringType)) {
          return;
        }
        if (!f.dataType().equals(type)) {
          throw new IllegalArgumentException("column " + name + " of the encoded index " + description + " is "
              + f.dataType().simpleString() + ", expected " + type.simpleString());
        }
        return;
      }
    }
    throw new IllegalArgumentException("the encoded index " + description + " has no column " + name + " (columns: "
        + String.join(", ", schema.fieldNames()) + ")");
  }
}
