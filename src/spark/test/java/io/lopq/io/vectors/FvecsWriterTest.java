package io.lopq.io.vectors;

import io.lopq.format.vectors.InvalidInputException;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** FvecsWriter and IvecsReader: byte layout and round trips, without Spark. */
class FvecsWriterTest {
  private final Configuration conf = new Configuration();

  @TempDir
  Path dir;

  @Test
  void fvecsBytesAreLittleEndianDimensionThenFloats() throws IOException {
    String path = dir.resolve("x.fvecs").toString();
    FvecsWriter.writeFvecs(path, conf, List.of(new float[] {1.5f, -2f}, new float[] {3f, 0.25f}));
    ByteBuffer bytes = ByteBuffer.wrap(Files.readAllBytes(Path.of(path))).order(ByteOrder.LITTLE_ENDIAN);
    assertEquals(2 * (4 + 2 * 4), bytes.remaining());
    assertEquals(2, bytes.getInt());
    assertEquals(1.5f, bytes.getFloat());
    assertEquals(-2f, bytes.getFloat());
    assertEquals(2, bytes.getInt());
    assertEquals(3f, bytes.getFloat());
    assertEquals(0.25f, bytes.getFloat());
  }

  @Test
  void bvecsHoldsUnsignedBytesOnly() throws IOException {
    String path = dir.resolve("x.bvecs").toString();
    try (FvecsWriter writer = FvecsWriter.bvecs(path, conf)) {
      writer.write(new float[] {0, 128, 255});
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> writer.write(new float[] {1, 256, 0}));
      assertEquals("row 1 has value 256.0 at index 1, but .bvecs holds integers in [0, 255]", e.getMessage());
      assertThrows(IllegalArgumentException.class, () -> writer.write(new float[] {0.5f}));
      assertThrows(IllegalArgumentException.class, () -> writer.write(new int[] {1}));
      assertEquals(1, writer.rows());
    }
    byte[] bytes = Files.readAllBytes(Path.of(path));
    assertArrayEquals(new byte[] {3, 0, 0, 0, 0, (byte) 128, (byte) 255}, bytes);
  }

  @Test
  void ivecsRoundTrip() {
    String path = dir.resolve("gt.ivecs").toString();
    List<int[]> rows = List.of(new int[] {5, 3, 9}, new int[] {}, new int[] {Integer.MAX_VALUE, -1, 0, 7});
    FvecsWriter.writeIvecs(path, conf, rows);
    List<int[]> read = IvecsReader.readAll(path, conf);
    assertEquals(rows.size(), read.size());
    for (int i = 0; i < rows.size(); i++) {
      assertArrayEquals(rows.get(i), read.get(i), "row " + i);
    }
  }

  @Test
  void truncatedIvecsIsNamed() throws IOException {
    Path path = dir.resolve("gt.ivecs");
    FvecsWriter.writeIvecs(path.toString(), conf, List.of(new int[] {1, 2}, new int[] {3, 4}));
    byte[] bytes = Files.readAllBytes(path);
    Files.write(path, Arrays.copyOf(bytes, bytes.length - 3));
    Files.deleteIfExists(dir.resolve(".gt.ivecs.crc"));
    InvalidInputException e = assertThrows(InvalidInputException.class,
        () -> IvecsReader.readAll(path.toString(), conf));
    assertEquals("truncated .ivecs: " + path + " ends inside row 1", e.getMessage());

    // A dimension far beyond the file's length is a truncation too, not a huge allocation.
    Files.write(path, ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(1 << 30).array());
    Files.deleteIfExists(dir.resolve(".gt.ivecs.crc"));
    e = assertThrows(InvalidInputException.class, () -> IvecsReader.readAll(path.toString(), conf));
    assertTrue(e.getMessage().startsWith("truncated .ivecs: "), e.getMessage());
  }

  @Test
  void missingIvecsIsNamed() {
    String path = dir.resolve("none.ivecs").toString();
    InvalidInputException e = assertThrows(InvalidInputException.class, () -> IvecsReader.readAll(path, conf));
    assertEquals("input path " + path + " does not exist", e.getMessage());
  }

  @Test
  void writersRefuseTheOtherKindOfRow() {
    try (FvecsWriter writer = FvecsWriter.ivecs(dir.resolve("a.ivecs").toString(), conf)) {
      assertThrows(IllegalArgumentException.class, () -> writer.write(new float[] {1f}));
    }
    try (FvecsWriter writer = FvecsWriter.fvecs(dir.resolve("a.fvecs").toString(), conf)) {
      assertThrows(IllegalArgumentException.class, () -> writer.write(new int[] {1}));
    }
  }
}
