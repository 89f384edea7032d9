package io.lopq.format.encoded;

import java.io.Serializable;
import java.util.Objects;

/**
 * One committed Parquet file of an encoded dataset, as its manifest lists it: where it is, how
 * many rows and bytes it holds, and the range of cells it covers. Rows in a file are sorted by
 * cell {@code (coarse0, coarse1)}, so the range is lexicographic:
 *
 * <pre>
 *   (firstCoarse0, firstCoarse1) &lt;= (coarse0, coarse1) &lt;= (lastCoarse0, lastCoarse1)   for every row
 * </pre>
 *
 * A search that wants a few cells reads only the files whose range can hold them
 * ({@link #mayContain}).
 */
public final class EncodedFile implements Serializable {
  private static final long serialVersionUID = 1L;

  private final String path;
  private final long rows;
  private final long bytes;
  private final int firstCoarse0;
  private final int firstCoarse1;
  private final int lastCoarse0;
  private final int lastCoarse1;

  /**
   * A file entry.
   *
   * @param path the file's path relative to the dataset root, e.g. {@code date=2026-11-24/part-00000-x.parquet}
   * @param rows rows in the file (at least 1)
   * @param bytes size of the file
   * @throws IllegalArgumentException if a count is out of range or the first cell comes after the last
   */
  public EncodedFile(String path, long rows, long bytes, int firstCoarse0, int firstCoarse1, int lastCoarse0,
      int lastCoarse1) {
    if (path == null || path.isBlank() || path.startsWith("/")) {
      throw new IllegalArgumentException("file path must be relative to the dataset root, got '" + path + "'");
    }
    if (rows < 1 || bytes < 0) {
      throw new IllegalArgumentException("file " + path + " must have rows >= 1 and bytes >= 0, got rows=" + rows
          + ", bytes=" + bytes);
    }
    if (firstCoarse0 < 0 || firstCoarse1 < 0 || lastCoarse0 < 0 || lastCoarse1 < 0
        || compare(firstCoarse0, firstCoarse1, lastCoarse0, lastCoarse1) > 0) {
      throw new IllegalArgumentException("file " + path + " has an invalid cell range (" + firstCoarse0 + ","
          + firstCoarse1 + ") .. (" + lastCoarse0 + "," + lastCoarse1 + ")");
    }
    this.path = path;
    this.rows = rows;
    this.bytes = bytes;
    this.firstCoarse0 = firstCoarse0;
    this.firstCoarse1 = firstCoarse1;
    this.lastCoarse0 = lastCoarse0;
    this.lastCoarse1 = lastCoarse1;
  }

  /** The path relative to the dataset root. */
  public String path() {
    return path;
  }

  public long rows() {
    return rows;
  }

  public long bytes() {
    return bytes;
  }

  public int firstCoarse0() {
    return firstCoarse0;
  }

  public int firstCoarse1() {
    return firstCoarse1;
  }

  public int lastCoarse0() {
    return lastCoarse0;
  }

  public int lastCoarse1() {
    return lastCoarse1;
  }

  /** True if the file's cell range includes cell {@code (coarse0, coarse1)}. */
  public boolean mayContain(int coarse0, int coarse1) {
    return compare(firstCoarse0, firstCoarse1, coarse0, coarse1) <= 0
        && compare(coarse0, coarse1, lastCoarse0, lastCoarse1) <= 0;
  }

  /** True if the file's cell range includes any cell whose first coarse index is {@code coarse0}. */
  public boolean mayContainCoarse0(int coarse0) {
    return firstCoarse0 <= coarse0 && coarse0 <= lastCoarse0;
  }

  /** Lexicographic order of cells. */
  static int compare(int a0, int a1, int b0, int b1) {
    return a0 != b0 ? Integer.compare(a0, b0) : Integer.compare(a1, b1);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof EncodedFile f && f.path.equals(path) && f.rows == rows && f.bytes == bytes
        && f.firstCoarse0 == firstCoarse0 && f.firstCoarse1 == firstCoarse1 && f.lastCoarse0 == lastCoarse0
        && f.lastCoarse1 == lastCoarse1;
  }

  @Override
  public int hashCode() {
    return Objects.hash(path, rows, bytes, firstCoarse0, firstCoarse1, lastCoarse0, lastCoarse1);
  }

  @Override
  public String toString() {
    return path + " (" + rows + " rows, " + bytes + " bytes, cells (" + firstCoarse0 + "," + firstCoarse1 + ")..("
        + lastCoarse0 + "," + lastCoarse1 + "))";
  }
}
