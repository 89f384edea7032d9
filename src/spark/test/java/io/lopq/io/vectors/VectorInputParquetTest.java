package io.lopq.io.vectors;

import io.lopq.io.fs.InputFiles;

import static io.lopq.io.vectors.InputTesting.assertMentions;
import static io.lopq.io.vectors.InputTesting.byLongId;
import static io.lopq.io.vectors.InputTesting.invalidInputMessage;
import static io.lopq.io.vectors.InputTesting.randomVectors;
import static io.lopq.io.vectors.InputTesting.spark;
import static io.lopq.io.vectors.InputTesting.vector;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.hadoop.fs.FileStatus;
import org.apache.spark.ml.linalg.VectorUDT;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VectorInputParquetTest {
  private static final int D = 4;
  private static final DataType FLOATS = DataTypes.createArrayType(DataTypes.FloatType);
  private static final DataType DOUBLES = DataTypes.createArrayType(DataTypes.DoubleType);

  @TempDir
  Path dir;

  private static StructType schema(StructField... fields) {
    return DataTypes.createStructType(fields);
  }

  private static StructField field(String name, DataType type) {
    return DataTypes.createStructField(name, type, true);
  }

  private String write(String name, List<Row> rows, StructType schema, int files) {
    String path = dir.resolve(name).toString();
    Dataset<Row> data = spark().createDataFrame(rows, schema);
    (files == 1 ? data.coalesce(1) : data.repartition(files)).write().parquet(path);
    return path;
  }

  private static Float[] boxed(float[] v) {
    Float[] out = new Float[v.length];
    for (int i = 0; i < v.length; i++) {
      out[i] = v[i];
    }
    return out;
  }

  private static Double[] boxedDoubles(float[] v) {
    Double[] out = new Double[v.length];
    for (int i = 0; i < v.length; i++) {
      out[i] = (double) v[i];
    }
    return out;
  }

  private static double[] doubles(float[] v) {
    double[] out = new double[v.length];
    for (int i = 0; i < v.length; i++) {
      out[i] = v[i];
    }
    return out;
  }

  @Test
  void floatArraysWithLongIds() {
    List<float[]> vectors = randomVectors(11, 30, D);
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < vectors.size(); i++) {
      rows.add(RowFactory.create(1000L + i, boxed(vectors.get(i))));
    }
    String path = write("p", rows, schema(field("id", DataTypes.LongType), field("vector", FLOATS)), 3);
    VectorDataset data = VectorInput.of(path).load(spark());
    assertEquals(D, data.dimension());
    assertEquals(VectorSchema.withLongIds(), data.rows().schema());
    Map<Long, Row> byId = byLongId(data.rows());
    assertEquals(30, byId.size());
    for (int i = 0; i < vectors.size(); i++) {
      assertArrayEquals(vectors.get(i), vector(byId.get(1000L + i)), "id " + (1000 + i));
    }
  }

  @Test
  void doubleArraysWithIntIdsAndOtherColumnNames() {
    List<float[]> vectors = randomVectors(12, 20, D);
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < vectors.size(); i++) {
      rows.add(RowFactory.create(i * 3, boxedDoubles(vectors.get(i))));
    }
    String path = write("p", rows, schema(field("key", DataTypes.IntegerType), field("emb", DOUBLES)), 2);
    VectorDataset data = VectorInput.of(path).withIdCol("key").withVectorCol("emb").load(spark());
    Map<Long, Row> byId = byLongId(data.rows());
    assertEquals(20, byId.size());
    for (int i = 0; i < vectors.size(); i++) {
      assertArrayEquals(vectors.get(i), vector(byId.get(3L * i)), "id " + 3 * i);
    }
  }

  @Test
  void mlVectorsDenseAndSparseWithStringIdsAndKeptColumns() {
    List<float[]> vectors = randomVectors(13, 10, D);
    vectors.set(4, new float[] {0f, 2.5f, 0f, -1f});
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < vectors.size(); i++) {
      org.apache.spark.ml.linalg.Vector v = i == 4
          ? Vectors.sparse(D, new int[] {1, 3}, new double[] {2.5, -1})
          : Vectors.dense(doubles(vectors.get(i)));
      rows.add(RowFactory.create("img-" + i, v, "label" + i % 3, i * 0.5));
    }
    StructType schema = schema(field("id", DataTypes.StringType), field("vector", new VectorUDT()),
        field("label", DataTypes.StringType), field("weight", DataTypes.DoubleType));
    String path = write("p", rows, schema, 2);
    VectorDataset data = VectorInput.of(path).withKeepCols(List.of("weight", "label")).load(spark());
    assertEquals(DataTypes.StringType, data.idType());
    StructType expected = VectorSchema.of(DataTypes.StringType,
        List.of(field("weight", DataTypes.DoubleType), field("label", DataTypes.StringType)));
    assertEquals(expected, data.rows().schema());
    Map<String, Row> byId = new TreeMap<>();
    data.rows().collectAsList().forEach(r -> byId.put(r.getString(0), r));
    assertEquals(10, byId.size());
    for (int i = 0; i < vectors.size(); i++) {
      Row r = byId.get("img-" + i);
      assertArrayEquals(vectors.get(i), vector(r), "id img-" + i);
      assertEquals(i * 0.5, r.getDouble(2));
      assertEquals("label" + i % 3, r.getString(3));
    }
  }

  @Test
  void withoutIdColumnIdsAreRowNumbersInFileOrder() {
    List<float[]> vectors = randomVectors(14, 40, D);
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < vectors.size(); i++) {
      rows.add(RowFactory.create(i, boxed(vectors.get(i))));
    }
    String path = write("p", rows, schema(field("seq", DataTypes.IntegerType), field("vector", FLOATS)), 3);
    // The expected order: files sorted by path, then each file's rows in order.
    List<Integer> expectedSeq = new ArrayList<>();
    for (FileStatus file : InputFiles.list(path, InputTesting.conf()).files()) {
      spark().read().parquet(file.getPath().toString()).collectAsList().forEach(r -> expectedSeq.add(r.getInt(0)));
    }
    assertEquals(40, expectedSeq.size());
    Map<Long, Row> byId = byLongId(VectorInput.of(path).withKeepCols(List.of("seq")).read(spark()));
    for (int id = 0; id < 40; id++) {
      Row r = byId.get((long) id);
      assertEquals(expectedSeq.get(id), r.getInt(2), "id " + id);
      assertArrayEquals(vectors.get(r.getInt(2)), vector(r));
    }
  }

  @Test
  void rowNumbersHoldWhenOneFileIsReadInSeveralSplits() {
    int n = 3000;
    List<float[]> vectors = randomVectors(15, n, D);
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      rows.add(RowFactory.create(i, boxed(vectors.get(i))));
    }
    String path = dir.resolve("p").toString();
    spark().createDataFrame(rows, schema(field("seq", DataTypes.IntegerType), field("vector", FLOATS)))
        .coalesce(1).sortWithinPartitions("seq")
        .write().option("parquet.block.size", 8 * 1024).parquet(path);
    String key = "spark.sql.files.maxPartitionBytes";
    spark().conf().set(key, 8 * 1024L);
    try {
      Dataset<Row> read = VectorInput.of(path).withKeepCols(List.of("seq")).read(spark());
      assertTrue(read.rdd().getNumPartitions() > 2, "partitions: " + read.rdd().getNumPartitions());
      Map<Long, Row> byId = byLongId(read);
      assertEquals(n, byId.size());
      for (int id = 0; id < n; id++) {
        assertEquals(id, byId.get((long) id).getInt(2), "id " + id);
      }
    } finally {
      spark().conf().unset(key);
    }
  }

  private int written;

  /** Writes one Parquet file (in a new folder) holding {@code values} in order. */
  private String writeOneFile(List<Object[]> values, StructType schema) {
    List<Row> rows = new ArrayList<>();
    values.forEach(v -> rows.add(RowFactory.create(v)));
    return write("one" + written++, rows, schema, 1);
  }

  private List<Object[]> goodRows(int n) {
    List<Object[]> rows = new ArrayList<>();
    for (float[] v : randomVectors(16, n, D)) {
      rows.add(new Object[] {(long) rows.size(), boxed(v)});
    }
    return rows;
  }

  private static final StructType ID_FLOATS = schema(field("id", DataTypes.LongType), field("vector", FLOATS));

  @Test
  void badRowsAreNamed() {
    List<Object[]> rows = goodRows(12);
    rows.get(7)[1] = new Float[] {1f, 2f, 3f};
    String path = writeOneFile(rows, ID_FLOATS);
    String message = invalidInputMessage(() -> VectorInput.of(path).read(spark()).collectAsList());
    assertTrue(message.matches("row 7 of file:/.*\\.parquet \\(id 7\\) has dimension 3, expected 4"), message);

    rows.get(7)[1] = new Float[] {1f, Float.NaN, 3f, 4f};
    String nan = writeOneFile(rows, ID_FLOATS);
    message = invalidInputMessage(() -> VectorInput.of(nan).read(spark()).count());
    assertMentions(message, "row 7 of file:", "(id 7) has a non-finite value NaN at index 1");

    rows.get(7)[1] = new Float[] {1f, 2f, 3f, Float.POSITIVE_INFINITY};
    String inf = writeOneFile(rows, ID_FLOATS);
    message = invalidInputMessage(() -> VectorInput.of(inf).read(spark()).count());
    assertMentions(message, "(id 7) has a non-finite value Infinity at index 3");

    rows.get(7)[1] = new Float[] {1f, null, 3f, 4f};
    String nullValue = writeOneFile(rows, ID_FLOATS);
    message = invalidInputMessage(() -> VectorInput.of(nullValue).read(spark()).count());
    assertMentions(message, "(id 7) has a null value at index 1");

    rows.get(7)[1] = null;
    String nullVector = writeOneFile(rows, ID_FLOATS);
    message = invalidInputMessage(() -> VectorInput.of(nullVector).read(spark()).count());
    assertMentions(message, "(id 7) has a null vector");
  }

  @Test
  void expectedDimensionIsChecked() {
    String path = writeOneFile(goodRows(5), ID_FLOATS);
    String message = invalidInputMessage(() -> VectorInput.of(path).withDimension(5).read(spark()).count());
    assertTrue(message.matches("row 0 of file:/.*\\.parquet \\(id 0\\) has dimension 4, expected 5"), message);
  }

  @Test
  void skipInvalidDropsAndCounts() {
    List<Object[]> rows = goodRows(12);
    rows.get(2)[1] = new Float[] {1f, 2f};
    rows.get(5)[1] = new Float[] {1f, Float.NaN, 3f, 4f};
    rows.get(9)[1] = null;
    String path = writeOneFile(rows, ID_FLOATS);
    VectorDataset data = VectorInput.of(path).withSkipInvalid(true).load(spark());
    Map<Long, Row> byId = byLongId(data.rows());
    assertEquals(9, byId.size());
    assertEquals(3, data.skippedCount());
  }

  @Test
  void missingAndMistypedColumnsAreNamed() {
    String path = writeOneFile(goodRows(3), ID_FLOATS);
    String message = invalidInputMessage(() -> VectorInput.of(path).withVectorCol("emb").load(spark()));
    assertEquals("input " + path + " has no vector column 'emb'; its columns are [id (bigint), vector (array<float>)]",
        message);
    message = invalidInputMessage(() -> VectorInput.of(path).withKeepCols(List.of("label")).load(spark()));
    assertMentions(message, "has no keep column 'label'", "[id (bigint), vector (array<float>)]");
    message = invalidInputMessage(() -> VectorInput.of(path).withIdCol("key").load(spark()));
    assertMentions(message, "has no id column 'key'", "[id (bigint), vector (array<float>)]");

    List<Object[]> strings = List.<Object[]>of(new Object[] {1L, "1 2 3 4"});
    String wrong = writeOneFile(strings, schema(field("id", DataTypes.LongType), field("vector", DataTypes.StringType)));
    message = invalidInputMessage(() -> VectorInput.of(wrong).load(spark()));
    assertEquals("vector column 'vector' of input " + wrong + " has type string; expected array<float>, "
        + "array<double> or an ML Vector (org.apache.spark.ml.linalg.VectorUDT)", message);

    List<Object[]> ints = List.<Object[]>of(new Object[] {1L, new Integer[] {1, 2, 3, 4}});
    String intArray = writeOneFile(ints, schema(field("id", DataTypes.LongType),
        field("vector", DataTypes.createArrayType(DataTypes.IntegerType))));
    message = invalidInputMessage(() -> VectorInput.of(intArray).load(spark()));
    assertMentions(message, "has type array<int>; expected array<float>");

    List<Object[]> doubleIds = List.<Object[]>of(new Object[] {1.5, new Float[] {1f, 2f, 3f, 4f}});
    String badId = writeOneFile(doubleIds, schema(field("id", DataTypes.DoubleType), field("vector", FLOATS)));
    message = invalidInputMessage(() -> VectorInput.of(badId).load(spark()));
    assertEquals("id column 'id' of input " + badId + " has type double; expected an integer type or string", message);
  }

  @Test
  void emptyAndMissingInputsAreNamed() {
    String empty = writeOneFile(List.of(), ID_FLOATS);
    assertEquals("input " + empty + " has no rows", invalidInputMessage(() -> VectorInput.of(empty).load(spark())));
    String missing = dir.resolve("missing").toString();
    assertEquals("input path " + missing + " does not exist",
        invalidInputMessage(() -> VectorInput.of(missing).load(spark())));
  }

  @Test
  void aParquetFileWithoutRowsIsAnEmptyTableOfItsSchemaWhenAllowed() {
    StructType named = schema(field("id", DataTypes.StringType), field("vector", FLOATS),
        field("label", DataTypes.IntegerType));
    String empty = writeOneFile(List.of(), named);
    VectorDataset data = VectorInput.of(empty).withKeepCols(List.of("label")).withAllowEmpty(true).load(spark());
    assertEquals(0, data.rows().count());
    assertEquals(0, data.dimension());
    assertEquals(DataTypes.StringType, data.idType());
    assertEquals(DataTypes.IntegerType, data.rows().schema().apply("label").dataType());
    // A missing column is still named, and a folder without any file has no schema to read.
    assertMentions(invalidInputMessage(() -> VectorInput.of(empty).withKeepCols(List.of("other"))
        .withAllowEmpty(true).load(spark())), "no keep column 'other'");
  }

  @Test
  void foldersWithoutDataFilesAndNonParquetFilesAreNamed() throws IOException {
    Path onlyMarker = Files.createDirectory(dir.resolve("done"));
    Files.writeString(onlyMarker.resolve("_SUCCESS"), "");
    assertEquals("input " + onlyMarker + " has no rows",
        invalidInputMessage(() -> VectorInput.of(onlyMarker.toString()).load(spark())));
    assertMentions(invalidInputMessage(() -> VectorInput.of(onlyMarker.toString()).withAllowEmpty(true)
        .load(spark())), "input " + onlyMarker + " has no files", "Parquet file with its schema");
    Path garbage = Files.writeString(dir.resolve("x.parquet"), "not parquet at all");
    String message = invalidInputMessage(() -> VectorInput.of(garbage.toString()).load(spark()));
    assertTrue(message.startsWith("cannot read input " + garbage + " as Parquet: "), message);
  }
}
