package io.lopq.eval;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * What {@code lopq eval} measured: for a set of search results, Recall@R at each cutoff,
 * k-recall@k and how many queries and results took part; for a candidate sweep, one
 * {@link SweepPoint} per candidates value; and where the ground truth came from. Printed as a
 * few lines and written as {@value #FILE_NAME} in the report folder.
 */
public final class EvalReport {
  /** Name of the JSON file in the report folder. */
  public static final String FILE_NAME = "recall.json";
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private final String results;
  private final String groundTruth;
  private final boolean groundTruthComputed;
  private final long groundTruthQueries;
  private final int groundTruthDepth;
  private final double groundTruthSeconds;
  private final RecallTotals totals;
  private final double evalSeconds;
  private final List<SweepPoint> sweep;
  private final int sweepK;
  private Map<String, Object> blas;

  /**
   * @param results where the results were read from
   * @param groundTruth where the ground truth came from (an .ivecs path, or a description of the
   *     base and queries it was computed from)
   * @param groundTruthComputed true if it was computed by the exact search, false if read
   * @param groundTruthQueries queries in the ground truth
   * @param groundTruthDepth neighbours per query in the ground truth (the fewest, for a file)
   * @param groundTruthSeconds time to compute or read it
   * @param totals the summed per-query measures of the results; null if no results were given
   *     (only a sweep, or only the ground truth computed and saved)
   * @param evalSeconds time to compute the measures
   * @param sweep the points of a candidate sweep (empty for none)
   * @param sweepK the k of the sweep's k-recall@k
   */
  public EvalReport(String results, String groundTruth, boolean groundTruthComputed, long groundTruthQueries,
      int groundTruthDepth, double groundTruthSeconds, RecallTotals totals, double evalSeconds,
      List<SweepPoint> sweep, int sweepK) {
    this.results = results;
    this.groundTruth = groundTruth;
    this.groundTruthComputed = groundTruthComputed;
    this.groundTruthQueries = groundTruthQueries;
    this.groundTruthDepth = groundTruthDepth;
    this.groundTruthSeconds = groundTruthSeconds;
    this.totals = totals;
    this.evalSeconds = evalSeconds;
    this.sweep = List.copyOf(Objects.requireNonNull(sweep, "sweep"));
    this.sweepK = sweepK;
  }

  /** The summed measures (Recall@R per cutoff, k-recall@k, depths, query count) of the results. */
  public RecallTotals totals() {
    return requireResults();
  }

  /** True if search results were evaluated (not only a sweep run). */
  public boolean hasResults() {
    return totals != null;
  }

  /** The candidate sweep's points, in the order searched (empty without a sweep). */
  public List<SweepPoint> sweep() {
    return sweep;
  }

  private RecallTotals requireResults() {
    if (totals == null) {
      throw new IllegalStateException("no search results were evaluated");
    }
    return totals;
  }

  /** Recall@R for cutoff {@code r} (one of {@link RecallTotals#cutoffs()}). */
  public double recallAt(int r) {
    int[] cutoffs = requireResults().cutoffs();
    for (int i = 0; i < cutoffs.length; i++) {
      if (cutoffs[i] == r) {
        return totals.recallAt(i);
      }
    }
    throw new IllegalArgumentException("Recall@" + r + " was not measured; cutoffs are "
        + java.util.Arrays.toString(cutoffs));
  }

  /** k-recall@k. */
  public double kRecall() {
    return requireResults().kRecall();
  }

  /** Queries evaluated (those in the results). */
  public long queries() {
    return requireResults().queries();
  }

  public String results() {
    return results;
  }

  public String groundTruth() {
    return groundTruth;
  }

  public boolean groundTruthComputed() {
    return groundTruthComputed;
  }

  public long groundTruthQueries() {
    return groundTruthQueries;
  }

  public int groundTruthDepth() {
    return groundTruthDepth;
  }

  public double groundTruthSeconds() {
    return groundTruthSeconds;
  }

  public double evalSeconds() {
    return evalSeconds;
  }

  /** Sets the {@code blas} section: which BLAS the JVMs of the run use (JSON-ready values). */
  public EvalReport blas(Map<String, Object> section) {
    this.blas = section;
    return this;
  }

  /** The report as a JSON tree. */
  public ObjectNode toJson() {
    ObjectNode root = JSON.createObjectNode();
    if (totals != null) {
      root.put("results", results);
      root.put("queries", totals.queries());
      ObjectNode recall = root.putObject("recall");
      int[] cutoffs = totals.cutoffs();
      for (int i = 0; i < cutoffs.length; i++) {
        recall.put("R@" + cutoffs[i], totals.recallAt(i));
      }
      root.put("k", totals.k());
      root.put("kRecallAtK", totals.kRecall());
      ObjectNode depth = root.putObject("resultsPerQuery");
      depth.put("min", totals.minDepth());
      depth.put("max", totals.maxDepth());
    }
    if (!sweep.isEmpty()) {
      ArrayNode points = root.putArray("sweep");
      for (SweepPoint p : sweep) {
        ObjectNode point = points.addObject();
        point.put("candidates", p.candidates());
        point.put("meanCandidatesRanked", p.meanCandidatesRanked());
        point.put("queriesPerSecond", p.queriesPerSecond());
        point.put("R@1", p.recallAt1());
        point.put("R@10", p.recallAt10());
        point.put("R@100", p.recallAt100());
        point.put("kRecallAtK", p.kRecallAtK());
        if (!Double.isNaN(p.nearestAmongCandidates())) {
          point.put("nearestAmongCandidates", p.nearestAmongCandidates());
        }
      }
      root.put("sweepK", sweepK);
    }
    ObjectNode truth = root.putObject("groundTruth");
    truth.put("source", groundTruth);
    truth.put("computed", groundTruthComputed);
    truth.put("queries", groundTruthQueries);
    truth.put("depth", groundTruthDepth);
    truth.put("seconds", groundTruthSeconds);
    root.put("evalSeconds", evalSeconds);
    if (blas != null) {
      root.set("blas", JSON.valueToTree(blas));
    }
    return root;
  }

  /** The report as indented JSON text. */
  public String toJsonText() {
    try {
      return JSON.writeValueAsString(toJson());
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("cannot write the report as JSON: " + e.getMessage(), e);
    }
  }

  /** A few human-readable lines. */
  public String summary() {
    StringBuilder sb = new StringBuilder();
    if (totals != null) {
      int[] cutoffs = totals.cutoffs();
      sb.append(String.format(Locale.ROOT, "queries evaluated  %d (ground truth: %d queries, %d neighbours each)%n",
          totals.queries(), groundTruthQueries, groundTruthDepth));
      for (int i = 0; i < cutoffs.length; i++) {
        String note = cutoffs[i] > totals.maxDepth()
            ? String.format(Locale.ROOT, "   (results hold at most %d neighbours per query)", totals.maxDepth())
            : "";
        sb.append(String.format(Locale.ROOT, "%-18s %.4f%s%n", "Recall@" + cutoffs[i], totals.recallAt(i), note));
      }
      sb.append(String.format(Locale.ROOT, "%-18s %.4f%n", totals.k() + "-recall@" + totals.k(), totals.kRecall()));
    }
    if (!sweep.isEmpty()) {
      sb.append(String.format(Locale.ROOT, "candidate sweep (ground truth: %d queries)%n", groundTruthQueries));
      sb.append(SweepTable.markdown(sweep, sweepK));
    }
    sb.append(String.format(Locale.ROOT, "ground truth       %s %s in %.1f s%n",
        groundTruthComputed ? "computed from" : "read from", groundTruth, groundTruthSeconds));
    sb.append(String.format(Locale.ROOT, "evaluation         %.1f s%n", evalSeconds));
    return sb.toString();
  }
}
