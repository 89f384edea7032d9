package io.lopq.io.vectors;

import static io.lopq.io.vectors.InputTesting.byLongId;
import static io.lopq.io.vectors.InputTesting.invalidInputMessage;
import static io.lopq.io.vectors.InputTesting.randomVectors;
import static io.lopq.io.vectors.InputTesting.spark;
import static io.lopq.io.vectors.InputTesting.vector;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.hdfs.MiniDFSCluster;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The readers on a real (in-JVM) HDFS: every path goes through Hadoop's FileSystem. */
class VectorInputHdfsIT {
  private static final int D = 8;
  private static MiniDFSCluster cluster;
  private static String root;

  @BeforeAll
  static void startHdfs() throws IOException {
    Configuration conf = new Configuration();
    conf.set(MiniDFSCluster.HDFS_MINIDFS_BASEDIR, new File(System.getProperty("java.io.tmpdir"), "minidfs").getAbsolutePath());
    cluster = new MiniDFSCluster.Builder(conf).numDataNodes(1).build();
    cluster.waitActive();
    root = cluster.getURI().toString() + "/vectors";
  }

  @AfterAll
  static void stopHdfs() {
    if (cluster != null) {
      cluster.shutdown();
    }
  }

  private static Configuration conf() {
    return cluster.getConfiguration(0);
  }

  @Test
  void fvecsCsvAndParquetOnHdfs() throws IOException {
    List<float[]> vectors = randomVectors(31, 200, D);
    String fvecs = root + "/x.fvecs";
    FvecsWriter.writeFvecs(fvecs, conf(), vectors);
    Map<Long, Row> byId = byLongId(VectorInput.of(fvecs).withMinPartitions(3).read(spark()));
    for (int i = 0; i < vectors.size(); i++) {
      assertArrayEquals(vectors.get(i), vector(byId.get((long) i)), "fvecs row " + i);
    }

    String csv = root + "/x.csv";
    FileSystem fs = new Path(csv).getFileSystem(conf());
    try (OutputStream out = fs.create(new Path(csv))) {
      for (float[] v : vectors) {
        StringBuilder line = new StringBuilder();
        for (int j = 0; j < D; j++) {
          line.append(j == 0 ? "" : ",").append(v[j]);
        }
        out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
      }
    }
    byId = byLongId(VectorInput.of(csv).withMinPartitions(3).read(spark()));
    assertEquals(vectors.size(), byId.size());
    for (int i = 0; i < vectors.size(); i++) {
      assertArrayEquals(vectors.get(i), vector(byId.get((long) i)), "csv row " + i);
    }

    String parquet = root + "/p";
    VectorInput.of(fvecs).read(spark()).write().parquet(parquet);
    byId = byLongId(VectorInput.of(parquet).read(spark()));
    for (int i = 0; i < vectors.size(); i++) {
      assertArrayEquals(vectors.get(i), vector(byId.get((long) i)), "parquet row " + i);
    }

    String missing = root + "/missing.fvecs";
    String message = invalidInputMessage(() -> VectorInput.of(missing).load(spark()));
    assertEquals("input path " + missing + " does not exist", message);
    assertTrue(missing.startsWith("hdfs://"), missing);
  }
}
