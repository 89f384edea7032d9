package io.lopq.format.vectors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;

class IdxImagesTest {
  private static byte[] idx(int items, int rows, int cols, boolean truncate) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    DataOutputStream out = new DataOutputStream(bytes);
    out.writeInt(0x00000803);
    out.writeInt(items);
    out.writeInt(rows);
    out.writeInt(cols);
    int values = items * rows * cols - (truncate ? 1 : 0);
    for (int i = 0; i < values; i++) {
      out.writeByte(i % 256);
    }
    out.flush();
    return bytes.toByteArray();
  }

  private static byte[] gzip(byte[] raw) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (GZIPOutputStream out = new GZIPOutputStream(bytes)) {
      out.write(raw);
    }
    return bytes.toByteArray();
  }

  @Test
  void readsPlainAndGzipAlike() throws IOException {
    byte[] raw = idx(5, 3, 4, false);
    IdxImages plain = IdxImages.read(new ByteArrayInputStream(raw), "plain", 0);
    IdxImages zipped = IdxImages.read(new ByteArrayInputStream(gzip(raw)), "zipped", 0);
    assertEquals(5, plain.rows());
    assertEquals(12, plain.dimension());
    assertEquals(13f, plain.values()[13]);
    assertEquals(59f, plain.values()[4 * 12 + 11], "last value of the last item");
    assertArrayEquals(plain.values(), zipped.values());
  }

  @Test
  void limitReadsOnlyTheFirstItems() throws IOException {
    IdxImages two = IdxImages.read(new ByteArrayInputStream(idx(5, 2, 2, false)), "x", 2);
    assertEquals(2, two.rows());
    assertEquals(8, two.values().length);
  }

  @Test
  void rejectsForeignAndTruncatedFiles() {
    IOException foreign = assertThrows(IOException.class,
        () -> IdxImages.read(new ByteArrayInputStream(new byte[] {1, 2, 3, 4, 5, 6, 7, 8}), "junk.bin", 0));
    assertTrue(foreign.getMessage().contains("junk.bin"), foreign.getMessage());
    assertTrue(foreign.getMessage().contains("not an unsigned-byte IDX"), foreign.getMessage());
    IOException truncated = assertThrows(IOException.class,
        () -> IdxImages.read(new ByteArrayInputStream(idx(3, 2, 2, true)), "short.idx", 0));
    assertTrue(truncated.getMessage().contains("truncated: item 2"), truncated.getMessage());
  }
}
