package io.lopq.spark.search;

import static org.apache.spark.sql.functions.col;

import io.lopq.io.fs.AtomicCommit;
import io.lopq.search.batch.PartialResult;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.fs.FileAlreadyExistsException;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Writes search results: one row per (query, neighbour), ordered by query number then rank,
 * committed atomically (temporary sibling, then rename) with the report inside.
 *
 * <pre>
 *   query_id (the query's id: long or string), rank (int, from 1), neighbor_id (the index's id: long or
 *   string), distance (double)
 *   OUTPUT/part-*.parquet | OUTPUT/part-*.csv (header query_id,rank,neighbor_id,distance)
 *   OUTPUT/_lopq_search_report.json
 * </pre>
 *
 * An existing output is replaced only with {@code overwrite}, and only if it holds a search
 * report (so that a mistyped path cannot replace, say, the index).
 */
public final class ResultWriter {
  /** Column names of the results. */
  public static final String QUERY_ID = "query_id", RANK = "rank", NEIGHBOR_ID = "neighbor_id", DISTANCE = "distance";
  /** A working column: the query's number, to keep the input's order. */
  private static final String QUERY_INDEX = "query_index";
  /** The report file inside the output (hidden from Spark readers by its leading underscore). */
  public static final String REPORT_FILE = "_lopq_search_report.json";

  /** Output formats. */
  public enum Format {
    PARQUET, CSV;

    /** The format called {@code name} (case-insensitive). */
    public static Format of(String name) {
      for (Format f : values()) {
        if (f.name().equalsIgnoreCase(name)) {
          return f;
        }
      }
      throw new IllegalArgumentException("output format must be parquet or csv, got '" + name + "'");
    }
  }

  private ResultWriter() {}

  /** The schema of the results for query and neighbour ids of the given types (long or string). */
  public static StructType schema(DataType queryIdType, DataType neighborIdType) {
    return DataTypes.createStructType(List.of(
        DataTypes.createStructField(QUERY_ID, queryIdType, false),
        DataTypes.createStructField(RANK, DataTypes.IntegerType, false),
        DataTypes.createStructField(NEIGHBOR_ID, neighborIdType, false),
        DataTypes.createStructField(DISTANCE, DataTypes.DoubleType, false)));
  }

  /**
   * Fails early if {@code output} exists and may not be replaced.
   *
   * @throws FileAlreadyExistsException if it exists and {@code overwrite} is false
   * @throws IOException if it exists but does not look like search results
   */
  public static void checkTarget(FileSystem fs, Path output, boolean overwrite) throws IOException {
    if (fs.exists(output)) {
      if (!overwrite) {
        throw new FileAlreadyExistsException("output " + output + " already exists (use --overwrite to replace it)");
      }
      guard(fs, fs.getFileStatus(output));
    }
  }

  private static void guard(FileSystem fs, FileStatus existing) throws IOException {
    if (!existing.isDirectory() || !fs.exists(new Path(existing.getPath(), REPORT_FILE))) {
      throw new IOException("refusing to overwrite " + existing.getPath() + ": it does not hold lopq search results"
          + " (no " + REPORT_FILE + ")");
    }
  }

  /**
   * The results as rows, sorted by query number, rank from 1.
   *
   * @param dictionary the keys of string neighbour ids, or null when the index has long ids
   */
  public static Dataset<Row> toRows(SparkSession spark, JavaPairRDD<Long, PartialResult> results,
      DataType queryIdType, IdDictionary dictionary) {
    boolean withKeys = dictionary != null;
    JavaRDD<Row> rows = results.sortByKey().flatMap(entry -> {
      PartialResult r = entry._2();
      List<Row> out = new ArrayList<>(r.size());
      long[] ids = r.ids();
      double[] distances = r.distances();
      for (int i = 0; i < ids.length; i++) {
        out.add(!withKeys ? RowFactory.create(r.queryId(), i + 1, ids[i], distances[i])
            : RowFactory.create(entry._1(), r.queryId(), i + 1, ids[i], distances[i]));
      }
      return out.iterator();
    });
    if (dictionary == null) {
      return spark.createDataFrame(rows, schema(queryIdType, DataTypes.LongType));
    }
    StructType keyed = DataTypes.createStructType(List.of(
        DataTypes.createStructField(QUERY_INDEX, DataTypes.LongType, false),
        DataTypes.createStructField(QUERY_ID, queryIdType, false),
        DataTypes.createStructField(RANK, DataTypes.IntegerType, false),
        DataTypes.createStructField(IdDictionary.KEY, DataTypes.LongType, false),
        DataTypes.createStructField(DISTANCE, DataTypes.DoubleType, false)));
    return spark.createDataFrame(rows, keyed)
        .join(dictionary.table(), IdDictionary.KEY)
        .orderBy(col(QUERY_INDEX), col(RANK))
        .select(col(QUERY_ID), col(RANK), col(IdDictionary.ID).as(NEIGHBOR_ID), col(DISTANCE));
  }

  /** Writes {@code rows} and the report to {@code output} atomically. */
  public static void write(Dataset<Row> rows, FileSystem fs, Path output, Format format, boolean overwrite,
      String reportJson) throws IOException {
    AtomicCommit.commit(fs, output, overwrite, ResultWriter::guard, (fileSystem, temporary) -> {
      if (format == Format.CSV) {
        rows.write().option("header", true).csv(temporary.toString());
      } else {
        rows.write().parquet(temporary.toString());
      }
      try (OutputStream out = fileSystem.create(new Path(temporary, REPORT_FILE), false)) {
        out.write(reportJson.getBytes(StandardCharsets.UTF_8));
      }
    });
  }
}
