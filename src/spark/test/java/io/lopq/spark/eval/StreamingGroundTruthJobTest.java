package io.lopq.spark.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lopq.io.vectors.IvecsReader;
import io.lopq.io.vectors.VectorInput;
import io.lopq.search.ExactSearcher;
import io.lopq.search.SearchResult;
import io.lopq.spark.common.SharedSpark;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StreamingGroundTruthJobTest {
  private static final int D = 12;
  private static final int BASE_ROWS = 900;
  private static final int QUERY_ROWS = 37;
  private static final int K = 25;
  private static final double RELATIVE_TOLERANCE = 1e-4;

  @TempDir Path dir;

  @Test
  void equalsBruteForceWhateverThePartitionsAndBlocks() {
    SparkSession spark = SharedSpark.session();
    float[] base = EvalTesting.corpus(D, 21, 0, BASE_ROWS);
    // Exact duplicates in the base: ties must go to the smaller id, as in the single-machine search.
    System.arraycopy(base, 3 * D, base, 700 * D, D);
    System.arraycopy(base, 3 * D, base, 450 * D, D);
    float[] queries = EvalTesting.corpus(D, 21, BASE_ROWS, QUERY_ROWS);
    System.arraycopy(base, 3 * D, queries, 5 * D, D);
    String baseFile = EvalTesting.writeFvecs(dir.resolve("base.fvecs"), base, D);
    VectorInput queryInput = VectorInput.of(EvalTesting.writeFvecs(dir.resolve("queries.fvecs"), queries, D));
    SearchResult[] expected = new ExactSearcher(base, BASE_ROWS, D).search(queries, QUERY_ROWS, K);
    for (int partitions : new int[] {1, 24}) { // 24 splits are coalesced to 4 per core
      for (int blockRows : new int[] {7, 8192}) {
        GroundTruth truth = StreamingGroundTruthJob.run(spark, VectorInput.of(baseFile).withMinPartitions(partitions),
            queryInput, K, 0, blockRows);
        try {
          assertEquals(QUERY_ROWS, truth.queries());
          assertEquals(BASE_ROWS, truth.baseRows());
          Map<Long, NeighborList> found = truth.collect();
          for (int q = 0; q < QUERY_ROWS; q++) {
            NeighborList got = found.get((long) q);
            String where = partitions + " partitions, blocks of " + blockRows + ", query " + q;
            assertArrayEquals(expected[q].ids(), got.ids(), where);
            for (int i = 0; i < K; i++) {
              double want = expected[q].distance(i);
              assertEquals(want, got.distances()[i], RELATIVE_TOLERANCE * Math.max(want, 1e-9), where);
            }
          }
          assertArrayEquals(new long[] {3, 450, 700}, java.util.Arrays.copyOf(found.get(5L).ids(), 3));
        } finally {
          truth.release();
        }
      }
    }
  }

  @Test
  void takesTheFirstQueriesAndWritesIvecs() throws Exception {
    SparkSession spark = SharedSpark.session();
    float[] base = EvalTesting.corpus(D, 5, 0, 300);
    float[] queries = EvalTesting.corpus(D, 5, 300, 40);
    VectorInput baseInput = VectorInput.of(EvalTesting.writeFvecs(dir.resolve("b.fvecs"), base, D))
        .withMinPartitions(3);
    VectorInput queryInput = VectorInput.of(EvalTesting.writeFvecs(dir.resolve("q.fvecs"), queries, D))
        .withMinPartitions(3);
    GroundTruth truth = StreamingGroundTruthJob.run(spark, baseInput, queryInput, 10, 12, 64);
    try {
      assertEquals(12, truth.queries());
      String ivecs = dir.resolve("gt.ivecs").toUri().toString();
      truth.saveIvecs(ivecs, false, new Configuration());
      List<int[]> rows = IvecsReader.readAll(ivecs, new Configuration());
      assertEquals(12, rows.size());
      SearchResult[] expected = new ExactSearcher(base, 300, D).search(queries, 12, 10);
      for (int q = 0; q < 12; q++) {
        for (int i = 0; i < 10; i++) {
          assertEquals(expected[q].id(i), rows.get(q)[i], "query " + q);
        }
      }
    } finally {
      truth.release();
    }
  }

  @Test
  void refusesAKLargerThanTheBaseAndOtherDimensions() {
    SparkSession spark = SharedSpark.session();
    VectorInput small = VectorInput.of(EvalTesting.writeFvecs(dir.resolve("s.fvecs"), EvalTesting.corpus(D, 3, 0, 5), D))
        .withMinPartitions(2);
    VectorInput queries = VectorInput.of(EvalTesting.writeFvecs(dir.resolve("q.fvecs"),
        EvalTesting.corpus(D, 3, 5, 3), D));
    IllegalArgumentException deep = assertThrows(IllegalArgumentException.class,
        () -> StreamingGroundTruthJob.run(spark, small, queries, 6, 0, 64));
    assertTrue(deep.getMessage().contains("k = 6 exceeds the 5 rows of the base"), deep.getMessage());
    VectorInput four = VectorInput.of(EvalTesting.writeFvecs(dir.resolve("q4.fvecs"), EvalTesting.corpus(4, 3, 0, 3), 4));
    IllegalArgumentException dimension = assertThrows(IllegalArgumentException.class,
        () -> StreamingGroundTruthJob.run(spark, small, four, 2, 0, 64));
    assertTrue(dimension.getMessage().contains("have dimension 4, but the base"), dimension.getMessage());
  }
}
