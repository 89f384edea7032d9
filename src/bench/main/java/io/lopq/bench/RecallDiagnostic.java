package io.lopq.bench;

import io.lopq.eval.CandidateCoverage;

import io.lopq.encode.BatchEncoder;
import io.lopq.encode.EncodedBatch;
import io.lopq.io.model.ModelStore;
import io.lopq.model.LopqModel;
import io.lopq.search.CoarseDistances;
import io.lopq.search.ExactSearcher;
import io.lopq.search.InMemorySearcher;
import io.lopq.search.MultiSequence;
import io.lopq.search.SearchOptions;
import io.lopq.search.SearchResult;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Why a model misses neighbours: in one JVM, without Spark, encodes the base with the model and
 * reports, for the true nearest neighbour of each query,
 *
 * <pre>
 *   before(q) = items in the cells the multi-sequence visits before the true neighbour's cell
 *   among-candidates(C) = share of queries with before(q) &lt; C   (the traversal reaches the cell)
 * </pre>
 *
 * next to the coarse clusters' balance (per half), the cells' occupancy, the rotation sources
 * recorded in the model, the exact distortion on the base and Recall@1/10/100 of in-memory ADC
 * search at the given candidate counts.
 *
 * <p>Usage: {@code RecallDiagnostic MODEL BASE.fvecs QUERIES.fvecs [--truth NN_CACHE]
 * [--queries N] [--candidates C1,C2,...] [--threads T]}. The exact nearest neighbours are
 * computed once (blocked BLAS) and cached in {@code NN_CACHE} when given.
 */
public final class RecallDiagnostic {
  private static final double[] BUDGET_SHARES = {0.005, 0.01, 0.02, 0.05, 0.1, 0.2};
  private static final int[] RECALL_AT = {1, 10, 100};

  private RecallDiagnostic() {}

  /** Prints the diagnosis. */
  public static void main(String[] args) throws Exception {
    LopqModel model = ModelStore.load(args[0]);
    FvecsFiles.Matrix base = FvecsFiles.read(Path.of(args[1]), 0);
    int queryLimit = Integer.parseInt(option(args, "--queries", "0"));
    FvecsFiles.Matrix queries = FvecsFiles.read(Path.of(args[2]), queryLimit);
    int threads = Integer.parseInt(option(args, "--threads", "2"));
    String truthCache = option(args, "--truth", null);
    int n = base.rows();
    int d = base.dimension();
    int qn = queries.rows();
    System.out.printf(Locale.ROOT, "model D=%d V=%d M=%d K=%d; base %d rows, %d queries%n", model.dimension(),
        model.coarseClusters(), model.subquantizers(), model.subquantizerClusters(), n, qn);
    System.out.println("parameters: " + model.metadata().parameters());
    Map<String, Object> stats = new HashMap<>(model.metadata().statistics());
    for (String key : new String[] {"rotationSources", "rotationSources0", "rotationSources1", "distortion"}) {
      if (stats.containsKey(key)) {
        System.out.println("statistic " + key + ": " + stats.get(key));
      }
    }
    stats.keySet().stream().sorted().forEach(k -> System.out.print(k + " "));
    System.out.println();

    long t0 = System.nanoTime();
    EncodedBatch codes = new BatchEncoder(model).encode(base.values(), n);
    float[] decoded = new BatchEncoder(model).decode(codes);
    double distortion = 0;
    for (int i = 0; i < decoded.length; i++) {
      double diff = (double) decoded[i] - base.values()[i];
      distortion += diff * diff;
    }
    System.out.printf(Locale.ROOT, "encoded in %.1f s; exact distortion on the base %.1f%n",
        (System.nanoTime() - t0) / 1e9, distortion / n);

    int v = model.coarseClusters();
    for (int h = 0; h < LopqModel.HALVES; h++) {
      int[] sizes = new int[v];
      for (int c : codes.coarseArray(h)) {
        sizes[c]++;
      }
      describeSizes("coarse clusters of half " + h, sizes, d / 2 + 1);
    }
    Map<Long, Integer> cells = new HashMap<>();
    int[] c0 = codes.coarse0Array();
    int[] c1 = codes.coarse1Array();
    for (int i = 0; i < n; i++) {
      cells.merge((long) c0[i] * v + c1[i], 1, Integer::sum);
    }
    int[] cellSizes = cells.values().stream().mapToInt(Integer::intValue).toArray();
    describeSizes("non-empty cells (of " + (long) v * v + ")", cellSizes, 0);

    int[] truth = nearest(base, queries, truthCache);

    // Where the true neighbour's cell falls in the multi-sequence.
    long[] before = new long[qn];
    MultiSequence sequence = new MultiSequence(v);
    float[] d0 = new float[v];
    float[] d1 = new float[v];
    int sameCell = 0;
    int[] qcodes0 = new BatchEncoder(model).encode(queries.values(), qn).coarse0Array();
    int[] qcodes1 = new BatchEncoder(model).encode(queries.values(), qn).coarse1Array();
    for (int q = 0; q < qn; q++) {
      CoarseDistances.compute(model, queries.values(), q * d, 0, d0);
      CoarseDistances.compute(model, queries.values(), q * d, 1, d1);
      int t = truth[q];
      if (c0[t] == qcodes0[q] && c1[t] == qcodes1[q]) {
        sameCell++;
      }
      sequence.start(d0, d1);
      long sum = 0;
      while (sequence.next()) {
        if (sequence.cell0() == c0[t] && sequence.cell1() == c1[t]) {
          break;
        }
        sum += cells.getOrDefault((long) sequence.cell0() * v + sequence.cell1(), 0);
      }
      before[q] = sum;
    }
    System.out.printf(Locale.ROOT, "true neighbour in the query's own cell: %.4f%n", (double) sameCell / qn);
    System.out.println("true neighbour among candidates (the traversal reaches its cell):");
    long[] sortedBefore = before.clone();
    Arrays.sort(sortedBefore);
    for (double share : BUDGET_SHARES) {
      long budget = Math.round(share * n);
      System.out.printf(Locale.ROOT, "  candidates %6d (%4.1f%% of base): %.4f%n", budget, 100 * share,
          CandidateCoverage.shareBelow(sortedBefore, budget));
    }
    System.out.printf(Locale.ROOT, "  candidates   6000: %.4f; items before the neighbour's cell: median %d, "
        + "p99 %d, max %d%n", CandidateCoverage.shareBelow(sortedBefore, 6000), sortedBefore[qn / 2], sortedBefore[(int) (qn * 0.99)],
        sortedBefore[qn - 1]);

    String[] budgets = option(args, "--candidates", "6000").split(",");
    InMemorySearcher searcher = new InMemorySearcher(model, ids(n), codes);
    for (String text : budgets) {
      int candidates = Integer.parseInt(text.strip());
      long start = System.nanoTime();
      SearchResult[] results = searchAll(searcher, queries, candidates, threads);
      double seconds = (System.nanoTime() - start) / 1e9;
      StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "ADC search, %d candidates:", candidates));
      for (int r : RECALL_AT) {
        int hits = 0;
        for (int q = 0; q < qn; q++) {
          long[] found = results[q].ids();
          for (int i = 0; i < Math.min(r, found.length); i++) {
            if (found[i] == truth[q]) {
              hits++;
              break;
            }
          }
        }
        line.append(String.format(Locale.ROOT, " R@%d %.4f", r, (double) hits / qn));
      }
      line.append(String.format(Locale.ROOT, " (%.1f s, %d threads)", seconds, threads));
      System.out.println(line);
    }
  }

  private static void describeSizes(String what, int[] sizes, int small) {
    int[] sorted = sizes.clone();
    Arrays.sort(sorted);
    int under = 0;
    double sum = 0;
    double sq = 0;
    for (int s : sorted) {
      if (s < small) {
        under++;
      }
      sum += s;
      sq += (double) s * s;
    }
    double mean = sum / sorted.length;
    double cv = Math.sqrt(Math.max(0, sq / sorted.length - mean * mean)) / mean;
    System.out.printf(Locale.ROOT, "%s: %d, sizes min %d, median %d, p90 %d, max %d, cv %.2f%s%n", what,
        sorted.length, sorted[0], sorted[sorted.length / 2], sorted[(int) (sorted.length * 0.9)],
        sorted[sorted.length - 1], cv, small > 0 ? ", under " + small + ": " + under : "");
  }

  private static long[] ids(int n) {
    long[] ids = new long[n];
    for (int i = 0; i < n; i++) {
      ids[i] = i;
    }
    return ids;
  }

  private static SearchResult[] searchAll(InMemorySearcher searcher, FvecsFiles.Matrix queries, int candidates,
      int threads) throws Exception {
    int qn = queries.rows();
    int d = queries.dimension();
    SearchOptions options = SearchOptions.of(100, candidates);
    SearchResult[] out = new SearchResult[qn];
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      Future<?>[] parts = new Future<?>[threads];
      for (int t = 0; t < threads; t++) {
        int from = (int) ((long) qn * t / threads);
        int to = (int) ((long) qn * (t + 1) / threads);
        parts[t] = pool.submit(() -> {
          SearchResult[] r = searcher.search(Arrays.copyOfRange(queries.values(), from * d, to * d), to - from,
              options);
          System.arraycopy(r, 0, out, from, to - from);
        });
      }
      for (Future<?> f : parts) {
        f.get();
      }
    } finally {
      pool.shutdown();
    }
    return out;
  }

  private static int[] nearest(FvecsFiles.Matrix base, FvecsFiles.Matrix queries, String cache) throws IOException {
    int qn = queries.rows();
    if (cache != null && Files.exists(Path.of(cache))) {
      try (DataInputStream in = new DataInputStream(Files.newInputStream(Path.of(cache)))) {
        int stored = in.readInt();
        if (stored >= qn) {
          int[] truth = new int[qn];
          for (int q = 0; q < qn; q++) {
            truth[q] = in.readInt();
          }
          return truth;
        }
      }
    }
    long start = System.nanoTime();
    SearchResult[] exact = new ExactSearcher(base.values(), base.rows(), base.dimension())
        .search(queries.values(), qn, 1);
    int[] truth = new int[qn];
    for (int q = 0; q < qn; q++) {
      truth[q] = (int) exact[q].id(0);
    }
    System.out.printf(Locale.ROOT, "exact nearest neighbours in %.1f s%n", (System.nanoTime() - start) / 1e9);
    if (cache != null) {
      try (DataOutputStream out = new DataOutputStream(Files.newOutputStream(Path.of(cache)))) {
        out.writeInt(qn);
        for (int t : truth) {
          out.writeInt(t);
        }
      }
    }
    return truth;
  }

  private static String option(String[] args, String name, String fallback) {
    for (int i = 3; i + 1 < args.length; i++) {
      if (args[i].equals(name)) {
        return args[i + 1];
      }
    }
    return fallback;
  }
}
