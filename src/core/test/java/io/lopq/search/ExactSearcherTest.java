package io.lopq.search;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lopq.model.RandomModels;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ExactSearcherTest {
  @Test
  void equalsANaiveDoubleLoopAcrossBlocks() {
    int n = ExactSearcher.BASE_BLOCK * 2 + 77;
    int queries = ExactSearcher.QUERY_BLOCK + 13;
    int d = 24;
    float[] base = RandomModels.gaussian(new Random(1), n * d, 1.0);
    float[] query = RandomModels.gaussian(new Random(2), queries * d, 1.0);
    long[] ids = new long[n];
    for (int i = 0; i < n; i++) {
      ids[i] = 1000L + 3L * i;
    }
    SearchResult[] results = new ExactSearcher(base, n, d, ids).search(query, queries, 10);
    for (int q = 0; q < queries; q++) {
      SearchResult expected = naive(base, n, d, ids, query, q, 10);
      assertArrayEquals(expected.ids(), results[q].ids(), "query " + q);
      for (int i = 0; i < 10; i++) {
        assertEquals(expected.distance(i), results[q].distance(i), 1e-9 * expected.distance(i));
      }
    }
  }

  @Test
  void exactTiesGoToTheSmallerIdLikeTheNaiveLoop() {
    // Small integers: every product and sum is exact in double, so ties are exact ties.
    Random random = new Random(3);
    int n = 600;
    int d = 6;
    float[] base = new float[n * d];
    for (int i = 0; i < base.length; i++) {
      base[i] = random.nextInt(3) - 1;
    }
    float[] query = new float[5 * d];
    for (int i = 0; i < query.length; i++) {
      query[i] = random.nextInt(3) - 1;
    }
    SearchResult[] results = new ExactSearcher(base, n, d).search(query, 5, 25);
    for (int q = 0; q < 5; q++) {
      SearchResult expected = naive(base, n, d, null, query, q, 25);
      assertEquals(expected, results[q], "query " + q);
    }
  }

  @Test
  void badInputsAreRejected() {
    ExactSearcher searcher = new ExactSearcher(new float[12], 3, 4);
    IllegalArgumentException k = assertThrows(IllegalArgumentException.class, () -> searcher.search(new float[4], 0));
    assertTrue(k.getMessage().contains("k must be >= 1"), k.getMessage());
    IllegalArgumentException dimension = assertThrows(IllegalArgumentException.class,
        () -> searcher.search(new float[5], 1));
    assertTrue(dimension.getMessage().contains("dimension 5"), dimension.getMessage());
    float[] nan = new float[8];
    nan[6] = Float.NaN;
    IllegalArgumentException value = assertThrows(IllegalArgumentException.class, () -> searcher.search(nan, 2, 1));
    assertTrue(value.getMessage().contains("query 1") && value.getMessage().contains("index 2"), value.getMessage());
    float[] badBase = new float[12];
    badBase[9] = Float.POSITIVE_INFINITY;
    IllegalArgumentException row = assertThrows(IllegalArgumentException.class, () -> new ExactSearcher(badBase, 3, 4));
    assertTrue(row.getMessage().contains("row 2"), row.getMessage());
  }

  static SearchResult naive(float[] base, int n, int d, long[] ids, float[] queries, int q, int k) {
    Long[] order = new Long[n];
    double[] distances = new double[n];
    for (int r = 0; r < n; r++) {
      double s = 0;
      for (int j = 0; j < d; j++) {
        double diff = (double) queries[q * d + j] - base[r * d + j];
        s += diff * diff;
      }
      distances[r] = s;
      order[r] = (long) r;
    }
    java.util.Arrays.sort(order, (a, b) -> distances[(int) (long) a] != distances[(int) (long) b]
        ? Double.compare(distances[(int) (long) a], distances[(int) (long) b])
        : Long.compare(ids == null ? a : ids[(int) (long) a], ids == null ? b : ids[(int) (long) b]));
    int kept = Math.min(k, n);
    long[] outIds = new long[kept];
    double[] outDistances = new double[kept];
    for (int i = 0; i < kept; i++) {
      int r = (int) (long) order[i];
      outIds[i] = ids == null ? r : ids[r];
      outDistances[i] = distances[r];
    }
    return new SearchResult(outIds, outDistances);
  }
}
