package io.lopq.format.model;


import com.google.protobuf.CodedInputStream;
import com.google.protobuf.CodedOutputStream;
import io.lopq.format.model.ModelFormatException.Problem;
import io.lopq.model.LopqModel;
import io.lopq.model.ModelMetadata;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Encodes and decodes models in the protobuf layout of Yahoo's open-source LOPQ ({@code
 * LOPQModelParams}, package {@code com.flickr.vision.lopq}), so models move between the two
 * projects and Yahoo's Python searcher can use models trained here.
 *
 * <pre>
 *   message Vector          { repeated float values = 1 [packed = true]; }
 *   message Matrix          { repeated float values = 1 [packed = true]; repeated uint32 shape = 2; }
 *   message LOPQModelParams {
 *     optional uint32 D = 1;  optional uint32 V = 2;  optional uint32 M = 3;
 *     optional uint32 num_subquantizers = 4;   // K, the clusters per subquantizer
 *     repeated Matrix Cs   = 5;   // 2 matrices V x D/2
 *     repeated Matrix Rs   = 6;   // 2V matrices D/2 x D/2: half 0 clusters 0..V-1, then half 1
 *     repeated Vector mus  = 7;   // 2V vectors D/2, same order
 *     repeated Matrix subs = 8;   // M matrices K x D/M, half 0's M/2 first
 *   }
 * </pre>
 *
 * Both projects store rotations with eigenvectors as rows and project as {@code R (r - mu)}, so the
 * arrays are copied as they are. The message carries no training metadata: an imported model gets
 * seed 0, no statistics, and the parameters {@value #IMPORTED_FROM} = {@value #SOURCE_FORMAT} (plus
 * {@value #SOURCE_PATH} when read from a path). Protobuf caps one message at 2 GiB.
 * Parsing uses protobuf-java's {@link CodedInputStream} directly: no generated code.
 */
public final class YahooLopqProtobuf {
  /** Field numbers of {@code LOPQModelParams}. */
  static final int FIELD_D = 1;
  static final int FIELD_V = 2;
  static final int FIELD_M = 3;
  static final int FIELD_K = 4;
  static final int FIELD_CS = 5;
  static final int FIELD_RS = 6;
  static final int FIELD_MUS = 7;
  static final int FIELD_SUBS = 8;
  /** Field numbers of {@code Matrix} and {@code Vector}. */
  static final int MATRIX_VALUES = 1;
  static final int MATRIX_SHAPE = 2;
  static final int VECTOR_VALUES = 1;

  /** Metadata parameter naming where an imported model came from. */
  public static final String IMPORTED_FROM = "importedFrom";
  /** The value of {@link #IMPORTED_FROM} for models read by this class. */
  public static final String SOURCE_FORMAT = "yahoo-lopq-protobuf";
  /** Metadata parameter holding the path an imported model was read from. */
  public static final String SOURCE_PATH = "sourcePath";
  private static final int BUFFER_BYTES = 1 << 16;

  private YahooLopqProtobuf() {
  }

  /** The model as {@code LOPQModelParams} bytes (metadata is not part of the layout). */
  public static byte[] toBytes(LopqModel model) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try {
      write(model, bytes);
    } catch (IOException e) {
      throw new UncheckedIOException("writing to memory failed", e);
    }
    return bytes.toByteArray();
  }

  /** Parses {@code LOPQModelParams} bytes. */
  public static LopqModel fromBytes(byte[] bytes) throws ModelFormatException {
    try {
      return YahooProtoReader.read(CodedInputStream.newInstance(bytes), null, importedMetadata(null));
    } catch (ModelFormatException e) {
      throw e;
    } catch (IOException e) {
      throw new ModelFormatException(Problem.MALFORMED, null, "Yahoo LOPQ protobuf: " + e.getMessage(), e);
    }
  }

  /**
   * Checks that Yahoo's layout can hold the model: it has one shared codebook per subquantizer
   * ({@code subs}), so a model with local codebooks (one per coarse cluster) cannot be exported.
   *
   * @throws IllegalArgumentException saying why and what to do instead
   */
  public static void checkExportable(LopqModel model) {
    Objects.requireNonNull(model, "model");
    if (model.hasLocalCodebooks()) {
      throw new IllegalArgumentException("cannot export model " + model.fingerprint() + " to Yahoo LOPQ's protobuf "
          + "layout: it has local codebooks (one set per coarse cluster, trained with --codebooks local), and "
          + "LOPQModelParams holds only the M codebooks shared by all cells ('subs'); dropping them would change "
          + "every code. Train with --codebooks global (the default) to get an exportable model");
    }
  }

  /**
   * Writes the model to {@code out} (flushed, not closed).
   *
   * @throws IllegalArgumentException for a model with local codebooks ({@link #checkExportable})
   */
  public static void write(LopqModel model, OutputStream out) throws IOException {
    checkExportable(model);
    CodedOutputStream coded = CodedOutputStream.newInstance(out, BUFFER_BYTES);
    YahooProtoWriter.write(model, coded);
    out.flush();
  }

  /** Reads one model from {@code in} up to its end (not closed). */
  public static LopqModel read(InputStream in) throws IOException {
    return YahooProtoReader.read(CodedInputStream.newInstance(in, BUFFER_BYTES), null, importedMetadata(null));
  }

  /**
   * Reads one model from {@code in} up to its end (not closed); {@code sourcePath} (may be null)
   * names the file in error messages and in the model's {@value #SOURCE_PATH} parameter.
   */
  public static LopqModel read(InputStream in, String sourcePath) throws IOException {
    return YahooProtoReader.read(CodedInputStream.newInstance(in, BUFFER_BYTES), sourcePath, importedMetadata(sourcePath));
  }

  private static ModelMetadata importedMetadata(String sourcePath) {
    Map<String, Object> parameters = new LinkedHashMap<>();
    parameters.put(IMPORTED_FROM, SOURCE_FORMAT);
    if (sourcePath != null) {
      parameters.put(SOURCE_PATH, sourcePath);
    }
    return new ModelMetadata(ModelMetadata.EMPTY.seed(), parameters, Map.of());
  }
}
