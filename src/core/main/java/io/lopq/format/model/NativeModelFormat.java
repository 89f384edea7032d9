package io.lopq.format.model;

import io.lopq.format.model.ModelFormatException.Problem;
import io.lopq.model.LopqModel;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * This project's native model format, independent of the file system: a model is a directory
 * holding two files.
 *
 * <pre>
 *   MODEL/model.json   format name and version, D V M K, fingerprint, seed, parameters, statistics,
 *                      array file size, byte order, value type, CRC-32, and every array's shape and offset
 *   MODEL/arrays.bin   32-byte header (magic "LOPQARR\0", version, D V M K), then float32 little-endian arrays
 * </pre>
 *
 * The full description is in {@code docs/MODEL-FORMAT.md}. Reading checks everything it can and
 * throws {@link ModelFormatException} naming the file, the problem and the expected value. A
 * serving JVM reads a local model with {@link #read(Path)}; the Spark module's {@code ModelStore}
 * reads and writes through Hadoop's file systems with the same code.
 */
public final class NativeModelFormat {
  /** The value of model.json's {@code format} field. */
  public static final String FORMAT_NAME = "lopq-spark-model";
  /**
   * The newest format version this build writes and reads. Version 2 added local codebooks (and the
   * {@code codebooks} field); a model with shared codebooks is still written as version 1, so older
   * builds keep reading it.
   */
  public static final int FORMAT_VERSION = 2;
  /** The first format version that can hold local (per coarse cluster) codebooks. */
  public static final int LOCAL_CODEBOOKS_VERSION = 2;
  /** The JSON description inside a model directory. */
  public static final String METADATA_FILE = "model.json";
  /** The binary arrays inside a model directory. */
  public static final String ARRAY_FILE = "arrays.bin";
  /** Largest model.json read; a bigger file is not one of ours. */
  public static final long MAX_METADATA_BYTES = 64L << 20;

  private NativeModelFormat() {
  }

  /** Where {@link #write} puts the two files. */
  @FunctionalInterface
  public interface FileCreator {
    /** Creates file {@code name} of the model directory (closed by the caller). */
    OutputStream create(String name) throws IOException;
  }

  /**
   * The model ready to be written: its metadata already turned into JSON, so a value that is not
   * JSON-like fails here, before anything is written.
   *
   * @throws IllegalArgumentException if the metadata holds a value that is not JSON-like
   */
  public static Prepared prepare(LopqModel model) {
    Objects.requireNonNull(model, "model");
    return new Prepared(model, ModelJson.metadataJson(model.metadata()));
  }

  /** A model whose metadata is known to be writable; see {@link #prepare}. */
  public static final class Prepared {
    private final LopqModel model;
    private final ObjectNode metadataJson;

    private Prepared(LopqModel model, ObjectNode metadataJson) {
      this.model = model;
      this.metadataJson = metadataJson;
    }

    /** Writes the two files: the arrays first, then the description that checks them. */
    public void writeTo(FileCreator files) throws IOException {
      ModelArrayFile.Summary summary;
      try (OutputStream out = files.create(ARRAY_FILE)) {
        summary = ModelArrayFile.write(model, out);
      }
      byte[] json = ModelJson.render(model, metadataJson, summary);
      try (OutputStream out = files.create(METADATA_FILE)) {
        out.write(json);
      }
    }
  }

  /**
   * Reads and checks the model in {@code dir}.
   *
   * @throws ModelFormatException if a file is missing, not a model, of a newer format version,
   *     truncated, corrupted (checksum), inconsistent with D/V/M/K, or does not match its
   *     fingerprint; the message names the file
   */
  public static LopqModel read(ModelDirectory dir) throws IOException {
    ModelJson.Description description = ModelJson.parse(readMetadata(dir), dir.path(METADATA_FILE));
    long arrayLength = dir.length(ARRAY_FILE);
    String arrayPath = dir.path(ARRAY_FILE);
    List<float[]> arrays;
    try (InputStream in = dir.open(ARRAY_FILE)) {
      arrays = ModelArrayFile.read(in, arrayLength, description, arrayPath);
    }
    LopqModel model;
    try {
      model = NativeModelLayout.assemble(description.dimension(), description.coarseClusters(),
          description.subquantizers(), description.subquantizerClusters(), arrays, description.metadata());
    } catch (IllegalArgumentException e) {
      throw new ModelFormatException(Problem.MALFORMED, arrayPath,
          "the arrays do not form a valid model: " + e.getMessage(), e);
    }
    if (!model.fingerprint().equals(description.fingerprint())) {
      throw new ModelFormatException(Problem.FINGERPRINT_MISMATCH, dir.path(),
          "fingerprint mismatch: " + METADATA_FILE + " records " + description.fingerprint()
              + ", the arrays give " + model.fingerprint());
    }
    return model;
  }

  /** True if {@code dir}'s {@value #METADATA_FILE} names this format (so the directory may be replaced). */
  public static boolean holdsModel(ModelDirectory dir) {
    try {
      JsonNode format = ModelJson.MAPPER.readTree(readMetadata(dir)).path(ModelJson.FORMAT);
      return FORMAT_NAME.equals(format.asText());
    } catch (IOException e) {
      return false;
    }
  }

  /** Reads and checks the model in local directory {@code dir} (no Hadoop needed). */
  public static LopqModel read(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      throw new ModelFormatException(Problem.MISSING, dir.toString(), "no model here: the directory does not exist");
    }
    if (!Files.isDirectory(dir)) {
      throw new ModelFormatException(Problem.NOT_A_MODEL, dir.toString(),
          "not a model directory: it is a file (expected a directory holding " + METADATA_FILE + " and "
              + ARRAY_FILE + ")");
    }
    return read(new LocalDirectory(dir));
  }

  private static byte[] readMetadata(ModelDirectory dir) throws IOException {
    long length = dir.length(METADATA_FILE);
    if (length > MAX_METADATA_BYTES) {
      throw new ModelFormatException(Problem.NOT_A_MODEL, dir.path(METADATA_FILE),
          "not a LOPQ model description: " + length + " bytes, expected at most " + MAX_METADATA_BYTES);
    }
    try (InputStream in = dir.open(METADATA_FILE)) {
      return in.readAllBytes();
    }
  }

  /** A model directory on the local file system. */
  private record LocalDirectory(Path dir) implements ModelDirectory {
    @Override
    public String path() {
      return dir.toString();
    }

    @Override
    public String path(String name) {
      return dir.resolve(name).toString();
    }

    @Override
    public long length(String name) throws IOException {
      Path file = dir.resolve(name);
      if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS) && !Files.exists(file)) {
        throw new ModelFormatException(Problem.MISSING, file.toString(),
            "missing file: a model directory holds " + METADATA_FILE + " and " + ARRAY_FILE);
      }
      if (!Files.isRegularFile(file)) {
        throw new ModelFormatException(Problem.NOT_A_MODEL, file.toString(), "expected a file, found a directory");
      }
      return Files.size(file);
    }

    @Override
    public InputStream open(String name) throws IOException {
      return Files.newInputStream(dir.resolve(name));
    }
  }
}
