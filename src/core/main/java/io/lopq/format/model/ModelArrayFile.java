package io.lopq.format.model;


import io.lopq.format.model.ModelFormatException.Problem;
import io.lopq.model.LopqModel;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.zip.CRC32;

/**
 * The binary array file of a native model: a 32-byte header, then every array of the model as
 * little-endian float32 in {@link NativeModelLayout} order.
 *
 * <pre>
 *   offset  bytes  field
 *        0      8  magic "LOPQARR\0" (ASCII, then a zero byte)
 *        8      4  uint32 format version (1; 2 with local codebooks)
 *       12      4  uint32 header length in bytes (32)
 *       16      4  int32 D
 *       20      4  int32 V
 *       24      4  int32 M
 *       28      4  int32 K
 *       32    ...  arrays, float32 little-endian, row-major, no padding
 * </pre>
 *
 * A CRC-32 of the whole file (header included) is recorded in the model's JSON file; it is
 * computed while streaming, so models larger than memory buffers are never held as bytes.
 */
final class ModelArrayFile {
  /** The first bytes of every array file. */
  static final byte[] MAGIC = "LOPQARR\0".getBytes(StandardCharsets.US_ASCII);
  private static final int VERSION_OFFSET = 8;
  private static final int HEADER_LENGTH_OFFSET = 12;
  private static final int DIMENSIONS_OFFSET = 16;
  private static final int CHUNK_FLOATS = 16_384;

  /** What writing produced: the file size and its CRC-32. */
  record Summary(long bytes, long crc32) {
  }

  private ModelArrayFile() {
  }

  /** Writes the header and the arrays of {@code model} to {@code out} (not closed). */
  static Summary write(LopqModel model, OutputStream out) throws IOException {
    NativeModelLayout layout = NativeModelLayout.of(model);
    CRC32 crc = new CRC32();
    ByteBuffer header = ByteBuffer.allocate(NativeModelLayout.HEADER_BYTES).order(ByteOrder.LITTLE_ENDIAN);
    header.put(MAGIC)
        .putInt(layout.formatVersion())
        .putInt(NativeModelLayout.HEADER_BYTES)
        .putInt(model.dimension())
        .putInt(model.coarseClusters())
        .putInt(model.subquantizers())
        .putInt(model.subquantizerClusters());
    out.write(header.array());
    crc.update(header.array());
    long bytes = NativeModelLayout.HEADER_BYTES;
    ByteBuffer chunk = ByteBuffer.allocate(CHUNK_FLOATS * NativeModelLayout.FLOAT_BYTES).order(ByteOrder.LITTLE_ENDIAN);
    FloatBuffer floats = chunk.asFloatBuffer();
    List<NativeModelLayout.Entry> entries = layout.entries();
    for (int i = 0; i < entries.size(); i++) {
      float[] values = NativeModelLayout.arrayOf(model, i);
      for (int from = 0; from < values.length; from += CHUNK_FLOATS) {
        int n = Math.min(CHUNK_FLOATS, values.length - from);
        floats.clear();
        floats.put(values, from, n);
        int length = n * NativeModelLayout.FLOAT_BYTES;
        out.write(chunk.array(), 0, length);
        crc.update(chunk.array(), 0, length);
      }
      bytes += (long) values.length * NativeModelLayout.FLOAT_BYTES;
    }
    out.flush();
    return new Summary(bytes, crc.getValue());
  }

  /**
   * Reads and checks an array file against its description.
   *
   * @param in the file's bytes (not closed)
   * @param fileLength the file's length as the file system reports it
   * @param description what model.json says
   * @param path the file's name for messages
   * @return the arrays in layout order
   */
  static List<float[]> read(InputStream in, long fileLength, ModelJson.Description description, String path)
      throws IOException {
    NativeModelLayout layout = description.layout();
    DataInputStream data = new DataInputStream(in);
    int headerBytes = (int) Math.min(fileLength, NativeModelLayout.HEADER_BYTES);
    byte[] header = new byte[headerBytes];
    readFully(data, header, 0, headerBytes, layout.totalBytes(), path);
    checkHeader(header, fileLength, description, path);
    if (fileLength != layout.totalBytes()) {
      String what = fileLength < layout.totalBytes() ? "truncated array file" : "array file is longer than described";
      throw new ModelFormatException(Problem.TRUNCATED, path,
          what + ": expected " + layout.totalBytes() + " bytes for D=" + description.dimension()
              + ", V=" + description.coarseClusters() + ", M=" + description.subquantizers()
              + ", K=" + description.subquantizerClusters() + ", found " + fileLength);
    }
    CRC32 crc = new CRC32();
    crc.update(header);
    byte[] chunk = new byte[CHUNK_FLOATS * NativeModelLayout.FLOAT_BYTES];
    FloatBuffer floats = ByteBuffer.wrap(chunk).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
    List<float[]> arrays = new ArrayList<>();
    for (NativeModelLayout.Entry entry : layout.entries()) {
      float[] values = new float[Math.toIntExact(entry.count())];
      for (int from = 0; from < values.length; from += CHUNK_FLOATS) {
        int n = Math.min(CHUNK_FLOATS, values.length - from);
        int length = n * NativeModelLayout.FLOAT_BYTES;
        readFully(data, chunk, 0, length, layout.totalBytes(), path);
        crc.update(chunk, 0, length);
        floats.clear();
        floats.get(values, from, n);
      }
      arrays.add(values);
    }
    if (data.read() != -1) {
      throw new ModelFormatException(Problem.TRUNCATED, path,
          "array file is longer than described: expected " + layout.totalBytes() + " bytes");
    }
    if (crc.getValue() != description.crc32()) {
      throw new ModelFormatException(Problem.CHECKSUM_MISMATCH, path,
          "checksum mismatch: " + NativeModelFormat.METADATA_FILE + " records CRC32 " + crc32Hex(description.crc32())
              + ", the array file's bytes give " + crc32Hex(crc.getValue()));
    }
    return arrays;
  }

  private static void checkHeader(byte[] header, long fileLength, ModelJson.Description description, String path)
      throws ModelFormatException {
    int prefix = Math.min(header.length, MAGIC.length);
    for (int i = 0; i < prefix; i++) {
      if (header[i] != MAGIC[i]) {
        throw new ModelFormatException(Problem.NOT_A_MODEL, path,
            "not a LOPQ model array file: it starts with bytes " + HexFormat.ofDelimiter(" ").formatHex(header, 0, prefix)
                + ", expected the magic " + HexFormat.ofDelimiter(" ").formatHex(MAGIC) + " (\"LOPQARR\\0\")");
      }
    }
    long expected = description.layout().totalBytes();
    if (header.length < NativeModelLayout.HEADER_BYTES) {
      throw new ModelFormatException(Problem.TRUNCATED, path,
          "truncated array file: expected " + expected + " bytes, found " + fileLength);
    }
    ByteBuffer buffer = ByteBuffer.wrap(header).order(ByteOrder.LITTLE_ENDIAN);
    long version = Integer.toUnsignedLong(buffer.getInt(VERSION_OFFSET));
    if (version > NativeModelFormat.FORMAT_VERSION) {
      throw new ModelFormatException(Problem.NEWER_VERSION, path,
          "array file format version " + version + " is newer than this build supports ("
              + NativeModelFormat.FORMAT_VERSION + ")");
    }
    if (version != description.formatVersion()) {
      throw new ModelFormatException(Problem.MALFORMED, path,
          "array file format version " + version + " differs from " + NativeModelFormat.METADATA_FILE
              + "'s formatVersion " + description.formatVersion());
    }
    int headerLength = buffer.getInt(HEADER_LENGTH_OFFSET);
    if (headerLength != NativeModelLayout.HEADER_BYTES) {
      throw new ModelFormatException(Problem.MALFORMED, path,
          "array file header length is " + headerLength + ", expected " + NativeModelLayout.HEADER_BYTES
              + " for format version " + version);
    }
    String[] names = {"D", "V", "M", "K"};
    int[] expectedValues = {description.dimension(), description.coarseClusters(),
        description.subquantizers(), description.subquantizerClusters()};
    for (int i = 0; i < names.length; i++) {
      int found = buffer.getInt(DIMENSIONS_OFFSET + i * Integer.BYTES);
      if (found != expectedValues[i]) {
        throw new ModelFormatException(Problem.SHAPE_MISMATCH, path,
            "array file header says " + names[i] + "=" + found + ", " + NativeModelFormat.METADATA_FILE
                + " says " + names[i] + "=" + expectedValues[i]);
      }
    }
  }

  private static void readFully(DataInputStream in, byte[] buffer, int offset, int length, long expected, String path)
      throws IOException {
    try {
      in.readFully(buffer, offset, length);
    } catch (EOFException e) {
      throw new ModelFormatException(Problem.TRUNCATED, path,
          "truncated array file: it ended before the expected " + expected + " bytes", e);
    }
  }

  /** A CRC-32 as eight lower-case hex digits. */
  static String crc32Hex(long crc) {
    return String.format("%08x", crc);
  }
}
