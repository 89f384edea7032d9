package io.lopq.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class MultiSequenceTest {
  @Test
  void unboundedVisitsEveryCellOnceInNonDecreasingOrder() {
    Random random = new Random(1);
    for (int v : new int[] {1, 2, 7, 31}) {
      float[] d0 = distances(random, v);
      float[] d1 = distances(random, v);
      MultiSequence sequence = new MultiSequence(v);
      sequence.start(d0, d1);
      boolean[] seen = new boolean[v * v];
      double[] order = new double[v * v];
      int count = 0;
      double previous = Double.NEGATIVE_INFINITY;
      while (sequence.next()) {
        int cell = sequence.cell0() * v + sequence.cell1();
        assertFalse(seen[cell], "cell visited twice: " + sequence.cell0() + "," + sequence.cell1());
        seen[cell] = true;
        double sum = (double) d0[sequence.cell0()] + d1[sequence.cell1()];
        assertEquals(sum, sequence.distance(), 0.0);
        assertTrue(sum >= previous, "order decreased at visit " + count);
        previous = sum;
        order[count++] = sum;
      }
      assertEquals(v * v, count, "all V^2 cells for V=" + v);
      assertEquals(v * v, sequence.visitedCells());
      double[] all = new double[v * v];
      for (int i = 0; i < v; i++) {
        for (int j = 0; j < v; j++) {
          all[i * v + j] = (double) d0[i] + d1[j];
        }
      }
      Arrays.sort(all);
      assertTrue(Arrays.equals(all, order), "the visit order is the sorted order of all sums");
    }
  }

  @Test
  void tiesVisitInRankOrderAndTheSequenceIsReusable() {
    Random random = new Random(9);
    MultiSequence sequence = new MultiSequence(40);
    for (int trial = 0; trial < 20; trial++) {
      int v = 40;
      float[] d0 = new float[v];
      float[] d1 = new float[v];
      for (int i = 0; i < v; i++) {
        d0[i] = random.nextInt(7) - 2f; // ties, zeros and negatives
        d1[i] = random.nextInt(5) * 0.5f;
      }
      Integer[] rank0 = ranks(d0);
      Integer[] rank1 = ranks(d1);
      Integer[] cells = new Integer[v * v];
      for (int c = 0; c < cells.length; c++) {
        cells[c] = c;
      }
      // Reference: by sum, then by the positions (a, b) in each half's (distance, index) order.
      int[] pos0 = positions(rank0);
      int[] pos1 = positions(rank1);
      Arrays.sort(cells, (x, y) -> {
        double sx = (double) d0[x / v] + d1[x % v];
        double sy = (double) d0[y / v] + d1[y % v];
        if (sx != sy) {
          return Double.compare(sx, sy);
        }
        int a = Integer.compare(pos0[x / v], pos0[y / v]);
        return a != 0 ? a : Integer.compare(pos1[x % v], pos1[y % v]);
      });
      sequence.start(d0, d1);
      int visits = trial % 2 == 0 ? v * v : 1 + random.nextInt(60);
      for (int k = 0; k < visits; k++) {
        assertTrue(sequence.next());
        assertEquals(cells[k] / v, sequence.cell0(), "trial " + trial + " visit " + k);
        assertEquals(cells[k] % v, sequence.cell1(), "trial " + trial + " visit " + k);
      }
    }
  }

  private static Integer[] ranks(float[] d) {
    Integer[] order = new Integer[d.length];
    for (int i = 0; i < d.length; i++) {
      order[i] = i;
    }
    Arrays.sort(order, (x, y) -> d[x] != d[y] ? Float.compare(d[x], d[y]) : Integer.compare(x, y));
    return order;
  }

  private static int[] positions(Integer[] order) {
    int[] pos = new int[order.length];
    for (int p = 0; p < order.length; p++) {
      pos[order[p]] = p;
    }
    return pos;
  }

  @Test
  void stopsOnceTheVisitedCellsHoldEnoughCandidates() {
    Random random = new Random(2);
    int v = 12;
    float[] d0 = distances(random, v);
    float[] d1 = distances(random, v);
    int[][] sizes = new int[v][v];
    for (int[] row : sizes) {
      for (int j = 0; j < v; j++) {
        row[j] = random.nextInt(4);
      }
    }
    MultiSequence sequence = new MultiSequence(v);
    for (long wanted : new long[] {1, 5, 40, 100}) {
      List<int[]> visited = new ArrayList<>();
      long found = sequence.traverse(d0, d1, (a, b) -> sizes[a][b], wanted, SearchOptions.UNLIMITED_CELLS,
          (a, b, d) -> visited.add(new int[] {a, b}));
      long sum = 0;
      for (int i = 0; i < visited.size(); i++) {
        int[] cell = visited.get(i);
        if (i == visited.size() - 1) {
          assertTrue(sum < wanted, "traversal went on after reaching " + wanted);
        }
        sum += sizes[cell[0]][cell[1]];
      }
      assertEquals(sum, found);
      assertTrue(found >= wanted, "found " + found + " of " + wanted);
    }
    List<int[]> budgeted = new ArrayList<>();
    sequence.traverse(d0, d1, (a, b) -> 1, Long.MAX_VALUE, 9, (a, b, d) -> budgeted.add(new int[] {a, b}));
    assertEquals(9, budgeted.size(), "cell budget");
  }

  @Test
  void badInputsAreRejected() {
    MultiSequence sequence = new MultiSequence(3);
    IllegalArgumentException length = assertThrows(IllegalArgumentException.class,
        () -> sequence.start(new float[3], new float[4]));
    assertTrue(length.getMessage().contains("length 4") && length.getMessage().contains("V=3"), length.getMessage());
    IllegalArgumentException nan = assertThrows(IllegalArgumentException.class,
        () -> sequence.start(new float[] {0, Float.NaN, 1}, new float[3]));
    assertTrue(nan.getMessage().contains("NaN"), nan.getMessage());
    assertThrows(IllegalArgumentException.class, () -> new MultiSequence(0));
  }

  /** Non-negative distances with repeats, so that equal sums occur. */
  private static float[] distances(Random random, int v) {
    float[] d = new float[v];
    for (int i = 0; i < v; i++) {
      d[i] = random.nextInt(3 * v) * 0.25f;
    }
    return d;
  }
}
