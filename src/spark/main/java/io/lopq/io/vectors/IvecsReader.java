package io.lopq.io.vectors;

import io.lopq.format.vectors.InvalidInputException;
import io.lopq.io.fs.InputFiles;

import java.io.BufferedInputStream;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Reads a TEXMEX {@code .ivecs} file (each record: little-endian int32 d, then d int32), such as the
 * ground-truth neighbour lists of the SIFT/GIST benchmarks, through Hadoop's FileSystem on the
 * calling JVM (ground truth is small: queries x neighbours).
 */
public final class IvecsReader implements Closeable {
  private static final int BUFFER_BYTES = 1 << 16;

  private final String path;
  private final InputStream in;
  private final byte[] intBytes = new byte[Integer.BYTES];
  private long remaining;
  private long row;

  private IvecsReader(String path, InputStream in, long length) {
    this.path = path;
    this.in = in;
    this.remaining = length;
  }

  /**
   * Opens {@code path}.
   *
   * @throws InvalidInputException if it does not exist or cannot be opened
   */
  public static IvecsReader open(String path, Configuration conf) {
    InputFiles.list(path, conf);
    try {
      Path p = new Path(path);
      FileSystem fs = p.getFileSystem(conf);
      long length = fs.getFileStatus(p).getLen();
      return new IvecsReader(path, new BufferedInputStream(fs.open(p), BUFFER_BYTES), length);
    } catch (IOException e) {
      throw new InvalidInputException("cannot read " + path + ": " + e.getMessage(), e);
    }
  }

  /** All rows of {@code path}. */
  public static List<int[]> readAll(String path, Configuration conf) {
    List<int[]> rows = new ArrayList<>();
    try (IvecsReader reader = open(path, conf)) {
      for (int[] r = reader.next(); r != null; r = reader.next()) {
        rows.add(r);
      }
    }
    return rows;
  }

  /**
   * The next row, or null at the end of the file.
   *
   * @throws InvalidInputException if the file ends inside a record or a dimension is negative
   */
  public int[] next() {
    try {
      int first = in.read();
      if (first < 0) {
        return null;
      }
      intBytes[0] = (byte) first;
      readFully(intBytes, 1, Integer.BYTES - 1);
      int d = ByteBuffer.wrap(intBytes).order(ByteOrder.LITTLE_ENDIAN).getInt();
      if (d < 0) {
        throw new InvalidInputException("row " + row + " of " + path + " has dimension " + d
            + ", expected a non-negative dimension (is it an .ivecs file?)");
      }
      remaining -= Integer.BYTES;
      long valueBytes = (long) d * Integer.BYTES;
      if (valueBytes > remaining) {
        throw new EOFException();
      }
      remaining -= valueBytes;
      byte[] values = new byte[(int) valueBytes];
      readFully(values, 0, values.length);
      int[] out = new int[d];
      ByteBuffer.wrap(values).order(ByteOrder.LITTLE_ENDIAN).asIntBuffer().get(out);
      row++;
      return out;
    } catch (EOFException e) {
      throw new InvalidInputException("truncated .ivecs: " + path + " ends inside row " + row, e);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + path + ": " + e.getMessage(), e);
    }
  }

  private void readFully(byte[] buffer, int offset, int length) throws IOException {
    int done = 0;
    while (done < length) {
      int n = in.read(buffer, offset + done, length - done);
      if (n < 0) {
        throw new EOFException();
      }
      done += n;
    }
  }

  @Override
  public void close() {
    try {
      in.close();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot close " + path + ": " + e.getMessage(), e);
    }
  }
}
