package io.lopq.io.vectors;

import io.lopq.format.vectors.InvalidInputException;
import io.lopq.io.fs.InputFiles;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.ml.linalg.VectorUDT;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.ByteType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.IntegerType;
import org.apache.spark.sql.types.LongType;
import org.apache.spark.sql.types.ShortType;
import org.apache.spark.sql.types.StringType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.util.LongAccumulator;
import scala.Tuple2;

/**
 * Reads vectors from Parquet with Spark, normalizing the vector column ({@code array<float>},
 * {@code array<double>} or an ML Vector) to {@code array<float>} and checking each row.
 *
 * <p>Row numbers (the ids when there is no id column, and the rows named in errors) come from
 * Spark's hidden {@code _metadata.file_path} and {@code _metadata.row_index} columns:
 *
 * <pre>
 *   id = (rows in files whose path sorts before this row's file) + row index within the file
 * </pre>
 *
 * The per-file row counts come from one small job that reads no column data.
 */
final class ParquetReader {
  private static final String FILE = "_lopq_file";
  private static final String ROW = "_lopq_row";
  private static final String ACCEPTED_VECTOR_TYPES = "array<float>, array<double> or an ML Vector ("
      + VectorUDT.class.getName() + ")";

  private ParquetReader() {}

  static VectorDataset read(SparkSession spark, InputFiles files, VectorInput input, LongAccumulator skipped) {
    if (files.files().isEmpty()) {
      if (input.allowEmpty()) {
        throw new InvalidInputException("input " + files.path() + " has no files: an empty table needs at least "
            + "one Parquet file with its schema (as Spark writes for an empty DataFrame)");
      }
      throw files.noRows();
    }
    Dataset<Row> raw;
    try {
      raw = spark.read().parquet(files.path());
    } catch (Exception e) {
      throw new InvalidInputException("cannot read input " + files.path() + " as Parquet: " + e.getMessage(), e);
    }
    StructType schema = raw.schema();
    StructField vectorField = field(schema, input.vectorCol(), "vector", files.path());
    checkVectorType(vectorField, files.path());
    StructField idField = input.idColRequired() || Arrays.asList(schema.fieldNames()).contains(input.idCol())
        ? field(schema, input.idCol(), "id", files.path()) : null;
    DataType idType = idField == null ? DataTypes.LongType : idType(idField, files.path());
    List<StructField> kept = new ArrayList<>();
    for (String keep : input.keepCols()) {
      kept.add(field(schema, keep, "keep", files.path()));
    }

    List<Column> columns = new ArrayList<>();
    columns.add(idField == null ? lit(null).cast(DataTypes.LongType) : quoted(idField.name()));
    columns.add(quoted(vectorField.name()));
    kept.forEach(f -> columns.add(quoted(f.name())));
    columns.add(col("_metadata.file_path").as(FILE));
    columns.add(col("_metadata.row_index").as(ROW));
    Dataset<Row> selected = raw.select(columns.toArray(new Column[0]));

    Map<String, Long> firstIds = new HashMap<>();
    long[] totalRows = new long[1];
    String firstNonEmptyFile = rowOffsets(selected, firstIds, totalRows);
    StructType output = VectorSchema.of(idType, kept);
    if (firstNonEmptyFile == null) {
      return VectorDataset.empty(spark, files, input, output, skipped);
    }
    int dimension = input.dimension() != null
        ? input.dimension() : firstRowDimension(selected, vectorField.name(), firstNonEmptyFile);

    Normalizer normalizer = new Normalizer(idField != null, idType.equals(DataTypes.StringType), kept.size(),
        firstIds, new RowValidator(dimension, skipped));
    return new VectorDataset(selected.mapPartitions(normalizer, Encoders.row(output)), dimension, skipped,
        totalRows[0]);
  }

  private static Column quoted(String name) {
    return col("`" + name.replace("`", "``") + "`");
  }

  private static StructField field(StructType schema, String name, String role, String path) {
    if (!Arrays.asList(schema.fieldNames()).contains(name)) {
      throw new InvalidInputException("input " + path + " has no " + role + " column '" + name
          + "'; its columns are " + describe(schema));
    }
    return schema.apply(name);
  }

  private static String describe(StructType schema) {
    return Arrays.stream(schema.fields())
        .map(f -> f.name() + " (" + f.dataType().simpleString() + ")")
        .collect(Collectors.joining(", ", "[", "]"));
  }

  private static void checkVectorType(StructField field, String path) {
    DataType type = field.dataType();
    boolean ok = type instanceof VectorUDT
        || (type instanceof ArrayType array
            && (array.elementType().equals(DataTypes.FloatType) || array.elementType().equals(DataTypes.DoubleType)));
    if (!ok) {
      throw new InvalidInputException("vector column '" + field.name() + "' of input " + path + " has type "
          + type.simpleString() + "; expected " + ACCEPTED_VECTOR_TYPES);
    }
  }

  private static DataType idType(StructField field, String path) {
    DataType type = field.dataType();
    if (type instanceof LongType || type instanceof IntegerType || type instanceof ShortType
        || type instanceof ByteType) {
      return DataTypes.LongType;
    } else if (type instanceof StringType) {
      return DataTypes.StringType;
    }
    throw new InvalidInputException("id column '" + field.name() + "' of input " + path + " has type "
        + type.simpleString() + "; expected an integer type or string");
  }

  /**
   * Fills {@code firstIds} with the row number of each file's first row (files in path order) and
   * {@code totalRows[0]} with the number of rows, and returns the first file that has rows, or null if
   * there are none.
   */
  private static String rowOffsets(Dataset<Row> selected, Map<String, Long> firstIds, long[] totalRows) {
    Map<String, Long> counts = new TreeMap<>();
    selected.select(FILE)
        .mapPartitions(new FileRowCounter(), Encoders.tuple(Encoders.STRING(), Encoders.LONG()))
        .collectAsList()
        .forEach(c -> counts.merge(c._1(), c._2(), Long::sum));
    long total = 0;
    String firstNonEmpty = null;
    for (Map.Entry<String, Long> count : counts.entrySet()) {
      firstIds.put(count.getKey(), total);
      total += count.getValue();
      if (firstNonEmpty == null && count.getValue() > 0) {
        firstNonEmpty = count.getKey();
      }
    }
    totalRows[0] = total;
    return firstNonEmpty;
  }

  /** Counts a partition's rows per file (one stage, no shuffle: a partition holds few files). */
  private static final class FileRowCounter implements MapPartitionsFunction<Row, Tuple2<String, Long>> {
    private static final long serialVersionUID = 1L;

    @Override
    public Iterator<Tuple2<String, Long>> call(Iterator<Row> rows) {
      Map<String, Long> counts = new HashMap<>();
      rows.forEachRemaining(r -> counts.merge(r.getString(0), 1L, Long::sum));
      List<Tuple2<String, Long>> out = new ArrayList<>();
      counts.forEach((file, count) -> out.add(new Tuple2<>(file, count)));
      return out.iterator();
    }
  }

  /** The dimension of row 0 of {@code file}: the reference when no dimension is expected. */
  private static int firstRowDimension(Dataset<Row> selected, String vectorCol, String file) {
    List<Row> first = selected.filter(col(FILE).equalTo(file).and(col(ROW).equalTo(0L)))
        .select(quoted(vectorCol))
        .takeAsList(1);
    if (first.isEmpty()) {
      throw new IllegalStateException("no row 0 in " + file + ", though it has rows");
    }
    try {
      return RowVectors.length(first.get(0).get(0));
    } catch (IllegalArgumentException e) {
      throw new InvalidInputException(RowValidator.row(0, file) + " " + e.getMessage()
          + "; cannot take the dimension from it (give the expected dimension)");
    }
  }

  /** Turns selected rows (id, vector, kept..., file, row) into normalized rows (runs on executors). */
  private static final class Normalizer implements MapPartitionsFunction<Row, Row>, Serializable {
    private static final long serialVersionUID = 1L;
    private final boolean hasIdColumn;
    private final boolean stringIds;
    private final int keptCount;
    private final Map<String, Long> firstIds;
    private final RowValidator validator;

    Normalizer(boolean hasIdColumn, boolean stringIds, int keptCount, Map<String, Long> firstIds,
        RowValidator validator) {
      this.hasIdColumn = hasIdColumn;
      this.stringIds = stringIds;
      this.keptCount = keptCount;
      this.firstIds = new HashMap<>(firstIds);
      this.validator = validator;
    }

    @Override
    public Iterator<Row> call(Iterator<Row> rows) {
      return new SkippingIterator<>(rows, this::normalize);
    }

    private Row normalize(Row in) {
      int fileIndex = 2 + keptCount;
      String file = in.getString(fileIndex);
      long row = in.getLong(fileIndex + 1);
      Object id;
      if (!hasIdColumn) {
        Long firstId = firstIds.get(file);
        if (firstId == null) {
          throw new IllegalStateException("rows of " + file + " were not counted; counted " + firstIds.keySet());
        }
        id = firstId + row;
      } else if (in.isNullAt(0)) {
        validator.reject(RowValidator.row(row, file), "has a null id");
        return null;
      } else {
        id = stringIds ? in.getString(0) : ((Number) in.get(0)).longValue();
      }
      float[] vector;
      try {
        vector = RowVectors.toFloats(in.get(1));
      } catch (IllegalArgumentException e) {
        validator.reject(where(id, row, file), e.getMessage());
        return null;
      }
      if (!validator.accept(vector, () -> where(id, row, file))) {
        return null;
      }
      Object[] values = new Object[2 + keptCount];
      values[0] = id;
      values[1] = vector;
      for (int k = 0; k < keptCount; k++) {
        values[2 + k] = in.get(2 + k);
      }
      return RowFactory.create(values);
    }

    private String where(Object id, long row, String file) {
      return hasIdColumn ? RowValidator.row(row, file) + " (id " + id + ")" : RowValidator.row(row, file);
    }
  }
}
