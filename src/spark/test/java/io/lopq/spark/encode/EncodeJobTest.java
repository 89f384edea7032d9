package io.lopq.spark.encode;

import io.lopq.spark.common.SharedSpark;

import static io.lopq.spark.encode.EncodeFixtures.D;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lopq.cli.Failures;
import io.lopq.encode.LopqEncoder;
import io.lopq.io.fs.FailingLocalFileSystem;
import io.lopq.io.encoded.EncodedCommitter;
import io.lopq.io.encoded.EncodedDataset;
import io.lopq.format.encoded.EncodedFile;
import io.lopq.format.encoded.EncodedPartition;
import io.lopq.format.vectors.InvalidInputException;
import io.lopq.io.vectors.VectorSchema;
import io.lopq.model.LopqCode;
import io.lopq.model.LopqModel;
import java.io.File;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.avro.generic.GenericRecord;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.avro.AvroParquetReader;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.hadoop.util.HadoopInputFile;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The encode job on local Spark: codes, ids and kept columns, layout, increments, crashes, bad input. */
class EncodeJobTest {
  private static LopqModel model;
  private static LopqModel otherModel;

  @TempDir File temp;

  @BeforeAll
  static void models() {
    model = EncodeFixtures.model(11);
    otherModel = EncodeFixtures.model(12);
  }

  private static SparkSession spark() {
    return SharedSpark.session();
  }

  private String path(String name) {
    return new File(temp, name).getAbsolutePath();
  }

  /** A Parquet input of {@code n} rows: id (long, scattered), vector, url; in several files. */
  private Map<Long, float[]> writeParquetInput(String dir, int n) {
    List<float[]> vectors = EncodeFixtures.vectors(5, 0, n);
    StructType schema = VectorSchema.withLongIds().add("url", DataTypes.StringType, true);
    List<Row> rows = new ArrayList<>();
    Map<Long, float[]> byId = new HashMap<>();
    for (int i = 0; i < n; i++) {
      long id = 1_000_000L + 7L * i;
      rows.add(RowFactory.create(id, vectors.get(i), i % 10 == 0 ? null : "http://x/" + id));
      byId.put(id, vectors.get(i));
    }
    spark().createDataFrame(rows, schema).repartition(3).write().parquet(dir);
    return byId;
  }

  @Test
  void codesEqualTheCoreEncoderAndIdsKeptColumnsAndCellLayoutSurvive() throws IOException {
    int n = 2000;
    Map<Long, float[]> input = writeParquetInput(path("in"), n);
    EncodeReport report = EncodeJob.run(spark(), EncodeJob.Params.builder().model(model).input(path("in"))
        .output(path("out")).keepCols(List.of("url")).rowsPerFile(300).batchSize(128).build());
    assertEquals(n, report.rowsEncoded());
    assertTrue(report.bytesPerVector() > 0);

    EncodedDataset ds = EncodedDataset.open(spark(), path("out"));
    ds.requireModel(model);
    assertEquals(n, ds.rowCount());
    List<EncodedFile> files = ds.files();
    assertTrue(files.size() >= 5, "expected about n / rowsPerFile files, got " + files.size());

    LopqEncoder reference = new LopqEncoder(model);
    Set<Long> seen = new HashSet<>();
    EncodedFile previous = null;
    for (EncodedFile file : files) {
      if (previous != null) {
        assertTrue(cellCompare(previous.lastCoarse0(), previous.lastCoarse1(), file.firstCoarse0(),
            file.firstCoarse1()) < 0, "cell ranges of " + previous + " and " + file + " overlap");
      }
      previous = file;
      List<GenericRecord> records = readFile(ds.path() + "/" + file.path());
      assertEquals(file.rows(), records.size());
      GenericRecord prev = null;
      for (GenericRecord r : records) {
        long id = (Long) r.get("id");
        assertTrue(seen.add(id), "id " + id + " written twice");
        LopqCode expected = reference.encode(input.get(id));
        int c0 = (Integer) r.get("coarse0");
        int c1 = (Integer) r.get("coarse1");
        assertEquals(expected.coarse0(), c0, "coarse0 of id " + id);
        assertEquals(expected.coarse1(), c1, "coarse1 of id " + id);
        ByteBuffer codes = (ByteBuffer) r.get("codes");
        byte[] bytes = new byte[codes.remaining()];
        codes.get(bytes);
        assertArrayEquals(expected.fineBytes(), bytes, "codes of id " + id);
        Object url = r.get("url");
        assertEquals((id - 1_000_000L) / 7 % 10 == 0 ? null : "http://x/" + id, url == null ? null : url.toString());
        assertTrue(file.mayContain(c0, c1));
        if (prev != null) {
          int order = cellCompare((Integer) prev.get("coarse0"), (Integer) prev.get("coarse1"), c0, c1);
          assertTrue(order < 0 || (order == 0 && (Long) prev.get("id") < id), "rows not sorted by (cell, id)");
        }
        prev = r;
      }
      GenericRecord first = records.get(0);
      GenericRecord last = records.get(records.size() - 1);
      assertEquals(List.of(file.firstCoarse0(), file.firstCoarse1(), file.lastCoarse0(), file.lastCoarse1()),
          List.of(first.get("coarse0"), first.get("coarse1"), last.get("coarse0"), last.get("coarse1")));
    }
    assertEquals(input.keySet(), seen);
    assertEquals(n, ds.rows().select("id").distinct().count());
    assertTrue(new File(path("out/" + EncodedPartition.UNPARTITIONED + "/" + EncodedCommitter.SUCCESS)).exists());
    assertTrue(new File(path("out/" + EncodeJob.DEFAULT_REPORT_NAME)).exists());
    assertFalse(new File(path("out/" + EncodedCommitter.TEMPORARY)).exists());

    // A second run finds nothing new and changes nothing.
    EncodeReport again = EncodeJob.run(spark(), EncodeJob.Params.builder().model(model).input(path("in"))
        .output(path("out")).keepCols(List.of("url")).build());
    assertEquals(0, again.rowsEncoded());
    assertEquals(List.of(EncodedPartition.UNPARTITIONED), again.upToDate());
    assertEquals(ds.manifest().revision(), EncodedDataset.open(spark(), path("out")).manifest().revision());
  }

  private static int cellCompare(int a0, int a1, int b0, int b1) {
    return a0 != b0 ? Integer.compare(a0, b0) : Integer.compare(a1, b1);
  }

  private static List<GenericRecord> readFile(String file) throws IOException {
    List<GenericRecord> records = new ArrayList<>();
    Configuration conf = new Configuration();
    try (ParquetReader<GenericRecord> reader = AvroParquetReader.<GenericRecord>builder(
        HadoopInputFile.fromPath(new Path(file), conf)).withConf(conf).build()) {
      for (GenericRecord r = reader.read(); r != null; r = reader.read()) {
        records.add(r);
      }
    }
    return records;
  }

  /** Writes partition folder date=VALUE with {@code n} fvecs rows of the corpus from row {@code first}. */
  private void writeDay(String input, String day, long first, int n) throws IOException {
    File folder = new File(input, "date=" + day);
    EncodeFixtures.writeFvecs(new File(folder, "part-0.fvecs"), EncodeFixtures.vectors(5, first, n));
    EncodeFixtures.markSuccess(folder);
  }

  private EncodeJob.Params.Builder daily(String input, String output) {
    return EncodeJob.Params.builder().model(model).input(input).output(output).partitionCol("date").rowsPerFile(150);
  }

  /** (date, id) of every row, failing on a duplicate. */
  private static Set<String> distinctRows(EncodedDataset ds) {
    Set<String> keys = new HashSet<>();
    for (Row r : ds.rows().select("date", "id").collectAsList()) {
      assertTrue(keys.add(r.getString(0) + "/" + r.getLong(1)), "row " + r + " appears twice");
    }
    return keys;
  }

  @Test
  void incrementalRunEncodesOnlyNewPartitionsAndKeepsTheRowCountExact() throws IOException {
    String input = path("daily");
    writeDay(input, "2026-11-24", 0, 300);
    writeDay(input, "2026-11-25", 300, 200);
    List<String> log = new ArrayList<>();
    EncodeReport first = EncodeJob.run(spark(), daily(input, path("enc")).progress(log::add).build());
    assertEquals(List.of("date=2026-11-24", "date=2026-11-25"),
        first.encoded().stream().map(EncodeReport.PartitionReport::name).toList());
    assertEquals(2, log.size());
    assertTrue(log.get(0).contains("date=2026-11-24") && log.get(0).contains("300 rows"), log.get(0));

    writeDay(input, "2026-11-26", 500, 120);
    new File(input, "date=2026-11-27").mkdirs(); // still being written by its producer: no _SUCCESS
    EncodeFixtures.writeFvecs(new File(input, "date=2026-11-27/part-0.fvecs"), EncodeFixtures.vectors(5, 620, 10));
    EncodeReport second = EncodeJob.run(spark(), daily(input, path("enc")).requireSuccessMarker(true).build());
    assertEquals(List.of("date=2026-11-26"), second.encoded().stream().map(EncodeReport.PartitionReport::name)
        .toList());
    assertEquals(120, second.rowsEncoded());
    assertEquals(List.of("date=2026-11-24", "date=2026-11-25"), second.upToDate());
    assertEquals(List.of("date=2026-11-27"), second.notReady());

    EncodedDataset ds = EncodedDataset.open(spark(), path("enc"));
    assertEquals(620, ds.rowCount());
    assertEquals(620, ds.rows().count());
    assertEquals(620, distinctRows(ds).size());
    assertEquals(120, ds.rows().where("date = '2026-11-26'").count());
  }

  @Test
  void anEmptyInputIsAnEmptyIndexAndAnEmptyDayAnEmptyPartition() throws IOException {
    // An empty table encodes to an empty index (what a scheduled run over an empty table writes).
    EncodeFixtures.writeFvecs(new File(path("empty/x.fvecs")), List.of());
    EncodeReport none = EncodeJob.run(spark(), EncodeJob.Params.builder().model(model).input(path("empty/x.fvecs"))
        .output(path("enc-empty")).build());
    assertEquals(0, none.rowsEncoded());
    EncodedDataset empty = EncodedDataset.open(spark(), path("enc-empty"));
    assertEquals(0, empty.rowCount());
    assertEquals(0, empty.rows().count());
    empty.requireModel(model);

    // A day whose Parquet files hold a schema and no rows: committed empty, not encoded again.
    String input = path("daily");
    writeDay(input, "2026-11-24", 0, 300);
    File quiet = new File(input, "date=2026-11-25");
    spark().createDataFrame(List.<Row>of(), VectorSchema.withLongIds()).write().parquet(quiet.getPath());
    EncodeReport first = EncodeJob.run(spark(), daily(input, path("enc")).build());
    assertEquals(List.of(300L, 0L), first.encoded().stream().map(EncodeReport.PartitionReport::rows).toList());
    EncodeReport second = EncodeJob.run(spark(), daily(input, path("enc")).build());
    assertEquals(List.of("date=2026-11-24", "date=2026-11-25"), second.upToDate());
    assertEquals(300, EncodedDataset.open(spark(), path("enc")).rows().count());
  }

  @Test
  void aRunKilledMidWriteThenReRunGivesExactlyOneCopyOfEveryRow() throws IOException {
    String input = path("daily");
    writeDay(input, "2026-11-24", 0, 250);
    writeDay(input, "2026-11-25", 250, 250);
    writeDay(input, "2026-11-26", 500, 250);
    Exception crash = assertThrows(Exception.class,
        () -> EncodeJob.run(spark(), daily(input, path("enc")).failAfterPartitions(1).build()));
    assertTrue(Failures.userMessage(crash).contains("injected failure"), Failures.userMessage(crash));

    EncodedDataset afterCrash = EncodedDataset.open(spark(), path("enc"));
    assertEquals(List.of("date=2026-11-24"), afterCrash.partitions().stream().map(EncodedPartition::name).toList());
    assertEquals(250, afterCrash.rows().count());

    // What a killed driver would also leave: a staging folder, and a partition renamed but never committed.
    File committedFile = new File(path("enc/date=2026-11-24")).listFiles((d, name) -> name.endsWith(".parquet"))[0];
    File staging = new File(path("enc/_temporary/dead-run/date=2026-11-25"));
    staging.mkdirs();
    Files.copy(committedFile.toPath(), new File(staging, "part-00000-dead.parquet").toPath());
    File uncommitted = new File(path("enc/date=2026-11-26"));
    uncommitted.mkdirs();
    Files.copy(committedFile.toPath(), new File(uncommitted, committedFile.getName()).toPath());
    assertEquals(250, EncodedDataset.open(spark(), path("enc")).rows().count());

    EncodeReport rerun = EncodeJob.run(spark(), daily(input, path("enc")).build());
    assertEquals(List.of("date=2026-11-25", "date=2026-11-26"),
        rerun.encoded().stream().map(EncodeReport.PartitionReport::name).toList());
    assertEquals(2, rerun.removedLeftovers().size(), rerun.removedLeftovers().toString());
    EncodedDataset ds = EncodedDataset.open(spark(), path("enc"));
    assertEquals(750, ds.rowCount());
    assertEquals(750, distinctRows(ds).size());
    assertFalse(new File(path("enc/" + EncodedCommitter.TEMPORARY)).exists());
  }

  @Test
  void refusesAnOutputWrittenByAnotherModel() throws IOException {
    String input = path("daily");
    writeDay(input, "2026-11-24", 0, 100);
    EncodeJob.run(spark(), daily(input, path("enc")).build());
    writeDay(input, "2026-11-25", 100, 100);
    InvalidInputException e = assertThrows(InvalidInputException.class,
        () -> EncodeJob.run(spark(), daily(input, path("enc")).model(otherModel).build()));
    assertTrue(e.getMessage().contains(model.fingerprint()) && e.getMessage().contains(otherModel.fingerprint()),
        e.getMessage());
    assertEquals(1, EncodedDataset.open(spark(), path("enc")).partitions().size());

    // --overwrite replaces it as a whole, with the new model's codes.
    EncodeReport replaced = EncodeJob.run(spark(), daily(input, path("enc")).model(otherModel).overwrite(true)
        .build());
    assertEquals(200, replaced.rowsEncoded());
    EncodedDataset ds = EncodedDataset.open(spark(), path("enc"));
    ds.requireModel(otherModel);
    assertEquals(200, ds.rows().count());
  }

  @Test
  void stringIdsFromANamedIdColumnSurvive() throws IOException {
    List<float[]> vectors = EncodeFixtures.vectors(5, 0, 300);
    StructType schema = new StructType().add("key", DataTypes.StringType, false)
        .add("embedding", VectorSchema.VECTOR_TYPE, false).add("score", DataTypes.DoubleType, false);
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < vectors.size(); i++) {
      rows.add(RowFactory.create("img-" + i, vectors.get(i), i / 10.0));
    }
    spark().createDataFrame(rows, schema).repartition(2).write().parquet(path("keyed"));
    EncodeJob.run(spark(), EncodeJob.Params.builder().model(model).input(path("keyed")).output(path("enc"))
        .idCol("key").vectorCol("embedding").keepCols(List.of("score")).build());
    EncodedDataset ds = EncodedDataset.open(spark(), path("enc"));
    assertEquals(DataTypes.StringType, ds.idType());
    LopqEncoder reference = new LopqEncoder(model);
    List<Row> back = ds.rows().collectAsList();
    assertEquals(300, back.size());
    for (Row r : back) {
      int i = Integer.parseInt(r.getString(0).substring("img-".length()));
      assertEquals(i / 10.0, r.getDouble(4));
      assertArrayEquals(reference.encode(vectors.get(i)).fineBytes(), (byte[]) r.get(3));
    }
  }

  @Test
  void aDiskThatFillsUpMidWriteFailsTheJobClearlyAndLeavesNoOutput() throws IOException {
    EncodeFixtures.writeFvecs(new File(path("in/x.fvecs")), EncodeFixtures.vectors(5, 0, 400));
    Configuration hadoop = spark().sparkContext().hadoopConfiguration();
    // Every Parquet part file the tasks write fails after 2 KB: the disk is full.
    FailingLocalFileSystem.install(hadoop, "part-", 2048);
    try {
      String output = FailingLocalFileSystem.path(new File(temp, "enc").toPath()).toString();
      Exception full = assertThrows(Exception.class, () -> EncodeJob.run(spark(),
          EncodeJob.Params.builder().model(model).input(path("in")).output(output).build()));
      String message = Failures.userMessage(full);
      assertTrue(message.contains("no space left"), message);
    } finally {
      FailingLocalFileSystem.uninstall(hadoop);
    }
    assertFalse(new File(path("enc")).exists(), "no output after the failed encode");
    try (var left = Files.list(temp.toPath())) {
      assertEquals(List.of("in"), left.map(f -> f.getFileName().toString()).sorted().toList(),
          "nothing staged is left beside the output");
    }
    // The same encode with room on the disk succeeds into the same place.
    EncodeJob.run(spark(), EncodeJob.Params.builder().model(model).input(path("in")).output(path("enc")).build());
    assertEquals(400, EncodedDataset.open(spark(), path("enc")).rows().count());
  }

  @Test
  void badInputFailsClearlyAndLeavesNoOutput() throws IOException {
    // Wrong dimension.
    EncodeFixtures.writeFvecs(new File(path("narrow/x.fvecs")), List.of(new float[D - 2], new float[D - 2]));
    InvalidInputException narrow = assertThrows(InvalidInputException.class, () -> EncodeJob.run(spark(),
        EncodeJob.Params.builder().model(model).input(path("narrow")).output(path("out1")).build()));
    assertTrue(narrow.getMessage().contains("dimension " + (D - 2)) && narrow.getMessage().contains("D=" + D),
        narrow.getMessage());
    assertFalse(new File(path("out1")).exists());

    // A NaN row: fails without skip mode (no output), is skipped and counted with it.
    List<float[]> rows = EncodeFixtures.vectors(5, 0, 50);
    rows.get(17)[3] = Float.NaN;
    rows.get(30)[0] = Float.POSITIVE_INFINITY;
    EncodeFixtures.writeFvecs(new File(path("nan/x.fvecs")), rows);
    Exception failed = assertThrows(Exception.class, () -> EncodeJob.run(spark(),
        EncodeJob.Params.builder().model(model).input(path("nan")).output(path("out2")).build()));
    String message = Failures.userMessage(failed);
    assertTrue(message.contains("row 17") && message.contains("non-finite"), message);
    assertFalse(new File(path("out2")).exists());
    EncodeReport skipped = EncodeJob.run(spark(), EncodeJob.Params.builder().model(model).input(path("nan"))
        .output(path("out2")).skipInvalid(true).build());
    assertEquals(48, skipped.rowsEncoded());
    assertEquals(2, skipped.rowsSkipped());
    assertEquals(2, EncodedDataset.open(spark(), path("out2")).partitions().get(0).skippedRows());

    // A missing model, and an output that is something else.
    IOException missing = assertThrows(IOException.class, () -> EncodeJob.run(spark(),
        EncodeJob.Params.builder().modelPath(path("no-model")).input(path("nan")).output(path("out3")).build()));
    assertTrue(missing.getMessage().contains("no-model"), missing.getMessage());
    File foreign = new File(path("foreign"));
    foreign.mkdirs();
    Files.writeString(new File(foreign, "notes.txt").toPath(), "mine");
    InvalidInputException notOurs = assertThrows(InvalidInputException.class, () -> EncodeJob.run(spark(),
        EncodeJob.Params.builder().model(model).input(path("nan")).output(foreign.getPath()).build()));
    assertTrue(notOurs.getMessage().contains("not an encoded dataset"), notOurs.getMessage());
    assertNotNull(new File(foreign, "notes.txt"));
  }
}
