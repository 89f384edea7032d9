package io.lopq.io.encoded;

import io.lopq.format.encoded.EncodedFile;
import io.lopq.format.encoded.EncodedFormat;
import io.lopq.format.encoded.EncodedManifest;
import io.lopq.format.encoded.EncodedPartition;
import io.lopq.format.encoded.KeptColumn;
import io.lopq.format.encoded.ManifestJson;
import io.lopq.format.vectors.InvalidInputException;
import io.lopq.model.TestModels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lopq.model.LopqModel;
import io.lopq.spark.common.SharedSpark;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.util.HadoopInputFile;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The read side of an encoded dataset: manifest, open checks, rows of committed files only, model check. */
class EncodedDatasetTest {
  private static final int M = 4;
  private static final LopqModel MODEL = TestModels.random(7, 8, 3, M, 5, io.lopq.model.ModelMetadata.EMPTY);
  private static final KeptColumn URL = new KeptColumn("url", KeptColumn.Type.STRING, true);
  private static final Configuration CONF = new Configuration();

  @TempDir File temp;

  private SparkSession spark() {
    return SharedSpark.session();
  }

  /** Writes a partition of {@code n} rows with ids starting at {@code firstId}, commits it, returns the manifest. */
  private EncodedManifest commitPartition(FileSystem fs, Path root, EncodedManifest manifest, String value,
      long firstId, int n) throws IOException {
    String name = "date=" + value;
    Path file = new Path(root, name + "/part-00000.parquet");
    try (EncodedFileWriter w = EncodedFileWriter.create(file, CONF, MODEL, false, List.of(URL),
        EncodedFileWriter.DEFAULT_CODEC)) {
      for (int i = 0; i < n; i++) {
        w.write(firstId + i, i / 2, i % 3, codes(firstId + i), 0, new Object[] {i == 0 ? null : "u" + (firstId + i)});
      }
    }
    EncodedFile entry = new EncodedFile(name + "/part-00000.parquet", n, fs.getFileStatus(file).getLen(), 0, 0,
        (n - 1) / 2, 2);
    EncodedManifest next = manifest.withPartition(
        new EncodedPartition(name, value, n, 0, "2026-11-25T00:00:00Z", List.of(entry)));
    ManifestStore.commit(fs, root, next);
    return next;
  }

  private static byte[] codes(long id) {
    byte[] c = new byte[M];
    for (int m = 0; m < M; m++) {
      c[m] = (byte) (id * 31 + m * 101);
    }
    return c;
  }

  @Test
  void opensCommittedPartitionsAndReadsOnlyListedFiles() throws IOException {
    Path root = new Path(temp.getAbsolutePath(), "encoded");
    FileSystem fs = root.getFileSystem(CONF);
    fs.mkdirs(root);
    EncodedManifest manifest = EncodedManifest.empty(MODEL, false, List.of(URL), "date");
    manifest = commitPartition(fs, root, manifest, "2026-11-24", 0, 5);
    manifest = commitPartition(fs, root, manifest, "2026-11-25", 100, 7);
    // A crashed run's leftovers: a stray file in a committed partition, and an uncommitted partition.
    Files.copy(new File(temp, "encoded/date=2026-11-24/part-00000.parquet").toPath(),
        new File(temp, "encoded/date=2026-11-24/part-99999.parquet").toPath());
    Files.createDirectories(new File(temp, "encoded/date=2026-11-26").toPath());
    Files.copy(new File(temp, "encoded/date=2026-11-24/part-00000.parquet").toPath(),
        new File(temp, "encoded/date=2026-11-26/part-00000.parquet").toPath());

    EncodedDataset ds = EncodedDataset.open(spark(), root.toString());
    assertEquals(MODEL.fingerprint(), ds.modelFingerprint());
    assertEquals(List.of(8, 3, M, 5), List.of(ds.dimension(), ds.coarseClusters(), ds.subquantizers(),
        ds.subquantizerClusters()));
    assertEquals(DataTypes.LongType, ds.idType());
    assertEquals(List.of("date=2026-11-24", "date=2026-11-25"), ds.partitions().stream().map(EncodedPartition::name)
        .toList());
    assertEquals(12, ds.rowCount());
    assertEquals(2, ds.manifest().revision());

    List<Row> rows = ds.rows().collectAsList();
    assertEquals(12, rows.size());
    Map<Long, Row> byId = new TreeMap<>();
    rows.forEach(r -> byId.put(r.getLong(0), r));
    assertEquals(12, byId.size());
    Row r = byId.get(103L);
    assertEquals(1, r.getInt(1));
    assertEquals(0, r.getInt(2));
    assertArrayEquals(codes(103), (byte[]) r.get(3));
    assertEquals("u103", r.getString(4));
    assertEquals("2026-11-25", r.getString(5));
    assertTrue(byId.get(0L).isNullAt(4));
    assertEquals(List.of("id", "coarse0", "coarse1", "codes", "url", "date"), List.of(ds.rows().columns()));

    EncodedFile second = ds.partitions().get(1).files().get(0);
    assertEquals(7, ds.rows(List.of(second)).count());
    assertEquals(0, ds.rows(List.of()).count());
  }

  @Test
  void filesCarryModelIdentityInParquetMetadata() throws IOException {
    Path file = new Path(temp.getAbsolutePath(), "one.parquet");
    try (EncodedFileWriter w = EncodedFileWriter.create(file, CONF, MODEL, true, List.of(),
        EncodedFileWriter.DEFAULT_CODEC)) {
      w.write("a", 0, 1, codes(1), 0, null);
    }
    try (ParquetFileReader reader = ParquetFileReader.open(HadoopInputFile.fromPath(file, CONF))) {
      Map<String, String> meta = reader.getFooter().getFileMetaData().getKeyValueMetaData();
      assertEquals("1", meta.get(EncodedFormat.META_SCHEMA_VERSION));
      assertEquals(MODEL.fingerprint(), meta.get(EncodedFormat.META_FINGERPRINT));
      assertEquals("8,3,4,5", meta.get(EncodedFormat.META_SHAPE));
      assertEquals(1, reader.getRecordCount());
    }
  }

  @Test
  void refusesAnotherModelNamingBothFingerprintsAndThePath() throws IOException {
    Path root = new Path(temp.getAbsolutePath(), "encoded");
    FileSystem fs = root.getFileSystem(CONF);
    fs.mkdirs(root);
    commitPartition(fs, root, EncodedManifest.empty(MODEL, false, List.of(URL), "date"), "d1", 0, 3);
    EncodedDataset ds = EncodedDataset.open(spark(), root.toString());
    ds.requireModel(MODEL);
    LopqModel other = TestModels.random(8, 8, 3, M, 5, io.lopq.model.ModelMetadata.EMPTY);
    InvalidInputException e = assertThrows(InvalidInputException.class, () -> ds.requireModel(other));
    assertTrue(e.getMessage().contains(MODEL.fingerprint()), e.getMessage());
    assertTrue(e.getMessage().contains(other.fingerprint()), e.getMessage());
    assertTrue(e.getMessage().contains(ds.path()), e.getMessage());
  }

  @Test
  void openFailsClearlyForMissingForeignAndNewerDatasets() throws IOException {
    String missing = new File(temp, "nothing").getAbsolutePath();
    assertTrue(assertThrows(InvalidInputException.class, () -> EncodedDataset.open(spark(), missing))
        .getMessage().contains("does not exist"));

    File foreign = new File(temp, "foreign");
    Files.createDirectories(foreign.toPath());
    Files.writeString(new File(foreign, "data.csv").toPath(), "1,2,3\n");
    assertTrue(assertThrows(InvalidInputException.class, () -> EncodedDataset.open(spark(), foreign.getPath()))
        .getMessage().contains("not an encoded dataset"));

    File newer = new File(temp, "newer");
    Files.createDirectories(newer.toPath());
    String json = new String(ManifestJson.render(EncodedManifest.empty(MODEL, false, List.of(), null)
        .withPartition(new EncodedPartition("all", null, 0, 0, "2026-01-01T00:00:00Z", List.of()))),
        StandardCharsets.UTF_8).replace("\"schemaVersion\" : 1", "\"schemaVersion\" : 2");
    Files.writeString(new File(newer, EncodedFormat.manifestFileName(1)).toPath(), json);
    String message = assertThrows(InvalidInputException.class, () -> EncodedDataset.open(spark(), newer.getPath()))
        .getMessage();
    assertTrue(message.contains("schema version 2") && message.contains("newer"), message);

    File corrupt = new File(temp, "corrupt");
    Files.createDirectories(corrupt.toPath());
    Files.writeString(new File(corrupt, EncodedFormat.manifestFileName(3)).toPath(), "{\"format\": \"lopq-encoded");
    assertTrue(assertThrows(InvalidInputException.class, () -> EncodedDataset.open(spark(), corrupt.getPath()))
        .getMessage().contains("not valid JSON"));
  }
}
