package io.lopq.bench;

import io.lopq.eval.QueryRecall;
import io.lopq.io.encoded.EncodedDataset;
import io.lopq.io.vectors.IvecsReader;
import io.lopq.io.model.ModelStore;
import io.lopq.io.vectors.VectorDataset;
import io.lopq.io.vectors.VectorInput;
import io.lopq.model.LopqModel;
import io.lopq.spark.common.Sessions;
import io.lopq.spark.search.SearchJob;
import io.lopq.search.batch.PartialResult;
import io.lopq.spark.search.SearchIndex;
import io.lopq.spark.search.SearchReport;
import java.io.IOException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.SparkSession;

/**
 * Recall and throughput of the distributed search over a sweep of candidate counts, in one Spark
 * session (the results stay in memory; {@code lopq search} itself measures the whole job with
 * writing).
 *
 * <pre>
 *   SearchBenchmark MODEL ENCODED QUERIES TRUTH.ivecs K CANDIDATES[,C2,...] [RERANK_RAW|- DEPTH] [PLAN]
 * </pre>
 *
 * Prints per candidate count: Recall@1/10/100 (true nearest neighbour among the first R), candidates
 * and cells per query, queries/s of the search (wall) and per core-second (task CPU).
 */
public final class SearchBenchmark {
  private static final int[] RECALL_AT = {1, 10, 100};

  private SearchBenchmark() {}

  /** Runs the sweep. */
  public static void main(String[] args) throws IOException {
    LopqModel model = ModelStore.load(args[0]);
    List<int[]> truth = IvecsReader.readAll(args[3], new Configuration());
    int k = Integer.parseInt(args[4]);
    String[] candidates = args[5].split(",");
    String raw = args.length > 7 && !args[6].isBlank() && !args[6].equals("-") ? args[6] : null;
    int depth = raw != null ? Integer.parseInt(args[7]) : 0;
    SearchJob.Plan plan = args.length > 8 ? SearchJob.Plan.valueOf(args[8]) : SearchJob.Plan.AUTO;
    SparkSession spark = Sessions.builder(System.getProperty("lopq.master", "local[2]"), "lopq search benchmark")
        .config("spark.ui.enabled", false).getOrCreate();
    spark.sparkContext().setLogLevel("WARN");
    int minPartitions = 2 * spark.sparkContext().defaultParallelism();
    EncodedDataset encoded = EncodedDataset.open(spark, args[1]);
    SearchIndex index = new SearchIndex(encoded.rows(), encoded.modelFingerprint(), encoded.path());
    VectorDataset queries = VectorInput.of(args[2]).withMinPartitions(minPartitions).load(spark);
    VectorDataset rawVectors = raw == null ? null : VectorInput.of(raw).withMinPartitions(minPartitions).load(spark);
    System.out.printf(Locale.ROOT, "model D=%d V=%d M=%d K=%d, k=%d, rerank depth %d, plan %s%n", model.dimension(),
        model.coarseClusters(), model.subquantizers(), model.subquantizerClusters(), k, depth, plan);
    for (String c : candidates) {
      SearchJob.Params.Builder params = SearchJob.Params.builder().k(k).candidates(Long.parseLong(c.strip()))
          .plan(plan);
      if (depth > 0) {
        params.rerankDepth(depth);
      }
      long start = System.nanoTime();
      SearchJob.Outcome outcome = SearchJob.search(spark, model, index, queries, rawVectors, params.build());
      Map<Long, PartialResult> results = outcome.results().collectAsMap();
      double seconds = (System.nanoTime() - start) / 1e9;
      SearchReport report = outcome.report();
      outcome.release();
      StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "candidates %6s:", c.strip()));
      for (int r : RECALL_AT) {
        int hits = 0;
        for (int q = 0; q < truth.size(); q++) {
          PartialResult found = results.get((long) q);
          hits += QueryRecall.hitAt(r, found == null ? new long[0] : found.ids(), new long[] {truth.get(q)[0]});
        }
        line.append(String.format(Locale.ROOT, " R@%d %.4f", r, (double) hits / truth.size()));
      }
      line.append(String.format(Locale.ROOT, " | cand/query mean %.0f max %s, cells/query %.0f, tables/query %.1f"
          + " | search %.2f s = %.0f q/s, %.0f q/core-s (task CPU %.2f s), all stages %.1f s, incl. collect %.1f s",
          ((Number) report.work("candidatesMean")).doubleValue(), report.work("candidatesMax"),
          ((Number) report.work("cellsVisitedMean")).doubleValue(),
          ((Number) report.work("tablesPerQuery")).doubleValue(), report.searchSeconds(),
          report.searchQueriesPerSecond(), report.queriesPerCoreSecond(), report.searchCpuSeconds(),
          report.totalSeconds(), seconds));
      System.out.println(line);
      System.out.println("  stages " + report.stageSeconds() + " cpu " + report.toMap().get("stageTaskCpuSeconds"));
    }
    spark.stop();
  }
}
