package io.lopq.format.vectors;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.zip.GZIPInputStream;

/**
 * Reads an IDX file of unsigned-byte tensors (the format of MNIST and Fashion-MNIST, optionally
 * gzip-compressed) as row-major float vectors: one row per item, its remaining dimensions
 * flattened (28 x 28 images become 784-d vectors with values 0..255).
 *
 * <pre>
 *   magic: 0x00 0x00 type(0x08 = unsigned byte) ndim   (big-endian)
 *   ndim sizes: int32 big-endian each; the first is the number of items
 *   data: items x prod(other sizes) bytes
 * </pre>
 */
public final class IdxImages {
  private static final int UNSIGNED_BYTE_TYPE = 0x08;
  private static final int GZIP_MAGIC = 0x8b1f;

  private final int rows;
  private final int dimension;
  private final float[] values;

  private IdxImages(int rows, int dimension, float[] values) {
    this.rows = rows;
    this.dimension = dimension;
    this.values = values;
  }

  /** Number of items. */
  public int rows() {
    return rows;
  }

  /** Dimension of one flattened item. */
  public int dimension() {
    return dimension;
  }

  /** Row-major values, rows x dimension. */
  public float[] values() {
    return values;
  }

  /**
   * Reads an IDX stream, plain or gzip (detected from its first bytes).
   *
   * @param name the file name, for error messages
   * @param limit read at most this many items (0 or less: all)
   * @throws IOException naming the file when it is not an unsigned-byte IDX file or is truncated
   */
  public static IdxImages read(InputStream input, String name, int limit) throws IOException {
    BufferedInputStream buffered = new BufferedInputStream(input);
    buffered.mark(2);
    int first = buffered.read();
    int second = buffered.read();
    buffered.reset();
    InputStream raw = ((second << 8) | first) == GZIP_MAGIC ? new GZIPInputStream(buffered) : buffered;
    DataInputStream in = new DataInputStream(new BufferedInputStream(raw));
    int magic;
    try {
      magic = in.readInt();
    } catch (EOFException e) {
      throw new IOException(name + " is empty, expected an IDX file");
    }
    int type = (magic >>> 8) & 0xFF;
    int ndim = magic & 0xFF;
    if ((magic >>> 16) != 0 || type != UNSIGNED_BYTE_TYPE || ndim < 1) {
      throw new IOException(String.format(
          "%s is not an unsigned-byte IDX file (magic 0x%08x, expected 0x000008NN)", name, magic));
    }
    int items = in.readInt();
    long dimension = 1;
    for (int i = 1; i < ndim; i++) {
      dimension *= in.readInt();
    }
    int rows = limit > 0 ? Math.min(limit, items) : items;
    long total = rows * dimension;
    if (total > Integer.MAX_VALUE - 8) {
      throw new IOException(name + " holds " + total + " values, more than one array can take");
    }
    byte[] bytes = new byte[(int) dimension];
    float[] values = new float[(int) total];
    for (int r = 0; r < rows; r++) {
      try {
        in.readFully(bytes);
      } catch (EOFException e) {
        throw new IOException(name + " is truncated: item " + r + " of " + items + " is incomplete");
      }
      for (int j = 0; j < bytes.length; j++) {
        values[(int) (r * dimension) + j] = bytes[j] & 0xFF;
      }
    }
    return new IdxImages(rows, (int) dimension, values);
  }
}
