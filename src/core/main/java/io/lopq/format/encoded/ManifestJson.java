package io.lopq.format.encoded;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lopq.format.vectors.InvalidInputException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * The JSON text of an {@link EncodedManifest}, as {@code docs/ENCODED-FORMAT.md} shows it: fields
 * in a fixed order, indented, so one manifest always gives the same bytes.
 *
 * <pre>
 *   { "format" : "lopq-encoded-dataset", "schemaVersion" : 1, "revision" : 2,
 *     "model" : { "fingerprint" : ..., "dimension" : D, "coarseClusters" : V, "subquantizers" : M,
 *                 "subquantizerClusters" : K },
 *     "idType" : "long" | "string",
 *     "keptColumns" : [ { "name" : ..., "type" : ..., "nullable" : ... }, ... ],
 *     "partitionColumn" : "date" | null,
 *     "partitions" : [ { "name", "value", "rows", "skippedRows", "bytes", "committedAt",
 *                        "files" : [ { "path", "rows", "bytes", "firstCell" : [c0, c1], "lastCell" : [c0, c1] } ] } ] }
 * </pre>
 *
 * Parsing refuses, with a message naming the file and the field (e.g.
 * {@code partitions[0].files[1].rows}), text that is not a manifest, a newer schema version than
 * {@link EncodedFormat#SCHEMA_VERSION}, a field of the wrong type and values that break the
 * manifest's own rules.
 */
public final class ManifestJson {
  private static final JsonMapper MAPPER = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

  private static final String FORMAT = "format";
  private static final String SCHEMA_VERSION = "schemaVersion";
  private static final String REVISION = "revision";
  private static final String MODEL = "model";
  private static final String FINGERPRINT = "fingerprint";
  private static final String DIMENSION = "dimension";
  private static final String COARSE_CLUSTERS = "coarseClusters";
  private static final String SUBQUANTIZERS = "subquantizers";
  private static final String SUBQUANTIZER_CLUSTERS = "subquantizerClusters";
  private static final String ID_TYPE = "idType";
  private static final String KEPT_COLUMNS = "keptColumns";
  private static final String NAME = "name";
  private static final String TYPE = "type";
  private static final String NULLABLE = "nullable";
  private static final String PARTITION_COLUMN = "partitionColumn";
  private static final String PARTITIONS = "partitions";
  private static final String VALUE = "value";
  private static final String ROWS = "rows";
  private static final String SKIPPED_ROWS = "skippedRows";
  private static final String BYTES = "bytes";
  private static final String COMMITTED_AT = "committedAt";
  private static final String FILES = "files";
  private static final String PATH = "path";
  private static final String FIRST_CELL = "firstCell";
  private static final String LAST_CELL = "lastCell";

  private ManifestJson() {}

  /** The JSON text (UTF-8) of {@code manifest}. */
  public static byte[] render(EncodedManifest manifest) {
    ObjectNode root = MAPPER.createObjectNode();
    root.put(FORMAT, EncodedFormat.MANIFEST_FORMAT);
    root.put(SCHEMA_VERSION, manifest.schemaVersion());
    root.put(REVISION, manifest.revision());
    ModelIdentity identity = manifest.model();
    ObjectNode model = root.putObject(MODEL);
    model.put(FINGERPRINT, identity.fingerprint());
    model.put(DIMENSION, identity.dimension());
    model.put(COARSE_CLUSTERS, identity.coarseClusters());
    model.put(SUBQUANTIZERS, identity.subquantizers());
    model.put(SUBQUANTIZER_CLUSTERS, identity.subquantizerClusters());
    root.put(ID_TYPE, EncodedFormat.idTypeName(manifest.stringIds()));
    ArrayNode kept = root.putArray(KEPT_COLUMNS);
    for (KeptColumn k : manifest.keptColumns()) {
      kept.addObject().put(NAME, k.name()).put(TYPE, k.type().manifestName()).put(NULLABLE, k.nullable());
    }
    root.put(PARTITION_COLUMN, manifest.partitionColumn());
    ArrayNode parts = root.putArray(PARTITIONS);
    for (EncodedPartition p : manifest.partitions()) {
      ObjectNode node = parts.addObject();
      node.put(NAME, p.name());
      node.put(VALUE, p.value());
      node.put(ROWS, p.rows());
      node.put(SKIPPED_ROWS, p.skippedRows());
      node.put(BYTES, p.bytes());
      node.put(COMMITTED_AT, p.committedAt());
      ArrayNode files = node.putArray(FILES);
      for (EncodedFile f : p.files()) {
        ObjectNode file = files.addObject();
        file.put(PATH, f.path());
        file.put(ROWS, f.rows());
        file.put(BYTES, f.bytes());
        file.putArray(FIRST_CELL).add(f.firstCoarse0()).add(f.firstCoarse1());
        file.putArray(LAST_CELL).add(f.lastCoarse0()).add(f.lastCoarse1());
      }
    }
    try {
      return MAPPER.writeValueAsBytes(root);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot render the manifest as JSON", e);
    }
  }

  /**
   * Parses a manifest.
   *
   * @param where the file's name for messages
   * @throws InvalidInputException naming {@code where} (and the field, where there is one) if the
   *     text is not a manifest, is of a newer schema version, or breaks its own rules
   */
  public static EncodedManifest parse(byte[] json, String where) {
    JsonNode tree;
    try {
      tree = MAPPER.readTree(json);
    } catch (IOException e) {
      throw new InvalidInputException(prefix(where) + " is not valid JSON: " + e.getMessage(), e);
    }
    if (tree == null || !tree.isObject() || !EncodedFormat.MANIFEST_FORMAT.equals(tree.path(FORMAT).asText())) {
      throw new InvalidInputException(where + " is not an encoded dataset manifest (expected \"" + FORMAT + "\": \""
          + EncodedFormat.MANIFEST_FORMAT + "\")");
    }
    Node root = new Node(tree, "", where);
    int version = root.integer(SCHEMA_VERSION);
    if (version > EncodedFormat.SCHEMA_VERSION) {
      throw new InvalidInputException(prefix(where) + " has schema version " + version + ", newer than the version "
          + EncodedFormat.SCHEMA_VERSION + " this build reads; use a newer lopq-spark");
    }
    if (version < 1) {
      throw new InvalidInputException(prefix(where) + " has an invalid schema version " + version);
    }
    Node model = root.object(MODEL);
    ModelIdentity identity = model.build(() -> new ModelIdentity(model.text(FINGERPRINT), model.integer(DIMENSION),
        model.integer(COARSE_CLUSTERS), model.integer(SUBQUANTIZERS), model.integer(SUBQUANTIZER_CLUSTERS)));
    String idType = root.text(ID_TYPE);
    if (!idType.equals(EncodedFormat.LONG_IDS) && !idType.equals(EncodedFormat.STRING_IDS)) {
      throw new InvalidInputException(prefix(where) + ": " + ID_TYPE + " is '" + idType + "', expected '"
          + EncodedFormat.LONG_IDS + "' or '" + EncodedFormat.STRING_IDS + "'");
    }
    List<KeptColumn> kept = new ArrayList<>();
    for (Node k : root.array(KEPT_COLUMNS)) {
      kept.add(k.build(() -> new KeptColumn(k.text(NAME), KeptColumn.Type.fromManifestName(k.text(TYPE)),
          k.bool(NULLABLE))));
    }
    String partitionColumn = root.optionalText(PARTITION_COLUMN);
    List<EncodedPartition> partitions = new ArrayList<>();
    for (Node p : root.array(PARTITIONS)) {
      List<EncodedFile> files = new ArrayList<>();
      for (Node file : p.array(FILES)) {
        int[] first = file.cell(FIRST_CELL);
        int[] last = file.cell(LAST_CELL);
        files.add(file.build(() -> new EncodedFile(file.text(PATH), file.longValue(ROWS), file.longValue(BYTES),
            first[0], first[1], last[0], last[1])));
      }
      partitions.add(p.build(() -> new EncodedPartition(p.text(NAME), p.optionalText(VALUE), p.longValue(ROWS),
          p.longValue(SKIPPED_ROWS), p.text(COMMITTED_AT), files)));
    }
    long revision = root.longValue(REVISION);
    boolean stringIds = idType.equals(EncodedFormat.STRING_IDS);
    return root.build(() -> new EncodedManifest(version, revision, identity, stringIds, kept, partitionColumn,
        partitions));
  }

  private static String prefix(String where) {
    return "encoded dataset manifest " + where;
  }

  /** A JSON value at a path in the manifest ({@code partitions[0].files[1]}), with typed field access. */
  private record Node(JsonNode json, String path, String where) {
    private String field(String name) {
      return path.isEmpty() ? name : path + "." + name;
    }

    private JsonNode require(String name) {
      JsonNode value = json.get(name);
      if (value == null || value.isNull()) {
        throw new InvalidInputException(prefix(where) + " has no field '" + field(name) + "'");
      }
      return value;
    }

    private InvalidInputException wrong(String name, JsonNode value, String expected) {
      return new InvalidInputException(prefix(where) + ": field '" + field(name) + "' is " + value + ", expected "
          + expected);
    }

    /**
     * Builds a value from this node's fields; a rule the value breaks becomes a message naming
     * the manifest and this node.
     */
    <T> T build(Supplier<T> value) {
      try {
        return value.get();
      } catch (InvalidInputException e) {
        throw e;
      } catch (IllegalArgumentException e) {
        throw new InvalidInputException(prefix(where) + " is inconsistent" + (path.isEmpty() ? "" : " at " + path)
            + ": " + e.getMessage(), e);
      }
    }

    String text(String name) {
      JsonNode value = require(name);
      if (!value.isTextual()) {
        throw wrong(name, value, "a string");
      }
      return value.asText();
    }

    /** The text of field {@code name}, or null if it is missing or null. */
    String optionalText(String name) {
      JsonNode value = json.get(name);
      return value == null || value.isNull() ? null : text(name);
    }

    int integer(String name) {
      JsonNode value = require(name);
      if (!value.isInt()) {
        throw wrong(name, value, "an integer");
      }
      return value.intValue();
    }

    long longValue(String name) {
      JsonNode value = require(name);
      if (!value.isIntegralNumber() || !value.canConvertToLong() || value.longValue() < 0) {
        throw wrong(name, value, "a non-negative integer");
      }
      return value.longValue();
    }

    boolean bool(String name) {
      JsonNode value = require(name);
      if (!value.isBoolean()) {
        throw wrong(name, value, "true or false");
      }
      return value.booleanValue();
    }

    Node object(String name) {
      JsonNode value = require(name);
      if (!value.isObject()) {
        throw wrong(name, value, "an object");
      }
      return new Node(value, field(name), where);
    }

    List<Node> array(String name) {
      JsonNode value = require(name);
      if (!value.isArray()) {
        throw wrong(name, value, "an array");
      }
      List<Node> elements = new ArrayList<>(value.size());
      for (int i = 0; i < value.size(); i++) {
        elements.add(new Node(value.get(i), field(name) + "[" + i + "]", where));
      }
      return elements;
    }

    int[] cell(String name) {
      JsonNode value = require(name);
      if (!value.isArray() || value.size() != 2 || !value.get(0).isInt() || !value.get(1).isInt()) {
        throw wrong(name, value, "[coarse0, coarse1]");
      }
      return new int[] {value.get(0).intValue(), value.get(1).intValue()};
    }
  }
}
