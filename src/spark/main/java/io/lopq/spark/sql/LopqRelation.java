package io.lopq.spark.sql;

import io.lopq.io.vectors.VectorDataset;
import java.util.Objects;
import org.apache.spark.rdd.RDD;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SQLContext;
import org.apache.spark.sql.sources.BaseRelation;
import org.apache.spark.sql.sources.TableScan;
import org.apache.spark.sql.types.StructType;

/**
 * A {@code lopq} table: the vectors in the normalized schema ({@code id, vector, kept...}) and,
 * when the table was given a model and index, its {@link IndexBinding}. Driver-side only (Spark
 * plans scans of it; the relation itself never travels to executors).
 */
public final class LopqRelation extends BaseRelation implements TableScan {
  private final transient SQLContext sqlContext;
  private final String path;
  private final transient VectorDataset vectors;
  private final transient IndexBinding binding;

  LopqRelation(SQLContext sqlContext, String path, VectorDataset vectors, IndexBinding binding) {
    this.sqlContext = Objects.requireNonNull(sqlContext, "sqlContext");
    this.path = Objects.requireNonNull(path, "path");
    this.vectors = Objects.requireNonNull(vectors, "vectors");
    this.binding = binding;
  }

  @Override
  public SQLContext sqlContext() {
    return sqlContext;
  }

  @Override
  public StructType schema() {
    return vectors.rows().schema();
  }

  /** The scan hands Spark internal rows ({@link #buildScan}): no conversion to and from {@link Row}. */
  @Override
  public boolean needConversion() {
    return false;
  }

  /** The rows as Spark's internal rows (typed {@code RDD<Row>} as the interface wants; see {@link #needConversion}). */
  @Override
  @SuppressWarnings("unchecked")
  public RDD<Row> buildScan() {
    return (RDD<Row>) (RDD<?>) vectors.rows().queryExecution().toRdd();
  }

  /** The table's path, as given. */
  public String path() {
    return path;
  }

  /** The rows (lazy). */
  public VectorDataset vectors() {
    return vectors;
  }

  /** The model and index, or null for a table without one. */
  public IndexBinding binding() {
    return binding;
  }

  @Override
  public String toString() {
    return binding == null ? "lopq " + path : binding.toString();
  }
}
