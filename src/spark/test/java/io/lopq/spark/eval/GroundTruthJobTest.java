package io.lopq.spark.eval;

import io.lopq.spark.common.SharedSpark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lopq.io.vectors.IvecsReader;
import io.lopq.io.vectors.VectorInput;
import io.lopq.search.ExactSearcher;
import io.lopq.search.SearchResult;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileAlreadyExistsException;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GroundTruthJobTest {
  private static final int D = 12;
  private static final int BASE_ROWS = 700;
  private static final int QUERY_ROWS = 45;
  private static final int K = 20;
  private static final double RELATIVE_TOLERANCE = 1e-4;

  @TempDir Path dir;

  @Test
  void equalsTheSingleMachineExactSearchAcrossPartitionsAndBlocks() throws Exception {
    SparkSession spark = SharedSpark.session();
    float[] base = EvalTesting.corpus(D, 11, 0, BASE_ROWS);
    float[] queries = EvalTesting.corpus(D, 11, BASE_ROWS, QUERY_ROWS);
    VectorInput baseInput = VectorInput.of(EvalTesting.writeFvecs(dir.resolve("base.fvecs"), base, D))
        .withMinPartitions(3);
    VectorInput queryInput = VectorInput.of(EvalTesting.writeFvecs(dir.resolve("queries.fvecs"), queries, D))
        .withMinPartitions(2);
    // Small blocks: several query blocks per partition, several base blocks per partition.
    GroundTruth truth = GroundTruthJob.run(spark,
        GroundTruthJob.Params.builder(baseInput, queryInput).k(K).blockRows(8, 64).build());
    try {
      assertEquals(QUERY_ROWS, truth.queries());
      assertEquals(BASE_ROWS, truth.baseRows());
      SearchResult[] expected = new ExactSearcher(base, BASE_ROWS, D).search(queries, QUERY_ROWS, K);
      Map<Long, NeighborList> found = truth.collect();
      assertEquals(QUERY_ROWS, found.size());
      for (int q = 0; q < QUERY_ROWS; q++) {
        NeighborList got = found.get((long) q);
        assertArrayEquals(expected[q].ids(), got.ids(), "query " + q);
        for (int i = 0; i < K; i++) {
          double want = expected[q].distance(i);
          assertEquals(want, got.distances()[i], RELATIVE_TOLERANCE * Math.max(want, 1e-12), "query " + q);
        }
      }

      String ivecs = dir.resolve("truth.ivecs").toUri().toString();
      truth.saveIvecs(ivecs, false, new Configuration());
      List<int[]> rows = IvecsReader.readAll(ivecs, new Configuration());
      assertEquals(QUERY_ROWS, rows.size());
      for (int q = 0; q < QUERY_ROWS; q++) {
        long[] ids = expected[q].ids();
        for (int i = 0; i < K; i++) {
          assertEquals(ids[i], rows.get(q)[i], "row " + q);
        }
      }
      assertThrows(FileAlreadyExistsException.class, () -> truth.saveIvecs(ivecs, false, new Configuration()));
    } finally {
      truth.release();
    }
  }

  @Test
  void refusesAKLargerThanTheBaseAndDifferentDimensions() {
    SparkSession spark = SharedSpark.session();
    VectorInput small = VectorInput.of(EvalTesting.writeFvecs(dir.resolve("small.fvecs"),
        EvalTesting.corpus(D, 3, 0, 5), D));
    VectorInput queries = VectorInput.of(EvalTesting.writeFvecs(dir.resolve("q.fvecs"),
        EvalTesting.corpus(D, 3, 5, 3), D));
    IllegalArgumentException tooDeep = assertThrows(IllegalArgumentException.class,
        () -> GroundTruthJob.run(spark, GroundTruthJob.Params.builder(small, queries).k(6).build()));
    assertTrue(tooDeep.getMessage().contains("k = 6 exceeds the 5 rows of the base"), tooDeep.getMessage());

    VectorInput otherDimension = VectorInput.of(EvalTesting.writeFvecs(dir.resolve("q4.fvecs"),
        EvalTesting.corpus(4, 3, 0, 3), 4));
    IllegalArgumentException dimension = assertThrows(IllegalArgumentException.class,
        () -> GroundTruthJob.run(spark, GroundTruthJob.Params.builder(small, otherDimension).k(2).build()));
    assertTrue(dimension.getMessage().contains("have dimension 4, but the base"), dimension.getMessage());
  }
}
