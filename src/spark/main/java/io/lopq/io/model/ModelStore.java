package io.lopq.io.model;

import io.lopq.format.model.ModelDirectory;
import io.lopq.format.model.ModelFormatException;
import io.lopq.format.model.ModelFormatException.Problem;
import io.lopq.format.model.NativeModelFormat;
import io.lopq.io.fs.AtomicCommit;
import io.lopq.model.LopqModel;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.ChecksumException;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Saves and loads models in this project's {@link NativeModelFormat native format} through
 * Hadoop's {@link FileSystem}, so any file system Hadoop knows works ({@code file:}, {@code hdfs:},
 * {@code s3a:}, ...).
 *
 * <p>Saving writes a hidden sibling directory and renames it into place ({@link AtomicCommit}), so
 * the target holds either a complete model or nothing. Loading checks everything it can and throws
 * {@link ModelFormatException} naming the path, the problem and the expected value; a failed
 * checksum of the file system itself is reported as {@code CHECKSUM_MISMATCH} too.
 */
public final class ModelStore {
  /**
   * The check {@link #save} applies before replacing an existing target: only a model directory (or
   * an empty directory) may be replaced. For callers that commit a model directory with extra files
   * themselves through {@link AtomicCommit}.
   */
  public static final AtomicCommit.ReplaceGuard REPLACE_GUARD = ModelStore::checkReplaceable;

  private ModelStore() {
  }

  /** Saves {@code model} at {@code uri} with a default Hadoop configuration. */
  public static void save(LopqModel model, String uri, boolean overwrite) throws IOException {
    save(model, new Path(uri), overwrite, new Configuration());
  }

  /**
   * Saves {@code model} as a model directory at {@code path}.
   *
   * @param overwrite whether to replace an existing model there; only a model directory (or an empty
   *     directory) is ever replaced, so a mistyped path cannot wipe unrelated data
   * @throws org.apache.hadoop.fs.FileAlreadyExistsException if something exists at {@code path} and
   *     {@code overwrite} is false
   * @throws IllegalArgumentException if the metadata holds a value that is not JSON-like (nothing is
   *     written then)
   * @throws IOException if writing fails; nothing new is left at {@code path} then
   */
  public static void save(LopqModel model, Path path, boolean overwrite, Configuration conf) throws IOException {
    NativeModelFormat.Prepared prepared = NativeModelFormat.prepare(model);
    FileSystem fs = path.getFileSystem(conf);
    AtomicCommit.commit(fs, path, overwrite, ModelStore::checkReplaceable, (files, temporary) -> {
      if (!files.mkdirs(temporary)) {
        throw new IOException("could not create the temporary model directory " + temporary);
      }
      prepared.writeTo(name -> files.create(new Path(temporary, name), false));
    });
  }

  /** Loads the model at {@code uri} with a default Hadoop configuration. */
  public static LopqModel load(String uri) throws IOException {
    return load(new Path(uri), new Configuration());
  }

  /**
   * Loads and checks the model directory at {@code path}.
   *
   * @throws ModelFormatException if the directory or a file is missing, not a model, of a newer
   *     format version, truncated, corrupted (checksum), inconsistent with D/V/M/K, or does not match
   *     its fingerprint; the message names the file
   * @throws IOException if the file system fails
   */
  public static LopqModel load(Path path, Configuration conf) throws IOException {
    FileSystem fs = path.getFileSystem(conf);
    Path dir = fs.makeQualified(path);
    FileStatus status = AtomicCommit.statusOrNull(fs, dir);
    if (status == null) {
      throw new ModelFormatException(Problem.MISSING, dir.toString(), "no model here: the directory does not exist");
    }
    if (!status.isDirectory()) {
      throw new ModelFormatException(Problem.NOT_A_MODEL, dir.toString(),
          "not a model directory: it is a file (expected a directory holding " + NativeModelFormat.METADATA_FILE
              + " and " + NativeModelFormat.ARRAY_FILE + "; a Yahoo LOPQ protobuf file loads with YahooModelStore)");
    }
    return NativeModelFormat.read(new HadoopDirectory(fs, dir));
  }

  /** Only a model directory or an empty directory may be overwritten. */
  private static void checkReplaceable(FileSystem fs, FileStatus existing) throws IOException {
    Path target = existing.getPath();
    if (!existing.isDirectory()) {
      throw new IOException("refusing to overwrite " + target + ": it is a file, not a model directory");
    }
    if (fs.listStatus(target).length == 0 || NativeModelFormat.holdsModel(new HadoopDirectory(fs, target))) {
      return;
    }
    throw new IOException("refusing to overwrite " + target + ": it is not empty and holds no "
        + NativeModelFormat.METADATA_FILE + " with format \"" + NativeModelFormat.FORMAT_NAME + "\"");
  }

  /** A model directory on a Hadoop file system; the file system's checksum failures become model format errors. */
  private record HadoopDirectory(FileSystem fs, Path dir) implements ModelDirectory {
    @Override
    public String path() {
      return dir.toString();
    }

    @Override
    public String path(String name) {
      return new Path(dir, name).toString();
    }

    @Override
    public long length(String name) throws IOException {
      Path file = new Path(dir, name);
      FileStatus status = AtomicCommit.statusOrNull(fs, file);
      if (status == null) {
        throw new ModelFormatException(Problem.MISSING, file.toString(), "missing file: a model directory holds "
            + NativeModelFormat.METADATA_FILE + " and " + NativeModelFormat.ARRAY_FILE);
      }
      if (!status.isFile()) {
        throw new ModelFormatException(Problem.NOT_A_MODEL, file.toString(), "expected a file, found a directory");
      }
      return status.getLen();
    }

    @Override
    public InputStream open(String name) throws IOException {
      String file = path(name);
      return new FilterInputStream(fs.open(new Path(dir, name))) {
        @Override
        public int read() throws IOException {
          try {
            return super.read();
          } catch (ChecksumException e) {
            throw checksumFailed(file, e);
          }
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
          try {
            return super.read(b, off, len);
          } catch (ChecksumException e) {
            throw checksumFailed(file, e);
          }
        }
      };
    }

    private static ModelFormatException checksumFailed(String file, ChecksumException e) {
      return new ModelFormatException(Problem.CHECKSUM_MISMATCH, file,
          "the file system's own checksum of the file failed: " + e.getMessage(), e);
    }
  }
}
