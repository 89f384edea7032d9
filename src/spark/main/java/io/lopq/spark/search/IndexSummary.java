package io.lopq.spark.search;

import io.lopq.format.vectors.InvalidInputException;
import io.lopq.model.LopqModel;
import io.lopq.search.batch.CellCounts;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.Attribute;
import org.apache.spark.sql.execution.SparkPlan;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.sql.vectorized.ColumnVector;
import org.apache.spark.sql.vectorized.ColumnarBatch;
import scala.collection.immutable.Seq;

/**
 * Checks an encoded index against the model and counts its rows per cell, in one pass:
 *
 * <pre>
 *   per partition:  rows of (id, coarse0, coarse1) -&gt; CellTally (runs of one cell, no hashing)
 *   treeAggregate:  merge the sorted tallies         -&gt; rows per non-empty cell
 *   refused:        a null id, a null cell, a cell outside [0, V)^2
 * </pre>
 *
 * The result is small (one row per non-empty cell) and becomes the broadcast {@link CellCounts}.
 * The pass reads only the three small columns, from the Parquet scan's column batches when it can
 * (as {@link AdcSearch} does), and counts runs of a cell rather than hashing every row: at 10M rows
 * Spark's hash aggregation took about as much task CPU as searching 10,000 queries. The pass does not read
 * the {@code codes} column: each row's codes are checked where the search reads them
 * ({@link CodeCheck}).
 */
public final class IndexSummary {
  /** Depth of the tree in which the partitions' tallies are merged (executors do all but the last). */
  private static final int MERGE_DEPTH = 3;

  private IndexSummary() {}

  /**
   * Checks the schema and fingerprint of {@code index} against {@code model}, then counts rows per cell.
   *
   * @throws IllegalArgumentException if the index was encoded by another model, lacks a column or
   *     has it with another type
   * @throws InvalidInputException if the index has no rows, a null id or cell, or a cell outside
   *     the model's {@code [0, V)^2} (codes are checked where they are read: {@link CodeCheck})
   */
  public static CellCounts summarize(SearchIndex index, LopqModel model) {
    requireModel(index, model);
    Dataset<Row> rows = index.rows();
    checkSchema(rows.schema(), index.description());
    int v = model.coarseClusters();
    String description = index.description();
    Dataset<Row> cells = rows.select(SearchIndex.ID, SearchIndex.COARSE0, SearchIndex.COARSE1);
    SparkPlan scan = columnarScan(cells.queryExecution().executedPlan());
    JavaRDD<CellTally> tallies = scan != null
        ? scan.executeColumnar().toJavaRDD().mapPartitions(batches -> {
          CellTally tally = new CellTally(v, description);
          while (batches.hasNext()) {
            tallyBatch(batches.next(), tally);
          }
          return List.of(tally.finish()).iterator();
        })
        : cells.queryExecution().toRdd().toJavaRDD().mapPartitions(it -> {
          CellTally tally = new CellTally(v, description);
          while (it.hasNext()) {
            InternalRow r = it.next();
            boolean noCell = r.isNullAt(1) || r.isNullAt(2);
            tally.add(r.isNullAt(0), noCell, noCell ? 0 : r.getInt(1), noCell ? 0 : r.getInt(2));
          }
          return List.of(tally.finish()).iterator();
        });
    CellTally total = tallies.treeAggregate(new CellTally(v, description).finish(), CellTally::merge,
        CellTally::merge, MERGE_DEPTH);
    if (total.cells() == 0) {
      throw new InvalidInputException("the encoded index " + description + " has no rows");
    }
    return total.toCounts();
  }

  /** Counts one column batch of (id, coarse0, coarse1), reading the columns in place. */
  private static void tallyBatch(ColumnarBatch batch, CellTally tally) {
    ColumnVector ids = batch.column(0);
    ColumnVector c0 = batch.column(1);
    ColumnVector c1 = batch.column(2);
    boolean idNulls = ids.hasNull();
    boolean cellNulls = c0.hasNull() || c1.hasNull();
    for (int i = 0, n = batch.numRows(); i < n; i++) {
      boolean noCell = cellNulls && (c0.isNullAt(i) || c1.isNullAt(i));
      tally.add(idNulls && ids.isNullAt(i), noCell, noCell ? 0 : c0.getInt(i), noCell ? 0 : c1.getInt(i));
    }
  }

  /**
   * The columnar scan under {@code plan} if the plan only turns its batches into rows and the scan
   * outputs exactly (id, coarse0 int, coarse1 int); else null (rows are then read one by one).
   */
  static SparkPlan columnarScan(SparkPlan plan) {
    SparkPlan node = AdcSearch.belowRowConversion(plan);
    if (!node.supportsColumnar()) {
      return null;
    }
    Seq<Attribute> output = node.output();
    return output.size() == 3 && output.apply(0).name().equals(SearchIndex.ID)
        && output.apply(1).name().equals(SearchIndex.COARSE0)
        && output.apply(1).dataType().equals(DataTypes.IntegerType)
        && output.apply(2).name().equals(SearchIndex.COARSE1)
        && output.apply(2).dataType().equals(DataTypes.IntegerType) ? node : null;
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
