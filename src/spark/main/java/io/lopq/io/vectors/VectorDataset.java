package io.lopq.io.vectors;

import io.lopq.io.fs.InputFiles;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.util.LongAccumulator;

/**
 * What {@link VectorInput#load} returns: the rows in the {@link VectorSchema normalized schema},
 * their dimension, and (in skip mode) the accumulator that counts the invalid rows dropped.
 *
 * @param rows the vectors: {@code id}, {@code vector}, then the kept columns; lazy (a Spark plan)
 * @param dimension D, the length of every vector in {@code rows}; 0 for an input without rows
 *     (read with {@link VectorInput#withAllowEmpty}) whose dimension was not given
 * @param skippedRows counts rows dropped as invalid once an action has run over {@code rows};
 *     null unless the input was read in skip mode
 * @param knownRows the number of rows the input's files hold, when the reader knew it without reading
 *     them (fvecs/bvecs from file lengths, Parquet from its footers; in skip mode an upper bound);
 *     {@link #UNKNOWN_ROWS} otherwise
 */
public record VectorDataset(Dataset<Row> rows, int dimension, LongAccumulator skippedRows, long knownRows) {
  /** {@link #knownRows} of an input whose row count is not known before reading it. */
  public static final long UNKNOWN_ROWS = -1;

  /** A dataset whose row count is not known before reading it. */
  public VectorDataset(Dataset<Row> rows, int dimension, LongAccumulator skippedRows) {
    this(rows, dimension, skippedRows, UNKNOWN_ROWS);
  }

  /** The type of the id column: long, or string. */
  public DataType idType() {
    return rows.schema().fields()[0].dataType();
  }

  /**
   * The table of an input without rows: empty if {@code input} allows it, else refused.
   *
   * @throws InvalidInputException "input PATH has no rows" unless {@link VectorInput#allowEmpty()}
   */
  static VectorDataset empty(SparkSession spark, InputFiles files, VectorInput input, StructType schema,
      LongAccumulator skipped) {
    if (!input.allowEmpty()) {
      throw files.noRows();
    }
    int dimension = input.dimension() != null ? input.dimension() : 0;
    return new VectorDataset(spark.createDataFrame(List.<Row>of(), schema), dimension, skipped, 0);
  }

  /** Invalid rows dropped so far (0 when not in skip mode, or before any action ran). */
  public long skippedCount() {
    return skippedRows == null ? 0 : skippedRows.value();
  }
}
