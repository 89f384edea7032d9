package io.lopq.format.encoded;

import java.io.Serializable;
import java.util.List;
import java.util.Objects;

/**
 * One committed partition of an encoded dataset, as its manifest lists it: the output directory
 * ({@code date=2026-11-24}, or {@code all} for an unpartitioned input), the partition value,
 * its rows, the invalid input rows that were skipped, its files and when it was committed.
 */
public final class EncodedPartition implements Serializable {
  private static final long serialVersionUID = 1L;
  /** The directory name of the single partition of an unpartitioned input. */
  public static final String UNPARTITIONED = "all";

  private final String name;
  private final String value;
  private final long rows;
  private final long skippedRows;
  private final String committedAt;
  private final List<EncodedFile> files;

  /**
   * A partition entry.
   *
   * @param name the directory name below the dataset root
   * @param value the partition column's value, or null for an unpartitioned input
   * @param rows rows in all files; must equal the sum of the files' rows
   * @param skippedRows invalid input rows skipped (in skip mode)
   * @param committedAt when it was committed, ISO-8601 (e.g. {@code 2026-11-25T03:00:12Z})
   * @param files the Parquet files
   */
  public EncodedPartition(String name, String value, long rows, long skippedRows, String committedAt,
      List<EncodedFile> files) {
    if (name == null || name.isBlank() || name.contains("/") || name.startsWith("_") || name.startsWith(".")) {
      throw new IllegalArgumentException("partition name must be a plain, visible directory name, got '" + name + "'");
    }
    this.files = List.copyOf(files);
    long sum = 0;
    for (EncodedFile f : this.files) {
      if (!f.path().startsWith(name + "/")) {
        throw new IllegalArgumentException("file " + f.path() + " is not inside partition " + name);
      }
      sum += f.rows();
    }
    if (rows != sum || skippedRows < 0) {
      throw new IllegalArgumentException("partition " + name + " records " + rows + " rows (" + skippedRows
          + " skipped), but its files hold " + sum);
    }
    this.name = name;
    this.value = value;
    this.rows = rows;
    this.skippedRows = skippedRows;
    this.committedAt = Objects.requireNonNull(committedAt, "committedAt");
  }

  /** The directory name below the dataset root. */
  public String name() {
    return name;
  }

  /** The partition column's value, or null for an unpartitioned input. */
  public String value() {
    return value;
  }

  public long rows() {
    return rows;
  }

  /** Invalid input rows skipped when this partition was encoded (skip mode), else 0. */
  public long skippedRows() {
    return skippedRows;
  }

  /** When the partition was committed (ISO-8601). */
  public String committedAt() {
    return committedAt;
  }

  public List<EncodedFile> files() {
    return files;
  }

  /** Total bytes of the files. */
  public long bytes() {
    long total = 0;
    for (EncodedFile f : files) {
      total += f.bytes();
    }
    return total;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof EncodedPartition p && p.name.equals(name) && Objects.equals(p.value, value)
        && p.rows == rows && p.skippedRows == skippedRows && p.committedAt.equals(committedAt)
        && p.files.equals(files);
  }

  @Override
  public int hashCode() {
    return Objects.hash(name, value, rows, skippedRows, committedAt, files);
  }

  @Override
  public String toString() {
    return name + " (" + rows + " rows, " + files.size() + " files)";
  }
}
