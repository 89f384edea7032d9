package io.lopq.io.encoded;

import io.lopq.format.encoded.EncodedFile;
import io.lopq.format.encoded.EncodedPartition;
import io.lopq.format.vectors.InvalidInputException;
import io.lopq.io.fs.AtomicCommit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lopq.model.LopqModel;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.hadoop.fs.FileAlreadyExistsException;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * The manifest of an encoded dataset: what is committed (schema version, model identity, id
 * type, kept columns, partition column, and per partition its files), as one small JSON file.
 * Readers trust the manifest, never a directory listing.
 *
 * <p><b>Revisions.</b> The manifest is never rewritten in place. Each commit writes the next
 * revision as a new file, through a hidden temporary file and a rename:
 *
 * <pre>
 *   ENCODED/_lopq_manifest-0000000001.json
 *   ENCODED/_lopq_manifest-0000000002.json      the highest revision is the manifest
 * </pre>
 *
 * A crash leaves either the old highest revision or the new one, on any file system whose
 * rename is atomic (HDFS, local), with no moment when no manifest exists. A commit refuses to
 * write a revision that already exists (another run committed meanwhile). Old revisions beyond
 * {@link #KEPT_REVISIONS} are deleted.
 *
 * <p>Immutable; {@link #withPartition} returns the next revision.
 */
public final class EncodedManifest implements Serializable {
  private static final long serialVersionUID = 1L;
  /** The value of the manifest's {@code format} field. */
  public static final String FORMAT_NAME = "lopq-encoded-dataset";
  /** File name prefix of a manifest revision (hidden from Spark and Hadoop listings by the underscore). */
  public static final String FILE_PREFIX = "_lopq_manifest-";
  /** File name suffix of a manifest revision. */
  public static final String FILE_SUFFIX = ".json";
  /** How many newest revisions a commit keeps. */
  public static final int KEPT_REVISIONS = 5;
  private static final Pattern FILE_NAME = Pattern.compile(Pattern.quote(FILE_PREFIX) + "(\\d{1,18})"
      + Pattern.quote(FILE_SUFFIX));
  private static final String REVISION_FORMAT = "%010d";
  private static final long MAX_MANIFEST_BYTES = 256L << 20;
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
  private static final String LONG_ID = "long";
  private static final String STRING_ID = "string";

  private final int schemaVersion;
  private final long revision;
  private final String fingerprint;
  private final int dimension;
  private final int coarseClusters;
  private final int subquantizers;
  private final int subquantizerClusters;
  private final boolean stringIds;
  private final List<KeptColumn> keptColumns;
  private final String partitionColumn;
  private final List<EncodedPartition> partitions;

  private EncodedManifest(int schemaVersion, long revision, String fingerprint, int dimension, int coarseClusters,
      int subquantizers, int subquantizerClusters, boolean stringIds, List<KeptColumn> keptColumns,
      String partitionColumn, List<EncodedPartition> partitions) {
    this.schemaVersion = schemaVersion;
    this.revision = revision;
    this.fingerprint = Objects.requireNonNull(fingerprint, "fingerprint");
    this.dimension = dimension;
    this.coarseClusters = coarseClusters;
    this.subquantizers = subquantizers;
    this.subquantizerClusters = subquantizerClusters;
    this.stringIds = stringIds;
    this.keptColumns = List.copyOf(keptColumns);
    this.partitionColumn = partitionColumn;
    this.partitions = List.copyOf(partitions);
    checkNames();
  }

  /**
   * The manifest of a dataset before its first commit (revision 0, no partitions; never stored).
   *
   * @param partitionColumn the input's partition column, or null for an unpartitioned input
   */
  public static EncodedManifest empty(LopqModel model, boolean stringIds, List<KeptColumn> keptColumns,
      String partitionColumn) {
    return new EncodedManifest(EncodedSchema.VERSION, 0, model.fingerprint(), model.dimension(),
        model.coarseClusters(), model.subquantizers(), model.subquantizerClusters(), stringIds, keptColumns,
        partitionColumn, List.of());
  }

  private void checkNames() {
    List<String> names = new ArrayList<>();
    for (EncodedPartition p : partitions) {
      if (names.contains(p.name())) {
        throw new IllegalArgumentException("partition " + p.name() + " is listed twice");
      }
      names.add(p.name());
    }
    for (KeptColumn k : keptColumns) {
      if (k.name().equals(partitionColumn)) {
        throw new IllegalArgumentException("kept column " + k.name() + " has the name of the partition column");
      }
    }
  }

  /** The next revision: this manifest plus a newly committed partition. */
  public EncodedManifest withPartition(EncodedPartition partition) {
    List<EncodedPartition> next = new ArrayList<>(partitions);
    next.add(partition);
    return new EncodedManifest(schemaVersion, revision + 1, fingerprint, dimension, coarseClusters, subquantizers,
        subquantizerClusters, stringIds, keptColumns, partitionColumn, next);
  }

  public int schemaVersion() {
    return schemaVersion;
  }

  /** The revision: 0 before the first commit, then 1, 2, ... */
  public long revision() {
    return revision;
  }

  /** The fingerprint of the model that encoded every row ({@link LopqModel#fingerprint()}). */
  public String fingerprint() {
    return fingerprint;
  }

  public int dimension() {
    return dimension;
  }

  public int coarseClusters() {
    return coarseClusters;
  }

  public int subquantizers() {
    return subquantizers;
  }

  public int subquantizerClusters() {
    return subquantizerClusters;
  }

  /** True if ids are strings, false if longs. */
  public boolean stringIds() {
    return stringIds;
  }

  public List<KeptColumn> keptColumns() {
    return keptColumns;
  }

  /** The input's partition column, or null for an unpartitioned input. */
  public String partitionColumn() {
    return partitionColumn;
  }

  /** The committed partitions, in commit order. */
  public List<EncodedPartition> partitions() {
    return partitions;
  }

  /** The committed partition called {@code name}, or null. */
  public EncodedPartition partition(String name) {
    for (EncodedPartition p : partitions) {
      if (p.name().equals(name)) {
        return p;
      }
    }
    return null;
  }

  /** Rows of all committed partitions. */
  public long rows() {
    long total = 0;
    for (EncodedPartition p : partitions) {
      total += p.rows();
    }
    return total;
  }

  /** The JSON text of this manifest. */
  public byte[] toJson() {
    ObjectNode root = MAPPER.createObjectNode();
    root.put(FORMAT, FORMAT_NAME);
    root.put(SCHEMA_VERSION, schemaVersion);
    root.put(REVISION, revision);
    ObjectNode model = root.putObject(MODEL);
    model.put(FINGERPRINT, fingerprint);
    model.put(DIMENSION, dimension);
    model.put(COARSE_CLUSTERS, coarseClusters);
    model.put(SUBQUANTIZERS, subquantizers);
    model.put(SUBQUANTIZER_CLUSTERS, subquantizerClusters);
    root.put(ID_TYPE, stringIds ? STRING_ID : LONG_ID);
    ArrayNode kept = root.putArray(KEPT_COLUMNS);
    for (KeptColumn k : keptColumns) {
      kept.addObject().put(NAME, k.name()).put(TYPE, k.type().manifestName()).put(NULLABLE, k.nullable());
    }
    if (partitionColumn == null) {
      root.putNull(PARTITION_COLUMN);
    } else {
      root.put(PARTITION_COLUMN, partitionColumn);
    }
    ArrayNode parts = root.putArray(PARTITIONS);
    for (EncodedPartition p : partitions) {
      ObjectNode node = parts.addObject();
      node.put(NAME, p.name());
      if (p.value() == null) {
        node.putNull(VALUE);
      } else {
        node.put(VALUE, p.value());
      }
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
   * @throws InvalidInputException naming {@code where} if the text is not a manifest, is of a
   *     newer schema version, or breaks its own rules
   */
  public static EncodedManifest parse(byte[] json, String where) {
    JsonNode root;
    try {
      root = MAPPER.readTree(json);
    } catch (IOException e) {
      throw new InvalidInputException("encoded dataset manifest " + where + " is not valid JSON: " + e.getMessage(), e);
    }
    if (root == null || !root.isObject() || !FORMAT_NAME.equals(root.path(FORMAT).asText())) {
      throw new InvalidInputException(where + " is not an encoded dataset manifest (expected \"" + FORMAT + "\": \""
          + FORMAT_NAME + "\")");
    }
    Fields f = new Fields(where);
    int version = f.integer(root, SCHEMA_VERSION);
    if (version > EncodedSchema.VERSION) {
      throw new InvalidInputException("encoded dataset manifest " + where + " has schema version " + version
          + ", newer than the version " + EncodedSchema.VERSION + " this build reads; use a newer lopq-spark");
    }
    if (version < 1) {
      throw new InvalidInputException("encoded dataset manifest " + where + " has an invalid schema version " + version);
    }
    try {
      JsonNode model = f.object(root, MODEL);
      String idType = f.text(root, ID_TYPE);
      if (!idType.equals(LONG_ID) && !idType.equals(STRING_ID)) {
        throw new InvalidInputException("encoded dataset manifest " + where + ": idType is '" + idType
            + "', expected '" + LONG_ID + "' or '" + STRING_ID + "'");
      }
      List<KeptColumn> kept = new ArrayList<>();
      for (JsonNode k : f.array(root, KEPT_COLUMNS)) {
        kept.add(new KeptColumn(f.text(k, NAME), KeptColumn.Type.fromManifestName(f.text(k, TYPE)),
            f.bool(k, NULLABLE)));
      }
      JsonNode partitionColumnNode = root.get(PARTITION_COLUMN);
      String partitionColumn = partitionColumnNode == null || partitionColumnNode.isNull()
          ? null : f.text(root, PARTITION_COLUMN);
      List<EncodedPartition> partitions = new ArrayList<>();
      for (JsonNode p : f.array(root, PARTITIONS)) {
        String name = f.text(p, NAME);
        List<EncodedFile> files = new ArrayList<>();
        for (JsonNode file : f.array(p, FILES)) {
          int[] first = f.cell(file, FIRST_CELL);
          int[] last = f.cell(file, LAST_CELL);
          files.add(new EncodedFile(f.text(file, PATH), f.longValue(file, ROWS), f.longValue(file, BYTES),
              first[0], first[1], last[0], last[1]));
        }
        JsonNode value = p.get(VALUE);
        partitions.add(new EncodedPartition(name, value == null || value.isNull() ? null : f.text(p, VALUE),
            f.longValue(p, ROWS), f.longValue(p, SKIPPED_ROWS), f.text(p, COMMITTED_AT), files));
      }
      int d = f.integer(model, DIMENSION);
      int v = f.integer(model, COARSE_CLUSTERS);
      int m = f.integer(model, SUBQUANTIZERS);
      int k = f.integer(model, SUBQUANTIZER_CLUSTERS);
      LopqModel.checkParameters(d, v, m, k);
      return new EncodedManifest(version, f.longValue(root, REVISION), f.text(model, FINGERPRINT), d, v, m, k,
          idType.equals(STRING_ID), kept, partitionColumn, partitions);
    } catch (InvalidInputException e) {
      throw e;
    } catch (IllegalArgumentException e) {
      throw new InvalidInputException("encoded dataset manifest " + where + " is inconsistent: " + e.getMessage(), e);
    }
  }

  /** Typed field access with messages naming the manifest and the field. */
  private static final class Fields {
    private final String where;

    Fields(String where) {
      this.where = where;
    }

    private JsonNode require(JsonNode node, String field) {
      JsonNode value = node.get(field);
      if (value == null || value.isNull()) {
        throw new InvalidInputException("encoded dataset manifest " + where + " has no field '" + field + "'");
      }
      return value;
    }

    private InvalidInputException wrong(String field, JsonNode value, String expected) {
      return new InvalidInputException("encoded dataset manifest " + where + ": field '" + field + "' is " + value
          + ", expected " + expected);
    }

    String text(JsonNode node, String field) {
      JsonNode value = require(node, field);
      if (!value.isTextual()) {
        throw wrong(field, value, "a string");
      }
      return value.asText();
    }

    int integer(JsonNode node, String field) {
      JsonNode value = require(node, field);
      if (!value.isInt()) {
        throw wrong(field, value, "an integer");
      }
      return value.intValue();
    }

    long longValue(JsonNode node, String field) {
      JsonNode value = require(node, field);
      if (!value.isIntegralNumber() || !value.canConvertToLong() || value.longValue() < 0) {
        throw wrong(field, value, "a non-negative integer");
      }
      return value.longValue();
    }

    boolean bool(JsonNode node, String field) {
      JsonNode value = require(node, field);
      if (!value.isBoolean()) {
        throw wrong(field, value, "true or false");
      }
      return value.booleanValue();
    }

    JsonNode object(JsonNode node, String field) {
      JsonNode value = require(node, field);
      if (!value.isObject()) {
        throw wrong(field, value, "an object");
      }
      return value;
    }

    JsonNode array(JsonNode node, String field) {
      JsonNode value = require(node, field);
      if (!value.isArray()) {
        throw wrong(field, value, "an array");
      }
      return value;
    }

    int[] cell(JsonNode node, String field) {
      JsonNode value = array(node, field);
      if (value.size() != 2 || !value.get(0).isInt() || !value.get(1).isInt()) {
        throw wrong(field, value, "[coarse0, coarse1]");
      }
      return new int[] {value.get(0).intValue(), value.get(1).intValue()};
    }
  }

  // ---- storage ---------------------------------------------------------------------------------

  /** The file name of revision {@code revision}. */
  public static String fileName(long revision) {
    return FILE_PREFIX + String.format(REVISION_FORMAT, revision) + FILE_SUFFIX;
  }

  /** The revision of a manifest file name, or -1 if the name is not one. */
  static long revisionOf(String fileName) {
    Matcher m = FILE_NAME.matcher(fileName);
    return m.matches() ? Long.parseLong(m.group(1)) : -1;
  }

  /**
   * Reads the newest manifest revision of the dataset at {@code root}.
   *
   * @return the manifest, or null if {@code root} holds no manifest (or does not exist)
   * @throws InvalidInputException if the newest revision is unreadable or not a valid manifest
   * @throws IOException if the file system fails
   */
  public static EncodedManifest read(FileSystem fs, Path root) throws IOException {
    Path newest = newestFile(fs, root);
    if (newest == null) {
      return null;
    }
    byte[] json;
    try (InputStream in = fs.open(newest)) {
      json = in.readNBytes((int) Math.min(MAX_MANIFEST_BYTES, Integer.MAX_VALUE - 8L) + 1);
    }
    if (json.length > MAX_MANIFEST_BYTES) {
      throw new InvalidInputException("encoded dataset manifest " + newest + " is larger than " + MAX_MANIFEST_BYTES
          + " bytes; it is not one of ours");
    }
    EncodedManifest manifest = parse(json, newest.toString());
    long expected = revisionOf(newest.getName());
    if (manifest.revision() != expected) {
      throw new InvalidInputException("encoded dataset manifest " + newest + " records revision "
          + manifest.revision() + ", but its name says " + expected);
    }
    return manifest;
  }

  /** The newest manifest file at {@code root}, or null. */
  private static Path newestFile(FileSystem fs, Path root) throws IOException {
    FileStatus[] entries;
    try {
      entries = fs.listStatus(root);
    } catch (FileNotFoundException e) {
      return null;
    }
    return Arrays.stream(entries)
        .filter(FileStatus::isFile)
        .map(FileStatus::getPath)
        .filter(p -> revisionOf(p.getName()) >= 0)
        .max(Comparator.comparingLong(p -> revisionOf(p.getName())))
        .orElse(null);
  }

  /**
   * Stores this manifest as revision {@link #revision()} at {@code root} (which must exist):
   * written to a hidden temporary file, then renamed. Then deletes revisions older than the
   * newest {@link #KEPT_REVISIONS}.
   *
   * @throws FileAlreadyExistsException if the revision exists already, or a newer one does (another
   *     run committed meanwhile); nothing is changed then
   * @throws IOException if the file system fails; the previous revision stays the manifest
   */
  public void commit(FileSystem fs, Path root) throws IOException {
    if (revision < 1) {
      throw new IllegalStateException("revision 0 is the empty manifest and is never stored");
    }
    Path target = new Path(root, fileName(revision));
    checkNotAhead(fs, root, target);
    Path temporary = new Path(root, "." + target.getName() + AtomicCommit.TEMP_INFIX + UUID.randomUUID());
    try {
      try (OutputStream out = fs.create(temporary, false)) {
        out.write(toJson());
      }
      checkNotAhead(fs, root, target);
      if (!fs.rename(temporary, target)) {
        throw new IOException("could not rename " + temporary + " to " + target);
      }
    } finally {
      if (fs.exists(temporary)) {
        fs.delete(temporary, false);
      }
    }
    pruneOldRevisions(fs, root);
  }

  private void checkNotAhead(FileSystem fs, Path root, Path target) throws IOException {
    Path newest = newestFile(fs, root);
    if (newest != null && revisionOf(newest.getName()) >= revision) {
      throw new FileAlreadyExistsException("cannot commit " + target + ": revision " + revisionOf(newest.getName())
          + " exists already; another run changed the encoded dataset " + root + " meanwhile (re-run to continue)");
    }
  }

  private void pruneOldRevisions(FileSystem fs, Path root) throws IOException {
    List<Long> revisions = new ArrayList<>();
    for (FileStatus s : fs.listStatus(root)) {
      long r = revisionOf(s.getPath().getName());
      if (r >= 0) {
        revisions.add(r);
      }
    }
    revisions.sort(Collections.reverseOrder());
    for (int i = KEPT_REVISIONS; i < revisions.size(); i++) {
      fs.delete(new Path(root, fileName(revisions.get(i))), false);
    }
  }

  @Override
  public String toString() {
    return "EncodedManifest{revision=" + revision + ", fingerprint=" + fingerprint + ", D,V,M,K="
        + EncodedSchema.shape(dimension, coarseClusters, subquantizers, subquantizerClusters) + ", idType="
        + (stringIds ? STRING_ID : LONG_ID) + ", kept=" + keptColumns + ", partitionColumn=" + partitionColumn
        + ", partitions=" + partitions + "}";
  }
}
