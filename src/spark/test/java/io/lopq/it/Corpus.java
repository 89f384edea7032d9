package io.lopq.it;

import io.lopq.io.vectors.FvecsWriter;
import io.lopq.format.vectors.SyntheticCorpus;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.hadoop.conf.Configuration;

/**
 * Generated inputs of the integration tests: a reproducible clustered corpus
 * ({@link SyntheticCorpus}) written as {@code .fvecs}. A base written as a folder of several files
 * is read in at least one split per file, so every step runs several tasks (the readers take the
 * format from the path's name, so such a folder is named {@code *.fvecs}); queries come from rows
 * after the base, so they are new points from the same distribution.
 *
 * @param dimension D
 * @param clusters Gaussian clusters of the data
 * @param seed seed of the data
 */
record Corpus(int dimension, int clusters, long seed) {
  private static final int FVECS_HEADER_BYTES = 4;

  SyntheticCorpus generator() {
    return new SyntheticCorpus(dimension, clusters, seed);
  }

  /** Rows {@code first .. first + rows - 1} into one .fvecs file (kept if already complete). */
  Path writeFvecs(Path file, long first, int rows) {
    if (Files.isRegularFile(file) && sizeOf(file) == (long) rows * (FVECS_HEADER_BYTES + 4L * dimension)) {
      return file;
    }
    try {
      Files.createDirectories(file.getParent());
      Files.deleteIfExists(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    SyntheticCorpus generator = generator();
    float[] row = new float[dimension];
    try (FvecsWriter writer = FvecsWriter.fvecs(file.toString(), new Configuration())) {
      for (long i = first; i < first + rows; i++) {
        generator.row(i, row, 0);
        writer.write(row);
      }
    }
    FileTrees.deleteRecursively(file.resolveSibling("." + file.getFileName() + ".crc"));
    return file;
  }

  /**
   * Rows {@code 0 .. files * rowsPerFile - 1} into {@code files} .fvecs files in a folder, in row
   * order (part-00000.fvecs holds the first rows), so ids are row numbers over the whole folder.
   */
  Path writeFvecsFolder(Path dir, int files, int rowsPerFile) {
    for (int f = 0; f < files; f++) {
      writeFvecs(dir.resolve(String.format("part-%05d.fvecs", f)), (long) f * rowsPerFile, rowsPerFile);
    }
    return dir;
  }

  /** The vectors of rows {@code first .. first + rows - 1}, row-major. */
  float[] rows(long first, int rows) {
    return generator().rows(first, rows);
  }

  private static long sizeOf(Path file) {
    try {
      return Files.size(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
