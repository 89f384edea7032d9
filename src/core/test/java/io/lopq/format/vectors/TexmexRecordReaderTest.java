package io.lopq.format.vectors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class TexmexRecordReaderTest {
  private static final String PATH = "hdfs://nn/gt.ivecs";

  private static byte[] ivecs(int[]... rows) {
    ByteBuffer out = ByteBuffer.allocate(1024).order(ByteOrder.LITTLE_ENDIAN);
    for (int[] row : rows) {
      TexmexLayout.IVECS.writeInts(row, out);
    }
    return Arrays.copyOf(out.array(), out.position());
  }

  private static TexmexRecordReader reader(byte[] bytes, TexmexLayout layout) {
    return new TexmexRecordReader(new ByteArrayInputStream(bytes), PATH, layout, bytes.length);
  }

  @Test
  void readsRowsOfAnyDimensionUntilTheEnd() {
    try (TexmexRecordReader r = reader(ivecs(new int[] {3, 1, 2}, new int[] {}, new int[] {9}), TexmexLayout.IVECS)) {
      assertArrayEquals(new int[] {3, 1, 2}, r.nextInts());
      assertArrayEquals(new int[] {}, r.nextInts());
      assertArrayEquals(new int[] {9}, r.nextInts());
      assertNull(r.nextInts());
      assertEquals(3, r.rows());
    }
  }

  @Test
  void readsFvecs() {
    ByteBuffer out = ByteBuffer.allocate(24);
    TexmexLayout.FVECS.writeFloats(new float[] {1, 2}, out, 0);
    TexmexLayout.FVECS.writeFloats(new float[] {0.5f, -3}, out, 1);
    try (TexmexRecordReader r = reader(out.array(), TexmexLayout.FVECS)) {
      assertArrayEquals(new float[] {1, 2}, r.nextFloats());
      assertArrayEquals(new float[] {0.5f, -3}, r.nextFloats());
      assertNull(r.nextFloats());
    }
  }

  @Test
  void truncatedFilesAndBadDimensionsNameTheFileAndRow() {
    byte[] whole = ivecs(new int[] {1, 2}, new int[] {3, 4});
    InvalidInputException e = assertThrows(InvalidInputException.class, () -> {
      try (TexmexRecordReader r = reader(Arrays.copyOf(whole, whole.length - 1), TexmexLayout.IVECS)) {
        while (r.nextInts() != null) {
          // read to the end
        }
      }
    });
    assertEquals("truncated .ivecs: " + PATH + " ends inside row 1", e.getMessage());

    byte[] negative = ivecs(new int[] {1});
    negative[0] = (byte) 0xFF;
    negative[3] = (byte) 0xFF;
    e = assertThrows(InvalidInputException.class, () -> reader(negative, TexmexLayout.IVECS).nextInts());
    assertTrue(e.getMessage().startsWith("row 0 of " + PATH + " has dimension -1"), e.getMessage());

    // A dimension the file's length cannot back is a truncation, not an allocation.
    byte[] huge = ivecs(new int[] {1});
    huge[3] = 0x3F;
    e = assertThrows(InvalidInputException.class, () -> reader(huge, TexmexLayout.IVECS).nextInts());
    assertEquals("truncated .ivecs: " + PATH + " ends inside row 0", e.getMessage());
    // ... and one beyond a Java array in a file long enough for it is refused as such.
    e = assertThrows(InvalidInputException.class, () -> new TexmexRecordReader(new ByteArrayInputStream(huge), PATH,
        TexmexLayout.IVECS, Long.MAX_VALUE).nextInts());
    assertTrue(e.getMessage().contains("too large for one record"), e.getMessage());
  }
}
