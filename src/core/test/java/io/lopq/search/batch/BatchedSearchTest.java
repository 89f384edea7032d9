package io.lopq.search.batch;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lopq.encode.BatchEncoder;
import io.lopq.encode.EncodedBatch;
import io.lopq.model.LopqModel;
import io.lopq.model.RandomModels;
import io.lopq.search.InMemorySearcher;
import io.lopq.search.SearchOptions;
import io.lopq.search.SearchResult;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The batched engine against the in-memory searcher, for random models and data: the same
 * neighbours and distances for the same candidate budget, whatever the query block size and the
 * number of blocks the index is cut into.
 */
class BatchedSearchTest {
  private static final int QUERIES = 41;

  /** A random index: model, rows (shuffled ids), codes, queries. */
  private static final class Case {
    final LopqModel model;
    final int rows;
    final long[] ids;
    final float[] vectors;
    final EncodedBatch codes;
    final float[] queries;

    Case(long seed, int d, int v, int m, int k, int rows) {
      this(seed, d, v, m, k, rows, false);
    }

    /** With {@code local}, every cell gets its own (random) codebooks. */
    Case(long seed, int d, int v, int m, int k, int rows, boolean local) {
      Random random = new Random(seed);
      LopqModel shared = RandomModels.create(random, d, v, m, k, 2.0, 1.0);
      this.model = local ? RandomModels.withLocalCodebooks(random, shared, 0.8) : shared;
      this.rows = rows;
      this.vectors = RandomModels.clusteredVectors(random, model, rows, 1.0);
      this.queries = RandomModels.clusteredVectors(random, model, QUERIES, 1.0);
      this.codes = new BatchEncoder(model).encode(vectors, rows);
      this.ids = new long[rows];
      for (int i = 0; i < rows; i++) {
        ids[i] = 10_000L + 3L * i;
      }
      for (int i = rows - 1; i > 0; i--) {
        int j = random.nextInt(i + 1);
        long t = ids[i];
        ids[i] = ids[j];
        ids[j] = t;
      }
    }

    SearchResult[] inMemory(SearchOptions options) {
      return new InMemorySearcher(model, ids, codes, vectors).search(queries, QUERIES, options);
    }

    BatchedSearch batched(int slices) {
      return new BatchedSearch(model, ids, codes, vectors, slices);
    }
  }

  @ParameterizedTest(name = "D={1} V={2} M={3} K={4} N={5} candidates={6} block={7} slices={8}")
  @CsvSource({
      "1, 16, 4, 4, 16, 800, 50, 7, 1",
      "2, 24, 6, 6, 64, 1500, 120, 16, 3",
      "3, 32, 9, 8, 32, 2000, 400, 41, 2",
      "4, 8, 3, 2, 8, 300, 300, 1, 4",
      "5, 12, 5, 4, 256, 1000, 5000, 13, 1"})
  void perQueryTablesGiveTheInMemorySearchersResultsBitForBit(long seed, int d, int v, int m, int k, int rows,
      int candidates, int block, int slices) {
    Case c = new Case(seed, d, v, m, k, rows);
    SearchOptions options = SearchOptions.of(10, candidates);
    SearchResult[] expected = c.inMemory(options);
    SearchResult[] actual = c.batched(slices).search(c.queries, QUERIES, options, PerQueryTables::new, block);
    for (int q = 0; q < QUERIES; q++) {
      assertEquals(expected[q], actual[q], "query " + q);
    }
  }

  @ParameterizedTest(name = "D={1} V={2} M={3} K={4} N={5} candidates={6} block={7} slices={8}")
  @CsvSource({
      "11, 16, 4, 4, 16, 800, 50, 7, 1",
      "12, 24, 6, 6, 64, 1500, 120, 16, 3",
      "13, 32, 9, 8, 32, 2000, 400, 41, 2"})
  void batchedTablesGiveTheSameNeighboursAndDistancesToRounding(long seed, int d, int v, int m, int k, int rows,
      int candidates, int block, int slices) {
    Case c = new Case(seed, d, v, m, k, rows);
    SearchOptions options = SearchOptions.of(10, candidates);
    SearchResult[] expected = c.inMemory(options);
    SearchResult[] actual = c.batched(slices).search(c.queries, QUERIES, options, BatchedTables::new, block);
    for (int q = 0; q < QUERIES; q++) {
      assertArrayEquals(expected[q].ids(), actual[q].ids(), "query " + q);
      for (int i = 0; i < expected[q].size(); i++) {
        assertEquals(expected[q].distance(i), actual[q].distance(i), 1e-5 * expected[q].distance(i),
            "query " + q + " rank " + i);
      }
    }
  }

  @ParameterizedTest(name = "local codebooks: D={1} V={2} M={3} K={4} N={5} candidates={6} block={7} slices={8}")
  @CsvSource({
      "51, 16, 4, 4, 16, 800, 50, 7, 1",
      "52, 24, 6, 6, 64, 1500, 1500, 16, 3"})
  void localCodebooksGiveTheInMemorySearchersResults(long seed, int d, int v, int m, int k, int rows,
      int candidates, int block, int slices) {
    Case c = new Case(seed, d, v, m, k, rows, true);
    assertTrue(c.model.hasLocalCodebooks());
    SearchOptions options = SearchOptions.of(10, candidates);
    SearchResult[] expected = c.inMemory(options);
    SearchResult[] perQuery = c.batched(slices).search(c.queries, QUERIES, options, PerQueryTables::new, block);
    SearchResult[] batched = c.batched(slices).search(c.queries, QUERIES, options, BatchedTables::new, block);
    SearchOptions reranked = options.withRerank(40);
    SearchResult[] expectedReranked = c.inMemory(reranked);
    SearchResult[] actualReranked = c.batched(slices).search(c.queries, QUERIES, reranked, BatchedTables::new, block);
    for (int q = 0; q < QUERIES; q++) {
      assertEquals(expected[q], perQuery[q], "query " + q);
      assertArrayEquals(expected[q].ids(), batched[q].ids(), "query " + q);
      for (int i = 0; i < expected[q].size(); i++) {
        assertEquals(expected[q].distance(i), batched[q].distance(i), 1e-5 * expected[q].distance(i),
            "query " + q + " rank " + i);
      }
      assertArrayEquals(expectedReranked[q].ids(), actualReranked[q].ids(), "re-ranked query " + q);
    }
  }

  @ParameterizedTest(name = "rerank depth {1}, slices {2}")
  @CsvSource({"21, 10, 1", "22, 40, 2", "23, 1500, 3"})
  void rerankingOnTheRawVectorsEqualsTheInMemorySearchersReranking(long seed, int depth, int slices) {
    Case c = new Case(seed, 24, 6, 6, 64, 1500);
    SearchOptions options = SearchOptions.of(10, 200).withRerank(depth);
    SearchResult[] expected = c.inMemory(options);
    SearchResult[] actual = c.batched(slices).search(c.queries, QUERIES, options, PerQueryTables::new, 8);
    for (int q = 0; q < QUERIES; q++) {
      assertEquals(expected[q], actual[q], "query " + q);
    }
  }

  @ParameterizedTest(name = "{1} cells")
  @CsvSource({"31, 1", "32, 3", "33, 20", "34, 1000"})
  void aCellBudgetVisitsTheSameCells(long seed, long cells) {
    Case c = new Case(seed, 16, 5, 4, 16, 1000);
    SearchOptions options = SearchOptions.of(10, Integer.MAX_VALUE).withCellBudget(cells);
    SearchResult[] expected = c.inMemory(options);
    BatchedSearch batched = c.batched(2);
    SearchResult[] actual = batched.search(c.queries, QUERIES, options, PerQueryTables::new, 5);
    for (int q = 0; q < QUERIES; q++) {
      assertEquals(expected[q], actual[q], "query " + q);
      assertTrue(batched.cellsVisited()[q] <= cells, "query " + q + " visited " + batched.cellsVisited()[q]);
    }
  }

  @ParameterizedTest(name = "slices {1}")
  @CsvSource({"41, 1", "42, 4"})
  void theCountersAreTheRowsAndCellsTheQueryVisits(long seed, int slices) {
    Case c = new Case(seed, 16, 6, 4, 16, 1200);
    int candidates = 150;
    BatchedSearch batched = c.batched(slices);
    batched.search(c.queries, QUERIES, SearchOptions.of(5, candidates), PerQueryTables::new, 9);
    QueryRouter router = new QueryRouter(c.model, batched.counts(), candidates, SearchOptions.UNLIMITED_CELLS);
    for (int q = 0; q < QUERIES; q++) {
      router.route(c.queries, q * c.model.dimension());
      assertEquals(router.coveredRows(), batched.scanned()[q], "rows of query " + q);
      assertEquals(router.visitedCells(), batched.cellsVisited()[q], "cells of query " + q);
      assertTrue(batched.scanned()[q] >= candidates, "query " + q + " scanned " + batched.scanned()[q]);
    }
  }
}
