package io.lopq.bench;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads a whole local {@code .fvecs} file into one row-major float matrix, without Spark: the
 * benchmarks' way to load base and query sets for training and ground truth.
 *
 * <pre>
 *   record = int32 d (little-endian), then d float32;   all records share d
 * </pre>
 */
public final class FvecsFiles {
  private FvecsFiles() {}

  /** The rows of a local fvecs file with their dimension. */
  public static final class Matrix {
    private final float[] values;
    private final int rows;
    private final int dimension;

    Matrix(float[] values, int rows, int dimension) {
      this.values = values;
      this.rows = rows;
      this.dimension = dimension;
    }

    /** Row-major {@code rows x dimension} values. */
    public float[] values() {
      return values;
    }

    /** Number of rows. */
    public int rows() {
      return rows;
    }

    /** D. */
    public int dimension() {
      return dimension;
    }
  }

  /**
   * Reads the first {@code limit} rows (all if {@code limit <= 0}).
   *
   * @throws IOException if the file is unreadable, truncated or mixes dimensions
   */
  public static Matrix read(Path path, int limit) throws IOException {
    long bytes = Files.size(path);
    try (InputStream raw = new FileInputStream(path.toFile());
        DataInputStream in = new DataInputStream(new BufferedInputStream(raw, 1 << 20))) {
      byte[] header = new byte[Integer.BYTES];
      in.readFully(header);
      int dimension = ByteBuffer.wrap(header).order(ByteOrder.LITTLE_ENDIAN).getInt();
      if (dimension <= 0) {
        throw new IOException(path + " starts with dimension " + dimension);
      }
      long recordBytes = Integer.BYTES + (long) dimension * Float.BYTES;
      if (bytes % recordBytes != 0) {
        throw new IOException(path + " has " + bytes + " bytes, not a multiple of the record size " + recordBytes);
      }
      long total = bytes / recordBytes;
      int rows = (int) (limit > 0 ? Math.min(limit, total) : total);
      float[] values = new float[Math.multiplyExact(rows, dimension)];
      byte[] record = new byte[dimension * Float.BYTES];
      ByteBuffer buffer = ByteBuffer.wrap(record).order(ByteOrder.LITTLE_ENDIAN);
      for (int r = 0; r < rows; r++) {
        if (r > 0) {
          in.readFully(header);
          int d = ByteBuffer.wrap(header).order(ByteOrder.LITTLE_ENDIAN).getInt();
          if (d != dimension) {
            throw new IOException("row " + r + " of " + path + " has dimension " + d + ", expected " + dimension);
          }
        }
        try {
          in.readFully(record);
        } catch (EOFException e) {
          throw new IOException(path + " is truncated at row " + r, e);
        }
        buffer.rewind();
        buffer.asFloatBuffer().get(values, r * dimension, dimension);
      }
      return new Matrix(values, rows, dimension);
    }
  }
}
