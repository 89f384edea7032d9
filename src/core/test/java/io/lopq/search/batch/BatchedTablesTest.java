package io.lopq.search.batch;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.lopq.model.LopqModel;
import io.lopq.model.RandomModels;
import io.lopq.search.AdcTables;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Batched tables against the per-query tables of {@link AdcTables}, to rounding, for every group size. */
class BatchedTablesTest {
  @ParameterizedTest(name = "D={1} V={2} M={3} K={4} local={5}")
  @CsvSource({
      "1, 16, 4, 4, 16, false",
      "2, 24, 6, 6, 64, false",
      "3, 32, 5, 8, 256, false",
      "4, 8, 3, 2, 8, false",
      "5, 16, 4, 4, 16, true",
      "6, 24, 6, 6, 64, true"})
  void tablesEqualTheInMemoryTablesToRounding(long seed, int d, int v, int m, int k, boolean local) {
    Random random = new Random(seed);
    LopqModel shared = RandomModels.create(random, d, v, m, k, 2.0, 1.0);
    LopqModel model = local ? RandomModels.withLocalCodebooks(random, shared, 0.8) : shared;
    int queries = 37;
    float[] vectors = RandomModels.clusteredVectors(random, model, queries, 1.0);
    BatchedTables batched = new BatchedTables(model);
    AdcTables exact = new AdcTables(model);
    int size = batched.tableSize();
    assertEquals(m / 2 * k, size);
    for (int n : new int[] {1, 2, 5, queries}) {
      int[] rows = new int[n];
      for (int i = 0; i < n; i++) {
        rows[i] = (i * 7 + n) % queries;
      }
      // Garbage first: every entry must be written.
      float[] out = new float[n * size + 3];
      java.util.Arrays.fill(out, Float.NaN);
      for (int h = 0; h < LopqModel.HALVES; h++) {
        for (int c = 0; c < v; c++) {
          batched.build(h, c, vectors, rows, n, out);
          for (int i = 0; i < n; i++) {
            exact.setQuery(vectors, rows[i] * d);
            float[] expected = exact.table(h, c);
            for (int e = 0; e < size; e++) {
              float x = expected[e];
              assertEquals(x, out[i * size + e], 1e-5 * Math.max(1, Math.abs(x)),
                  "h=" + h + " c=" + c + " query " + i + " of " + n + " entry " + e);
            }
          }
        }
      }
    }
  }
}
