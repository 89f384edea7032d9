package io.lopq.spark.eval;

import io.lopq.spark.common.SharedSpark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lopq.eval.EvalReport;
import io.lopq.io.vectors.IvecsReader;
import io.lopq.io.vectors.VectorInput;
import io.lopq.search.ExactSearcher;
import io.lopq.search.SearchResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EvalJobTest {
  private static final double EPS = 1e-12;

  @TempDir Path dir;

  /**
   * Truth (nearest first) and results by hand, cutoffs 1, 2, 3 and k = 2:
   * <pre>
   *   q0 truth 5 6 7   results 5 6 7   hit@1,2,3   overlap@2 = 2/2
   *   q1 truth 1 2 3   results 2 1 9   hit@2,3     overlap@2 = 2/2
   *   q2 truth 4 8 9   results 9 8 4   hit@3       overlap@2 = 1/2
   *   q3 truth 0 1 2   (no results: not evaluated)
   * </pre>
   * Recall@1 = 1/3, Recall@2 = 2/3, Recall@3 = 3/3, 2-recall@2 = 2.5/3.
   */
  @Test
  void recallEqualsAHandComputationFromCsvAndParquet() throws Exception {
    SparkSession spark = SharedSpark.session();
    String truth = EvalTesting.writeIvecs(dir.resolve("gt.ivecs"),
        new int[][] {{5, 6, 7}, {1, 2, 3}, {4, 8, 9}, {0, 1, 2}});
    long[] queries = {2, 0, 1};
    long[][] returned = {{9, 8, 4}, {5, 6, 7}, {2, 1, 9}};
    String csv = EvalTesting.writeResultsCsv(dir.resolve("results.csv"), queries, returned);

    EvalReport fromCsv = EvalJob.run(spark, EvalJob.Params.builder().results(csv).groundTruthFile(truth)
        .cutoffs(1, 2, 3).k(2).build());
    assertHandComputed(fromCsv);
    assertEquals(4, fromCsv.groundTruthQueries());

    // The same results as Parquet with int columns and a float distance (normalized on read).
    StructType schema = DataTypes.createStructType(List.of(
        DataTypes.createStructField("query_id", DataTypes.IntegerType, false),
        DataTypes.createStructField("rank", DataTypes.IntegerType, false),
        DataTypes.createStructField("neighbor_id", DataTypes.IntegerType, false),
        DataTypes.createStructField("distance", DataTypes.FloatType, false)));
    List<Row> rows = new ArrayList<>();
    for (int q = 0; q < queries.length; q++) {
      for (int r = 0; r < returned[q].length; r++) {
        rows.add(RowFactory.create((int) queries[q], r + 1, (int) returned[q][r], (float) r));
      }
    }
    String parquet = dir.resolve("results").toUri().toString();
    spark.createDataFrame(rows, schema).repartition(2).write().parquet(parquet);
    EvalReport fromParquet = EvalJob.run(spark, EvalJob.Params.builder().results(parquet).groundTruthFile(truth)
        .cutoffs(1, 2, 3).k(2).build());
    assertHandComputed(fromParquet);
  }

  private static void assertHandComputed(EvalReport report) {
    assertEquals(3, report.queries());
    assertEquals(1.0 / 3, report.recallAt(1), EPS);
    assertEquals(2.0 / 3, report.recallAt(2), EPS);
    assertEquals(1.0, report.recallAt(3), EPS);
    assertEquals(2.5 / 3, report.kRecall(), EPS);
  }

  @Test
  void exactResultsScorePerfectlyAndTheReportAndSavedTruthAreWritten() throws Exception {
    SparkSession spark = SharedSpark.session();
    int d = 8;
    int n = 400;
    int nq = 30;
    int depth = 100;
    float[] base = EvalTesting.corpus(d, 21, 0, n);
    float[] queries = EvalTesting.corpus(d, 21, n, nq);
    VectorInput baseInput = VectorInput.of(EvalTesting.writeFvecs(dir.resolve("b.fvecs"), base, d))
        .withMinPartitions(2);
    VectorInput queryInput = VectorInput.of(EvalTesting.writeFvecs(dir.resolve("q.fvecs"), queries, d));
    SearchResult[] exact = new ExactSearcher(base, n, d).search(queries, nq, depth);
    long[] queryIds = new long[nq];
    long[][] neighbors = new long[nq][];
    for (int q = 0; q < nq; q++) {
      queryIds[q] = q;
      neighbors[q] = exact[q].ids();
    }
    String results = EvalTesting.writeResultsCsv(dir.resolve("exact.csv"), queryIds, neighbors);
    String report = dir.resolve("report").toUri().toString();
    String saved = dir.resolve("saved.ivecs").toUri().toString();

    EvalReport evaluated = EvalJob.run(spark, EvalJob.Params.builder().results(results)
        .computeGroundTruth(baseInput, queryInput).reportDir(report).saveGroundTruth(saved).build());

    assertEquals(nq, evaluated.queries());
    for (int r : EvalJob.defaultCutoffs()) {
      assertEquals(1.0, evaluated.recallAt(r), EPS, "Recall@" + r);
    }
    assertEquals(1.0, evaluated.kRecall(), EPS);
    assertTrue(evaluated.groundTruthComputed());
    assertEquals(depth, evaluated.groundTruthDepth());

    JsonNode json = new ObjectMapper().readTree(Files.readString(dir.resolve("report").resolve(EvalReport.FILE_NAME)));
    assertEquals(1.0, json.get("recall").get("R@100").asDouble(), EPS);
    assertEquals(EvalJob.Params.K.defaultValue(), json.get("k").asInt());
    assertEquals(nq, json.get("queries").asLong());

    List<int[]> rows = IvecsReader.readAll(saved, new Configuration());
    assertEquals(nq, rows.size());
    for (int q = 0; q < nq; q++) {
      assertEquals(depth, rows.get(q).length);
      assertEquals(exact[q].id(0), rows.get(q)[0]);
      assertEquals(exact[q].id(depth - 1), rows.get(q)[depth - 1]);
    }
  }
}
