package io.lopq.search;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lopq.model.RandomModels;
import io.lopq.encode.BatchEncoder;
import io.lopq.encode.EncodedBatch;
import io.lopq.model.LopqModel;
import java.util.Random;
import org.junit.jupiter.api.Test;

class InMemorySearcherTest {
  private static final int D = 32;
  private static final int N = 3000;
  private static final int QUERIES = 15;

  private final LopqModel model = RandomModels.create(new Random(1), D, 8, 4, 32, 2.0, 1.0);
  private final float[] vectors = RandomModels.clusteredVectors(new Random(2), model, N, 1.0);
  private final float[] queries = RandomModels.clusteredVectors(new Random(3), model, QUERIES, 1.0);
  private final EncodedBatch codes = new BatchEncoder(model).encode(vectors, N);
  private final long[] ids = shuffledIds(new Random(4));

  @Test
  void candidatesCoveringTheCorpusGiveTheBruteForceAdcRanking() {
    InMemorySearcher searcher = new InMemorySearcher(model, ids, codes);
    AdcTables tables = new AdcTables(model);
    for (int q = 0; q < QUERIES; q++) {
      float[] query = query(q);
      SearchResult result = searcher.search(query, 20, N);
      tables.setQuery(query);
      TopK expected = new TopK(20);
      for (int i = 0; i < N; i++) {
        expected.offer(ids[i], tables.distance(codes.coarse(0, i), codes.coarse(1, i), codes.fineArray(),
            codes.fineOffset(i)));
      }
      assertEquals(expected.drain(), result, "query " + q);
    }
  }

  @Test
  void fullDepthRerankingEqualsExactSearch() {
    InMemorySearcher searcher = new InMemorySearcher(model, ids, codes, vectors);
    ExactSearcher exact = new ExactSearcher(vectors, N, D, ids);
    SearchResult[] expected = exact.search(queries, QUERIES, 10);
    SearchResult[] results = searcher.search(queries, QUERIES, SearchOptions.of(10, N).withRerank(N));
    for (int q = 0; q < QUERIES; q++) {
      assertArrayEquals(expected[q].ids(), results[q].ids(), "query " + q);
      for (int i = 0; i < 10; i++) {
        assertEquals(expected[q].distance(i), results[q].distance(i), 1e-9 * expected[q].distance(i));
      }
    }
  }

  @Test
  void fewCandidatesScoreOnlyTheNearestCellsAndBatchEqualsSingle() {
    InMemorySearcher searcher = new InMemorySearcher(model, ids, codes);
    SearchOptions options = SearchOptions.of(5, 100);
    SearchResult[] batch = searcher.search(queries, QUERIES, options);
    MultiSequence sequence = new MultiSequence(model.coarseClusters());
    for (int q = 0; q < QUERIES; q++) {
      float[] query = query(q);
      assertEquals(searcher.search(query, options), batch[q], "query " + q);
      // The result must be the ADC top 5 of exactly the items in the cells the sequence visits.
      float[] d0 = new float[model.coarseClusters()];
      float[] d1 = new float[model.coarseClusters()];
      CoarseDistances.compute(model, query, 0, 0, d0);
      CoarseDistances.compute(model, query, 0, 1, d1);
      boolean[][] visited = new boolean[model.coarseClusters()][model.coarseClusters()];
      long found = sequence.traverse(d0, d1, searcher::cellSize, 100, SearchOptions.UNLIMITED_CELLS,
          (a, b, d) -> visited[a][b] = true);
      assertTrue(found >= 100 && found < N, "a partial scan: " + found);
      AdcTables tables = new AdcTables(model);
      tables.setQuery(query);
      TopK expected = new TopK(5);
      for (int i = 0; i < N; i++) {
        if (visited[codes.coarse(0, i)][codes.coarse(1, i)]) {
          expected.offer(ids[i], tables.distance(codes.coarse(0, i), codes.coarse(1, i), codes.fineArray(),
              codes.fineOffset(i)));
        }
      }
      assertEquals(expected.drain(), batch[q], "query " + q);
    }
  }

  @Test
  void cellBudgetLimitsTheScan() {
    InMemorySearcher searcher = new InMemorySearcher(model, ids, codes);
    SearchResult one = searcher.search(query(0), SearchOptions.of(N, N).withCellBudget(1));
    assertTrue(one.size() > 0 && one.size() < N, "one cell: " + one.size());
    long firstCellSize = 0;
    for (int c0 = 0; c0 < 8; c0++) {
      for (int c1 = 0; c1 < 8; c1++) {
        firstCellSize = Math.max(firstCellSize, searcher.cellSize(c0, c1));
      }
    }
    assertTrue(one.size() <= firstCellSize);
  }

  @Test
  void badInputsGiveClearMessages() {
    InMemorySearcher searcher = new InMemorySearcher(model, ids, codes);
    IllegalArgumentException dimension = assertThrows(IllegalArgumentException.class,
        () -> searcher.search(new float[D + 1], 5, 10));
    assertTrue(dimension.getMessage().contains("dimension " + (D + 1)), dimension.getMessage());
    float[] nan = query(0);
    nan[3] = Float.NaN;
    IllegalArgumentException value = assertThrows(IllegalArgumentException.class, () -> searcher.search(nan, 5, 10));
    assertTrue(value.getMessage().contains("NaN") && value.getMessage().contains("index 3"), value.getMessage());
    IllegalArgumentException k = assertThrows(IllegalArgumentException.class, () -> searcher.search(query(0), 0, 10));
    assertTrue(k.getMessage().contains("k must be >= 1, got 0"), k.getMessage());
    IllegalArgumentException rerank = assertThrows(IllegalArgumentException.class,
        () -> searcher.search(query(0), SearchOptions.of(5, 10).withRerank(20)));
    assertTrue(rerank.getMessage().contains("raw vectors"), rerank.getMessage());
    IllegalArgumentException depth = assertThrows(IllegalArgumentException.class,
        () -> SearchOptions.of(5, 10).withRerank(3));
    assertTrue(depth.getMessage().contains(">= k=5"), depth.getMessage());
    IllegalArgumentException idCount = assertThrows(IllegalArgumentException.class,
        () -> new InMemorySearcher(model, new long[3], codes));
    assertTrue(idCount.getMessage().contains("3 ids for " + N), idCount.getMessage());
  }

  private float[] query(int q) {
    return java.util.Arrays.copyOfRange(queries, q * D, (q + 1) * D);
  }

  private static long[] shuffledIds(Random random) {
    long[] ids = new long[N];
    for (int i = 0; i < N; i++) {
      ids[i] = 10L * i + 7;
    }
    for (int i = N - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      long t = ids[i];
      ids[i] = ids[j];
      ids[j] = t;
    }
    return ids;
  }
}
