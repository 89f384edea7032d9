package io.lopq.format.encoded;

import io.lopq.format.vectors.InvalidInputException;
import io.lopq.model.LopqModel;
import io.lopq.search.CompactIndex;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * The packed index: a {@link CompactIndex} as one flat little-endian file that a serving JVM reads
 * straight into its arrays, without Spark, Hadoop or Parquet ({@code lopq index pack} writes it
 * from an encoded dataset; {@code lopq query} and {@link #read} load it).
 *
 * <pre>
 *   offset  field
 *   0       magic "LOPQIDX1"                         8 bytes
 *   8       version (1), D, V, M, K                  5 ints
 *   28      rows n                                   long
 *   36      cells                                    int
 *   40      fingerprint length L, then L UTF-8 bytes, zero-padded to a multiple of 8
 *   ...     cell keys (c0 * V + c1, ascending)       cells longs
 *   ...     cell starts (0 .. n)                     cells + 1 ints, zero-padded to a multiple of 8
 *   ...     ids, by position (grouped by cell)       n longs
 *   ...     fine codes, M per row                    n x M bytes
 * </pre>
 *
 * The file's length must be exactly what its header implies: a truncated or padded file is
 * refused, naming it. Written to a temporary sibling and renamed into place, so a reader never
 * sees half a file.
 */
public final class PackedIndexFile {
  /** The first 8 bytes of every packed index. */
  public static final String MAGIC = "LOPQIDX1";
  /** The version this build writes and reads. */
  public static final int VERSION = 1;
  /** The conventional file name extension. */
  public static final String EXTENSION = ".lopqidx";

  private static final ByteOrder ORDER = ByteOrder.LITTLE_ENDIAN;
  private static final int ALIGN = 8;
  private static final int FIXED_HEADER = 44;
  private static final int MAX_FINGERPRINT = 1 << 16;
  private static final int BUFFER = 1 << 20;
  private static final String TEMPORARY_SUFFIX = ".tmp";

  private PackedIndexFile() {}

  /** True if the file at {@code path} starts with the packed index's magic. */
  public static boolean isPacked(Path path) {
    if (!Files.isRegularFile(path)) {
      return false;
    }
    try (FileChannel in = FileChannel.open(path, StandardOpenOption.READ)) {
      ByteBuffer magic = ByteBuffer.allocate(MAGIC.length());
      while (magic.hasRemaining() && in.read(magic) >= 0) {
        // keep reading
      }
      return !magic.hasRemaining() && MAGIC.equals(new String(magic.array(), StandardCharsets.US_ASCII));
    } catch (IOException e) {
      return false;
    }
  }

  /**
   * Writes {@code index} to {@code path} (replacing it), through a temporary sibling.
   *
   * @return the bytes written
   */
  public static long write(CompactIndex index, Path path) throws IOException {
    LopqModel model = index.model();
    byte[] fingerprint = model.fingerprint().getBytes(StandardCharsets.UTF_8);
    Path temporary = path.resolveSibling(path.getFileName() + TEMPORARY_SUFFIX);
    ByteBuffer buf = ByteBuffer.allocateDirect(BUFFER).order(ORDER);
    try (FileChannel out = FileChannel.open(temporary, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
        StandardOpenOption.TRUNCATE_EXISTING)) {
      buf.put(MAGIC.getBytes(StandardCharsets.US_ASCII));
      buf.putInt(VERSION).putInt(model.dimension()).putInt(model.coarseClusters()).putInt(model.subquantizers())
          .putInt(model.subquantizerClusters());
      buf.putLong(index.size()).putInt(index.nonEmptyCells()).putInt(fingerprint.length).put(fingerprint);
      pad(buf); // the buffer's position is still the file's offset here
      long[] keys = index.cellKeyArray();
      for (long key : keys) {
        flushIfFull(out, buf, Long.BYTES);
        buf.putLong(key);
      }
      for (int start : index.cellStartArray()) {
        flushIfFull(out, buf, Integer.BYTES);
        buf.putInt(start);
      }
      int startBytes = index.cellStartArray().length * Integer.BYTES;
      flushIfFull(out, buf, ALIGN);
      for (long zero = startBytes; zero < padded(startBytes); zero++) {
        buf.put((byte) 0);
      }
      for (long id : index.idArray()) {
        flushIfFull(out, buf, Long.BYTES);
        buf.putLong(id);
      }
      byte[] codes = index.codeArray();
      for (int p = 0; p < codes.length; ) {
        flushIfFull(out, buf, 1);
        int n = Math.min(buf.remaining(), codes.length - p);
        buf.put(codes, p, n);
        p += n;
      }
      drain(out, buf);
      out.force(true);
    }
    Files.move(temporary, path, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    return Files.size(path);
  }

  /**
   * Reads the packed index at {@code path} for {@code model} onto the heap.
   *
   * @throws InvalidInputException naming the file if it is missing, not a packed index, of another
   *     version, written by another model (shape or fingerprint), truncated or too long, or its
   *     cells are inconsistent
   */
  public static CompactIndex read(Path path, LopqModel model) {
    try (FileChannel in = FileChannel.open(path, StandardOpenOption.READ)) {
      long length = in.size();
      ByteBuffer buf = ByteBuffer.allocateDirect(BUFFER).order(ORDER);
      fill(in, buf, FIXED_HEADER, path, "the header");
      byte[] magic = new byte[MAGIC.length()];
      buf.get(magic);
      if (!MAGIC.equals(new String(magic, StandardCharsets.US_ASCII))) {
        throw new InvalidInputException(path + " is not a packed LOPQ index (it does not start with " + MAGIC
            + "; write one with lopq index pack)");
      }
      int version = buf.getInt();
      if (version != VERSION) {
        throw new InvalidInputException(path + " is a packed index of version " + version + ", this build reads "
            + VERSION);
      }
      int d = buf.getInt();
      int v = buf.getInt();
      int m = buf.getInt();
      int k = buf.getInt();
      long rows = buf.getLong();
      int cells = buf.getInt();
      int fingerprintLength = buf.getInt();
      String shape = d + "," + v + "," + m + "," + k;
      String modelShape = model.dimension() + "," + model.coarseClusters() + "," + model.subquantizers() + ","
          + model.subquantizerClusters();
      if (!shape.equals(modelShape)) {
        throw new InvalidInputException(path + " was packed for a model of shape D,V,M,K=" + shape
            + ", the model given has " + modelShape);
      }
      if (rows < 0 || rows > CompactIndex.MAX_ARRAY / m || cells < 0 || cells > rows
          || fingerprintLength < 0 || fingerprintLength > MAX_FINGERPRINT) {
        throw new InvalidInputException(path + " has a corrupt header: rows=" + rows + ", cells=" + cells
            + ", fingerprint length=" + fingerprintLength);
      }
      int n = (int) rows;
      long header = padded(FIXED_HEADER + (long) fingerprintLength);
      long expected = header + (long) cells * Long.BYTES + padded((cells + 1L) * Integer.BYTES)
          + rows * Long.BYTES + rows * m;
      if (length != expected) {
        throw new InvalidInputException(path + " holds " + length + " bytes, its header (" + rows + " rows, "
            + cells + " cells, M=" + m + ") implies " + expected + (length < expected ? ": the file is truncated"
            : ": the file has trailing bytes"));
      }
      fill(in, buf, (int) (header - FIXED_HEADER), path, "the model fingerprint");
      byte[] fingerprintBytes = new byte[fingerprintLength];
      buf.get(fingerprintBytes);
      String fingerprint = new String(fingerprintBytes, StandardCharsets.UTF_8);
      if (!fingerprint.equals(model.fingerprint())) {
        throw new InvalidInputException(path + " was packed from codes of model " + fingerprint
            + ", but the model given is " + model.fingerprint() + "; use the model the index was encoded with");
      }
      long[] keys = new long[cells];
      readLongs(in, buf, keys, path);
      int[] starts = new int[cells + 1];
      readInts(in, buf, starts, path);
      long[] ids = new long[n];
      readLongs(in, buf, ids, path);
      byte[] codes = new byte[n * m];
      readBytes(in, buf, codes, path);
      try {
        return new CompactIndex(model, keys, starts, ids, codes);
      } catch (IllegalArgumentException e) {
        throw new InvalidInputException(path + " is a corrupt packed index: " + e.getMessage(), e);
      }
    } catch (NoSuchFileException e) {
      throw new InvalidInputException("no packed index at " + path + ": the file does not exist");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read packed index " + path + ": " + e.getMessage(), e);
    }
  }

  private static long padded(long bytes) {
    return (bytes + ALIGN - 1) / ALIGN * ALIGN;
  }

  private static void pad(ByteBuffer buf) {
    while (buf.position() % ALIGN != 0) {
      buf.put((byte) 0);
    }
  }

  private static void flushIfFull(FileChannel out, ByteBuffer buf, int needed) throws IOException {
    if (buf.remaining() < needed) {
      drain(out, buf);
    }
  }

  private static void drain(FileChannel out, ByteBuffer buf) throws IOException {
    buf.flip();
    while (buf.hasRemaining()) {
      out.write(buf);
    }
    buf.clear();
  }

  /** Reads exactly {@code bytes} (at most the buffer's capacity) into a cleared buffer, flipped for reading. */
  private static void fill(FileChannel in, ByteBuffer buf, int bytes, Path path, String what) throws IOException {
    buf.clear().limit(bytes);
    while (buf.hasRemaining()) {
      if (in.read(buf) < 0) {
        throw new InvalidInputException(path + " ends inside " + what + ": the file is truncated");
      }
    }
    buf.flip();
  }

  private static void readLongs(FileChannel in, ByteBuffer buf, long[] out, Path path) throws IOException {
    int perBuffer = BUFFER / Long.BYTES;
    for (int i = 0; i < out.length; i += perBuffer) {
      int n = Math.min(perBuffer, out.length - i);
      fill(in, buf, n * Long.BYTES, path, "its arrays");
      buf.asLongBuffer().get(out, i, n);
    }
  }

  private static void readInts(FileChannel in, ByteBuffer buf, int[] out, Path path) throws IOException {
    int perBuffer = BUFFER / Integer.BYTES;
    for (int i = 0; i < out.length; i += perBuffer) {
      int n = Math.min(perBuffer, out.length - i);
      fill(in, buf, n * Integer.BYTES, path, "its arrays");
      buf.asIntBuffer().get(out, i, n);
    }
    int padding = (int) (padded((long) out.length * Integer.BYTES) - (long) out.length * Integer.BYTES);
    if (padding > 0) {
      fill(in, buf, padding, path, "its arrays");
    }
  }

  private static void readBytes(FileChannel in, ByteBuffer buf, byte[] out, Path path) throws IOException {
    for (int i = 0; i < out.length; i += BUFFER) {
      int n = Math.min(BUFFER, out.length - i);
      fill(in, buf, n, path, "its codes");
      buf.get(out, i, n);
    }
  }
}
