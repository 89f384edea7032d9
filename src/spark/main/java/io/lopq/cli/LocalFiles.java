package io.lopq.cli;

import io.lopq.io.fs.AtomicCommit;
import io.lopq.io.vectors.FvecsWriter;
import java.io.IOException;
import java.util.function.Consumer;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Writes a single vector file so that it appears whole or not at all: rows go to a hidden
 * sibling, which is renamed over the target only after the last row was written.
 */
final class LocalFiles {
  private LocalFiles() {}

  /** Writes an {@code .fvecs} file atomically through Hadoop's FileSystem. */
  static long writeFvecsAtomically(String target, boolean overwrite, Consumer<FvecsWriter> rows)
      throws IOException {
    return writeVectorsAtomically(target, overwrite, false, rows);
  }

  /**
   * Writes an {@code .fvecs} file, or a {@code .bvecs} file if {@code bytes}, atomically
   * ({@link AtomicCommit}: also on failure or Ctrl-C nothing is left behind).
   */
  static long writeVectorsAtomically(String target, boolean overwrite, boolean bytes, Consumer<FvecsWriter> rows)
      throws IOException {
    Configuration conf = new Configuration();
    Path path = new Path(target);
    FileSystem fs = path.getFileSystem(conf);
    if (!overwrite && fs.exists(path)) {
      throw OverwriteOption.alreadyExists("output " + target);
    }
    long[] written = new long[1];
    AtomicCommit.commit(fs, path, overwrite, AtomicCommit.ANY, (unused, temp) -> {
      try (FvecsWriter writer = bytes ? FvecsWriter.bvecs(temp.toString(), conf) : FvecsWriter.fvecs(temp.toString(), conf)) {
        rows.accept(writer);
        written[0] = writer.rows();
      }
    });
    return written[0];
  }
}
