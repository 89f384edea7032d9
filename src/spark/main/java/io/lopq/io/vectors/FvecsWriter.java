package io.lopq.io.vectors;

import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;

/**
 * Writes TEXMEX vector files through Hadoop's FileSystem, one record per row:
 *
 * <pre>
 *   .fvecs: int32 d, then d float32      (vectors)
 *   .bvecs: int32 d, then d uint8        (vectors with integer values in [0, 255])
 *   .ivecs: int32 d, then d int32        (ground truth: neighbour ids per query)
 * </pre>
 *
 * all little-endian. Used by tests, the data generator and converters; plain Java, no Spark.
 */
public final class FvecsWriter implements Closeable {
  private static final int BUFFER_BYTES = 1 << 16;
  private static final int MAX_UNSIGNED_BYTE = 255;

  /** What one value is written as. */
  private enum Kind {
    FLOAT32(".fvecs", Float.BYTES), UINT8(".bvecs", Byte.BYTES), INT32(".ivecs", Integer.BYTES);

    final String extension;
    final int bytes;

    Kind(String extension, int bytes) {
      this.extension = extension;
      this.bytes = bytes;
    }
  }

  private final Kind kind;
  private final String path;
  private final OutputStream out;
  private ByteBuffer record = ByteBuffer.allocate(0);
  private long rows;

  private FvecsWriter(Kind kind, String path, Configuration conf) {
    this.kind = kind;
    this.path = path;
    try {
      Path p = new Path(path);
      this.out = new BufferedOutputStream(p.getFileSystem(conf).create(p, true), BUFFER_BYTES);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create " + path + ": " + e.getMessage(), e);
    }
  }

  /** A writer of float vectors to a new (or overwritten) {@code .fvecs} file. */
  public static FvecsWriter fvecs(String path, Configuration conf) {
    return new FvecsWriter(Kind.FLOAT32, path, conf);
  }

  /** A writer of byte vectors (values in [0, 255]) to a new {@code .bvecs} file. */
  public static FvecsWriter bvecs(String path, Configuration conf) {
    return new FvecsWriter(Kind.UINT8, path, conf);
  }

  /** A writer of int rows (e.g. ground-truth neighbour ids) to a new {@code .ivecs} file. */
  public static FvecsWriter ivecs(String path, Configuration conf) {
    return new FvecsWriter(Kind.INT32, path, conf);
  }

  /** Writes all {@code rows} to a new {@code .fvecs} file. */
  public static void writeFvecs(String path, Configuration conf, List<float[]> rows) {
    try (FvecsWriter writer = fvecs(path, conf)) {
      rows.forEach(writer::write);
    }
  }

  /** Writes all {@code rows} to a new {@code .ivecs} file. */
  public static void writeIvecs(String path, Configuration conf, List<int[]> rows) {
    try (FvecsWriter writer = ivecs(path, conf)) {
      rows.forEach(writer::write);
    }
  }

  /**
   * Appends a vector (.fvecs, or .bvecs whose values must be integers in [0, 255]).
   *
   * @throws IllegalArgumentException for a .bvecs value that is not a byte, or on an .ivecs writer
   */
  public void write(float[] vector) {
    if (kind == Kind.INT32) {
      throw new IllegalArgumentException("an " + kind.extension + " writer takes int rows, not float vectors");
    }
    ByteBuffer buffer = start(vector.length);
    for (int i = 0; i < vector.length; i++) {
      if (kind == Kind.FLOAT32) {
        buffer.putFloat(vector[i]);
      } else {
        float v = vector[i];
        if (v != Math.rint(v) || v < 0 || v > MAX_UNSIGNED_BYTE) {
          throw new IllegalArgumentException("row " + rows + " has value " + v + " at index " + i
              + ", but .bvecs holds integers in [0, " + MAX_UNSIGNED_BYTE + "]");
        }
        buffer.put((byte) (int) v);
      }
    }
    finish(buffer);
  }

  /**
   * Appends an int row (.ivecs).
   *
   * @throws IllegalArgumentException on an .fvecs or .bvecs writer
   */
  public void write(int[] row) {
    if (kind != Kind.INT32) {
      throw new IllegalArgumentException("an " + kind.extension + " writer takes float vectors, not int rows");
    }
    ByteBuffer buffer = start(row.length);
    for (int v : row) {
      buffer.putInt(v);
    }
    finish(buffer);
  }

  /** Rows written so far. */
  public long rows() {
    return rows;
  }

  private ByteBuffer start(int d) {
    int length = Integer.BYTES + d * kind.bytes;
    if (record.capacity() < length) {
      record = ByteBuffer.allocate(length).order(ByteOrder.LITTLE_ENDIAN);
    }
    record.clear();
    record.putInt(d);
    return record;
  }

  private void finish(ByteBuffer buffer) {
    try {
      out.write(buffer.array(), 0, buffer.position());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write to " + path + ": " + e.getMessage(), e);
    }
    rows++;
  }

  @Override
  public void close() {
    try {
      out.close();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot close " + path + ": " + e.getMessage(), e);
    }
  }
}
