package io.lopq.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lopq.io.vectors.FvecsWriter;
import io.lopq.io.model.ModelStore;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.hdfs.MiniDFSCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Train, encode, search (with re-ranking) and eval with every path on a real HDFS (Hadoop's
 * in-JVM MiniDFSCluster): inputs, model, encoded data, results and report all live at
 * {@code hdfs://} URIs. The outputs must equal those of the same commands on the local file system,
 * and nothing may land on the local disk instead (a path handled as a java.io.File would).
 */
class HdfsPipelineIT {
  private static final int D = 16;
  private static final int FILES = 3;
  private static final int ROWS_PER_FILE = 1_500;
  private static final int QUERIES = 60;
  private static final String K = "5";

  private static MiniDFSCluster hdfs;
  private static String onHdfs;
  private static Path onDisk;

  @BeforeAll
  static void startHdfsAndRunBoth() throws IOException {
    Configuration conf = new Configuration();
    conf.set(MiniDFSCluster.HDFS_MINIDFS_BASEDIR, Project.cleanDir("minidfs").toString());
    hdfs = new MiniDFSCluster.Builder(conf).numDataNodes(1).build();
    hdfs.waitActive();
    onHdfs = hdfs.getURI() + "/lopq";
    onDisk = Project.cleanDir("hdfs-twin");

    Corpus corpus = new Corpus(D, 6, 5);
    Path localBase = corpus.writeFvecsFolder(onDisk.resolve("base.fvecs"), FILES, ROWS_PER_FILE);
    Path localQueries = corpus.writeFvecs(onDisk.resolve("queries.fvecs"), 1_000_000, QUERIES);
    copyToHdfs(corpus, FILES, ROWS_PER_FILE);

    runPipeline(onHdfs, onHdfs + "/base.fvecs", onHdfs + "/queries.fvecs", null);
    // The local twin, with file: URIs (a scheme-less path is resolved with the default file system
    // of whatever Configuration a job uses; with a MiniDFSCluster in this JVM that need not be the
    // local disk). It trains its own model (compared below) and, to compare encode, search and eval
    // on their own, runs them with the model trained on HDFS, copied to the local disk.
    String twin = onDisk.toUri().toString().replaceAll("/+$", "");
    Cli.run(train(localBase.toUri().toString(), twin + "/model")).assertOk();
    ModelStore.save(ModelStore.load(onHdfs + "/model"), twin + "/hdfs-model", false);
    runPipeline(twin, localBase.toUri().toString(), localQueries.toUri().toString(), twin + "/hdfs-model");
  }

  private static void copyToHdfs(Corpus corpus, int files, int rowsPerFile) {
    Configuration conf = hdfs.getConfiguration(0);
    float[] row = new float[D];
    for (int f = 0; f < files; f++) {
      try (FvecsWriter writer = FvecsWriter.fvecs(onHdfs + String.format("/base.fvecs/part-%05d.fvecs", f), conf)) {
        for (long i = (long) f * rowsPerFile; i < (long) (f + 1) * rowsPerFile; i++) {
          corpus.generator().row(i, row, 0);
          writer.write(row);
        }
      }
    }
    try (FvecsWriter writer = FvecsWriter.fvecs(onHdfs + "/queries.fvecs", conf)) {
      for (long i = 1_000_000; i < 1_000_000 + QUERIES; i++) {
        corpus.generator().row(i, row, 0);
        writer.write(row);
      }
    }
  }

  private static String[] train(String base, String model) {
    return new String[] {"train", "--input", base, "--output", model, "--coarse-clusters", "4", "--subquantizers", "4",
        "--subquantizer-clusters", "32", "--seed", "3"};
  }

  /** Train (unless {@code model} is given), encode, search with re-ranking, eval; outputs below {@code root}. */
  private static void runPipeline(String root, String base, String queries, String model) {
    if (model == null) {
      model = root + "/model";
      Cli.run(train(base, model)).assertOk();
    }
    Cli.run("encode", "--model", model, "--input", base, "--output", root + "/encoded").assertOk();
    Cli.run("search", "--model", model, "--index", root + "/encoded", "--queries", queries, "--k", K,
        "--candidates", "200", "--rerank", base, "--output", root + "/results").assertOk();
    Cli.run("eval", "--results", root + "/results", "--base", base, "--queries", queries, "--k", K,
        "--report", root + "/report").assertOk();
  }

  @AfterAll
  static void stopHdfs() throws IOException {
    if (hdfs != null) {
      // Keep what was written to HDFS for a look after the run (target/it/hdfs-copy).
      Path copy = Project.cleanDir("hdfs-copy");
      hdfs.getFileSystem().copyToLocalFile(new org.apache.hadoop.fs.Path(onHdfs),
          new org.apache.hadoop.fs.Path(copy.toUri()));
      hdfs.shutdown();
    }
  }

  /** The base as the readers give it to every job: the same rows in the same partitions on both file systems. */
  @Test
  void inputReadIdenticallyFromHdfsAndLocalDisk() {
    org.apache.spark.sql.SparkSession spark = io.lopq.spark.common.SharedSpark.session();
    org.apache.spark.sql.Dataset<org.apache.spark.sql.Row> fromHdfs = io.lopq.io.vectors.VectorInput.of(onHdfs + "/base.fvecs")
        .read(spark);
    org.apache.spark.sql.Dataset<org.apache.spark.sql.Row> fromDisk = io.lopq.io.vectors.VectorInput.of(
        onDisk.resolve("base.fvecs").toString()).read(spark);
    assertEquals(fromDisk.rdd().getNumPartitions(), fromHdfs.rdd().getNumPartitions(), "input partitions");
    assertEquals(partitionSizes(fromDisk), partitionSizes(fromHdfs), "rows per input partition");
    RowTexts.assertSameRows(RowTexts.of(fromDisk), RowTexts.of(fromHdfs), "input rows, HDFS vs local");
  }

  private static List<Integer> partitionSizes(org.apache.spark.sql.Dataset<org.apache.spark.sql.Row> rows) {
    return rows.javaRDD().mapPartitions(it -> {
      int n = 0;
      while (it.hasNext()) {
        it.next();
        n++;
      }
      return java.util.List.of(n).iterator();
    }).collect();
  }

  @Test
  void everyOutputIsOnHdfs() throws IOException {
    FileSystem fs = hdfs.getFileSystem();
    for (String output : List.of("model", "encoded", "results", "report")) {
      assertTrue(fs.exists(new org.apache.hadoop.fs.Path(onHdfs + "/" + output)), output + " on HDFS");
    }
    // A path mistaken for a local file name would show up as a folder named "hdfs:" somewhere here.
    for (Path dir : List.of(Project.root(), Project.root().resolve("target"), Path.of(new File("").getAbsolutePath()))) {
      assertFalse(Files.exists(dir.resolve("hdfs:")), "an hdfs:// path was written to the local disk under " + dir);
    }
  }

  /**
   * Training is deterministic for a given input partitioning, parameters and seed (the trainer's
   * contract), so reading the same partitions from HDFS must give the same model.
   */
  @Test
  void sameModelAsOnTheLocalFileSystem() {
    io.lopq.model.LopqModel local = Outputs.model(onDisk.resolve("model"));
    io.lopq.model.LopqModel onHdfsModel = Outputs.model(onHdfs + "/model");
    assertEquals(local.fingerprint(), onHdfsModel.fingerprint(), "model trained on HDFS vs on the local disk; "
        + ModelDiff.describe(local, onHdfsModel));
  }

  @Test
  void sameRecallAsOnTheLocalFileSystem() throws IOException {
    String local = Files.readString(onDisk.resolve("report").resolve("recall.json"));
    String remote;
    try (var in = hdfs.getFileSystem().open(new org.apache.hadoop.fs.Path(onHdfs + "/report/recall.json"))) {
      remote = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    }
    assertEquals(Outputs.measures(local), Outputs.measures(remote), "eval measures, HDFS vs local");
  }

  @Test
  void sameEncodedRowsAsOnTheLocalFileSystem() {
    List<String> rows = Outputs.encodedRows(onHdfs + "/encoded");
    assertEquals(FILES * ROWS_PER_FILE, rows.size());
    RowTexts.assertSameRows(Outputs.encodedRows(onDisk.resolve("encoded")), rows, "encoded rows, HDFS vs local");
  }

  @Test
  void sameResultsAsOnTheLocalFileSystem() {
    List<String> rows = Outputs.resultRows(onHdfs + "/results");
    assertEquals(QUERIES * Integer.parseInt(K), rows.size());
    RowTexts.assertSameRows(Outputs.resultRows(onDisk.resolve("results")), rows, "search results, HDFS vs local");
  }
}
