package io.lopq.search.batch;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lopq.encode.BatchEncoder;
import io.lopq.encode.EncodedBatch;
import io.lopq.model.LopqModel;
import io.lopq.model.RandomModels;
import io.lopq.search.AdcTables;
import io.lopq.search.InMemorySearcher;
import io.lopq.search.SearchOptions;
import io.lopq.search.SearchResult;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The block scanner over a whole index, without Spark, against the in-memory searcher. */
class BlockScannerTest {
  private static final int D = 24;
  private static final int V = 6;
  private static final int M = 6;
  private static final int N = 1500;
  private static final int QUERIES = 33;
  private static final int K = 7;
  private static final int CANDIDATES = 120;

  private final LopqModel model = RandomModels.create(new Random(1), D, V, M, 64, 2.0, 1.0);
  private final float[] vectors = RandomModels.clusteredVectors(new Random(2), model, N, 1.0);
  private final float[] queries = RandomModels.clusteredVectors(new Random(3), model, QUERIES, 1.0);
  private final EncodedBatch codes = new BatchEncoder(model).encode(vectors, N);

  private SearchResult[] scan(TableBuilder tables, int blockSize) {
    CellCounts counts = BatchedSearch.countsOf(V, codes);
    CellBlock block = wholeIndex(counts);
    QueryRouter router = new QueryRouter(model, counts, CANDIDATES, Long.MAX_VALUE);
    BlockScanner scanner = new BlockScanner(model, tables, K);
    QueryBlock queryBlock = new QueryBlock(D, blockSize);
    SearchResult[] results = new SearchResult[QUERIES];
    int[] first = {0};
    for (int q = 0; q < QUERIES; q++) {
      int cells = router.route(queries, q * D);
      queryBlock.add(queries, q * D, false, 0);
      for (int i = 0; i < cells; i++) {
        queryBlock.addUnit(block.indexOf(router.cells()[i]));
      }
      if (queryBlock.isFull() || q == QUERIES - 1) {
        scanner.scan(block, queryBlock, (i, top, scanned) -> results[first[0] + i] = top.drain());
        first[0] += queryBlock.size();
        queryBlock.clear();
      }
    }
    return results;
  }

  private SearchResult[] expected() {
    long[] ids = new long[N];
    for (int i = 0; i < N; i++) {
      ids[i] = 1000L + i;
    }
    return new InMemorySearcher(model, ids, codes).search(queries, QUERIES, SearchOptions.of(K, CANDIDATES));
  }

  @Test
  void perQueryTablesGiveTheInMemorySearchersResultsBitForBit() {
    SearchResult[] expected = expected();
    SearchResult[] actual = scan(new PerQueryTables(model), 5);
    for (int q = 0; q < QUERIES; q++) {
      assertEquals(expected[q], actual[q], "query " + q);
    }
  }

  @Test
  void batchedTablesGiveTheSameNeighboursAndDistancesToRounding() {
    SearchResult[] expected = expected();
    SearchResult[] actual = scan(new BatchedTables(model), 16);
    for (int q = 0; q < QUERIES; q++) {
      assertArrayEquals(expected[q].ids(), actual[q].ids(), "query " + q);
      for (int i = 0; i < K; i++) {
        assertEquals(expected[q].distance(i), actual[q].distance(i), 1e-5 * expected[q].distance(i));
      }
    }
  }

  /** The whole index as one block, every cell one unit (key = its position in the counts). */
  private CellBlock wholeIndex(CellCounts counts) {
    CellBlock.Builder builder = new CellBlock.Builder(M);
    for (int i = 0; i < N; i++) {
      int a = codes.coarse(0, i);
      int b = codes.coarse(1, i);
      builder.add(counts.indexOf(CellCounts.key(V, a, b)), a, b, 1000L + i, codes.fineArray(), codes.fineOffset(i));
    }
    return builder.build();
  }

  @Test
  void everyScannedRowGetsExactlyTheAdcDistanceOfAdcTables() {
    CellCounts counts = BatchedSearch.countsOf(V, codes);
    CellBlock block = wholeIndex(counts);
    BlockScanner scanner = new BlockScanner(model, new PerQueryTables(model), N);
    QueryBlock queryBlock = new QueryBlock(D, 3);
    AdcTables tables = new AdcTables(model);
    for (int q = 0; q < 3; q++) {
      queryBlock.add(queries, q * D, false, 0);
      for (int u = 0; u < block.units(); u++) {
        queryBlock.addUnit(u);
      }
    }
    scanner.scan(block, queryBlock, (i, top, scanned) -> {
      assertEquals(N, scanned);
      assertEquals(N, top.size());
      SearchResult all = top.drain();
      tables.setQuery(queries, i * D);
      for (int r = 0; r < N; r++) {
        int row = (int) (all.id(r) - 1000L);
        float expected = tables.distance(codes.coarse(0, row), codes.coarse(1, row), codes.fineArray(),
            codes.fineOffset(row));
        assertEquals(Float.floatToIntBits(expected), Float.floatToIntBits((float) all.distance(r)),
            "query " + i + ", row " + row);
      }
    });
  }

  @Test
  void topKIsSortedBoundedAndLeavesTheExcludedIdOut() {
    CellCounts counts = BatchedSearch.countsOf(V, codes);
    CellBlock block = wholeIndex(counts);
    BlockScanner scanner = new BlockScanner(model, new BatchedTables(model), K);
    QueryBlock queryBlock = new QueryBlock(D, QUERIES);
    long[] excluded = new long[QUERIES];
    SearchResult[] unrestricted = new SearchResult[QUERIES];
    for (int pass = 0; pass < 2; pass++) {
      queryBlock.clear();
      for (int q = 0; q < QUERIES; q++) {
        queryBlock.add(queries, q * D, pass == 1, excluded[q]);
        queryBlock.addUnit(q % block.units());
        queryBlock.addUnit((q + 1) % block.units());
      }
      int p = pass;
      scanner.scan(block, queryBlock, (i, top, scanned) -> {
        SearchResult r = top.drain();
        long rows = block.size(i % block.units()) + block.size((i + 1) % block.units());
        assertEquals(rows, scanned, "query " + i);
        assertEquals(Math.min(K, rows - p), r.size(), "query " + i + " keeps min(k, rows)");
        for (int j = 1; j < r.size(); j++) {
          assertTrue(r.distance(j - 1) < r.distance(j)
              || (r.distance(j - 1) == r.distance(j) && r.id(j - 1) < r.id(j)), "(distance, id) order");
        }
        if (p == 0) {
          unrestricted[i] = r;
          excluded[i] = r.id(0);
        } else {
          for (int j = 0; j < r.size(); j++) {
            assertTrue(r.id(j) != excluded[i], "query " + i + " leaves id " + excluded[i] + " out");
            if (j + 1 < unrestricted[i].size()) {
              assertEquals(unrestricted[i].id(j + 1), r.id(j), "the others move up one rank");
            }
          }
        }
      });
    }
  }

  @Test
  void codesOfAnotherWidthAreRejected() {
    CellBlock block = new CellBlock.Builder(M + 2).add(0, 0, 0, 1, new byte[M + 2], 0).build();
    BlockScanner scanner = new BlockScanner(model, new BatchedTables(model), K);
    QueryBlock queryBlock = new QueryBlock(D, 1);
    queryBlock.add(queries, 0, false, 0);
    assertThrows(IllegalArgumentException.class, () -> scanner.scan(block, queryBlock, (i, top, n) -> { }));
    assertThrows(IllegalArgumentException.class, () -> new BlockScanner(model, new BatchedTables(model), 0));
  }
}
