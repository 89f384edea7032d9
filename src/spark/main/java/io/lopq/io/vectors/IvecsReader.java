package io.lopq.io.vectors;

import io.lopq.format.vectors.InvalidInputException;
import io.lopq.format.vectors.TexmexLayout;
import io.lopq.format.vectors.TexmexRecordReader;
import io.lopq.io.fs.InputFiles;

import java.io.BufferedInputStream;
import java.io.Closeable;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Reads a TEXMEX {@code .ivecs} file (each record: little-endian int32 d, then d int32), such as the
 * ground-truth neighbour lists of the SIFT/GIST benchmarks, through Hadoop's FileSystem on the
 * calling JVM (ground truth is small: queries x neighbours). The records are decoded by
 * {@link TexmexRecordReader}.
 */
public final class IvecsReader implements Closeable {
  private static final int BUFFER_BYTES = 1 << 16;

  private final TexmexRecordReader records;

  private IvecsReader(TexmexRecordReader records) {
    this.records = records;
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
      return new IvecsReader(new TexmexRecordReader(new BufferedInputStream(fs.open(p), BUFFER_BYTES), path,
          TexmexLayout.IVECS, length));
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
    return records.nextInts();
  }

  @Override
  public void close() {
    records.close();
  }
}
