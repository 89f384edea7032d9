package io.lopq.io.vectors;

import static io.lopq.io.vectors.InputTesting.assertMentions;
import static io.lopq.io.vectors.InputTesting.byLongId;
import static io.lopq.io.vectors.InputTesting.conf;
import static io.lopq.io.vectors.InputTesting.invalidInputMessage;
import static io.lopq.io.vectors.InputTesting.randomVectors;
import static io.lopq.io.vectors.InputTesting.spark;
import static io.lopq.io.vectors.InputTesting.vector;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VectorInputTexmexTest {
  private static final int D = 16;
  private static final int RECORD = 4 + D * Float.BYTES;

  @TempDir
  Path dir;

  private String writeFvecs(String name, List<float[]> rows) {
    String path = dir.resolve(name).toString();
    FvecsWriter.writeFvecs(path, conf(), rows);
    return path;
  }

  /**
   * Overwrites the int32 at byte {@code offset} of a local file, dropping the checksum file Hadoop's
   * local file system wrote beside it (which would no longer match).
   */
  private static void patchInt(String path, long offset, int value) throws IOException {
    try (RandomAccessFile file = new RandomAccessFile(path, "rw")) {
      file.seek(offset);
      file.write(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(value).array());
    }
    dropChecksum(path);
  }

  static void dropChecksum(String path) throws IOException {
    Path p = Path.of(path);
    Files.deleteIfExists(p.resolveSibling("." + p.getFileName() + ".crc"));
  }

  private static void patchFloat(String path, long offset, float value) throws IOException {
    patchInt(path, offset, Float.floatToRawIntBits(value));
  }

  @Test
  void fvecsReadsBackIdsAndValues() {
    List<float[]> rows = randomVectors(1, 50, D);
    VectorDataset data = VectorInput.of(writeFvecs("x.fvecs", rows)).load(spark());
    assertEquals(D, data.dimension());
    assertEquals(DataTypes.LongType, data.idType());
    assertEquals(VectorSchema.withLongIds(), data.rows().schema());
    Map<Long, Row> byId = byLongId(data.rows());
    assertEquals(rows.size(), byId.size());
    for (int i = 0; i < rows.size(); i++) {
      assertArrayEquals(rows.get(i), vector(byId.get((long) i)), "row " + i);
    }
  }

  @Test
  void bvecsReadsBackUnsignedBytes() {
    String path = dir.resolve("x.bvecs").toString();
    List<float[]> rows = new ArrayList<>();
    try (FvecsWriter writer = FvecsWriter.bvecs(path, conf())) {
      for (int i = 0; i < 20; i++) {
        float[] v = new float[D];
        for (int j = 0; j < D; j++) {
          v[j] = (i * 37 + j * 101) % 256;
        }
        v[0] = 255;
        rows.add(v);
        writer.write(v);
      }
    }
    VectorDataset data = VectorInput.of(path).load(spark());
    Map<Long, Row> byId = byLongId(data.rows());
    assertEquals(20, byId.size());
    for (int i = 0; i < rows.size(); i++) {
      assertArrayEquals(rows.get(i), vector(byId.get((long) i)), "row " + i);
    }
  }

  @Test
  void parallelSplitsKeepRowNumbers() {
    int n = 1000;
    List<float[]> rows = randomVectors(2, n, D);
    VectorDataset data = VectorInput.of(writeFvecs("big.fvecs", rows)).withMinPartitions(7).load(spark());
    assertTrue(data.rows().rdd().getNumPartitions() >= 7, "partitions: " + data.rows().rdd().getNumPartitions());
    Map<Long, Row> byId = byLongId(data.rows().coalesce(2));
    assertEquals(n, byId.size());
    for (int i = 0; i < n; i++) {
      assertArrayEquals(rows.get(i), vector(byId.get((long) i)), "row " + i);
    }
  }

  @Test
  void folderOfFilesContinuesIdsInNameOrder() throws IOException {
    Path folder = Files.createDirectory(dir.resolve("folder"));
    List<float[]> a = randomVectors(3, 5, D);
    List<float[]> b = randomVectors(4, 40, D);
    FvecsWriter.writeFvecs(folder.resolve("b.fvecs").toString(), conf(), b);
    FvecsWriter.writeFvecs(folder.resolve("a.fvecs").toString(), conf(), a);
    Files.writeString(folder.resolve("_SUCCESS"), "");
    VectorDataset data = VectorInput.of(folder.toString()).withFormat("fvecs").withMinPartitions(4).load(spark());
    Map<Long, Row> byId = byLongId(data.rows());
    assertEquals(45, byId.size());
    for (int i = 0; i < 5; i++) {
      assertArrayEquals(a.get(i), vector(byId.get((long) i)), "a row " + i);
    }
    for (int i = 0; i < 40; i++) {
      assertArrayEquals(b.get(i), vector(byId.get(5L + i)), "b row " + i);
    }
  }

  @Test
  void rowWithOtherDimensionIsNamed() throws IOException {
    String path = writeFvecs("x.fvecs", randomVectors(5, 30, D));
    patchInt(path, 17L * RECORD, 12);
    String message = invalidInputMessage(() -> VectorInput.of(path).read(spark()).collectAsList());
    assertTrue(message.matches("row 17 of file:/.*/x\\.fvecs has dimension 12, expected 16"), message);
  }

  @Test
  void nonFiniteValuesAreNamed() throws IOException {
    String path = writeFvecs("x.fvecs", randomVectors(6, 30, D));
    patchFloat(path, 3L * RECORD + 4 + 5 * Float.BYTES, Float.NaN);
    String message = invalidInputMessage(() -> VectorInput.of(path).read(spark()).collectAsList());
    assertTrue(message.matches("row 3 of file:/.*/x\\.fvecs has a non-finite value NaN at index 5"), message);

    patchFloat(path, 3L * RECORD + 4 + 5 * Float.BYTES, 0f);
    patchFloat(path, 9L * RECORD + 4, Float.NEGATIVE_INFINITY);
    message = invalidInputMessage(() -> VectorInput.of(path).read(spark()).count());
    assertTrue(message.matches("row 9 of file:/.*/x\\.fvecs has a non-finite value -Infinity at index 0"), message);
  }

  @Test
  void skipInvalidDropsAndCountsBadRows() throws IOException {
    List<float[]> rows = randomVectors(7, 30, D);
    String path = writeFvecs("x.fvecs", rows);
    patchInt(path, 17L * RECORD, 12);
    patchFloat(path, 3L * RECORD + 4, Float.POSITIVE_INFINITY);
    VectorDataset data = VectorInput.of(path).withSkipInvalid(true).withMinPartitions(3).load(spark());
    Map<Long, Row> byId = byLongId(data.rows());
    assertEquals(28, byId.size());
    assertEquals(2, data.skippedCount());
    assertTrue(!byId.containsKey(3L) && !byId.containsKey(17L), "bad rows dropped: " + byId.keySet());
    assertArrayEquals(rows.get(18), vector(byId.get(18L)), "ids of the rows after a bad one keep their row number");
  }

  @Test
  void truncatedFileIsNamed() throws IOException {
    String path = writeFvecs("x.fvecs", randomVectors(8, 3, D));
    Files.write(Path.of(path), new byte[10], StandardOpenOption.APPEND);
    dropChecksum(path);
    String message = invalidInputMessage(() -> VectorInput.of(path).load(spark()));
    assertTrue(message.startsWith("truncated .fvecs: "), message);
    assertMentions(message, "x.fvecs has " + (3 * RECORD + 10) + " bytes", "record length " + RECORD);
  }

  @Test
  void otherExpectedDimensionFailsOnTheDriver() {
    String path = writeFvecs("x.fvecs", randomVectors(9, 3, D));
    String message = invalidInputMessage(() -> VectorInput.of(path).withDimension(8).load(spark()));
    assertMentions(message, "x.fvecs has dimension 16", "expected 8");
  }

  @Test
  void emptyAndMissingInputsAreNamed() throws IOException {
    String empty = dir.resolve("empty.fvecs").toString();
    Files.write(Path.of(empty), new byte[0]);
    assertEquals("input " + empty + " has no rows", invalidInputMessage(() -> VectorInput.of(empty).load(spark())));
    String missing = dir.resolve("missing.fvecs").toString();
    assertEquals("input path " + missing + " does not exist",
        invalidInputMessage(() -> VectorInput.of(missing).load(spark())));
  }

  @Test
  void anEmptyFileIsAnEmptyTableWhenAllowed() throws IOException {
    String empty = dir.resolve("empty-allowed.fvecs").toString();
    Files.write(Path.of(empty), new byte[0]);
    VectorDataset data = VectorInput.of(empty).withAllowEmpty(true).load(spark());
    assertEquals(0, data.rows().count());
    assertEquals(0, data.dimension());
    assertEquals(VectorSchema.withLongIds(), data.rows().schema());
    assertEquals(D, VectorInput.of(empty).withAllowEmpty(true).withDimension(D).load(spark()).dimension());
    // Allowed or not, a missing file is still an error.
    String missing = dir.resolve("missing-allowed.fvecs").toString();
    assertEquals("input path " + missing + " does not exist",
        invalidInputMessage(() -> VectorInput.of(missing).withAllowEmpty(true).load(spark())));
  }

  @Test
  void namedColumnsDoNotApply() {
    String path = writeFvecs("x.fvecs", randomVectors(10, 3, D));
    String message = invalidInputMessage(() -> VectorInput.of(path).withKeepCols(List.of("label")).load(spark()));
    assertMentions(message, "keep columns [label]", ".fvecs");
    message = invalidInputMessage(() -> VectorInput.of(path).withIdCol("id").load(spark()));
    assertMentions(message, "id column 'id' is not available for .fvecs input", "ids are row numbers");
  }
}
