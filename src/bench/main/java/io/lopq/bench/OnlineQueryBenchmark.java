package io.lopq.bench;

import io.lopq.eval.QueryRecall;
import io.lopq.format.encoded.PackedIndexFile;
import io.lopq.io.encoded.EncodedIndexLoader;
import io.lopq.io.model.ModelStore;
import io.lopq.io.vectors.IvecsReader;
import io.lopq.model.LopqModel;
import io.lopq.search.CompactIndex;
import io.lopq.search.SearchOptions;
import io.lopq.search.SearchResult;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;

/**
 * The online index ({@link CompactIndex}, what {@code lopq query} serves) measured on one thread:
 * heap after load (bytes per vector), load time, single-query latency p50/p99/max and queries per
 * second at each candidate count, recall against exact ground truth, and agreement with
 * {@code lopq search}'s results for the same settings.
 *
 * <pre>
 *   OnlineQueryBenchmark MODEL INDEX QUERIES.fvecs K C1,C2,... [TRUTH.ivecs|-] [SEARCH_CSV_1|-,SEARCH_CSV_2|-,...]
 *     INDEX           a packed index file (lopq index pack) or an encoded dataset (read with parquet-avro)
 *     SEARCH_CSV_i    lopq search --output-format csv results for candidates Ci (same model, index, k)
 * </pre>
 *
 * Heap is measured as the used heap after repeated full GCs, before and after the load, with the
 * model already loaded; each candidate count runs one warm-up pass over the queries, then
 * {@value #PASSES} timed passes. Latencies are wall time per query on a shared machine; the CPU
 * time of the searching thread is reported beside them.
 */
public final class OnlineQueryBenchmark {
  private static final int PASSES = 3;
  private static final int GCS = 4;
  private static final double MILLI = 1e6;
  private static final double SECOND = 1e9;
  private static final int[] RECALL_AT = {1, 10, 100};
  private static final int OVERLAP_K = 10;

  private OnlineQueryBenchmark() {}

  /** Runs the benchmark and prints Markdown rows. */
  public static void main(String[] args) throws Exception {
    LopqModel model = ModelStore.load(args[0]);
    String indexPath = args[1];
    FvecsFiles.Matrix queries = FvecsFiles.read(Path.of(args[2]), 0);
    int k = Integer.parseInt(args[3]);
    long[] candidateCounts = Arrays.stream(args[4].split(",")).mapToLong(s -> Long.parseLong(s.strip())).toArray();
    List<int[]> truth = args.length > 5 && !args[5].equals("-") ? IvecsReader.readAll(args[5], new Configuration())
        : null;
    String[] searchCsv = args.length > 6 && !args[6].equals("-") ? args[6].split(",") : null;

    MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    long heapBefore = usedHeap(memory);
    long cpu0 = threads.getCurrentThreadCpuTime();
    long t0 = System.nanoTime();
    CompactIndex index = Files.isRegularFile(Path.of(indexPath)) ? PackedIndexFile.read(Path.of(indexPath), model)
        : EncodedIndexLoader.load(new Configuration(), indexPath, model);
    long loadNanos = System.nanoTime() - t0;
    long loadCpu = threads.getCurrentThreadCpuTime() - cpu0;
    long heapAfter = usedHeap(memory);
    int n = index.size();
    System.out.printf(Locale.ROOT, "index %s: %,d rows, %,d cells, D,V,M,K=%d,%d,%d,%d%n", indexPath, n,
        index.nonEmptyCells(), model.dimension(), model.coarseClusters(), model.subquantizers(),
        model.subquantizerClusters());
    System.out.printf(Locale.ROOT, "load: %.2f s wall, %.2f s CPU; heap after load %+,d bytes = %.2f bytes per vector "
        + "(arrays %,d = %.2f per vector); load average %s%n", loadNanos / SECOND, loadCpu / SECOND,
        heapAfter - heapBefore, (double) (heapAfter - heapBefore) / n, index.arrayBytes(),
        (double) index.arrayBytes() / n, loadAverage());

    System.out.println("| candidates | k | p50 ms | p99 ms | max ms | CPU p50 / p99 ms | queries/s (1 thread) | CPU ms per query | "
        + "candidates ranked (mean) | R@1 | R@10 | R@100 | 10-recall@10 | same as lopq search |");
    System.out.println("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|");
    for (int c = 0; c < candidateCounts.length; c++) {
      SearchOptions options = SearchOptions.of(k, candidateCounts[c]);
      CompactIndex.Searcher searcher = index.searcher(options, null);
      int qn = queries.rows();
      int d = queries.dimension();
      SearchResult[] results = new SearchResult[qn];
      long ranked = 0;
      for (int q = 0; q < qn; q++) {
        results[q] = searcher.search(Arrays.copyOfRange(queries.values(), q * d, (q + 1) * d));
        ranked += searcher.lastCandidates();
      }
      long[] latencies = new long[PASSES * qn];
      long[] cpus = new long[PASSES * qn];
      float[][] rows = new float[qn][];
      for (int q = 0; q < qn; q++) {
        rows[q] = Arrays.copyOfRange(queries.values(), q * d, (q + 1) * d);
      }
      long cpuStart = threads.getCurrentThreadCpuTime();
      long wallStart = System.nanoTime();
      for (int p = 0; p < PASSES; p++) {
        for (int q = 0; q < qn; q++) {
          long s = System.nanoTime();
          long sc = threads.getCurrentThreadCpuTime();
          searcher.search(rows[q]);
          cpus[p * qn + q] = threads.getCurrentThreadCpuTime() - sc;
          latencies[p * qn + q] = System.nanoTime() - s;
        }
      }
      long wall = System.nanoTime() - wallStart;
      long cpu = threads.getCurrentThreadCpuTime() - cpuStart;
      Arrays.sort(latencies);
      Arrays.sort(cpus);
      int count = latencies.length;
      String recall = truth == null ? "- | - | - | -" : recall(results, truth);
      String same = "-";
      if (searchCsv != null && c < searchCsv.length && !searchCsv[c].equals("-")) {
        Map<Long, long[]> search = readSearchCsv(searchCsv[c]);
        same = agreement(results, search) + (truth == null ? "" : "; lopq search's R@1, R@10, R@100, 10-recall@10: "
            + recall(searchResults(search, qn), truth).replace(" |", ","));
      }
      System.out.printf(Locale.ROOT, "| %,d | %d | %.2f | %.2f | %.2f | %.2f / %.2f | %,.0f | %.2f | %,.0f | %s | %s |%n",
          candidateCounts[c], k, latencies[count / 2] / MILLI, latencies[(int) Math.ceil(0.99 * count) - 1] / MILLI,
          latencies[count - 1] / MILLI, cpus[count / 2] / MILLI, cpus[(int) Math.ceil(0.99 * count) - 1] / MILLI,
          count / (wall / SECOND), cpu / MILLI / count, (double) ranked / qn, recall, same);
    }
    System.out.printf(Locale.ROOT, "load average at the end %s%n", loadAverage());
  }

  private static long usedHeap(MemoryMXBean memory) {
    for (int i = 0; i < GCS; i++) {
      System.gc();
    }
    return memory.getHeapMemoryUsage().getUsed();
  }

  private static String loadAverage() {
    try {
      return Files.readString(Path.of("/proc/loadavg")).strip();
    } catch (IOException e) {
      return "unknown";
    }
  }

  private static String recall(SearchResult[] results, List<int[]> truth) {
    StringBuilder out = new StringBuilder();
    for (int r : RECALL_AT) {
      int hits = 0;
      for (int q = 0; q < results.length; q++) {
        hits += QueryRecall.hitAt(r, results[q].ids(), longs(truth.get(q)));
      }
      out.append(String.format(Locale.ROOT, "%.3f | ", (double) hits / results.length));
    }
    long overlap = 0;
    for (int q = 0; q < results.length; q++) {
      overlap += QueryRecall.overlapCountAt(OVERLAP_K, results[q].ids(), longs(truth.get(q)));
    }
    return out.append(String.format(Locale.ROOT, "%.3f", (double) overlap / (OVERLAP_K * results.length))).toString();
  }

  private static long[] longs(int[] ids) {
    return Arrays.stream(ids).asLongStream().toArray();
  }

  /** Query id to its neighbour ids by rank, from a lopq search CSV folder. */
  private static Map<Long, long[]> readSearchCsv(String folder) throws IOException {
    Map<Long, List<long[]>> rows = new HashMap<>();
    List<Path> parts;
    try (Stream<Path> files = Files.list(Path.of(folder))) {
      parts = files.filter(p -> p.getFileName().toString().endsWith(".csv")).toList();
    }
    for (Path part : parts) {
      List<String> lines = Files.readAllLines(part);
      for (String line : lines.subList(1, lines.size())) {
        String[] f = line.split(",");
        rows.computeIfAbsent(Long.parseLong(f[0]), q -> new ArrayList<>())
            .add(new long[] {Long.parseLong(f[1]), Long.parseLong(f[2])});
      }
    }
    Map<Long, long[]> byQuery = new HashMap<>();
    rows.forEach((q, list) -> {
      list.sort((a, b) -> Long.compare(a[0], b[0]));
      byQuery.put(q, list.stream().mapToLong(x -> x[1]).toArray());
    });
    return byQuery;
  }

  /** The neighbours of lopq search as results (distances unknown: zeros), query ids 0..Q-1. */
  private static SearchResult[] searchResults(Map<Long, long[]> search, int queries) {
    SearchResult[] results = new SearchResult[queries];
    for (int q = 0; q < queries; q++) {
      long[] ids = search.getOrDefault((long) q, new long[0]);
      results[q] = new SearchResult(ids, new double[ids.length]);
    }
    return results;
  }

  /** "identical ids in X of Q queries, top-k overlap Y". */
  private static String agreement(SearchResult[] results, Map<Long, long[]> search) {
    int identical = 0;
    long common = 0;
    long total = 0;
    for (int q = 0; q < results.length; q++) {
      long[] mine = results[q].ids();
      long[] theirs = search.getOrDefault((long) q, new long[0]);
      if (Arrays.equals(mine, theirs)) {
        identical++;
      }
      long[] sorted = theirs.clone();
      Arrays.sort(sorted);
      for (long id : mine) {
        common += Arrays.binarySearch(sorted, id) >= 0 ? 1 : 0;
      }
      total += mine.length;
    }
    return String.format(Locale.ROOT, "identical ranked ids in %d/%d queries; %.4f of ids shared", identical,
        results.length, (double) common / total);
  }
}
