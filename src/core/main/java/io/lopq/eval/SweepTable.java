package io.lopq.eval;

import java.util.List;
import java.util.Locale;

/**
 * A candidate sweep as text tables: CSV for tools, Markdown for people (one row per
 * {@code --candidates} value, in the order searched).
 *
 * <pre>
 *   candidates | candidates ranked/query | queries/s | R@1 | R@10 | R@100 | k-recall@k | NN among candidates
 * </pre>
 *
 * The last column is the share of queries whose true nearest neighbour is among the candidates
 * ranked ({@link CandidateCoverage}; empty in the CSV and "n/a" in Markdown when not measured).
 */
public final class SweepTable {
  /** Name of the CSV file in the report folder. */
  public static final String CSV_FILE = "sweep.csv";
  /** Name of the Markdown file in the report folder. */
  public static final String MARKDOWN_FILE = "sweep.md";
  /** Name of the recall-vs-candidates chart in the report folder. */
  public static final String CANDIDATES_CHART = "recall-vs-candidates.png";
  /** Name of the recall-vs-throughput chart in the report folder. */
  public static final String THROUGHPUT_CHART = "recall-vs-queries-per-second.png";

  private SweepTable() {}

  /** CSV with a header line; {@code k} names the k-recall column. */
  public static String csv(List<SweepPoint> points, int k) {
    StringBuilder sb = new StringBuilder("candidates,mean_candidates_ranked,queries_per_second,recall_at_1,"
        + "recall_at_10,recall_at_100,k_recall_at_" + k + ",nearest_among_candidates\n");
    for (SweepPoint p : points) {
      sb.append(String.format(Locale.ROOT, "%d,%.1f,%.2f,%.5f,%.5f,%.5f,%.5f,%s%n", p.candidates(),
          p.meanCandidatesRanked(), p.queriesPerSecond(), p.recallAt1(), p.recallAt10(), p.recallAt100(),
          p.kRecallAtK(), Double.isNaN(p.nearestAmongCandidates()) ? ""
              : String.format(Locale.ROOT, "%.5f", p.nearestAmongCandidates())));
    }
    return sb.toString();
  }

  /** A Markdown table; {@code k} names the k-recall column. */
  public static String markdown(List<SweepPoint> points, int k) {
    StringBuilder sb = new StringBuilder("| candidates | ranked/query | queries/s | R@1 | R@10 | R@100 | " + k
        + "-recall@" + k + " | NN among candidates |\n|---:|---:|---:|---:|---:|---:|---:|---:|\n");
    for (SweepPoint p : points) {
      sb.append(String.format(Locale.ROOT, "| %d | %.0f | %.1f | %.4f | %.4f | %.4f | %.4f | %s |%n", p.candidates(),
          p.meanCandidatesRanked(), p.queriesPerSecond(), p.recallAt1(), p.recallAt10(), p.recallAt100(),
          p.kRecallAtK(), Double.isNaN(p.nearestAmongCandidates()) ? "n/a"
              : String.format(Locale.ROOT, "%.4f", p.nearestAmongCandidates())));
    }
    return sb.toString();
  }
}
