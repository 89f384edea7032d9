package io.lopq.search.batch;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lopq.encode.BatchEncoder;
import io.lopq.encode.EncodedBatch;
import io.lopq.model.LopqModel;
import io.lopq.model.RandomModels;
import io.lopq.search.CoarseDistances;
import io.lopq.search.MultiSequence;
import io.lopq.search.SearchOptions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class QueryRouterTest {
  private static final int D = 16;
  private static final int V = 7;
  private static final int N = 900;
  private static final int QUERIES = 30;

  private final LopqModel model = RandomModels.create(new Random(1), D, V, 4, 16, 2.0, 1.0);
  private final EncodedBatch codes = new BatchEncoder(model).encode(
      RandomModels.clusteredVectors(new Random(2), model, N, 1.0), N);
  private final float[] queries = RandomModels.clusteredVectors(new Random(3), model, QUERIES, 1.5);
  private final CellCounts counts = BatchedSearch.countsOf(V, codes);

  /** The non-empty cells (positions in the counts) the multi-sequence visits, in its order. */
  private int[] multiSequenceCells(int q, long candidates, long maxCells, long[] visitedAndCovered) {
    float[] d0 = new float[V];
    float[] d1 = new float[V];
    CoarseDistances.compute(model, queries, q * D, 0, d0);
    CoarseDistances.compute(model, queries, q * D, 1, d1);
    MultiSequence sequence = new MultiSequence(V);
    List<Integer> cells = new ArrayList<>();
    long covered = sequence.traverse(d0, d1, counts, Math.min(candidates, N), maxCells, (c0, c1, distance) -> {
      int i = counts.indexOf(CellCounts.key(V, c0, c1));
      if (i >= 0) {
        cells.add(i);
      }
    });
    visitedAndCovered[0] = sequence.visitedCells();
    visitedAndCovered[1] = covered;
    return cells.stream().mapToInt(Integer::intValue).toArray();
  }

  @Test
  void routingVisitsTheNonEmptyCellsInMultiSequenceOrder() {
    for (long candidates : new long[] {1, 40, 300, N, 10 * N}) {
      QueryRouter router = new QueryRouter(model, counts, candidates, SearchOptions.UNLIMITED_CELLS);
      for (int q = 0; q < QUERIES; q++) {
        long[] expected = new long[2];
        int[] cells = multiSequenceCells(q, candidates, SearchOptions.UNLIMITED_CELLS, expected);
        int n = router.route(queries, q * D);
        assertEquals(n, router.cellCount());
        assertArrayEquals(cells, Arrays.copyOf(router.cells(), n), "candidates " + candidates + ", query " + q);
        assertEquals(expected[0], router.visitedCells(), "cells visited");
        assertEquals(expected[1], router.coveredRows(), "rows covered");
      }
    }
  }

  @Test
  void routingStopsAtTheFirstCellThatCompletesTheCandidates() {
    long candidates = 150;
    QueryRouter router = new QueryRouter(model, counts, candidates, SearchOptions.UNLIMITED_CELLS);
    for (int q = 0; q < QUERIES; q++) {
      int n = router.route(queries, q * D);
      long covered = 0;
      for (int i = 0; i < n; i++) {
        covered += counts.countAt(router.cells()[i]);
      }
      assertEquals(router.coveredRows(), covered, "query " + q);
      assertTrue(covered >= candidates, "query " + q + " covers " + covered);
      assertTrue(covered - counts.countAt(router.cells()[n - 1]) < candidates, "query " + q + ": the last cell was needed");
    }
  }

  @Test
  void aCellBudgetBoundsTheCellsVisited() {
    for (long budget : new long[] {1, 2, 5, V * V}) {
      QueryRouter router = new QueryRouter(model, counts, Long.MAX_VALUE, budget);
      for (int q = 0; q < QUERIES; q++) {
        long[] expected = new long[2];
        int[] cells = multiSequenceCells(q, Long.MAX_VALUE, budget, expected);
        int n = router.route(queries, q * D);
        assertEquals(Math.min(budget, (long) V * V), router.visitedCells(), "budget " + budget);
        assertArrayEquals(cells, Arrays.copyOf(router.cells(), n), "budget " + budget + ", query " + q);
      }
    }
  }

  @Test
  void countsOfAnotherModelOrBadBudgetsAreRejected() {
    CellCounts other = new CellCounts(V + 1, new int[] {0}, new int[] {0}, new long[] {1});
    assertThrows(IllegalArgumentException.class, () -> new QueryRouter(model, other, 10, 10));
    assertThrows(IllegalArgumentException.class, () -> new QueryRouter(model, counts, 0, 10));
    assertThrows(IllegalArgumentException.class, () -> new QueryRouter(model, counts, 10, 0));
  }
}
