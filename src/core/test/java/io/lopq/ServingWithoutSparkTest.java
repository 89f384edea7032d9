package io.lopq;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lopq.encode.BatchEncoder;
import io.lopq.encode.EncodedBatch;
import io.lopq.format.model.NativeModelFormat;
import io.lopq.model.LopqModel;
import io.lopq.model.TestModels;
import io.lopq.search.InMemorySearcher;
import io.lopq.search.SearchResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * lopq-core serves without Spark: this module's tests run on its own class path (lopq-core's
 * dependencies only), so a model file can be read, vectors encoded and searched by a JVM that has
 * no Spark, Hadoop, Parquet or Scala.
 */
class ServingWithoutSparkTest {
  @TempDir
  Path tmp;

  @ParameterizedTest
  @ValueSource(strings = {
      "org.apache.spark.SparkContext", "org.apache.hadoop.fs.FileSystem", "org.apache.parquet.schema.MessageType",
      "org.apache.avro.Schema", "scala.collection.immutable.Seq"})
  void engineClassesAreNotOnTheClassPath(String name) {
    assertThrows(ClassNotFoundException.class, () -> Class.forName(name));
  }

  @Test
  void aModelFileIsReadEncodedAndSearched() throws IOException {
    LopqModel model = TestModels.random(11);
    Path dir = Files.createDirectory(tmp.resolve("model"));
    NativeModelFormat.prepare(model).writeTo(name -> Files.newOutputStream(dir.resolve(name)));
    LopqModel served = NativeModelFormat.read(dir);

    int n = 200;
    int d = served.dimension();
    float[] vectors = new float[n * d];
    Random random = new Random(5);
    for (int i = 0; i < vectors.length; i++) {
      vectors[i] = (float) random.nextGaussian();
    }
    long[] ids = new long[n];
    for (int i = 0; i < n; i++) {
      ids[i] = 1000 + i;
    }
    EncodedBatch codes = new BatchEncoder(served).encode(vectors, n);
    InMemorySearcher searcher = new InMemorySearcher(served, ids, codes, vectors);
    float[] query = new float[d];
    System.arraycopy(vectors, 17 * d, query, 0, d);
    SearchResult result = searcher.search(query, 5, n);
    assertEquals(5, result.size());
    for (int i = 1; i < result.size(); i++) {
      assertTrue(result.distance(i - 1) <= result.distance(i), "results sorted by distance");
    }
    assertTrue(java.util.Arrays.stream(result.ids()).anyMatch(id -> id == 1017),
        "the query's own row is among its 5 nearest when every cell is visited");
  }
}
