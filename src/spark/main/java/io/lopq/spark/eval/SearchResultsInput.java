package io.lopq.spark.eval;

import static org.apache.spark.sql.functions.col;

import io.lopq.io.fs.InputFiles;
import io.lopq.format.vectors.InvalidInputException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Reads search results, one row per returned neighbour, from Parquet or CSV (with a header):
 *
 * <pre>
 *   query_id     integer   the query's id (its row number for .fvecs queries)
 *   rank         integer   1 for the nearest returned neighbour, then 2, 3, ...
 *   neighbor_id  integer   the base vector's id (its row number for an .fvecs base)
 *   distance     number    the (approximate) squared L2 distance
 * </pre>
 *
 * and normalizes the types to long, int, long, double. Other columns are ignored. The schema is
 * checked on the driver; row values (nulls, unparseable CSV fields, ranks) are checked by
 * {@link EvalJob} inside its Spark job.
 */
public final class SearchResultsInput {
  /** The query id column. */
  public static final String QUERY_ID = "query_id";
  /** The 1-based rank column. */
  public static final String RANK = "rank";
  /** The neighbour id column. */
  public static final String NEIGHBOR_ID = "neighbor_id";
  /** The distance column. */
  public static final String DISTANCE = "distance";
  /** The columns, in their normalized order. */
  public static final List<String> COLUMNS = List.of(QUERY_ID, RANK, NEIGHBOR_ID, DISTANCE);
  /** The normalized schema (nullable: CSV fields that do not parse become null, and are reported). */
  public static final StructType SCHEMA = DataTypes.createStructType(new StructField[] {
      DataTypes.createStructField(QUERY_ID, DataTypes.LongType, true),
      DataTypes.createStructField(RANK, DataTypes.IntegerType, true),
      DataTypes.createStructField(NEIGHBOR_ID, DataTypes.LongType, true),
      DataTypes.createStructField(DISTANCE, DataTypes.DoubleType, true)});

  private static final String CSV_EXTENSION = ".csv";
  private static final List<DataType> INTEGER_TYPES =
      List.of(DataTypes.ByteType, DataTypes.ShortType, DataTypes.IntegerType, DataTypes.LongType);
  private static final List<DataType> NUMBER_TYPES =
      List.of(DataTypes.ByteType, DataTypes.ShortType, DataTypes.IntegerType, DataTypes.LongType,
          DataTypes.FloatType, DataTypes.DoubleType);

  /** The two formats results come in. */
  public enum Format {
    PARQUET, CSV;

    /** The format called {@code name} ("parquet", "csv"), or the one the path implies if blank. */
    public static Format resolve(String path, String name) {
      if (name == null || name.isBlank()) {
        String p = path.strip().toLowerCase(Locale.ROOT);
        while (p.endsWith("/") && p.length() > 1) {
          p = p.substring(0, p.length() - 1);
        }
        return p.endsWith(CSV_EXTENSION) ? CSV : PARQUET;
      }
      for (Format f : values()) {
        if (f.name().equalsIgnoreCase(name.strip())) {
          return f;
        }
      }
      throw new IllegalArgumentException("unknown results format '" + name + "', expected parquet or csv");
    }
  }

  private SearchResultsInput() {}

  /**
   * Reads the results at {@code path} in {@code format} (null: from the path's name: ".csv" means
   * CSV, anything else Parquet).
   *
   * @throws InvalidInputException if the path does not exist, holds no files, or lacks a column
   *     or has one of the wrong type
   */
  public static Dataset<Row> read(SparkSession spark, String path, String format) {
    if (path == null || path.isBlank()) {
      throw new IllegalArgumentException("results path is empty");
    }
    InputFiles files = InputFiles.list(path, spark.sparkContext().hadoopConfiguration());
    if (files.files().isEmpty()) {
      throw new InvalidInputException("results path " + path + " holds no data files");
    }
    Format f = Format.resolve(path, format);
    return f == Format.CSV ? readCsv(spark, path) : readParquet(spark, path);
  }

  private static Dataset<Row> readParquet(SparkSession spark, String path) {
    Dataset<Row> raw;
    try {
      raw = spark.read().parquet(path);
    } catch (RuntimeException e) {
      throw new InvalidInputException("cannot read results " + path + " as Parquet: " + e.getMessage(), e);
    }
    StructType schema = raw.schema();
    requireColumns(path, schema);
    requireType(path, schema, QUERY_ID, INTEGER_TYPES, "an integer");
    requireType(path, schema, RANK, INTEGER_TYPES, "an integer");
    requireType(path, schema, NEIGHBOR_ID, INTEGER_TYPES, "an integer");
    requireType(path, schema, DISTANCE, NUMBER_TYPES, "a number");
    return normalize(raw, false);
  }

  private static Dataset<Row> readCsv(SparkSession spark, String path) {
    Dataset<Row> raw = spark.read()
        .option("header", true)
        .option("inferSchema", false)
        .option("mode", "PERMISSIVE")
        .csv(path);
    requireColumns(path, raw.schema());
    return normalize(raw, true);
  }

  private static Dataset<Row> normalize(Dataset<Row> raw, boolean lenient) {
    Column[] columns = new Column[SCHEMA.fields().length];
    for (int i = 0; i < columns.length; i++) {
      StructField field = SCHEMA.fields()[i];
      Column c = col(field.name());
      columns[i] = (lenient ? c.try_cast(field.dataType()) : c.cast(field.dataType())).as(field.name());
    }
    return raw.select(columns);
  }

  private static void requireColumns(String path, StructType schema) {
    List<String> names = Arrays.asList(schema.fieldNames());
    for (String column : COLUMNS) {
      if (!names.contains(column)) {
        throw new InvalidInputException("results " + path + " have no column '" + column + "'; expected the columns "
            + String.join(",", COLUMNS) + ", found " + String.join(",", names));
      }
    }
  }

  private static void requireType(String path, StructType schema, String column, List<DataType> accepted,
      String expected) {
    DataType type = schema.apply(column).dataType();
    if (!accepted.contains(type)) {
      throw new InvalidInputException("results " + path + ": column '" + column + "' has type " + type.simpleString()
          + ", expected " + expected);
    }
  }
}
