package io.lopq.bench.jmh;

import io.lopq.encode.BatchEncoder;
import io.lopq.encode.EncodedBatch;
import io.lopq.model.LopqModel;
import io.lopq.search.ExactSearcher;
import io.lopq.search.InMemorySearcher;
import io.lopq.search.SearchOptions;
import io.lopq.search.SearchResult;
import java.util.Arrays;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Single-thread search throughput on the reference setting ({@link ModelShape#REFERENCE}) over an
 * in-memory index of clustered items: ADC search ({@link InMemorySearcher}) at several candidate
 * counts, ADC with exact re-ranking, and exact search (blocked dgemm, {@link ExactSearcher}). Scores:
 * {@code queries} per second (and {@code cpuSeconds} per second, see {@link Counted}).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class SearchThroughput {
  /** Neighbours returned per query. */
  static final int NEIGHBOURS = 10;
  /** Queries per invocation of the ADC benchmarks. */
  static final int QUERY_RUN = 20;
  /** Candidates of the re-ranking benchmark (capped at the items). */
  static final int RERANK_CANDIDATES = 10_000;
  /** Candidates re-ranked exactly in the re-ranking benchmark. */
  static final int RERANK_DEPTH = 100;

  /** Items in the index. */
  @Param("60000")
  public int items;

  /** Query vectors generated (the benchmarks cycle through them). */
  @Param("500")
  public int queries;

  @Param("42")
  public long seed;

  /** Candidates ranked per query by {@link #adc} (capped at the items). */
  @State(Scope.Benchmark)
  public static class Candidates {
    @Param({"1000", "10000", "60000"})
    public int candidates;
  }

  /** The model's shape (smaller in tests). */
  ModelShape shape = ModelShape.REFERENCE;
  private InMemorySearcher searcher;
  private ExactSearcher exactSearcher;
  private float[][] chunks;
  private int perRun;
  private float[] queryRows;
  private int exactQueries;
  private int run;

  /** The model, the encoded index and the queries (outside the timings). */
  @Setup(Level.Trial)
  public void setUp() {
    Random random = new Random(seed);
    LopqModel model = shape.model(random);
    float[] corpus = ModelShape.clustered(random, model, items);
    EncodedBatch codes = new BatchEncoder(model).encode(corpus, items);
    long[] ids = new long[items];
    Arrays.setAll(ids, i -> i);
    searcher = new InMemorySearcher(model, ids, codes, corpus);
    exactSearcher = new ExactSearcher(corpus, items, shape.dimension());
    queryRows = ModelShape.clustered(random, model, queries);
    perRun = Math.min(queries, QUERY_RUN);
    chunks = shape.slices(queryRows, Math.max(1, queries / perRun), perRun);
    exactQueries = Math.min(queries, ExactSearcher.QUERY_BLOCK);
    System.out.printf(Locale.ROOT, "index: %d items in %d non-empty cells; %d queries, k=%d%n", items,
        searcher.nonEmptyCells(), queries, NEIGHBOURS);
  }

  /** ADC ranking of the candidates of the nearest cells, {@value #QUERY_RUN} queries per invocation. */
  @Benchmark
  public SearchResult[] adc(Candidates setting, Counted.Queries count) {
    return adcSearch(SearchOptions.of(NEIGHBOURS, Math.min(setting.candidates, items)), count);
  }

  /** ADC ranking of {@value #RERANK_CANDIDATES} candidates, the best {@value #RERANK_DEPTH} re-ranked exactly. */
  @Benchmark
  public SearchResult[] adcRerank(Counted.Queries count) {
    return adcSearch(SearchOptions.of(NEIGHBOURS, Math.min(RERANK_CANDIDATES, items)).withRerank(RERANK_DEPTH), count);
  }

  /** Exact search of the whole index, one block of queries per invocation. */
  @Benchmark
  public SearchResult[] exact(Counted.Queries count) {
    long cpu = Counted.cpuNanos();
    SearchResult[] results = exactSearcher.search(queryRows, exactQueries, NEIGHBOURS);
    count.add(exactQueries, cpu);
    return results;
  }

  private SearchResult[] adcSearch(SearchOptions options, Counted.Queries count) {
    long cpu = Counted.cpuNanos();
    SearchResult[] results = searcher.search(chunks[run++ % chunks.length], perRun, options);
    count.add(perRun, cpu);
    return results;
  }
}
