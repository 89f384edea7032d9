package io.lopq.format.model;


import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lopq.format.model.ModelFormatException.Problem;
import io.lopq.model.CodebookScope;
import io.lopq.model.LopqModel;
import io.lopq.model.ModelMetadata;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The JSON metadata file of a native model ({@value NativeModelFormat#METADATA_FILE}): it names the format
 * and its version, D/V/M/K, the model fingerprint, the training metadata, and describes the array
 * file (size, byte order, value type, CRC-32, and every array's name, shape and byte offset).
 * See {@code docs/MODEL-FORMAT.md} for an example.
 */
final class ModelJson {
  static final String FORMAT = "format";
  static final String FORMAT_VERSION = "formatVersion";
  static final String DIMENSION = "D";
  static final String COARSE_CLUSTERS = "V";
  static final String SUBQUANTIZERS = "M";
  static final String SUBQUANTIZER_CLUSTERS = "K";
  static final String FINGERPRINT = "fingerprint";
  static final String CODEBOOKS = "codebooks";
  static final String SEED = "seed";
  static final String PARAMETERS = "parameters";
  static final String STATISTICS = "statistics";
  static final String ARRAY_FILE = "arrayFile";
  static final String NAME = "name";
  static final String BYTES = "bytes";
  static final String HEADER_BYTES = "headerBytes";
  static final String BYTE_ORDER = "byteOrder";
  static final String VALUE_TYPE = "valueType";
  static final String CHECKSUM = "checksum";
  static final String ALGORITHM = "algorithm";
  static final String VALUE = "value";
  static final String ARRAYS = "arrays";
  static final String SHAPE = "shape";
  static final String SHAPE_FORMULA = "shapeOf";
  static final String OFFSET = "offset";
  static final String LITTLE_ENDIAN = "little-endian";
  static final String FLOAT32 = "float32";
  static final String CRC32 = "CRC32";

  /** Reads bare NaN and Infinity (as Python's json module writes them) and writes them bare too. */
  static final JsonMapper MAPPER = JsonMapper.builder()
      .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
      .disable(JsonWriteFeature.WRITE_NAN_AS_STRINGS)
      .enable(SerializationFeature.INDENT_OUTPUT)
      .build();

  /** What a model.json says, checked for internal consistency. */
  record Description(
      int formatVersion,
      int dimension,
      int coarseClusters,
      int subquantizers,
      int subquantizerClusters,
      String fingerprint,
      ModelMetadata metadata,
      long crc32,
      NativeModelLayout layout) {
  }

  private ModelJson() {
  }

  /**
   * The JSON of the metadata alone, built before anything is written so that a value that cannot
   * be stored fails early.
   *
   * @throws IllegalArgumentException naming the value that is not JSON-like
   */
  static ObjectNode metadataJson(ModelMetadata metadata) {
    ObjectNode node = MAPPER.createObjectNode();
    node.put(SEED, metadata.seed());
    node.set(PARAMETERS, JsonValues.toNode(metadata.parameters(), PARAMETERS));
    node.set(STATISTICS, JsonValues.toNode(metadata.statistics(), STATISTICS));
    return node;
  }

  /** The complete model.json bytes (UTF-8). */
  static byte[] render(LopqModel model, ObjectNode metadataJson, ModelArrayFile.Summary summary) throws IOException {
    NativeModelLayout layout = NativeModelLayout.of(model);
    ObjectNode root = MAPPER.createObjectNode();
    root.put(FORMAT, NativeModelFormat.FORMAT_NAME);
    root.put(FORMAT_VERSION, layout.formatVersion());
    root.put(DIMENSION, model.dimension());
    root.put(COARSE_CLUSTERS, model.coarseClusters());
    root.put(SUBQUANTIZERS, model.subquantizers());
    root.put(SUBQUANTIZER_CLUSTERS, model.subquantizerClusters());
    if (layout.scope() == CodebookScope.LOCAL) {
      // Only version 2 files name it: a model with shared codebooks is written exactly as version 1 was.
      root.put(CODEBOOKS, model.codebookScope().name().toLowerCase(java.util.Locale.ROOT));
    }
    root.put(FINGERPRINT, model.fingerprint());
    root.setAll(metadataJson);
    ObjectNode file = root.putObject(ARRAY_FILE);
    file.put(NAME, NativeModelFormat.ARRAY_FILE);
    file.put(BYTES, summary.bytes());
    file.put(HEADER_BYTES, NativeModelLayout.HEADER_BYTES);
    file.put(BYTE_ORDER, LITTLE_ENDIAN);
    file.put(VALUE_TYPE, FLOAT32);
    ObjectNode checksum = file.putObject(CHECKSUM);
    checksum.put(ALGORITHM, CRC32);
    checksum.put(VALUE, ModelArrayFile.crc32Hex(summary.crc32()));
    ArrayNode arrays = root.putArray(ARRAYS);
    for (NativeModelLayout.Entry entry : layout.entries()) {
      ObjectNode a = arrays.addObject();
      a.put(NAME, entry.name());
      ArrayNode shape = a.putArray(SHAPE);
      for (int s : entry.shape()) {
        shape.add(s);
      }
      a.put(SHAPE_FORMULA, entry.shapeFormula());
      a.put(OFFSET, entry.offset());
    }
    return MAPPER.writeValueAsBytes(root);
  }

  /**
   * Parses and checks a model.json.
   *
   * @param path the file's name for messages
   * @throws ModelFormatException naming the field that is missing, foreign, newer or inconsistent
   */
  static Description parse(byte[] json, String path) throws ModelFormatException {
    JsonNode root;
    try {
      root = MAPPER.readTree(json);
    } catch (JsonProcessingException e) {
      throw new ModelFormatException(Problem.NOT_A_MODEL, path,
          "not a LOPQ model description: not valid JSON (" + e.getOriginalMessage() + ")", e);
    } catch (IOException e) {
      throw new ModelFormatException(Problem.NOT_A_MODEL, path, "not a LOPQ model description: " + e, e);
    }
    if (root == null || !root.isObject()) {
      throw new ModelFormatException(Problem.NOT_A_MODEL, path,
          "not a LOPQ model description: expected a JSON object with \"" + FORMAT + "\": \""
              + NativeModelFormat.FORMAT_NAME + "\"");
    }
    JsonNode format = root.get(FORMAT);
    if (format == null || !format.isTextual()) {
      throw new ModelFormatException(Problem.NOT_A_MODEL, path,
          "not a LOPQ model description: no \"" + FORMAT + "\" field, expected \"" + FORMAT + "\": \""
              + NativeModelFormat.FORMAT_NAME + "\"");
    }
    if (!NativeModelFormat.FORMAT_NAME.equals(format.textValue())) {
      throw new ModelFormatException(Problem.NOT_A_MODEL, path,
          "not a LOPQ model description: format is \"" + format.textValue() + "\", expected \""
              + NativeModelFormat.FORMAT_NAME + "\"");
    }
    long version = requireLong(root, FORMAT_VERSION, path);
    if (version > NativeModelFormat.FORMAT_VERSION) {
      throw new ModelFormatException(Problem.NEWER_VERSION, path,
          "model format version " + version + " is newer than this build supports (" + NativeModelFormat.FORMAT_VERSION + ")");
    }
    if (version < 1) {
      throw new ModelFormatException(Problem.MALFORMED, path, "formatVersion is " + version + ", expected >= 1");
    }
    int dimension = requireInt(root, DIMENSION, path);
    int coarseClusters = requireInt(root, COARSE_CLUSTERS, path);
    int subquantizers = requireInt(root, SUBQUANTIZERS, path);
    int subquantizerClusters = requireInt(root, SUBQUANTIZER_CLUSTERS, path);
    CodebookScope scope = codebookScope(root, version, path);
    NativeModelLayout layout;
    try {
      layout = NativeModelLayout.of(dimension, coarseClusters, subquantizers, subquantizerClusters, scope);
    } catch (IllegalArgumentException e) {
      throw new ModelFormatException(Problem.MALFORMED, path, "invalid model parameters: " + e.getMessage(), e);
    }
    String fingerprint = requireText(root, FINGERPRINT, path);
    ModelMetadata metadata = metadata(root, path);
    JsonNode file = requireObject(root, ARRAY_FILE, path);
    requireEqual(file, ARRAY_FILE + "." + NAME, NativeModelFormat.ARRAY_FILE, path);
    requireEqual(file, ARRAY_FILE + "." + BYTE_ORDER, LITTLE_ENDIAN, path);
    requireEqual(file, ARRAY_FILE + "." + VALUE_TYPE, FLOAT32, path);
    JsonNode checksum = requireObject(file, CHECKSUM, path);
    requireEqual(checksum, ARRAY_FILE + "." + CHECKSUM + "." + ALGORITHM, CRC32, path);
    long crc = parseCrc(requireText(checksum, VALUE, path), path);
    checkArrays(root, layout, path);
    long bytes = requireLong(file, BYTES, path);
    if (bytes != layout.totalBytes()) {
      throw new ModelFormatException(Problem.SHAPE_MISMATCH, path,
          ARRAY_FILE + "." + BYTES + " is " + bytes + ", expected " + layout.totalBytes() + " for D=" + dimension
              + ", V=" + coarseClusters + ", M=" + subquantizers + ", K=" + subquantizerClusters);
    }
    return new Description((int) version, dimension, coarseClusters, subquantizers, subquantizerClusters,
        fingerprint, metadata, crc, layout);
  }

  /**
   * The {@value #CODEBOOKS} field: "global" or "local"; absent means global (version 1 files may
   * lack it); local needs format version {@link NativeModelFormat#LOCAL_CODEBOOKS_VERSION}.
   */
  private static CodebookScope codebookScope(JsonNode root, long version, String path) throws ModelFormatException {
    JsonNode node = root.get(CODEBOOKS);
    if (node == null || node.isNull()) {
      return CodebookScope.GLOBAL;
    }
    CodebookScope scope = null;
    for (CodebookScope s : CodebookScope.values()) {
      if (s.name().equalsIgnoreCase(node.asText())) {
        scope = s;
      }
    }
    if (!node.isTextual() || scope == null) {
      throw new ModelFormatException(Problem.MALFORMED, path,
          "field \"" + CODEBOOKS + "\" is " + node + ", expected \"global\" or \"local\"");
    }
    if (scope == CodebookScope.LOCAL && version < NativeModelFormat.LOCAL_CODEBOOKS_VERSION) {
      throw new ModelFormatException(Problem.MALFORMED, path, "field \"" + CODEBOOKS + "\" is \"local\" but "
          + FORMAT_VERSION + " is " + version + "; local codebooks need format version "
          + NativeModelFormat.LOCAL_CODEBOOKS_VERSION);
    }
    return scope;
  }

  private static ModelMetadata metadata(JsonNode root, String path) throws ModelFormatException {
    JsonNode seed = root.get(SEED);
    if (seed != null && !(seed.isIntegralNumber() && seed.canConvertToLong())) {
      throw new ModelFormatException(Problem.MALFORMED, path, "field \"" + SEED + "\" is " + seed + ", expected an integer");
    }
    Map<String, Object> parameters = optionalObject(root, PARAMETERS, path);
    Map<String, Object> statistics = optionalObject(root, STATISTICS, path);
    return new ModelMetadata(seed == null ? 0L : seed.longValue(), parameters, statistics);
  }

  private static Map<String, Object> optionalObject(JsonNode root, String field, String path)
      throws ModelFormatException {
    JsonNode node = root.get(field);
    if (node == null || node.isNull()) {
      return Map.of();
    }
    if (!node.isObject()) {
      throw new ModelFormatException(Problem.MALFORMED, path,
          "field \"" + field + "\" is " + node.getNodeType() + ", expected an object");
    }
    return JsonValues.fromObject(node);
  }

  private static void checkArrays(JsonNode root, NativeModelLayout layout, String path) throws ModelFormatException {
    JsonNode arrays = root.get(ARRAYS);
    if (arrays == null || !arrays.isArray()) {
      throw new ModelFormatException(Problem.MALFORMED, path, "field \"" + ARRAYS + "\" is missing or not a list");
    }
    List<NativeModelLayout.Entry> expected = layout.entries();
    if (arrays.size() != expected.size()) {
      throw new ModelFormatException(Problem.SHAPE_MISMATCH, path,
          "\"" + ARRAYS + "\" lists " + arrays.size() + " arrays, expected "
              + (layout.scope() == CodebookScope.LOCAL ? "6 + 2M" : "6 + M") + " = " + expected.size());
    }
    for (int i = 0; i < expected.size(); i++) {
      NativeModelLayout.Entry want = expected.get(i);
      JsonNode a = arrays.get(i);
      String name = a.path(NAME).asText("?");
      if (!want.name().equals(name)) {
        throw new ModelFormatException(Problem.SHAPE_MISMATCH, path,
            "array " + i + " is \"" + name + "\", expected \"" + want.name() + "\"");
      }
      int[] shape = new int[a.path(SHAPE).size()];
      for (int d = 0; d < shape.length; d++) {
        shape[d] = a.path(SHAPE).get(d).asInt(-1);
      }
      if (!Arrays.equals(shape, want.shape())) {
        throw new ModelFormatException(Problem.SHAPE_MISMATCH, path,
            "array \"" + name + "\" has shape " + Arrays.toString(shape) + ", expected " + want.shapeFormula()
                + " = " + Arrays.toString(want.shape()));
      }
      long offset = a.path(OFFSET).asLong(-1);
      if (offset != want.offset()) {
        throw new ModelFormatException(Problem.SHAPE_MISMATCH, path,
            "array \"" + name + "\" starts at byte " + offset + ", expected " + want.offset());
      }
    }
  }

  private static long parseCrc(String hex, String path) throws ModelFormatException {
    try {
      long value = Long.parseLong(hex, 16);
      if (value < 0 || value > 0xFFFF_FFFFL) {
        throw new NumberFormatException("out of range");
      }
      return value;
    } catch (NumberFormatException e) {
      throw new ModelFormatException(Problem.MALFORMED, path,
          ARRAY_FILE + "." + CHECKSUM + "." + VALUE + " is \"" + hex + "\", expected 8 hex digits", e);
    }
  }

  private static JsonNode requireObject(JsonNode parent, String field, String path) throws ModelFormatException {
    JsonNode node = parent.get(field);
    if (node == null || !node.isObject()) {
      throw new ModelFormatException(Problem.MALFORMED, path, "field \"" + field + "\" is missing or not an object");
    }
    return node;
  }

  private static String requireText(JsonNode parent, String field, String path) throws ModelFormatException {
    JsonNode node = parent.get(field);
    if (node == null || !node.isTextual()) {
      throw new ModelFormatException(Problem.MALFORMED, path, "field \"" + field + "\" is missing or not a string");
    }
    return node.textValue();
  }

  private static void requireEqual(JsonNode parent, String qualifiedField, String expected, String path)
      throws ModelFormatException {
    String field = qualifiedField.substring(qualifiedField.lastIndexOf('.') + 1);
    JsonNode node = parent.get(field);
    if (node == null || !expected.equals(node.asText())) {
      throw new ModelFormatException(Problem.MALFORMED, path,
          "field \"" + qualifiedField + "\" is " + node + ", expected \"" + expected + "\"");
    }
  }

  private static long requireLong(JsonNode parent, String field, String path) throws ModelFormatException {
    JsonNode node = parent.get(field);
    if (node == null || !node.isIntegralNumber() || !node.canConvertToLong()) {
      throw new ModelFormatException(Problem.MALFORMED, path,
          "field \"" + field + "\" is " + node + ", expected an integer");
    }
    return node.longValue();
  }

  private static int requireInt(JsonNode parent, String field, String path) throws ModelFormatException {
    JsonNode node = parent.get(field);
    if (node == null || !node.isIntegralNumber() || !node.canConvertToInt()) {
      throw new ModelFormatException(Problem.MALFORMED, path,
          "field \"" + field + "\" is " + node + ", expected an integer");
    }
    return node.intValue();
  }
}
