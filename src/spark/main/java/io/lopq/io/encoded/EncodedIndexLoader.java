package io.lopq.io.encoded;

import io.lopq.format.encoded.EncodedFile;
import io.lopq.format.encoded.EncodedFormat;
import io.lopq.format.encoded.EncodedManifest;
import io.lopq.format.encoded.ModelIdentity;
import io.lopq.format.vectors.InvalidInputException;
import io.lopq.io.fs.AtomicCommit;
import io.lopq.model.LopqModel;
import io.lopq.search.CompactIndex;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.avro.AvroParquetReader;
import org.apache.parquet.avro.AvroReadSupport;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.hadoop.util.HadoopInputFile;

/**
 * Loads an encoded dataset ({@code lopq encode}'s Parquet and manifest) into the core's online
 * {@link CompactIndex}, on the calling thread and without Spark: the files the manifest lists are
 * read one after the other with parquet-avro, only the {@code id, coarse0, coarse1, codes}
 * columns, into {@link CompactIndex.Builder}.
 *
 * <pre>
 *   CompactIndex index = EncodedIndexLoader.load(new Configuration(), "hdfs:///lopq/encoded", model);
 * </pre>
 *
 * Long ids only (the index keeps ids in a {@code long[]}); a dataset with string ids is refused.
 */
public final class EncodedIndexLoader {
  private EncodedIndexLoader() {}

  /**
   * The index of the encoded dataset at {@code path} (any Hadoop file system).
   *
   * @throws InvalidInputException naming the path if there is no encoded dataset, it was encoded
   *     by another model, has string ids, or a file's row is bad (naming the file and the row)
   * @throws IOException if the file system fails
   */
  public static CompactIndex load(Configuration conf, String path, LopqModel model) throws IOException {
    if (path == null || path.isBlank()) {
      throw new IllegalArgumentException("encoded dataset path is empty");
    }
    Path given = new Path(path);
    FileSystem fs = given.getFileSystem(conf);
    Path root = fs.makeQualified(given);
    FileStatus status = AtomicCommit.statusOrNull(fs, root);
    if (status == null) {
      throw new InvalidInputException("no encoded dataset at " + root + ": the path does not exist");
    }
    if (!status.isDirectory()) {
      throw new InvalidInputException(root + " is a file, not an encoded dataset or a packed index");
    }
    EncodedManifest manifest = ManifestStore.read(fs, root);
    if (manifest == null) {
      throw new InvalidInputException(root + " is not an encoded dataset: it has no manifest ("
          + EncodedFormat.MANIFEST_PREFIX + "*" + EncodedFormat.MANIFEST_SUFFIX + ")");
    }
    if (!manifest.model().matches(model)) {
      throw new InvalidInputException("encoded dataset " + root + " was written by model " + manifest.model()
          + ", but the model given is " + ModelIdentity.of(model) + "; use the model it was encoded with");
    }
    if (manifest.stringIds()) {
      throw new InvalidInputException("encoded dataset " + root + " has string ids; the online index holds long "
          + "ids only (encode with a long id column, or with row numbers)");
    }
    CompactIndex.Builder builder = CompactIndex.builder(model, manifest.rows());
    Configuration readConf = new Configuration(conf);
    AvroReadSupport.setRequestedProjection(readConf, projection());
    for (EncodedFile file : manifest.files()) {
      readFile(readConf, new Path(root, file.path()), builder, model.subquantizers());
    }
    return builder.build();
  }

  /** The dataset's own columns only (kept columns are not read). */
  private static Schema projection() {
    return EncodedSchema.avro(false, List.of());
  }

  private static void readFile(Configuration conf, Path file, CompactIndex.Builder builder, int m) throws IOException {
    byte[] fine = new byte[m];
    long row = 0;
    try (ParquetReader<GenericRecord> reader = AvroParquetReader.<GenericRecord>builder(
        HadoopInputFile.fromPath(file, conf)).withConf(conf).build()) {
      for (GenericRecord record = reader.read(); record != null; record = reader.read(), row++) {
        ByteBuffer codes = (ByteBuffer) record.get(EncodedFormat.CODES);
        if (codes.remaining() != m) {
          throw new InvalidInputException(file + " row " + row + " has " + codes.remaining()
              + " fine codes, the model has M=" + m);
        }
        codes.duplicate().get(fine);
        try {
          builder.add((Long) record.get(EncodedFormat.ID), (Integer) record.get(EncodedFormat.COARSE0),
              (Integer) record.get(EncodedFormat.COARSE1), fine, 0);
        } catch (IllegalArgumentException e) {
          throw new InvalidInputException(file + " row " + row + ": " + e.getMessage(), e);
        }
      }
    } catch (java.io.FileNotFoundException e) {
      throw new InvalidInputException("encoded dataset file " + file + " is listed in the manifest but missing");
    }
  }
}
