package io.lopq.io.model;

import io.lopq.format.model.ModelFormatException;
import io.lopq.format.model.ModelFormatException.Problem;
import io.lopq.format.model.YahooLopqProtobuf;
import io.lopq.io.fs.AtomicCommit;
import io.lopq.model.LopqModel;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Objects;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.ChecksumException;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Saves and loads models as one Yahoo LOPQ protobuf file ({@link YahooLopqProtobuf}) through
 * Hadoop's {@link FileSystem}, so any file system Hadoop knows works; saving is atomic
 * ({@link AtomicCommit}).
 */
public final class YahooModelStore {
  private YahooModelStore() {
  }

  /** Saves the model as one protobuf file at {@code uri} with a default Hadoop configuration. */
  public static void save(LopqModel model, String uri, boolean overwrite) throws IOException {
    save(model, new Path(uri), overwrite, new Configuration());
  }

  /**
   * Saves the model as one protobuf file at {@code path}, atomically ({@link AtomicCommit}).
   *
   * @param overwrite whether an existing file may be replaced (a directory never is)
   * @throws org.apache.hadoop.fs.FileAlreadyExistsException if the path exists and {@code overwrite} is false
   */
  public static void save(LopqModel model, Path path, boolean overwrite, Configuration conf) throws IOException {
    YahooLopqProtobuf.checkExportable(model);
    FileSystem fs = path.getFileSystem(conf);
    AtomicCommit.ReplaceGuard onlyFiles = (files, existing) -> {
      if (existing.isDirectory()) {
        throw new IOException("refusing to overwrite " + existing.getPath() + ": it is a directory, not a protobuf file");
      }
    };
    AtomicCommit.commit(fs, path, overwrite, onlyFiles, (files, temporary) -> {
      try (OutputStream out = files.create(temporary, false)) {
        YahooLopqProtobuf.write(model, out);
      }
    });
  }

  /** Loads the protobuf file at {@code uri} with a default Hadoop configuration. */
  public static LopqModel load(String uri) throws IOException {
    return load(new Path(uri), new Configuration());
  }

  /**
   * Loads the protobuf file at {@code path}.
   *
   * @throws ModelFormatException if the file is missing, not a protobuf message, or its fields do not
   *     match D/V/M/K; the message names the path and the field
   */
  public static LopqModel load(Path path, Configuration conf) throws IOException {
    FileSystem fs = path.getFileSystem(conf);
    Path file = fs.makeQualified(path);
    FileStatus status = AtomicCommit.statusOrNull(fs, file);
    if (status == null) {
      throw new ModelFormatException(Problem.MISSING, file.toString(), "no Yahoo LOPQ protobuf file here");
    }
    if (status.isDirectory()) {
      throw new ModelFormatException(Problem.NOT_A_MODEL, file.toString(),
          "expected a Yahoo LOPQ protobuf file, found a directory (a native model directory loads with ModelStore)");
    }
    try (InputStream in = fs.open(file)) {
      return YahooLopqProtobuf.read(in, file.toString());
    } catch (ChecksumException e) {
      throw new ModelFormatException(Problem.CHECKSUM_MISMATCH, file.toString(),
          "the file system's own checksum of the file failed: " + e.getMessage(), e);
    }
  }

}
