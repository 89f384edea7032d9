package io.lopq.bench;

import io.lopq.eval.QueryRecall;
import io.lopq.io.vectors.IvecsReader;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Recall@R of search results ({@code lopq search} output, Parquet) against exact ground truth
 * ({@code .ivecs}, true neighbours of query i on line i): the fraction of queries whose true
 * nearest neighbour is among the first R results (Recall@R of the PQ/LOPQ papers).
 *
 * <pre>
 *   SearchRecall RESULTS GROUND_TRUTH.ivecs R1,R2,...
 * </pre>
 */
public final class SearchRecall {
  private SearchRecall() {}

  /** Prints Recall@R for each R. */
  public static void main(String[] args) {
    List<int[]> truth = IvecsReader.readAll(args[1], new Configuration());
    String[] rs = args.length > 2 ? args[2].split(",") : new String[] {"1", "10", "100"};
    SparkSession spark = SparkSession.builder().master("local[2]").appName("recall")
        .config("spark.ui.enabled", false).getOrCreate();
    spark.sparkContext().setLogLevel("WARN");
    Map<Long, List<long[]>> rows = new HashMap<>();
    for (Row r : spark.read().parquet(args[0]).select("query_id", "rank", "neighbor_id").collectAsList()) {
      rows.computeIfAbsent(r.getLong(0), q -> new ArrayList<>()).add(new long[] {r.getInt(1), r.getLong(2)});
    }
    StringBuilder line = new StringBuilder();
    for (String rText : rs) {
      int r = Integer.parseInt(rText.strip());
      int hits = 0;
      for (int q = 0; q < truth.size(); q++) {
        List<long[]> found = rows.getOrDefault((long) q, List.of());
        found.sort((a, b) -> Long.compare(a[0], b[0]));
        long[] returned = found.stream().mapToLong(x -> x[1]).toArray();
        long[] expected = {truth.get(q)[0]};
        hits += QueryRecall.hitAt(r, returned, expected);
      }
      line.append(String.format(Locale.ROOT, "R@%d=%.4f ", r, (double) hits / truth.size()));
    }
    System.out.println(line.toString().strip());
    spark.stop();
  }
}
