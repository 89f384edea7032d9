package io.lopq.format.encoded;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The names and the version of the encoded dataset format, shared by every writer and reader of
 * it (the contract is {@code docs/ENCODED-FORMAT.md}): the row columns, the key-value metadata of
 * every Parquet file, and the names of the manifest's revision files.
 *
 * <pre>
 *   row            id, coarse0, coarse1, codes, kept columns...
 *   file metadata  lopq.schema.version = 1, lopq.model.fingerprint = F, lopq.model.shape = D,V,M,K
 *   manifest       ENCODED/_lopq_manifest-0000000007.json     (revision 7; the highest is the manifest)
 * </pre>
 */
public final class EncodedFormat {
  /** The schema version this build writes, and the newest it reads. */
  public static final int SCHEMA_VERSION = 1;
  /** Column of the input's id (long or string). */
  public static final String ID = "id";
  /** Column of the first half's coarse index. */
  public static final String COARSE0 = "coarse0";
  /** Column of the second half's coarse index. */
  public static final String COARSE1 = "coarse1";
  /** Column of the M fine codes, one unsigned byte each. */
  public static final String CODES = "codes";
  /** The encoded dataset's own columns, in file order; kept columns follow them. */
  public static final List<String> OWN_COLUMNS = List.of(ID, COARSE0, COARSE1, CODES);
  /** Parquet key-value metadata: the schema version. */
  public static final String META_SCHEMA_VERSION = "lopq.schema.version";
  /** Parquet key-value metadata: the model fingerprint ({@link ModelIdentity#fingerprint()}). */
  public static final String META_FINGERPRINT = "lopq.model.fingerprint";
  /** Parquet key-value metadata: the model shape as {@code D,V,M,K} ({@link ModelIdentity#shape()}). */
  public static final String META_SHAPE = "lopq.model.shape";
  /** The manifest's name of the long id type. */
  public static final String LONG_IDS = "long";
  /** The manifest's name of the string id type. */
  public static final String STRING_IDS = "string";
  /** The value of the manifest's {@code format} field. */
  public static final String MANIFEST_FORMAT = "lopq-encoded-dataset";
  /** File name prefix of a manifest revision (hidden from Spark and Hadoop listings by the underscore). */
  public static final String MANIFEST_PREFIX = "_lopq_manifest-";
  /** File name suffix of a manifest revision. */
  public static final String MANIFEST_SUFFIX = ".json";

  private static final String REVISION_DIGITS = "%010d";
  private static final Pattern MANIFEST_NAME = Pattern.compile(Pattern.quote(MANIFEST_PREFIX) + "(\\d{1,18})"
      + Pattern.quote(MANIFEST_SUFFIX));

  private EncodedFormat() {}

  /** The file name of manifest revision {@code revision}: {@code _lopq_manifest-0000000007.json}. */
  public static String manifestFileName(long revision) {
    return MANIFEST_PREFIX + String.format(REVISION_DIGITS, revision) + MANIFEST_SUFFIX;
  }

  /** The revision a manifest file name stands for, or -1 if the name is not one. */
  public static long manifestRevision(String fileName) {
    Matcher m = MANIFEST_NAME.matcher(fileName);
    return m.matches() ? Long.parseLong(m.group(1)) : -1;
  }

  /** The name of an id type: {@value #STRING_IDS} or {@value #LONG_IDS}. */
  public static String idTypeName(boolean stringIds) {
    return stringIds ? STRING_IDS : LONG_IDS;
  }

  /** The key-value metadata every Parquet file of a dataset encoded with {@code model} carries. */
  public static Map<String, String> fileMetadata(ModelIdentity model) {
    Map<String, String> meta = new LinkedHashMap<>();
    meta.put(META_SCHEMA_VERSION, String.valueOf(SCHEMA_VERSION));
    meta.put(META_FINGERPRINT, model.fingerprint());
    meta.put(META_SHAPE, model.shape());
    return meta;
  }
}
