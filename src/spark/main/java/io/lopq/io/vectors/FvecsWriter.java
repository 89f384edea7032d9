package io.lopq.io.vectors;

import io.lopq.format.vectors.TexmexLayout;

import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;

/**
 * Writes TEXMEX vector files through Hadoop's FileSystem, one record per row, encoded by
 * {@link TexmexLayout}:
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

  private final TexmexLayout layout;
  private final String path;
  private final OutputStream out;
  private ByteBuffer record = ByteBuffer.allocate(0);
  private long rows;

  private FvecsWriter(TexmexLayout layout, String path, Configuration conf) {
    this.layout = layout;
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
    return new FvecsWriter(TexmexLayout.FVECS, path, conf);
  }

  /** A writer of byte vectors (values in [0, 255]) to a new {@code .bvecs} file. */
  public static FvecsWriter bvecs(String path, Configuration conf) {
    return new FvecsWriter(TexmexLayout.BVECS, path, conf);
  }

  /** A writer of int rows (e.g. ground-truth neighbour ids) to a new {@code .ivecs} file. */
  public static FvecsWriter ivecs(String path, Configuration conf) {
    return new FvecsWriter(TexmexLayout.IVECS, path, conf);
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
    layout.writeFloats(vector, start(vector.length), rows);
    finish();
  }

  /**
   * Appends an int row (.ivecs).
   *
   * @throws IllegalArgumentException on an .fvecs or .bvecs writer
   */
  public void write(int[] row) {
    layout.writeInts(row, start(row.length));
    finish();
  }

  /** Rows written so far. */
  public long rows() {
    return rows;
  }

  /** The (cleared) buffer for one record of dimension {@code d}. */
  private ByteBuffer start(int d) {
    long length = layout.recordLength(d);
    if (record.capacity() < length) {
      record = ByteBuffer.allocate(Math.toIntExact(length));
    }
    record.clear();
    return record;
  }

  private void finish() {
    try {
      out.write(record.array(), 0, record.position());
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
