package io.lopq.bench;

import io.lopq.model.RandomModels;

import io.lopq.encode.BatchEncoder;
import io.lopq.encode.EncodedBatch;
import io.lopq.encode.LopqEncoder;
import io.lopq.math.Blas;
import io.lopq.model.LopqModel;
import io.lopq.search.ExactSearcher;
import io.lopq.search.InMemorySearcher;
import io.lopq.search.SearchOptions;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.Locale;
import java.util.Random;
import java.util.function.IntConsumer;
import java.util.stream.IntStream;

/**
 * Single-thread throughput of the core: batch encoding, single-vector encoding, ADC search and
 * exact search, on a random model with the shapes of the project's reference setting
 * (D=784 as Fashion-MNIST, V=64, M=8, K=256) and clustered data.
 *
 * <p>Usage: {@code CoreBenchmark [--vectors N] [--items N] [--queries N] [--block B] [--seed S]
 * [--seconds S]}. Run with {@code OPENBLAS_NUM_THREADS=1} for per-thread numbers (scripts/bench-core
 * does). Each measurement warms up, then repeats its work for {@code --seconds} in
 * {@link #TRIALS} trials and reports the medians per wall-clock second and per thread-CPU second
 * (the latter is the per-core figure on a shared machine).
 */
public final class CoreBenchmark {
  /** The reference setting. */
  public static final int DIMENSION = 784;
  /** Coarse clusters per half. */
  public static final int COARSE_CLUSTERS = 64;
  /** Subquantizers. */
  public static final int SUBQUANTIZERS = 8;
  /** Centroids per subquantizer. */
  public static final int SUBQUANTIZER_CLUSTERS = 256;
  /** Trials per measurement; the median is reported. */
  public static final int TRIALS = 5;
  /** Coordinates of coarse centroids ~ N(0, 1); residuals and codewords ~ N(0, RESIDUAL_SCALE^2). */
  public static final double RESIDUAL_SCALE = 0.5;
  /** Neighbours returned per query. */
  public static final int NEIGHBOURS = 10;
  /** Vectors per run of the single-vector measurements. */
  public static final int SINGLE_RUN = 200;
  /** Queries per run of the search measurements. */
  public static final int QUERY_RUN = 20;
  /** Candidates re-ranked exactly in the re-ranking measurement. */
  public static final int RERANK_DEPTH = 100;
  /** Warm-up time as a fraction of the measuring time. */
  public static final double WARM_UP_FRACTION = 0.5;

  private CoreBenchmark() {}

  /** Runs the benchmark and prints one line per measurement. */
  public static void main(String[] args) {
    int vectors = intOption(args, "--vectors", 16_384);
    int items = intOption(args, "--items", 60_000);
    int queries = intOption(args, "--queries", 500);
    int block = Math.min(vectors, intOption(args, "--block", BatchEncoder.DEFAULT_BLOCK_ROWS));
    long seed = intOption(args, "--seed", 42);
    double seconds = Double.parseDouble(option(args, "--seconds", "2.0"));

    System.out.printf(Locale.ROOT, "java %s, BLAS %s, OPENBLAS_NUM_THREADS=%s, %d processors%n",
        System.getProperty("java.version"), Blas.implementation(), System.getenv("OPENBLAS_NUM_THREADS"),
        Runtime.getRuntime().availableProcessors());
    long start = System.nanoTime();
    Random random = new Random(seed);
    LopqModel model = RandomModels.create(random, DIMENSION, COARSE_CLUSTERS, SUBQUANTIZERS,
        SUBQUANTIZER_CLUSTERS, 1.0, RESIDUAL_SCALE);
    float[] rows = RandomModels.clusteredVectors(random, model, vectors, RESIDUAL_SCALE);
    System.out.printf(Locale.ROOT, "model D=%d V=%d M=%d K=%d (random, orthonormal rotations), %d clustered vectors,"
        + " generated in %.1f s%n", DIMENSION, COARSE_CLUSTERS, SUBQUANTIZERS, SUBQUANTIZER_CLUSTERS, vectors,
        (System.nanoTime() - start) / 1e9);
    System.out.printf(Locale.ROOT, "%-50s %14s %14s%n", "measurement (median of " + TRIALS + " trials)",
        "per wall s", "per CPU s");

    BatchEncoder encoder = new BatchEncoder(model, block);
    EncodedBatch out = new EncodedBatch(SUBQUANTIZERS, block);
    float[][] blocks = slices(rows, Math.max(1, vectors / block), block);
    report("batch encode, clustered (block " + block + ")", "vectors", measure(seconds, block,
        run -> encoder.encode(blocks[run % blocks.length], block, out)));
    BatchEncoder counting = new BatchEncoder(model, block);
    counting.encode(rows, vectors, new EncodedBatch(SUBQUANTIZERS, vectors));
    System.out.printf(Locale.ROOT, "  near ties settled exactly in one pass: %d of %d assignments%n",
        counting.nearTiesResolved(), (long) vectors * (LopqModel.HALVES + SUBQUANTIZERS));
    float[] gaussian = RandomModels.gaussian(random, block * DIMENSION, 1.0);
    report("batch encode, Gaussian N(0,1) data", "vectors",
        measure(seconds, block, run -> encoder.encode(gaussian, block, out)));

    int singles = Math.min(vectors, SINGLE_RUN);
    LopqEncoder reference = new LopqEncoder(model);
    float[][] split = new float[singles][];
    for (int i = 0; i < singles; i++) {
      split[i] = Arrays.copyOfRange(rows, i * DIMENSION, (i + 1) * DIMENSION);
    }
    report("single-vector encode, LopqEncoder", "vectors", measure(seconds, singles, run -> {
      for (float[] x : split) {
        reference.encode(x);
      }
    }));
    BatchEncoder one = new BatchEncoder(model, 1);
    EncodedBatch single = new EncodedBatch(SUBQUANTIZERS, 1);
    report("single-vector encode, BatchEncoder n=1", "vectors", measure(seconds, singles, run -> {
      for (float[] x : split) {
        one.encode(x, 1, single);
      }
    }));

    float[] corpus = RandomModels.clusteredVectors(random, model, items, RESIDUAL_SCALE);
    EncodedBatch codes = encoder.encode(corpus, items);
    long[] ids = new long[items];
    Arrays.setAll(ids, i -> i);
    InMemorySearcher searcher = new InMemorySearcher(model, ids, codes, corpus);
    float[] queryRows = RandomModels.clusteredVectors(random, model, queries, RESIDUAL_SCALE);
    System.out.printf(Locale.ROOT, "index: %d items in %d non-empty cells; %d queries, k=%d%n", items,
        searcher.nonEmptyCells(), queries, NEIGHBOURS);
    int perRun = Math.min(queries, QUERY_RUN);
    float[][] chunks = slices(queryRows, Math.max(1, queries / perRun), perRun);
    int[] candidateCounts = IntStream.of(1_000, 10_000, items).map(c -> Math.min(c, items))
        .distinct().toArray();
    for (int candidates : candidateCounts) {
      SearchOptions options = SearchOptions.of(NEIGHBOURS, candidates);
      report("ADC search, " + candidates + " candidates", "queries", measure(seconds, perRun,
          run -> searcher.search(chunks[run % chunks.length], perRun, options)));
    }
    int rerankCandidates = Math.min(10_000, items);
    SearchOptions rerank = SearchOptions.of(NEIGHBOURS, rerankCandidates).withRerank(RERANK_DEPTH);
    report("ADC search, " + rerankCandidates + " candidates, re-rank " + RERANK_DEPTH, "queries",
        measure(seconds, perRun, run -> searcher.search(chunks[run % chunks.length], perRun, rerank)));
    ExactSearcher exact = new ExactSearcher(corpus, items, DIMENSION);
    int exactQueries = Math.min(queries, ExactSearcher.QUERY_BLOCK);
    report("exact search (dgemm), " + items + " items", "queries", measure(seconds, exactQueries,
        run -> exact.search(queryRows, exactQueries, NEIGHBOURS)));
  }

  /** The first {@code count} slices of {@code size} rows each (made once, outside the timings). */
  private static float[][] slices(float[] rows, int count, int size) {
    float[][] slices = new float[count][];
    for (int i = 0; i < count; i++) {
      slices[i] = Arrays.copyOfRange(rows, i * size * DIMENSION, (i + 1) * size * DIMENSION);
    }
    return slices;
  }

  /**
   * Units per wall second and per thread-CPU second (medians over {@link #TRIALS} trials), each
   * trial calling {@code work} with a growing run number for at least {@code seconds / TRIALS}.
   * The CPU rate is what one core gives when the machine is shared; with
   * OPENBLAS_NUM_THREADS=1 BLAS runs on the calling thread, so its time is counted.
   */
  private static double[] measure(double seconds, int unitsPerRun, IntConsumer work) {
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    long warmUntil = System.nanoTime() + (long) (seconds * WARM_UP_FRACTION * 1e9);
    int run = 0;
    do {
      work.accept(run++);
    } while (System.nanoTime() < warmUntil);
    double[] wall = new double[TRIALS];
    double[] cpu = new double[TRIALS];
    for (int t = 0; t < TRIALS; t++) {
      long begin = System.nanoTime();
      long cpuBegin = threads.getCurrentThreadCpuTime();
      long runs = 0;
      long elapsed;
      do {
        work.accept(run++);
        runs++;
        elapsed = System.nanoTime() - begin;
      } while (elapsed < seconds * 1e9 / TRIALS);
      double units = runs * (double) unitsPerRun;
      wall[t] = units / (elapsed / 1e9);
      cpu[t] = units / ((threads.getCurrentThreadCpuTime() - cpuBegin) / 1e9);
    }
    Arrays.sort(wall);
    Arrays.sort(cpu);
    return new double[] {wall[TRIALS / 2], cpu[TRIALS / 2]};
  }

  private static void report(String what, String unit, double[] rates) {
    System.out.printf(Locale.ROOT, "%-50s %14.0f %14.0f  %s/s%n", what, rates[0], rates[1], unit);
  }

  private static int intOption(String[] args, String name, int fallback) {
    return Integer.parseInt(option(args, name, String.valueOf(fallback)));
  }

  private static String option(String[] args, String name, String fallback) {
    for (int i = 0; i < args.length; i++) {
      if (args[i].equals(name)) {
        if (i + 1 == args.length) {
          throw new IllegalArgumentException(name + " needs a value");
        }
        return args[i + 1];
      }
    }
    return fallback;
  }
}
