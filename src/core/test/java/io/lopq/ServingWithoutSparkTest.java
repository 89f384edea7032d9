package io.lopq;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lopq.encode.BatchEncoder;
import io.lopq.encode.EncodedBatch;
import io.lopq.format.encoded.PackedIndexFile;
import io.lopq.format.model.NativeModelFormat;
import io.lopq.format.vectors.MappedTexmexVectors;
import io.lopq.format.vectors.TexmexLayout;
import io.lopq.model.LopqModel;
import io.lopq.model.TestModels;
import io.lopq.search.CompactIndex;
import io.lopq.search.InMemorySearcher;
import io.lopq.search.SearchOptions;
import io.lopq.search.SearchResult;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * lopq-core serves without Spark: this module's tests run on its own class path (lopq-core's
 * dependencies only), so a model file can be read, vectors encoded and searched by a JVM that has
 * no Spark, Hadoop, Parquet or Scala; and an online index packed to a file is loaded and queried.
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

  @Test
  void aPackedIndexIsLoadedAndQueriedOnlineWithReRankingOnAMappedFvecsFile() throws IOException {
    LopqModel model = TestModels.random(12);
    int n = 300;
    int d = model.dimension();
    Random random = new Random(6);
    float[] vectors = new float[n * d];
    ByteBuffer fvecs = ByteBuffer.allocate(n * (4 + 4 * d)).order(ByteOrder.LITTLE_ENDIAN);
    for (int i = 0; i < n; i++) {
      fvecs.putInt(d);
      for (int j = 0; j < d; j++) {
        vectors[i * d + j] = (float) random.nextGaussian();
        fvecs.putFloat(vectors[i * d + j]);
      }
    }
    Path raw = tmp.resolve("base.fvecs");
    Files.write(raw, fvecs.array());
    EncodedBatch codes = new BatchEncoder(model).encode(vectors, n);
    CompactIndex.Builder builder = CompactIndex.builder(model);
    for (int i = 0; i < n; i++) {
      builder.add(i, codes.coarse(0, i), codes.coarse(1, i), codes.fineArray(), codes.fineOffset(i));
    }
    Path packed = tmp.resolve("index" + PackedIndexFile.EXTENSION);
    PackedIndexFile.write(builder.build(), packed);

    CompactIndex served = PackedIndexFile.read(packed, model);
    CompactIndex.Searcher searcher = served.searcher(
        SearchOptions.of(3, n).withRerank(n),
        MappedTexmexVectors.open(raw, TexmexLayout.FVECS));
    float[] query = Arrays.copyOfRange(vectors, 42 * d, 43 * d);
    SearchResult result = searcher.search(query);
    assertEquals(42, result.id(0), "full re-ranking finds the query's own row first");
    assertEquals(0.0, result.distance(0));
  }
}
