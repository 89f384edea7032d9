package io.lopq.format.encoded;

import java.io.Serializable;
import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * An input column that an encoded dataset carries through unchanged (e.g. an image URL): its
 * name, its value type and whether it may hold nulls, as the manifest records it.
 *
 * <pre>
 *   { "name" : "url", "type" : "string", "nullable" : true }
 * </pre>
 *
 * The name must be an Avro field name (the Parquet files are written through Avro) and differ
 * from the dataset's own columns ({@link EncodedFormat#OWN_COLUMNS}). How each {@link Type} is
 * stored in Avro and read back in Spark is {@code io.lopq.io.encoded.EncodedSchema}'s business.
 */
public final class KeptColumn implements Serializable {
  private static final long serialVersionUID = 1L;
  /** Avro's rule for field names, which Parquet files written through Avro must follow. */
  private static final Pattern AVRO_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

  /** The value types a kept column may have. */
  public enum Type {
    STRING, LONG, INT, DOUBLE, FLOAT, BOOLEAN, BYTES;

    /** The name used in the manifest ({@code "string"}, {@code "long"}, ...). */
    public String manifestName() {
      return name().toLowerCase(Locale.ROOT);
    }

    /**
     * The type called {@code name} in a manifest.
     *
     * @throws IllegalArgumentException naming the known types if there is none of that name
     */
    public static Type fromManifestName(String name) {
      for (Type t : values()) {
        if (t.manifestName().equals(name)) {
          return t;
        }
      }
      throw new IllegalArgumentException("unknown kept column type '" + name + "'; expected one of "
          + Arrays.stream(values()).map(Type::manifestName).toList());
    }
  }

  private final String name;
  private final Type type;
  private final boolean nullable;

  /**
   * A kept column.
   *
   * @throws IllegalArgumentException if the name is not a valid Avro field name or is one of the
   *     encoded dataset's own columns
   */
  public KeptColumn(String name, Type type, boolean nullable) {
    this.name = checkName(name);
    this.type = Objects.requireNonNull(type, "type");
    this.nullable = nullable;
  }

  private static String checkName(String name) {
    if (name == null || !AVRO_NAME.matcher(name).matches()) {
      throw new IllegalArgumentException("kept column name '" + name
          + "' is not usable in an encoded dataset: it must match " + AVRO_NAME.pattern() + " (an Avro field name)");
    }
    if (EncodedFormat.OWN_COLUMNS.contains(name)) {
      throw new IllegalArgumentException("cannot keep a column named '" + name
          + "': the encoded dataset has its own column of that name (" + EncodedFormat.OWN_COLUMNS + ")");
    }
    return name;
  }

  public String name() {
    return name;
  }

  public Type type() {
    return type;
  }

  public boolean nullable() {
    return nullable;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof KeptColumn k && k.name.equals(name) && k.type == type && k.nullable == nullable;
  }

  @Override
  public int hashCode() {
    return Objects.hash(name, type, nullable);
  }

  @Override
  public String toString() {
    return name + " " + type.manifestName() + (nullable ? " (nullable)" : "");
  }
}
