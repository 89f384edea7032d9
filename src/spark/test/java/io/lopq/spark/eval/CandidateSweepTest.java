package io.lopq.spark.eval;

import io.lopq.spark.common.SharedSpark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lopq.eval.EvalReport;
import io.lopq.eval.SweepPoint;
import io.lopq.eval.SweepTable;
import io.lopq.io.vectors.VectorDataset;
import io.lopq.io.vectors.VectorInput;
import io.lopq.search.InMemorySearcher;
import io.lopq.search.SearchOptions;
import io.lopq.spark.search.SearchFixtures;
import io.lopq.search.ExactSearcher;
import io.lopq.search.SearchResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import scala.Tuple2;

class CandidateSweepTest {
  private static final int D = 8;
  private static final int N = 300;
  private static final int QUERIES = 25;
  private static final int SEARCH_K = 100;
  private static final int[] CANDIDATES = {40, 150, N};
  private static final byte[] PNG_MAGIC = {(byte) 0x89, 'P', 'N', 'G'};

  @TempDir Path dir;

  /**
   * A searcher that looks only at the first c base rows (ids 0..c-1). Its recall is known by hand:
   * the true nearest neighbour is found (at rank 1) iff its id is below c, so Recall@R = share of
   * queries whose nearest id is below c for every R; and a true top-10 member is in the returned
   * top 10 iff its id is below c, so 10-recall@10 = mean over queries of |true top 10 below c| / 10.
   */
  private static CandidateSweep.Search prefixSearch(SparkSession spark, float[] base, float[] queries) {
    return c -> {
      int rows = Math.min(c, N);
      SearchResult[] found = new ExactSearcher(Arrays.copyOf(base, rows * D), rows, D)
          .search(queries, QUERIES, Math.min(SEARCH_K, rows));
      List<Row> out = new ArrayList<>();
      for (int q = 0; q < QUERIES; q++) {
        for (int r = 0; r < found[q].size(); r++) {
          out.add(RowFactory.create((long) q, r + 1, found[q].id(r), found[q].distance(r)));
        }
      }
      Dataset<Row> results = spark.createDataFrame(out, SearchResultsInput.SCHEMA).cache();
      return new CandidateSweep.Run(results, QUERIES, 1000.0 / c, rows, results::unpersist);
    };
  }

  @Test
  void eachPointEqualsAHandComputationAndTheReportHoldsTablesAndCharts() throws Exception {
    SparkSession spark = SharedSpark.session();
    float[] base = EvalTesting.corpus(D, 31, 0, N);
    float[] queries = EvalTesting.corpus(D, 31, N, QUERIES);
    VectorInput baseInput = VectorInput.of(EvalTesting.writeFvecs(dir.resolve("b.fvecs"), base, D));
    VectorInput queryInput = VectorInput.of(EvalTesting.writeFvecs(dir.resolve("q.fvecs"), queries, D));
    Path report = dir.resolve("sweep-report");

    EvalReport evaluated = EvalJob.run(spark, EvalJob.Params.builder().computeGroundTruth(baseInput, queryInput)
        .sweep(prefixSearch(spark, base, queries), CANDIDATES).reportDir(report.toString()).build());

    assertFalse(evaluated.hasResults());
    List<SweepPoint> points = evaluated.sweep();
    assertEquals(CANDIDATES.length, points.size());
    SearchResult[] truth = new ExactSearcher(base, N, D).search(queries, QUERIES, EvalJob.Params.K.defaultValue());
    for (int i = 0; i < CANDIDATES.length; i++) {
      int c = CANDIDATES[i];
      double nearestBelow = 0;
      double topTenBelow = 0;
      for (int q = 0; q < QUERIES; q++) {
        nearestBelow += truth[q].id(0) < c ? 1 : 0;
        for (int j = 0; j < EvalJob.Params.K.defaultValue(); j++) {
          topTenBelow += truth[q].id(j) < c ? 1 : 0;
        }
      }
      SweepPoint p = points.get(i);
      assertEquals(c, p.candidates());
      assertEquals(Math.min(c, N), p.meanCandidatesRanked(), 1e-12);
      assertEquals(1000.0 / c, p.queriesPerSecond(), 1e-12);
      assertEquals(nearestBelow / QUERIES, p.recallAt1(), 1e-12, "R@1 at " + c);
      assertEquals(nearestBelow / QUERIES, p.recallAt10(), 1e-12, "R@10 at " + c);
      assertEquals(nearestBelow / QUERIES, p.recallAt100(), 1e-12, "R@100 at " + c);
      assertEquals(topTenBelow / (QUERIES * EvalJob.Params.K.defaultValue()), p.kRecallAtK(), 1e-12, "10-recall@10 at " + c);
    }
    assertEquals(1.0, points.get(CANDIDATES.length - 1).recallAt1(), 1e-12);
    assertTrue(points.get(0).recallAt1() < 1.0, "the smallest sweep point should miss some neighbours");

    JsonNode json = new ObjectMapper().readTree(Files.readString(report.resolve(EvalReport.FILE_NAME)));
    assertEquals(CANDIDATES.length, json.get("sweep").size());
    assertEquals(points.get(0).recallAt10(), json.get("sweep").get(0).get("R@10").asDouble(), 1e-12);
    List<String> csv = Files.readAllLines(report.resolve(SweepTable.CSV_FILE));
    assertEquals(CANDIDATES.length + 1, csv.size());
    assertTrue(csv.get(1).startsWith(CANDIDATES[0] + ","), csv.get(1));
    assertTrue(Files.readString(report.resolve(SweepTable.MARKDOWN_FILE)).contains("| " + N + " |"));
    for (String chart : List.of(SweepTable.CANDIDATES_CHART, SweepTable.THROUGHPUT_CHART)) {
      byte[] png = Files.readAllBytes(report.resolve(chart));
      assertArrayEquals(PNG_MAGIC, Arrays.copyOf(png, PNG_MAGIC.length), chart);
    }
  }

  /**
   * The "NN among candidates" column of a sweep through the real search job against a brute-force
   * count: the in-memory searcher asked for every candidate it ranks (k = N) at each budget, and
   * whether the true nearest neighbour is among them.
   */
  @Test
  void nearestAmongCandidatesEqualsABruteForceCountOverTheRankedCandidates() throws Exception {
    SparkSession spark = SharedSpark.session();
    SearchFixtures f = new SearchFixtures(17, 400, 40, false);
    int k = EvalJob.Params.K.defaultValue();
    SearchResult[] exact = new ExactSearcher(f.vectors, f.n, SearchFixtures.D, f.ids).search(f.queries, f.queryCount, k);
    long[] queryIds = new long[f.queryCount];
    List<Tuple2<Long, long[]>> truthRows = new ArrayList<>();
    for (int q = 0; q < f.queryCount; q++) {
      queryIds[q] = 1_000L + q;
      truthRows.add(new Tuple2<>(queryIds[q], exact[q].ids()));
    }
    JavaPairRDD<Long, long[]> truth = JavaSparkContext.fromSparkContext(spark.sparkContext()).parallelizePairs(
        truthRows, 3);
    VectorDataset queries = SearchFixtures.vectors(spark, f.queries, queryIds, f.queryCount, SearchFixtures.D);
    int[] budgets = {1, 5, 20, 60, 150, f.n};

    List<SweepPoint> points = CandidateSweep.run(new SearchJobSweep(spark, f.model, f.index(spark), queries, null, k,
        0), budgets, truth, f.queryCount, k);

    InMemorySearcher searcher = new InMemorySearcher(f.model, f.ids, f.codes);
    for (int i = 0; i < budgets.length; i++) {
      int among = 0;
      for (int q = 0; q < f.queryCount; q++) {
        long nearest = exact[q].id(0);
        SearchResult ranked = searcher.search(f.query(q), SearchOptions.of(f.n, budgets[i]));
        among += Arrays.stream(ranked.ids()).anyMatch(id -> id == nearest) ? 1 : 0;
      }
      SweepPoint p = points.get(i);
      assertEquals((double) among / f.queryCount, p.nearestAmongCandidates(), 1e-12, "NN among " + budgets[i]);
      assertTrue(p.recallAt10() <= p.nearestAmongCandidates(), "R@10 above NN among candidates at " + budgets[i]);
    }
    String column = points.stream().map(p -> String.valueOf(p.nearestAmongCandidates())).toList().toString();
    assertTrue(points.get(0).nearestAmongCandidates() < 1.0, "one cell should miss some neighbours: " + column);
    for (int i = 1; i < budgets.length; i++) {
      assertTrue(points.get(i).nearestAmongCandidates() >= points.get(i - 1).nearestAmongCandidates(), column);
    }
    assertEquals(1.0, points.get(budgets.length - 1).nearestAmongCandidates(), 1e-12);
    assertTrue(points.get(0).meanCandidatesRanked() >= 1, "a budget below k still searches");
  }

  @Test
  void badSweepsAreRejectedBeforeAnySearch() {
    CandidateSweep.Search never = c -> {
      throw new AssertionError("searched although the sweep was invalid");
    };
    EvalJob.Params params = EvalJob.Params.builder().groundTruthFile("gt.ivecs").build();
    IllegalArgumentException zero = assertThrows(IllegalArgumentException.class,
        () -> params.toBuilder().sweep(never, 100, 0).build());
    assertTrue(zero.getMessage().contains("sweep candidates must be >= 1, got 0"), zero.getMessage());
    assertThrows(IllegalArgumentException.class, () -> params.toBuilder().sweep(never).build());
    IllegalArgumentException nothing = assertThrows(IllegalArgumentException.class,
        () -> EvalJob.run(SharedSpark.session(), params));
    assertTrue(nothing.getMessage().contains("nothing to do"), nothing.getMessage());
  }
}
