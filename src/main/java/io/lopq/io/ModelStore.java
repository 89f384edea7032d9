package io.lopq.io;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lopq.io.ModelFormatException.Problem;
import io.lopq.model.LopqModel;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;
import java.util.Objects;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.ChecksumException;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Saves and loads models in this project's native format through Hadoop's {@link FileSystem}, so
 * any file system Hadoop knows works ({@code file:}, {@code hdfs:}, {@code s3a:}, ...).
 *
 * <p>A model is a directory with two files:
 * <pre>
 *   MODEL/model.json   format name and version, D V M K, fingerprint, seed, parameters, statistics,
 *                      array file size, byte order, value type, CRC-32, and every array's shape and offset
 *   MODEL/arrays.bin   32-byte header (magic "LOPQARR\0", version, D V M K), then float32 little-endian arrays
 * </pre>
 * The full description is in {@code docs/MODEL-FORMAT.md}. Saving writes a hidden sibling directory
 * and renames it into place ({@link AtomicCommit}), so the target holds either a complete model or
 * nothing. Loading checks everything it can and throws {@link ModelFormatException} naming the path,
 * the problem and the expected value.
 */
public final class ModelStore {
  /** The value of model.json's {@code format} field. */
  public static final String FORMAT_NAME = "lopq-spark-model";
  /** The newest format version this build writes and reads. */
  public static final int FORMAT_VERSION = 1;
  /** The JSON description inside a model directory. */
  public static final String METADATA_FILE = "model.json";
  /** The binary arrays inside a model directory. */
  public static final String ARRAY_FILE = "arrays.bin";
  /** Largest model.json read; a bigger file is not one of ours. */
  private static final long MAX_METADATA_BYTES = 64L << 20;

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
    Objects.requireNonNull(model, "model");
    ObjectNode metadataJson = ModelJson.metadataJson(model.metadata());
    FileSystem fs = path.getFileSystem(conf);
    AtomicCommit.commit(fs, path, overwrite, ModelStore::checkReplaceable, (files, temporary) -> {
      if (!files.mkdirs(temporary)) {
        throw new IOException("could not create the temporary model directory " + temporary);
      }
      ModelArrayFile.Summary summary;
      try (OutputStream out = files.create(new Path(temporary, ARRAY_FILE), false)) {
        summary = ModelArrayFile.write(model, out);
      }
      byte[] json = ModelJson.render(model, metadataJson, summary);
      try (OutputStream out = files.create(new Path(temporary, METADATA_FILE), false)) {
        out.write(json);
      }
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
          "not a model directory: it is a file (expected a directory holding " + METADATA_FILE + " and "
              + ARRAY_FILE + "; a Yahoo LOPQ protobuf file loads with YahooLopqProtobuf)");
    }
    Path jsonPath = new Path(dir, METADATA_FILE);
    ModelJson.Description description = ModelJson.parse(readSmallFile(fs, jsonPath), jsonPath.toString());
    Path arrayPath = new Path(dir, ARRAY_FILE);
    FileStatus arrayStatus = requireFile(fs, arrayPath);
    List<float[]> arrays;
    try (FSDataInputStream in = fs.open(arrayPath)) {
      arrays = ModelArrayFile.read(in, arrayStatus.getLen(), description, arrayPath.toString());
    } catch (ChecksumException e) {
      throw new ModelFormatException(Problem.CHECKSUM_MISMATCH, arrayPath.toString(),
          "the file system's own checksum of the array file failed: " + e.getMessage(), e);
    }
    LopqModel model;
    try {
      model = NativeModelLayout.assemble(description.dimension(), description.coarseClusters(),
          description.subquantizers(), description.subquantizerClusters(), arrays, description.metadata());
    } catch (IllegalArgumentException e) {
      throw new ModelFormatException(Problem.MALFORMED, arrayPath.toString(),
          "the arrays do not form a valid model: " + e.getMessage(), e);
    }
    if (!model.fingerprint().equals(description.fingerprint())) {
      throw new ModelFormatException(Problem.FINGERPRINT_MISMATCH, dir.toString(),
          "fingerprint mismatch: " + METADATA_FILE + " records " + description.fingerprint()
              + ", the arrays give " + model.fingerprint());
    }
    return model;
  }

  /** Only a model directory or an empty directory may be overwritten. */
  private static void checkReplaceable(FileSystem fs, FileStatus existing) throws IOException {
    Path target = existing.getPath();
    if (!existing.isDirectory()) {
      throw new IOException("refusing to overwrite " + target + ": it is a file, not a model directory");
    }
    if (fs.listStatus(target).length == 0) {
      return;
    }
    Path json = new Path(target, METADATA_FILE);
    try {
      JsonNode format = ModelJson.MAPPER.readTree(readSmallFile(fs, json)).path(ModelJson.FORMAT);
      if (FORMAT_NAME.equals(format.asText())) {
        return;
      }
    } catch (IOException e) {
      // Not readable as one of our models: refuse below.
    }
    throw new IOException("refusing to overwrite " + target + ": it is not empty and holds no "
        + METADATA_FILE + " with format \"" + FORMAT_NAME + "\"");
  }

  private static FileStatus requireFile(FileSystem fs, Path file) throws IOException {
    FileStatus status = AtomicCommit.statusOrNull(fs, file);
    if (status == null) {
      throw new ModelFormatException(Problem.MISSING, file.toString(),
          "missing file: a model directory holds " + METADATA_FILE + " and " + ARRAY_FILE);
    }
    if (!status.isFile()) {
      throw new ModelFormatException(Problem.NOT_A_MODEL, file.toString(), "expected a file, found a directory");
    }
    return status;
  }

  private static byte[] readSmallFile(FileSystem fs, Path file) throws IOException {
    FileStatus status = requireFile(fs, file);
    if (status.getLen() > MAX_METADATA_BYTES) {
      throw new ModelFormatException(Problem.NOT_A_MODEL, file.toString(),
          "not a LOPQ model description: " + status.getLen() + " bytes, expected at most " + MAX_METADATA_BYTES);
    }
    try (InputStream in = fs.open(file)) {
      return in.readAllBytes();
    } catch (ChecksumException e) {
      throw new ModelFormatException(Problem.CHECKSUM_MISMATCH, file.toString(),
          "the file system's own checksum of the file failed: " + e.getMessage(), e);
    }
  }
}
