package io.lopq.format.encoded;

import io.lopq.model.LopqModel;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The manifest of an encoded dataset: what is committed. Readers trust it, never a directory
 * listing.
 *
 * <pre>
 *   schema version, revision (0 before the first commit, then 1, 2, ...)
 *   model          fingerprint and D, V, M, K              ({@link ModelIdentity})
 *   rows           id type (long or string), kept columns  ({@link KeptColumn})
 *   partitions     partition column, then per partition its files, in commit order
 *                                                          ({@link EncodedPartition}, {@link EncodedFile})
 * </pre>
 *
 * <p>Immutable; {@link #withPartition} gives the next revision. This class is the value only: its
 * JSON is {@link ManifestJson}, and how revisions are stored and published on a file system is
 * {@code io.lopq.io.encoded.ManifestStore}.
 */
public final class EncodedManifest implements Serializable {
  private static final long serialVersionUID = 1L;

  private final int schemaVersion;
  private final long revision;
  private final ModelIdentity model;
  private final boolean stringIds;
  private final List<KeptColumn> keptColumns;
  private final String partitionColumn;
  private final List<EncodedPartition> partitions;

  /**
   * A manifest.
   *
   * @param partitionColumn the input's partition column, or null for an unpartitioned input
   * @throws IllegalArgumentException if a partition is listed twice, or a kept column has the
   *     partition column's name
   */
  public EncodedManifest(int schemaVersion, long revision, ModelIdentity model, boolean stringIds,
      List<KeptColumn> keptColumns, String partitionColumn, List<EncodedPartition> partitions) {
    this.schemaVersion = schemaVersion;
    this.revision = revision;
    this.model = Objects.requireNonNull(model, "model");
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
    return new EncodedManifest(EncodedFormat.SCHEMA_VERSION, 0, ModelIdentity.of(model), stringIds, keptColumns,
        partitionColumn, List.of());
  }

  private void checkNames() {
    Set<String> names = new HashSet<>();
    for (EncodedPartition p : partitions) {
      if (!names.add(p.name())) {
        throw new IllegalArgumentException("partition " + p.name() + " is listed twice");
      }
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
    return new EncodedManifest(schemaVersion, revision + 1, model, stringIds, keptColumns, partitionColumn, next);
  }

  public int schemaVersion() {
    return schemaVersion;
  }

  /** The revision: 0 before the first commit, then 1, 2, ... */
  public long revision() {
    return revision;
  }

  /** The model that encoded every row. */
  public ModelIdentity model() {
    return model;
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
    return partitions.stream().mapToLong(EncodedPartition::rows).sum();
  }

  /** Every committed file, partition by partition. */
  public List<EncodedFile> files() {
    List<EncodedFile> files = new ArrayList<>();
    partitions.forEach(p -> files.addAll(p.files()));
    return files;
  }

  /** Total bytes of the committed files. */
  public long bytes() {
    return partitions.stream().mapToLong(EncodedPartition::bytes).sum();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof EncodedManifest m && m.schemaVersion == schemaVersion && m.revision == revision
        && m.model.equals(model) && m.stringIds == stringIds && m.keptColumns.equals(keptColumns)
        && Objects.equals(m.partitionColumn, partitionColumn) && m.partitions.equals(partitions);
  }

  @Override
  public int hashCode() {
    return Objects.hash(schemaVersion, revision, model, stringIds, keptColumns, partitionColumn, partitions);
  }

  @Override
  public String toString() {
    return "EncodedManifest{revision=" + revision + ", fingerprint=" + model.fingerprint() + ", D,V,M,K="
        + model.shape() + ", idType=" + EncodedFormat.idTypeName(stringIds) + ", kept=" + keptColumns
        + ", partitionColumn=" + partitionColumn + ", partitions=" + partitions + "}";
  }
}
