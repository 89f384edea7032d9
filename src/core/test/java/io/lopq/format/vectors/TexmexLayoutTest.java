package io.lopq.format.vectors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

class TexmexLayoutTest {
  @Test
  void recordsAreLittleEndianDimensionThenValues() {
    ByteBuffer out = ByteBuffer.allocate((int) TexmexLayout.FVECS.recordLength(2));
    TexmexLayout.FVECS.writeFloats(new float[] {1.5f, -2f}, out, 0);
    assertEquals(12, out.position());
    ByteBuffer expected = ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN).putInt(2).putFloat(1.5f).putFloat(-2f);
    assertArrayEquals(expected.array(), out.array());

    ByteBuffer in = TexmexLayout.buffer(out.array(), 0, 12);
    assertEquals(2, TexmexLayout.readDimension(in));
    float[] back = new float[2];
    TexmexLayout.FVECS.readFloats(in, back);
    assertArrayEquals(new float[] {1.5f, -2f}, back);
    assertEquals(12, in.position());
  }

  @Test
  void bvecsValuesAreUnsignedBytes() {
    ByteBuffer out = ByteBuffer.allocate((int) TexmexLayout.BVECS.recordLength(3));
    TexmexLayout.BVECS.writeFloats(new float[] {0, 128, 255}, out, 0);
    assertArrayEquals(new byte[] {3, 0, 0, 0, 0, (byte) 128, (byte) 255}, out.array());
    ByteBuffer in = TexmexLayout.buffer(out.array(), 0, out.position());
    float[] back = new float[TexmexLayout.readDimension(in)];
    TexmexLayout.BVECS.readFloats(in, back);
    assertArrayEquals(new float[] {0, 128, 255}, back);

    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> TexmexLayout.BVECS.writeFloats(new float[] {1, 256}, ByteBuffer.allocate(6), 7));
    assertEquals("row 7 has value 256.0 at index 1, but .bvecs holds integers in [0, 255]", e.getMessage());
  }

  @Test
  void ivecsRowsRoundTripAndTheKindsDoNotMix() {
    ByteBuffer out = ByteBuffer.allocate((int) TexmexLayout.IVECS.recordLength(2));
    TexmexLayout.IVECS.writeInts(new int[] {-1, 1 << 30}, out);
    ByteBuffer in = TexmexLayout.buffer(out.array(), 0, out.position());
    int[] back = new int[TexmexLayout.readDimension(in)];
    TexmexLayout.IVECS.readInts(in, back);
    assertArrayEquals(new int[] {-1, 1 << 30}, back);

    assertThrows(IllegalArgumentException.class, () -> TexmexLayout.IVECS.writeFloats(new float[] {1}, out, 0));
    assertThrows(IllegalArgumentException.class, () -> TexmexLayout.FVECS.writeInts(new int[] {1}, out));
    assertThrows(IllegalStateException.class, () -> TexmexLayout.IVECS.readFloats(in, new float[1]));
    assertThrows(IllegalStateException.class, () -> TexmexLayout.BVECS.readInts(in, new int[1]));
  }

  @Test
  void recordLengthAndTheInputFormatsThatUseTheLayout() {
    assertEquals(4 + 128 * 4, TexmexLayout.FVECS.recordLength(128));
    assertEquals(4 + 128, TexmexLayout.BVECS.recordLength(128));
    assertEquals(4 + 4L * Integer.MAX_VALUE, TexmexLayout.IVECS.recordLength(Integer.MAX_VALUE));
    assertEquals(TexmexLayout.FVECS, VectorFormat.FVECS.texmexLayout());
    assertEquals(".bvecs", VectorFormat.BVECS.extension());
    assertEquals(null, VectorFormat.CSV.texmexLayout());
  }
}
