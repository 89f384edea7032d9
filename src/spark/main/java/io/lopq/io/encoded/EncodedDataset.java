package io.lopq.io.encoded;

import io.lopq.format.encoded.EncodedFile;
import io.lopq.format.encoded.EncodedFormat;
import io.lopq.format.encoded.EncodedManifest;
import io.lopq.format.encoded.EncodedPartition;
import io.lopq.format.encoded.KeptColumn;
import io.lopq.format.encoded.ModelIdentity;
import io.lopq.format.vectors.InvalidInputException;
import io.lopq.io.fs.AtomicCommit;

import io.lopq.model.LopqModel;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * An encoded dataset opened for reading: the committed state its {@link EncodedManifest manifest}
 * describes (model identity and shape, id type, kept columns, partitions and their files), and
 * its rows as a Spark {@link Dataset}. The format is {@code docs/ENCODED-FORMAT.md}.
 *
 * <p>Only files the manifest lists are ever read, so work in progress ({@code _temporary/}) and
 * partitions of a crashed run that were renamed into place but not yet committed stay invisible.
 * The view is a snapshot: a later commit by {@code lopq encode} is seen by opening again.
 *
 * <pre>
 *   EncodedDataset encoded = EncodedDataset.open(spark, "hdfs:///lopq/encoded");
 *   encoded.requireModel(model);            // refuses codes from another model
 *   Dataset&lt;Row&gt; rows = encoded.rows();     // id, coarse0, coarse1, codes, kept..., [partition column]
 * </pre>
 */
public final class EncodedDataset {
  private final SparkSession spark;
  private final Path root;
  private final EncodedManifest manifest;

  private EncodedDataset(SparkSession spark, Path root, EncodedManifest manifest) {
    this.spark = spark;
    this.root = root;
    this.manifest = manifest;
  }

  /**
   * Opens the encoded dataset at {@code path} (any Hadoop file system).
   *
   * @throws InvalidInputException naming the path if nothing is there, it is a file or a directory
   *     that is not an encoded dataset (no manifest), the manifest is corrupt, or it was written
   *     with a newer schema version than this build reads
   */
  public static EncodedDataset open(SparkSession spark, String path) {
    if (path == null || path.isBlank()) {
      throw new IllegalArgumentException("encoded dataset path is empty");
    }
    Configuration conf = spark.sparkContext().hadoopConfiguration();
    try {
      Path given = new Path(path);
      FileSystem fs = given.getFileSystem(conf);
      Path root = fs.makeQualified(given);
      FileStatus status = AtomicCommit.statusOrNull(fs, root);
      if (status == null) {
        throw new InvalidInputException("no encoded dataset at " + root + ": the path does not exist");
      }
      if (!status.isDirectory()) {
        throw new InvalidInputException(root + " is a file, not an encoded dataset (expected a directory written by "
            + "lopq encode)");
      }
      EncodedManifest manifest = ManifestStore.read(fs, root);
      if (manifest == null) {
        throw new InvalidInputException(root + " is not an encoded dataset: it has no manifest ("
            + EncodedFormat.MANIFEST_PREFIX + "*" + EncodedFormat.MANIFEST_SUFFIX
            + "); it was not written by lopq encode, or its first encode run never committed a partition");
      }
      return new EncodedDataset(spark, root, manifest);
    } catch (IOException e) {
      throw new InvalidInputException("cannot read encoded dataset " + path + ": " + e.getMessage(), e);
    }
  }

  /** The dataset's root, fully qualified. */
  public String path() {
    return root.toString();
  }

  /** The manifest this view was opened with. */
  public EncodedManifest manifest() {
    return manifest;
  }

  /** The schema version the dataset was written with. */
  public int schemaVersion() {
    return manifest.schemaVersion();
  }

  /** The fingerprint of the model that encoded every row ({@link LopqModel#fingerprint()}). */
  public String modelFingerprint() {
    return manifest.model().fingerprint();
  }

  /** D, the dimension of the vectors encoded. */
  public int dimension() {
    return manifest.model().dimension();
  }

  /** V, coarse clusters per half. */
  public int coarseClusters() {
    return manifest.model().coarseClusters();
  }

  /** M, fine codes per row (the length of each {@code codes} value). */
  public int subquantizers() {
    return manifest.model().subquantizers();
  }

  /** K, clusters per subquantizer. */
  public int subquantizerClusters() {
    return manifest.model().subquantizerClusters();
  }

  /** The type of the {@code id} column: {@code LongType} or {@code StringType}. */
  public DataType idType() {
    return EncodedSchema.idType(manifest.stringIds());
  }

  /** The columns carried through from the input, in order. */
  public List<KeptColumn> keptColumns() {
    return manifest.keptColumns();
  }

  /** The input's partition column (a string column of {@link #rows()}), or null if unpartitioned. */
  public String partitionColumn() {
    return manifest.partitionColumn();
  }

  /** The committed partitions, in commit order. */
  public List<EncodedPartition> partitions() {
    return manifest.partitions();
  }

  /** Every committed file, partition by partition. */
  public List<EncodedFile> files() {
    return manifest.files();
  }

  /** Rows of all committed partitions. */
  public long rowCount() {
    return manifest.rows();
  }

  /** Total bytes of the committed files. */
  public long byteCount() {
    return manifest.bytes();
  }

  /**
   * The schema of {@link #rows()}: {@code id}, {@code coarse0}, {@code coarse1}, {@code codes},
   * the kept columns, then the partition column (string) if the dataset is partitioned.
   */
  public StructType schema() {
    StructType schema = EncodedSchema.spark(manifest.stringIds(), manifest.keptColumns());
    if (manifest.partitionColumn() != null) {
      StructField partition = DataTypes.createStructField(manifest.partitionColumn(), DataTypes.StringType, true);
      schema = schema.add(partition);
    }
    return schema;
  }

  /** The rows of every committed file (lazy). */
  public Dataset<Row> rows() {
    return rows(files());
  }

  /**
   * The rows of some committed files (lazy), e.g. those whose cell range can hold the cells a
   * search visits ({@link EncodedFile#mayContain}).
   *
   * @throws IllegalArgumentException if a file is not one of this dataset's
   */
  public Dataset<Row> rows(Collection<EncodedFile> selected) {
    List<EncodedFile> all = files();
    List<String> paths = new ArrayList<>();
    for (EncodedFile f : selected) {
      if (!all.contains(f)) {
        throw new IllegalArgumentException("file " + f.path() + " is not committed in encoded dataset " + root);
      }
      paths.add(new Path(root, f.path()).toString());
    }
    if (paths.isEmpty()) {
      return spark.createDataFrame(List.of(), schema());
    }
    return spark.read()
        .schema(schema())
        .option("basePath", root.toString())
        .parquet(paths.toArray(new String[0]));
  }

  /**
   * Checks that the rows were encoded with {@code model}.
   *
   * @throws InvalidInputException naming the dataset and both fingerprints if they differ
   */
  public void requireModel(LopqModel model) {
    if (!manifest.model().matches(model)) {
      throw new InvalidInputException("encoded dataset " + root + " was written by model " + manifest.model()
          + ", but the model given is " + ModelIdentity.of(model)
          + "; use the model it was encoded with, or encode again with this one into a new output");
    }
  }

  @Override
  public String toString() {
    return "EncodedDataset{" + root + ", " + manifest + "}";
  }
}
