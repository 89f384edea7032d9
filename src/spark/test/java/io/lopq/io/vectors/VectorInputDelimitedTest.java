package io.lopq.io.vectors;

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
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VectorInputDelimitedTest {
  private static final int D = 5;

  @TempDir
  Path dir;

  private String write(String name, List<String> lines) throws IOException {
    Path file = dir.resolve(name);
    Files.createDirectories(file.getParent());
    Files.write(file, lines);
    return file.toString();
  }

  private static String join(float[] v, String delimiter) {
    StringBuilder s = new StringBuilder();
    for (int j = 0; j < v.length; j++) {
      s.append(j == 0 ? "" : delimiter).append(v[j]);
    }
    return s.toString();
  }

  private static List<String> lines(List<float[]> vectors, String delimiter) {
    List<String> lines = new ArrayList<>();
    vectors.forEach(v -> lines.add(join(v, delimiter)));
    return lines;
  }

  private static void assertVectors(List<float[]> expected, Map<Long, Row> byId, long firstId) {
    assertEquals(expected.size(), byId.size());
    for (int i = 0; i < expected.size(); i++) {
      assertArrayEquals(expected.get(i), vector(byId.get(firstId + i)), "id " + (firstId + i));
    }
  }

  @Test
  void csvWithoutHeaderHasRowNumberIds() throws IOException {
    List<float[]> vectors = randomVectors(21, 25, D);
    List<String> lines = lines(vectors, ",");
    lines.add(10, "   ");
    String path = write("x.csv", lines);
    VectorDataset data = VectorInput.of(path).load(spark());
    assertEquals(D, data.dimension());
    assertEquals(VectorSchema.withLongIds(), data.rows().schema());
    assertVectors(vectors, byLongId(data.rows()), 0);
  }

  @Test
  void tsvAndSpaceSeparatedSingleField() throws IOException {
    List<float[]> vectors = randomVectors(22, 6, D);
    String tsv = write("x.tsv", lines(vectors, "\t"));
    assertVectors(vectors, byLongId(VectorInput.of(tsv).read(spark())), 0);
    String spaced = write("spaced.csv", lines(vectors, " "));
    assertVectors(vectors, byLongId(VectorInput.of(spaced).read(spark())), 0);
  }

  @Test
  void severalSplitsAndFilesKeepRowNumbers() throws IOException {
    List<float[]> a = randomVectors(23, 300, D);
    List<float[]> b = randomVectors(24, 7, D);
    write("folder/b.csv", lines(b, ","));
    write("folder/a.csv", lines(a, ","));
    VectorDataset data = VectorInput.of(dir.resolve("folder").toString()).withFormat("csv").withMinPartitions(6)
        .load(spark());
    assertTrue(data.rows().rdd().getNumPartitions() >= 6, "partitions: " + data.rows().rdd().getNumPartitions());
    List<float[]> all = new ArrayList<>(a);
    all.addAll(b);
    assertVectors(all, byLongId(data.rows()), 0);
    // Merging splits into fewer tasks must not change the ids.
    assertVectors(all, byLongId(data.rows().coalesce(2)), 0);
  }

  @Test
  void headerWithIdValueColumnsAndKeptColumn() throws IOException {
    List<float[]> vectors = randomVectors(25, 8, D);
    List<String> lines = new ArrayList<>(List.of("f0,id,f1,f2,label,f3,f4"));
    for (int i = 0; i < vectors.size(); i++) {
      float[] v = vectors.get(i);
      lines.add(v[0] + "," + (100 + i) + "," + v[1] + "," + v[2] + ",\"cat " + i + "\"," + v[3] + "," + v[4]);
    }
    String path = write("x.csv", lines);
    VectorDataset data = VectorInput.of(path).withHeader(true).withKeepCols(List.of("label")).load(spark());
    assertEquals(VectorSchema.of(DataTypes.LongType,
        List.of(DataTypes.createStructField("label", DataTypes.StringType, true))), data.rows().schema());
    Map<Long, Row> byId = byLongId(data.rows());
    assertVectors(vectors, byId, 100);
    assertEquals("cat 3", byId.get(103L).getString(2));
  }

  @Test
  void headerWithStringIdsAndWholeVectorColumnAcrossFiles() throws IOException {
    List<float[]> vectors = randomVectors(26, 6, D);
    List<String> first = new ArrayList<>(List.of("name\tvector"));
    List<String> second = new ArrayList<>(List.of("name\tvector"));
    for (int i = 0; i < vectors.size(); i++) {
      (i < 4 ? first : second).add("img-" + i + "\t" + join(vectors.get(i), " "));
    }
    write("t/part-1.tsv", first);
    write("t/part-2.tsv", second);
    VectorDataset data = VectorInput.of(dir.resolve("t").toString()).withFormat("tsv").withHeader(true)
        .withIdCol("name").load(spark());
    assertEquals(DataTypes.StringType, data.idType());
    Map<String, Row> byId = new TreeMap<>();
    data.rows().collectAsList().forEach(r -> byId.put(r.getString(0), r));
    assertEquals(6, byId.size());
    for (int i = 0; i < vectors.size(); i++) {
      assertArrayEquals(vectors.get(i), vector(byId.get("img-" + i)), "img-" + i);
    }
  }

  @Test
  void differentHeaderInALaterFileIsNamed() throws IOException {
    write("h/a.csv", List.of("id,x,y", "1,0.5,0.25"));
    write("h/b.csv", List.of("id,y,x", "2,0.5,0.25"));
    String message = invalidInputMessage(() -> VectorInput.of(dir.resolve("h").toString()).withFormat("csv")
        .withHeader(true).read(spark()).count());
    assertMentions(message, "b.csv has header [id, y, x], expected [id, x, y] (the header of", "a.csv)");
  }

  @Test
  void badRowsAreNamed() throws IOException {
    List<String> lines = lines(randomVectors(27, 12, D), ",");
    lines.set(7, "1,2,3");
    String dims = write("dims.csv", lines);
    String message = invalidInputMessage(() -> VectorInput.of(dims).withMinPartitions(3).read(spark()).count());
    assertTrue(message.matches("row 7 of file:/.*/dims\\.csv has dimension 3, expected 5"), message);

    lines.set(7, "1,2,NaN,4,5");
    String nan = write("nan.csv", lines);
    message = invalidInputMessage(() -> VectorInput.of(nan).read(spark()).count());
    assertTrue(message.matches("row 7 of file:/.*/nan\\.csv has a non-finite value NaN at index 2"), message);

    lines.set(7, "1,2,x3,4,5");
    String text = write("text.csv", lines);
    message = invalidInputMessage(() -> VectorInput.of(text).read(spark()).count());
    assertMentions(message, "row 7 of file:", "text.csv has a value 'x3' that is not a number at index 2");

    String header = write("header.csv", List.of("a,b", "1,2"));
    message = invalidInputMessage(() -> VectorInput.of(header).load(spark()));
    assertMentions(message, "row 0 of file:", "has a value 'a' that is not a number at index 0",
        "if the first line is a header");
  }

  @Test
  void badRowsWithIdsNameTheId() throws IOException {
    String path = write("ids.csv", List.of("id,a,b", "1,0.5,0.5", "2,0.5,Infinity", "3,0.5,0.5"));
    String message = invalidInputMessage(() -> VectorInput.of(path).withHeader(true).read(spark()).count());
    assertTrue(message.matches("row with id 2 of file:/.*/ids\\.csv has a non-finite value Infinity at index 1"),
        message);
    String wrongId = write("wrongid.csv", List.of("id,a,b", "1,0.5,0.5", "two,0.5,0.5"));
    message = invalidInputMessage(() -> VectorInput.of(wrongId).withHeader(true).read(spark()).count());
    assertMentions(message, "row with id two of file:", "has an id that is not an integer");
  }

  @Test
  void skipInvalidDropsAndCounts() throws IOException {
    List<float[]> vectors = randomVectors(28, 10, D);
    List<String> lines = lines(vectors, ",");
    lines.set(2, "1,2");
    lines.set(6, "1,2,3,4,-Infinity");
    lines.set(8, "a,b,c,d,e");
    VectorDataset data = VectorInput.of(write("x.csv", lines)).withSkipInvalid(true).load(spark());
    Map<Long, Row> byId = byLongId(data.rows());
    assertEquals(7, byId.size());
    assertEquals(3, data.skippedCount());
    assertArrayEquals(vectors.get(9), vector(byId.get(9L)));
  }

  @Test
  void emptyInputsAreNamed() throws IOException {
    String empty = write("empty.csv", List.of());
    assertEquals("input " + empty + " has no rows", invalidInputMessage(() -> VectorInput.of(empty).load(spark())));
    String headerOnly = write("header-only.csv", List.of("id,a,b", ""));
    assertEquals("input " + headerOnly + " has no rows",
        invalidInputMessage(() -> VectorInput.of(headerOnly).withHeader(true).load(spark())));
    String missing = dir.resolve("missing.csv").toString();
    assertEquals("input path " + missing + " does not exist",
        invalidInputMessage(() -> VectorInput.of(missing).load(spark())));
  }

  @Test
  void emptyInputsAreEmptyTablesWhenAllowed() throws IOException {
    String empty = write("empty-allowed.csv", List.of());
    VectorDataset data = VectorInput.of(empty).withAllowEmpty(true).load(spark());
    assertEquals(0, data.rows().count());
    assertEquals(0, data.dimension());
    String headerOnly = write("header-only-allowed.csv", List.of("id,label,a,b"));
    VectorDataset kept = VectorInput.of(headerOnly).withHeader(true).withKeepCols(List.of("label"))
        .withAllowEmpty(true).load(spark());
    assertEquals(0, kept.rows().count());
    assertEquals(List.of("id", "vector", "label"), List.of(kept.rows().schema().fieldNames()));
    assertEquals(DataTypes.LongType, kept.idType());
  }

  @Test
  void namedColumnsNeedAHeaderAndMustExist() throws IOException {
    String path = write("x.csv", List.of("id,a,b", "1,0.5,0.5"));
    String message = invalidInputMessage(() -> VectorInput.of(path).withKeepCols(List.of("a")).load(spark()));
    assertMentions(message, "keep columns [a] need a header");
    message = invalidInputMessage(() -> VectorInput.of(path).withHeader(true).withKeepCols(List.of("c")).load(spark()));
    assertMentions(message, "has no keep column 'c'", "[id, a, b]");
    message = invalidInputMessage(() -> VectorInput.of(path).withHeader(true).withIdCol("key").load(spark()));
    assertMentions(message, "has no id column 'key'", "[id, a, b]");
    message = invalidInputMessage(() -> VectorInput.of(path).withIdCol("id").load(spark()));
    assertMentions(message, "id column 'id' needs a header");
  }
}
