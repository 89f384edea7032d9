package io.lopq.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lopq.encode.BatchEncoder;
import io.lopq.encode.EncodedBatch;
import io.lopq.model.LopqModel;
import io.lopq.model.RandomModels;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The online index gives the in-memory searcher's results, bit for bit, whatever order its rows came in. */
class CompactIndexTest {
  private static final int D = 32;
  private static final int N = 3000;
  private static final int QUERIES = 20;

  private final LopqModel model = RandomModels.create(new Random(1), D, 8, 4, 32, 2.0, 1.0);
  private final float[] vectors = RandomModels.clusteredVectors(new Random(2), model, N, 1.0);
  private final float[] queries = RandomModels.clusteredVectors(new Random(3), model, QUERIES, 1.0);
  private final EncodedBatch codes = new BatchEncoder(model).encode(vectors, N);

  /** Ids 0..N-1 (row numbers, as for an fvecs corpus), added in a shuffled order. */
  private CompactIndex index(long seed) {
    int[] order = new int[N];
    for (int i = 0; i < N; i++) {
      order[i] = i;
    }
    Random random = new Random(seed);
    for (int i = N - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      int t = order[i];
      order[i] = order[j];
      order[j] = t;
    }
    CompactIndex.Builder builder = CompactIndex.builder(model);
    for (int i : order) {
      builder.add(i, codes.coarse(0, i), codes.coarse(1, i), codes.fineArray(), codes.fineOffset(i));
    }
    assertEquals(N, builder.size());
    return builder.build();
  }

  private long[] rowIds() {
    long[] ids = new long[N];
    for (int i = 0; i < N; i++) {
      ids[i] = i;
    }
    return ids;
  }

  private float[] query(int q) {
    float[] query = new float[D];
    System.arraycopy(queries, q * D, query, 0, D);
    return query;
  }

  @Test
  void givesTheInMemorySearchersResultsForCandidatesCellBudgetsAndReRanking() {
    InMemorySearcher reference = new InMemorySearcher(model, rowIds(), codes, vectors);
    CompactIndex index = index(7);
    assertEquals(N, index.size());
    assertEquals(reference.nonEmptyCells(), index.nonEmptyCells());
    assertEquals((long) N * (Long.BYTES + model.subquantizers())
        + (long) index.nonEmptyCells() * (Long.BYTES + Integer.BYTES) + Integer.BYTES, index.arrayBytes());
    RawVectors raw = RawVectors.rows(vectors, D);
    SearchOptions[] settings = {
      SearchOptions.of(10, 100), SearchOptions.of(10, 1000), SearchOptions.of(1, 1), SearchOptions.of(25, N),
      SearchOptions.of(10, 10).withCellBudget(3), SearchOptions.of(10, 200).withRerank(50),
      SearchOptions.of(5, N).withRerank(N)};
    for (SearchOptions options : settings) {
      CompactIndex.Searcher searcher = index.searcher(options, raw);
      for (int q = 0; q < QUERIES; q++) {
        SearchResult expected = reference.search(query(q), options);
        assertEquals(expected, searcher.search(query(q)), options + " query " + q);
        assertTrue(searcher.lastCandidates() >= Math.min(options.candidates(), N) || options.maxCells() < N,
            options + " query " + q + " ranked " + searcher.lastCandidates());
      }
    }
    for (int c0 = 0; c0 < model.coarseClusters(); c0++) {
      for (int c1 = 0; c1 < model.coarseClusters(); c1++) {
        assertEquals(reference.cellSize(c0, c1), index.cellSize(c0, c1), "cell (" + c0 + ", " + c1 + ")");
      }
    }
  }

  @Test
  void servesModelsWithLocalCodebooksAsTheInMemorySearcherDoes() {
    // Every cell's codebooks: the shared ones, moved by a random offset per cell.
    Random random = new Random(4);
    int m = model.subquantizers();
    float[][][] local = new float[m][model.coarseClusters()][];
    for (int j = 0; j < m; j++) {
      for (int c = 0; c < model.coarseClusters(); c++) {
        local[j][c] = model.codebook(j).clone();
        for (int i = 0; i < local[j][c].length; i++) {
          local[j][c][i] += (float) random.nextGaussian() * 0.5f;
        }
      }
    }
    LopqModel localModel = model.withLocalCodebooks(local);
    EncodedBatch localCodes = new BatchEncoder(localModel).encode(vectors, N);
    CompactIndex.Builder builder = CompactIndex.builder(localModel);
    for (int i = 0; i < N; i++) {
      builder.add(i, localCodes.coarse(0, i), localCodes.coarse(1, i), localCodes.fineArray(), localCodes.fineOffset(i));
    }
    CompactIndex index = builder.build();
    InMemorySearcher reference = new InMemorySearcher(localModel, rowIds(), localCodes, vectors);
    for (SearchOptions options : new SearchOptions[] {SearchOptions.of(10, 300), SearchOptions.of(5, 200).withRerank(40)}) {
      CompactIndex.Searcher searcher = index.searcher(options, RawVectors.rows(vectors, D));
      for (int q = 0; q < QUERIES; q++) {
        assertEquals(reference.search(query(q), options), searcher.search(query(q)), options + " query " + q);
      }
    }
  }

  @Test
  void theOrderRowsArriveInDoesNotMatter() {
    CompactIndex a = index(1);
    CompactIndex b = index(2);
    SearchOptions options = SearchOptions.of(10, 300);
    for (int q = 0; q < QUERIES; q++) {
      assertEquals(a.search(query(q), options), b.search(query(q), options), "query " + q);
    }
  }

  @Test
  void anEmptyIndexFindsNothing() {
    CompactIndex empty = CompactIndex.builder(model).build();
    assertEquals(0, empty.size());
    assertEquals(0, empty.search(query(0), SearchOptions.of(10, 100)).size());
  }

  @Test
  void refusesBadRowsQueriesAndReRankingWithoutVectors() {
    CompactIndex.Builder builder = CompactIndex.builder(model);
    IllegalArgumentException cell = assertThrows(IllegalArgumentException.class,
        () -> builder.add(42, 8, 0, new byte[4], 0));
    assertTrue(cell.getMessage().contains("id 42") && cell.getMessage().contains("(8, 0)"), cell.getMessage());
    IllegalArgumentException shortCodes = assertThrows(IllegalArgumentException.class,
        () -> builder.add(43, 0, 0, new byte[3], 0));
    assertTrue(shortCodes.getMessage().contains("M=4"), shortCodes.getMessage());
    CompactIndex index = index(3);
    IllegalArgumentException dimension = assertThrows(IllegalArgumentException.class,
        () -> index.search(new float[D - 1], SearchOptions.of(10, 100)));
    assertTrue(dimension.getMessage().contains("dimension " + (D - 1)), dimension.getMessage());
    assertThrows(IllegalArgumentException.class,
        () -> index.searcher(SearchOptions.of(10, 100).withRerank(20), null));
    assertThrows(IllegalArgumentException.class,
        () -> index.searcher(SearchOptions.of(10, 100).withRerank(20), RawVectors.rows(new float[8], 4)));
    IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
        () -> index.searcher(SearchOptions.of(10, 100).withRerank(20), RawVectors.rows(new float[D], D))
            .search(query(0)));
    assertTrue(unknown.getMessage().contains("no raw vector with id"), unknown.getMessage());
    IllegalArgumentException corrupt = assertThrows(IllegalArgumentException.class,
        () -> new CompactIndex(model, new long[] {5, 3}, new int[] {0, 1, 2}, new long[2], new byte[8]));
    assertTrue(corrupt.getMessage().contains("not above the previous"), corrupt.getMessage());
  }
}
