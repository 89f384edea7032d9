package io.lopq.format.vectors;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The record layout of the TEXMEX vector files of the SIFT/GIST benchmarks: every record is a
 * little-endian int32 dimension {@code d}, then {@code d} values of the file's one value type.
 *
 * <pre>
 *   .fvecs   int32 d, then d float32     vectors
 *   .bvecs   int32 d, then d uint8       vectors with integer values in [0, 255]
 *   .ivecs   int32 d, then d int32       ground truth: neighbour ids per query
 *
 *   record length L = 4 + d * valueBytes;   record r of a file with one d starts at byte r * L
 * </pre>
 *
 * The single encoder and decoder of these records, for every reader and writer of them (Spark
 * splits, streams, the benchmarks).
 */
public enum TexmexLayout {
  FVECS(".fvecs", Float.BYTES),
  BVECS(".bvecs", Byte.BYTES),
  IVECS(".ivecs", Integer.BYTES);

  /** Bytes of the dimension field that starts every record. */
  public static final int DIMENSION_BYTES = Integer.BYTES;
  /** The byte order of every field. */
  public static final ByteOrder BYTE_ORDER = ByteOrder.LITTLE_ENDIAN;
  /** The largest value a .bvecs value holds. */
  public static final int MAX_UNSIGNED_BYTE = 255;

  private final String extension;
  private final int valueBytes;

  TexmexLayout(String extension, int valueBytes) {
    this.extension = extension;
    this.valueBytes = valueBytes;
  }

  /** The file name extension, with its dot (".fvecs"). */
  public String extension() {
    return extension;
  }

  /** Bytes per value: 4 for fvecs and ivecs, 1 for bvecs. */
  public int valueBytes() {
    return valueBytes;
  }

  /** True for the vector layouts (fvecs, bvecs), false for the int rows of ivecs. */
  public boolean holdsVectors() {
    return this != IVECS;
  }

  /** Bytes of a record of dimension {@code d}: {@code 4 + d * valueBytes}. */
  public long recordLength(int d) {
    return DIMENSION_BYTES + (long) d * valueBytes;
  }

  /** A buffer over {@code length} bytes of {@code bytes} from {@code offset}, in the layout's byte order. */
  public static ByteBuffer buffer(byte[] bytes, int offset, int length) {
    return ByteBuffer.wrap(bytes, offset, length).order(BYTE_ORDER);
  }

  /** Reads a record's dimension field at the buffer's position (which advances by 4). */
  public static int readDimension(ByteBuffer record) {
    return record.order(BYTE_ORDER).getInt();
  }

  /**
   * Reads {@code into.length} vector values at the buffer's position: float32 (fvecs) or uint8 as
   * 0..255 (bvecs).
   *
   * @return {@code into}
   * @throws IllegalStateException on the ivecs layout, whose values are ints
   */
  public float[] readFloats(ByteBuffer values, float[] into) {
    values.order(BYTE_ORDER);
    switch (this) {
      case FVECS -> {
        values.asFloatBuffer().get(into);
        values.position(values.position() + into.length * Float.BYTES);
      }
      case BVECS -> {
        for (int i = 0; i < into.length; i++) {
          into[i] = values.get() & 0xFF;
        }
      }
      case IVECS -> throw new IllegalStateException(extension + " records hold ints, not float vectors");
    }
    return into;
  }

  /**
   * Reads {@code into.length} int32 values at the buffer's position (ivecs).
   *
   * @return {@code into}
   * @throws IllegalStateException on the vector layouts
   */
  public int[] readInts(ByteBuffer values, int[] into) {
    if (this != IVECS) {
      throw new IllegalStateException(extension + " records hold vectors, not ints");
    }
    values.order(BYTE_ORDER).asIntBuffer().get(into);
    values.position(values.position() + into.length * Integer.BYTES);
    return into;
  }

  /**
   * Writes the record of {@code vector} (fvecs, or bvecs whose values must be integers in
   * [0, 255]) at the buffer's position; the buffer needs {@link #recordLength} bytes.
   *
   * @param row the record's number, for messages
   * @throws IllegalArgumentException for a bvecs value that is not such an integer (nothing is
   *     written then), or on the ivecs layout
   */
  public void writeFloats(float[] vector, ByteBuffer out, long row) {
    if (!holdsVectors()) {
      throw new IllegalArgumentException("an " + extension + " writer takes int rows, not float vectors");
    }
    if (this == BVECS) {
      for (int i = 0; i < vector.length; i++) {
        float v = vector[i];
        if (v != Math.rint(v) || v < 0 || v > MAX_UNSIGNED_BYTE) {
          throw new IllegalArgumentException("row " + row + " has value " + v + " at index " + i
              + ", but .bvecs holds integers in [0, " + MAX_UNSIGNED_BYTE + "]");
        }
      }
    }
    out.order(BYTE_ORDER).putInt(vector.length);
    for (float v : vector) {
      if (this == FVECS) {
        out.putFloat(v);
      } else {
        out.put((byte) (int) v);
      }
    }
  }

  /**
   * Writes the record of an int row (ivecs) at the buffer's position.
   *
   * @throws IllegalArgumentException on the vector layouts
   */
  public void writeInts(int[] row, ByteBuffer out) {
    if (holdsVectors()) {
      throw new IllegalArgumentException("an " + extension + " writer takes float vectors, not int rows");
    }
    out.order(BYTE_ORDER).putInt(row.length);
    for (int v : row) {
      out.putInt(v);
    }
  }
}
