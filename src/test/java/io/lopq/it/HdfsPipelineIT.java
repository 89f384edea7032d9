package io.lopq.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lopq.io.FvecsWriter;
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

    runPipeline(onHdfs, onHdfs + "/base.fvecs", onHdfs + "/queries.fvecs");
    runPipeline(onDisk.toString(), localBase.toString(), localQueries.toString());
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

  private static void runPipeline(String root, String base, String queries) {
    Cli.run("train", "--input", base, "--output", root + "/model", "--coarse-clusters", "4", "--subquantizers", "4",
        "--subquantizer-clusters", "32", "--seed", "3").assertOk();
    Cli.run("encode", "--model", root + "/model", "--input", base, "--output", root + "/encoded").assertOk();
    Cli.run("search", "--model", root + "/model", "--index", root + "/encoded", "--queries", queries, "--k", K,
        "--candidates", "200", "--rerank", base, "--output", root + "/results").assertOk();
    Cli.run("eval", "--results", root + "/results", "--base", base, "--queries", queries, "--k", K,
        "--report", root + "/report").assertOk();
  }

  @AfterAll
  static void stopHdfs() {
    if (hdfs != null) {
      hdfs.shutdown();
    }
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

  @Test
  void sameModelAsOnTheLocalFileSystem() {
    assertEquals(Outputs.model(onDisk.resolve("model")).fingerprint(), Outputs.model(onHdfs + "/model").fingerprint());
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
