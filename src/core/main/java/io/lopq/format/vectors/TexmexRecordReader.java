package io.lopq.format.vectors;

import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;

/**
 * Reads the records of one TEXMEX file ({@link TexmexLayout}) one after the other from a stream,
 * on the calling thread: for files read whole by one JVM, such as ground truth (queries x
 * neighbours). Records may differ in dimension.
 *
 * <p>The file's length bounds every record, so a corrupt dimension is reported as a truncated file
 * instead of being allocated. Not thread-safe.
 */
public final class TexmexRecordReader implements Closeable {
  /** The most value bytes one record may hold (one Java array). */
  private static final long MAX_RECORD_BYTES = Integer.MAX_VALUE - 8;
  private final InputStream in;
  private final String path;
  private final TexmexLayout layout;
  private final byte[] dimensionBytes = new byte[TexmexLayout.DIMENSION_BYTES];
  private long remaining;
  private long row;

  /**
   * A reader of {@code in}, which holds a whole file of {@code length} bytes.
   *
   * @param path the file's name for messages
   */
  public TexmexRecordReader(InputStream in, String path, TexmexLayout layout, long length) {
    this.in = in;
    this.path = path;
    this.layout = layout;
    this.remaining = length;
  }

  /**
   * The next record's values as floats (fvecs, bvecs), or null at the end of the file.
   *
   * @throws InvalidInputException naming the file and the row if the file ends inside a record or a
   *     dimension is negative
   * @throws UncheckedIOException naming the file if the stream fails
   */
  public float[] nextFloats() {
    ByteBuffer values = next();
    return values == null ? null : layout.readFloats(values, new float[values.remaining() / layout.valueBytes()]);
  }

  /**
   * The next record's values as ints (ivecs), or null at the end of the file.
   *
   * @throws InvalidInputException naming the file and the row if the file ends inside a record or a
   *     dimension is negative
   * @throws UncheckedIOException naming the file if the stream fails
   */
  public int[] nextInts() {
    ByteBuffer values = next();
    return values == null ? null : layout.readInts(values, new int[values.remaining() / layout.valueBytes()]);
  }

  /** Records read so far. */
  public long rows() {
    return row;
  }

  /** The next record's values (after its dimension field), or null at the end of the file. */
  private ByteBuffer next() {
    try {
      int first = in.read();
      if (first < 0) {
        return null;
      }
      dimensionBytes[0] = (byte) first;
      readFully(dimensionBytes, 1, dimensionBytes.length - 1);
      int d = TexmexLayout.readDimension(TexmexLayout.buffer(dimensionBytes, 0, dimensionBytes.length));
      if (d < 0) {
        throw new InvalidInputException("row " + row + " of " + path + " has dimension " + d
            + ", expected a non-negative dimension (is it an " + layout.extension() + " file?)");
      }
      remaining -= TexmexLayout.DIMENSION_BYTES;
      long valueBytes = layout.recordLength(d) - TexmexLayout.DIMENSION_BYTES;
      if (valueBytes > remaining) {
        throw new EOFException();
      }
      if (valueBytes > MAX_RECORD_BYTES) {
        throw new InvalidInputException("row " + row + " of " + path + " has dimension " + d
            + ", too large for one record (is it an " + layout.extension() + " file?)");
      }
      remaining -= valueBytes;
      byte[] values = new byte[(int) valueBytes];
      readFully(values, 0, values.length);
      row++;
      return TexmexLayout.buffer(values, 0, values.length);
    } catch (EOFException e) {
      throw new InvalidInputException("truncated " + layout.extension() + ": " + path + " ends inside row " + row, e);
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

  /** Closes the stream. */
  @Override
  public void close() {
    try {
      in.close();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot close " + path + ": " + e.getMessage(), e);
    }
  }
}
