package io.lopq.format.vectors;

import io.lopq.search.RawVectors;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The raw vectors of an fvecs or bvecs file, memory-mapped: the id of a vector is its 0-based row
 * number (as {@code lopq encode} numbers the rows of these files), and a look-up reads one record
 * from the page cache, so re-ranking an online query needs no heap for the corpus.
 *
 * <pre>
 *   record(id) at byte id x (4 + D x valueBytes), in segments of at most 2 GB of whole records
 * </pre>
 *
 * Every record must have the first record's dimension: a look-up of one that does not fails,
 * naming the file and the row. Safe for concurrent reads.
 */
public final class MappedTexmexVectors implements RawVectors {
  private static final long MAX_SEGMENT = Integer.MAX_VALUE;

  private final Path path;
  private final TexmexLayout layout;
  private final int dimension;
  private final long recordLength;
  private final long count;
  private final long recordsPerSegment;
  private final MappedByteBuffer[] segments;

  private MappedTexmexVectors(Path path, TexmexLayout layout, int dimension, long count, MappedByteBuffer[] segments,
      long recordsPerSegment) {
    this.path = path;
    this.layout = layout;
    this.dimension = dimension;
    this.recordLength = layout.recordLength(dimension);
    this.count = count;
    this.segments = segments;
    this.recordsPerSegment = recordsPerSegment;
  }

  /**
   * Maps the file at {@code path}.
   *
   * @throws InvalidInputException naming the file if it is missing, not fvecs/bvecs, empty, its
   *     first dimension is not positive, or its length is not a whole number of records
   */
  public static MappedTexmexVectors open(Path path, TexmexLayout layout) {
    if (!layout.holdsVectors()) {
      throw new InvalidInputException(path + ": raw vectors must be fvecs or bvecs, not " + layout.extension());
    }
    try (FileChannel in = FileChannel.open(path, StandardOpenOption.READ)) {
      long length = in.size();
      ByteBuffer first = ByteBuffer.allocate(TexmexLayout.DIMENSION_BYTES);
      while (first.hasRemaining() && in.read(first) >= 0) {
        // keep reading
      }
      if (first.hasRemaining()) {
        throw new InvalidInputException(path + " holds no vectors (" + length + " bytes)");
      }
      first.flip();
      int d = TexmexLayout.readDimension(first);
      if (d < 1) {
        throw new InvalidInputException(path + " row 0 has dimension " + d + ", expected >= 1");
      }
      long record = layout.recordLength(d);
      if (length % record != 0) {
        throw new InvalidInputException(path + " holds " + length + " bytes, not a whole number of " + record
            + "-byte records of dimension " + d + " (truncated, or rows of different dimensions)");
      }
      long count = length / record;
      long perSegment = MAX_SEGMENT / record;
      int segmentCount = (int) ((count + perSegment - 1) / perSegment);
      MappedByteBuffer[] segments = new MappedByteBuffer[segmentCount];
      for (int s = 0; s < segmentCount; s++) {
        long start = s * perSegment * record;
        long size = Math.min(perSegment * record, length - start);
        segments[s] = in.map(FileChannel.MapMode.READ_ONLY, start, size);
        segments[s].order(TexmexLayout.BYTE_ORDER);
      }
      return new MappedTexmexVectors(path, layout, d, count, segments, perSegment);
    } catch (NoSuchFileException e) {
      throw new InvalidInputException("no raw vectors at " + path + ": the file does not exist");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot map raw vectors " + path + ": " + e.getMessage(), e);
    }
  }

  /** The file. */
  public Path path() {
    return path;
  }

  @Override
  public int dimension() {
    return dimension;
  }

  @Override
  public long count() {
    return count;
  }

  @Override
  public void copy(long id, float[] out) {
    if (id < 0 || id >= count) {
      throw new IllegalArgumentException("no raw vector with id " + id + " in " + path + ": it holds rows 0.."
          + (count - 1) + " (ids of fvecs/bvecs rows are row numbers)");
    }
    MappedByteBuffer segment = segments[(int) (id / recordsPerSegment)];
    int at = (int) ((id % recordsPerSegment) * recordLength);
    int d = segment.getInt(at);
    if (d != dimension) {
      throw new InvalidInputException(path + " row " + id + " has dimension " + d + ", the file's first row has "
          + dimension);
    }
    int values = at + TexmexLayout.DIMENSION_BYTES;
    if (layout == TexmexLayout.FVECS) {
      for (int j = 0; j < dimension; j++) {
        out[j] = segment.getFloat(values + j * Float.BYTES);
      }
    } else {
      for (int j = 0; j < dimension; j++) {
        out[j] = segment.get(values + j) & TexmexLayout.MAX_UNSIGNED_BYTE;
      }
    }
  }
}
