package io.lopq.spark.eval;

import io.lopq.eval.CandidateCoverage;
import io.lopq.eval.RecallTotals;
import io.lopq.eval.SweepPoint;
import io.lopq.eval.SweepTable;
import io.lopq.eval.TradeoffChart;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Runs a search at several {@code --candidates} values and scores each run against one ground
 * truth, giving the recall-vs-candidates and recall-vs-throughput trade-off:
 *
 * <pre>
 *   for c in candidates:   run = search(c)                   (results, queries/s, candidates ranked)
 *                          totals = EvalJob.evaluate(run.results, truth)   per query, in Spark
 *                          point(c) = (ranked, queries/s, R@1, R@10, R@100, k-recall@k, among(c))
 *   among(c) = share of queries whose true nearest neighbour is among the candidates at c
 *              (CandidateCoverage, measured once for all c when the search can tell)
 * </pre>
 *
 * The search is anything implementing {@link Search} (the Spark search job in the command line,
 * a simple searcher in tests), so the sweep does not depend on how the search is run.
 */
public final class CandidateSweep {
  private CandidateSweep() {}

  /** A search that can be run at a given number of candidates per query. */
  @FunctionalInterface
  public interface Search {
    /** Searches every query ranking at least {@code candidates} candidates per query. */
    Run search(int candidates) throws IOException;

    /**
     * Where each query's true nearest neighbour falls in the search's candidate order, for every
     * budget at once; null (the default) if this search cannot tell.
     *
     * @param nearest query id to the base id of its true nearest neighbour
     */
    default CandidateCoverage coverage(JavaPairRDD<Long, Long> nearest) throws IOException {
      return null;
    }
  }

  /**
   * One search run: its results and what it measured.
   *
   * @param results rows of the normalized results schema of {@link SearchResultsInput}
   *     ({@code query_id, rank, neighbor_id, distance}), ideally cached
   * @param queries queries searched (those without any result count as misses)
   * @param queriesPerSecond throughput measured by the search
   * @param meanCandidatesRanked candidates actually ranked per query, on average
   * @param release frees what the run cached, called once its results are scored
   */
  public record Run(Dataset<Row> results, long queries, double queriesPerSecond, double meanCandidatesRanked,
      Runnable release) {}

  /**
   * Runs and scores the search at each candidates value, in the order given.
   *
   * @param truth query id to true neighbour ids (at least {@code k} each)
   * @param truthQueries queries in the ground truth (for messages)
   * @param k the k of k-recall@k
   * @throws IllegalArgumentException if no candidates value is given or one is below 1
   */
  public static List<SweepPoint> run(Search search, int[] candidates, JavaPairRDD<Long, long[]> truth,
      long truthQueries, int k) throws IOException {
    Objects.requireNonNull(search, "search");
    requireCandidates(candidates);
    CandidateCoverage coverage = search.coverage(truth.mapValues(CandidateSweep::first));
    List<SweepPoint> points = new ArrayList<>();
    for (int c : candidates) {
      Run run = search.search(c);
      try {
        RecallTotals totals = EvalJob.evaluate(run.results(), truth, truthQueries, EvalJob.defaultCutoffs(), k, false);
        totals.addEmpty(Math.max(0, run.queries() - totals.queries()));
        points.add(new SweepPoint(c, run.meanCandidatesRanked(), run.queriesPerSecond(), totals.recallAt(0),
            totals.recallAt(1), totals.recallAt(2), totals.kRecall(),
            coverage == null ? Double.NaN : coverage.amongCandidates(c)));
      } finally {
        run.release().run();
      }
    }
    return points;
  }

  private static Long first(long[] ids) {
    if (ids.length == 0) {
      throw new IllegalArgumentException("a query of the ground truth has no neighbour");
    }
    return ids[0];
  }

  /**
   * Checks a list of candidates values: at least one, each at least 1.
   *
   * @throws IllegalArgumentException naming the bad value
   */
  public static void requireCandidates(int[] candidates) {
    if (candidates == null || candidates.length == 0) {
      throw new IllegalArgumentException("a sweep needs at least one candidates value");
    }
    for (int c : candidates) {
      if (c < 1) {
        throw new IllegalArgumentException("sweep candidates must be >= 1, got " + c + " in "
            + Arrays.toString(candidates));
      }
    }
  }

  /** The sweep's files for the report folder: CSV and Markdown tables and the two charts. */
  public static List<EvalJob.ReportFile> reportFiles(List<SweepPoint> points, int k) throws IOException {
    List<EvalJob.ReportFile> files = new ArrayList<>();
    files.add(new EvalJob.ReportFile(SweepTable.CSV_FILE, SweepTable.csv(points, k).getBytes(
        java.nio.charset.StandardCharsets.UTF_8)));
    files.add(new EvalJob.ReportFile(SweepTable.MARKDOWN_FILE, SweepTable.markdown(points, k).getBytes(
        java.nio.charset.StandardCharsets.UTF_8)));
    files.add(new EvalJob.ReportFile(SweepTable.CANDIDATES_CHART, png(points, k, true)));
    files.add(new EvalJob.ReportFile(SweepTable.THROUGHPUT_CHART, png(points, k, false)));
    return files;
  }

  private static byte[] png(List<SweepPoint> points, int k, boolean byCandidates) throws IOException {
    File file = File.createTempFile("lopq-sweep-", ".png");
    try {
      if (byCandidates) {
        TradeoffChart.writeRecallVsCandidates(points, k, file);
      } else {
        TradeoffChart.writeRecallVsThroughput(points, k, file);
      }
      return Files.readAllBytes(file.toPath());
    } finally {
      Files.deleteIfExists(file.toPath());
    }
  }
}
