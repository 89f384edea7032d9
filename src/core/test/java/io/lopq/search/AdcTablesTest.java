package io.lopq.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lopq.model.RandomModels;
import io.lopq.encode.LopqEncoder;
import io.lopq.model.LopqCode;
import io.lopq.model.LopqModel;
import java.util.Random;
import org.junit.jupiter.api.Test;

class AdcTablesTest {
  private static final double RELATIVE = 1e-4;

  @Test
  void adcEqualsTheExactDistanceToTheReconstruction() {
    assertAdcIsExact(RandomModels.create(new Random(1), 48, 6, 8, 64, 2.0, 1.0));
  }

  @Test
  void adcEqualsTheExactDistanceToTheReconstructionWithLocalCodebooks() {
    LopqModel model = RandomModels.withLocalCodebooks(new Random(7),
        RandomModels.create(new Random(1), 48, 6, 8, 64, 2.0, 1.0), 1.0);
    assertTrue(model.hasLocalCodebooks());
    assertAdcIsExact(model);
  }

  @Test
  void localCodebooksChangeTheTablesOfTheirCellOnly() {
    LopqModel global = RandomModels.create(new Random(8), 16, 4, 4, 16, 2.0, 1.0);
    float[][][] local = new float[4][4][];
    for (int m = 0; m < 4; m++) {
      for (int c = 0; c < 4; c++) {
        local[m][c] = global.codebook(m);
      }
    }
    local[1][2] = RandomModels.gaussian(new Random(9), 16 * 4, 1.0);
    LopqModel model = global.withLocalCodebooks(local);
    float[] query = RandomModels.gaussian(new Random(10), 16, 1.0);
    AdcTables a = new AdcTables(global);
    AdcTables b = new AdcTables(model);
    a.setQuery(query);
    b.setQuery(query);
    for (int c = 0; c < 4; c++) {
      assertEquals(c != 2, java.util.Arrays.equals(a.table(0, c), b.table(0, c)), "half 0, cluster " + c);
      assertTrue(java.util.Arrays.equals(a.table(1, c), b.table(1, c)), "half 1 uses the shared codebooks");
    }
  }

  private static void assertAdcIsExact(LopqModel model) {
    LopqEncoder reference = new LopqEncoder(model);
    AdcTables tables = new AdcTables(model);
    Random random = new Random(2);
    float[] queries = RandomModels.clusteredVectors(random, model, 20, 1.0);
    byte[] fine = new byte[8];
    for (int q = 0; q < 20; q++) {
      float[] query = java.util.Arrays.copyOfRange(queries, q * 48, (q + 1) * 48);
      tables.setQuery(query);
      for (int t = 0; t < 100; t++) {
        random.nextBytes(fine);
        for (int m = 0; m < 8; m++) {
          fine[m] = (byte) ((fine[m] & 0xFF) % 64);
        }
        LopqCode code = new LopqCode(random.nextInt(6), random.nextInt(6), fine);
        float[] xhat = reference.decode(code);
        double exact = 0;
        for (int j = 0; j < 48; j++) {
          double diff = (double) query[j] - xhat[j];
          exact += diff * diff;
        }
        double adc = tables.distance(code.coarse0(), code.coarse1(), fine, 0);
        assertEquals(exact, adc, RELATIVE * exact, "query " + q + " code " + code);
      }
    }
  }

  @Test
  void tablesAreBuiltOncePerQueryAndCoarseIndex() {
    LopqModel model = RandomModels.create(new Random(3), 16, 4, 4, 16, 2.0, 1.0);
    AdcTables tables = new AdcTables(model);
    float[] query = RandomModels.gaussian(new Random(4), 16, 1.0);
    tables.setQuery(query);
    float[] first = tables.table(0, 2);
    assertSame(first, tables.table(0, 2));
    tables.table(1, 2);
    tables.table(1, 3);
    assertEquals(3, tables.tablesBuilt());
    float[] copy = first.clone();
    tables.setQuery(RandomModels.gaussian(new Random(5), 16, 1.0));
    float[] next = tables.table(0, 2);
    assertEquals(4, tables.tablesBuilt(), "a new query rebuilds");
    assertTrue(!java.util.Arrays.equals(copy, next), "the new query's table differs");
  }

  @Test
  void badQueriesAreRejected() {
    LopqModel model = RandomModels.create(new Random(6), 16, 4, 4, 16, 2.0, 1.0);
    AdcTables tables = new AdcTables(model);
    IllegalArgumentException dimension = assertThrows(IllegalArgumentException.class,
        () -> tables.setQuery(new float[15]));
    assertTrue(dimension.getMessage().contains("16"), dimension.getMessage());
    float[] nan = new float[16];
    nan[7] = Float.NaN;
    IllegalArgumentException value = assertThrows(IllegalArgumentException.class, () -> tables.setQuery(nan));
    assertTrue(value.getMessage().contains("index 7"), value.getMessage());
    assertThrows(IllegalStateException.class, () -> new AdcTables(model).table(0, 0));
  }
}
