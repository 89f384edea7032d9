package io.lopq.format.vectors;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The file formats vectors can be read from.
 *
 * <ul>
 *   <li>{@link #PARQUET}: a Parquet file or folder, vectors in one column (the default).
 *   <li>{@link #FVECS}, {@link #BVECS}: the TEXMEX formats of the SIFT/GIST benchmarks; each record is
 *       a little-endian int32 dimension {@code d} followed by {@code d} float32 (fvecs) or {@code d}
 *       uint8 (bvecs) values ({@link TexmexLayout}).
 *   <li>{@link #CSV}, {@link #TSV}: one vector per line, values separated by commas or tabs.
 * </ul>
 */
public enum VectorFormat {
  PARQUET(".parquet", null, (char) 0),
  FVECS(TexmexLayout.FVECS),
  BVECS(TexmexLayout.BVECS),
  CSV(".csv", null, ','),
  TSV(".tsv", null, '\t');

  private final String extension;
  private final TexmexLayout texmex;
  private final char delimiter;

  VectorFormat(TexmexLayout texmex) {
    this(texmex.extension(), texmex, (char) 0);
  }

  VectorFormat(String extension, TexmexLayout texmex, char delimiter) {
    this.extension = extension;
    this.texmex = texmex;
    this.delimiter = delimiter;
  }

  /** The file name extension, with its dot (".fvecs"). */
  public String extension() {
    return extension;
  }

  /** Bytes per value in a TEXMEX record (4 for fvecs, 1 for bvecs); 0 for other formats. */
  public int valueBytes() {
    return texmex == null ? 0 : texmex.valueBytes();
  }

  /** The record layout of a TEXMEX format (fvecs, bvecs); null for other formats. */
  public TexmexLayout texmexLayout() {
    return texmex;
  }

  /** The field delimiter of a delimited text format (',' or '\t'); 0 for other formats. */
  public char delimiter() {
    return delimiter;
  }

  /** True for the fixed-length binary TEXMEX formats (fvecs, bvecs). */
  public boolean isTexmex() {
    return texmex != null;
  }

  /** True for the delimited text formats (csv, tsv). */
  public boolean isDelimited() {
    return delimiter != 0;
  }

  /**
   * The format a path's name implies: {@code .fvecs}, {@code .bvecs}, {@code .csv} or {@code .tsv}
   * (any case, a trailing slash ignored), else {@link #PARQUET} (a {@code .parquet} file or a folder).
   * A folder of fvecs/bvecs/csv/tsv files needs the format named explicitly.
   */
  public static VectorFormat fromPath(String path) {
    if (path == null || path.isBlank()) {
      throw new IllegalArgumentException("input path is empty");
    }
    String name = path.strip().toLowerCase(Locale.ROOT);
    while (name.endsWith("/") && name.length() > 1) {
      name = name.substring(0, name.length() - 1);
    }
    for (VectorFormat format : values()) {
      if (format != PARQUET && name.endsWith(format.extension)) {
        return format;
      }
    }
    return PARQUET;
  }

  /** The format called {@code name} (any case, e.g. "fvecs"). */
  public static VectorFormat fromName(String name) {
    if (name != null) {
      for (VectorFormat format : values()) {
        if (format.name().equalsIgnoreCase(name.strip())) {
          return format;
        }
      }
    }
    throw new IllegalArgumentException(
        "unknown vector format '" + name + "', expected one of " + names());
  }

  /** The explicit format {@code name} if given (non-blank), else the one {@code path} implies. */
  public static VectorFormat resolve(String path, String name) {
    return name == null || name.isBlank() ? fromPath(path) : fromName(name);
  }

  /** The format names in lower case, for help texts: "parquet, fvecs, bvecs, csv, tsv". */
  public static String names() {
    return Arrays.stream(values())
        .map(f -> f.name().toLowerCase(Locale.ROOT))
        .collect(Collectors.joining(", "));
  }
}
