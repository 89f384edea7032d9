package io.lopq.search.batch;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class CellBlockTest {
  private static final int M = 3;

  private static byte[] codesOf(long id) {
    return new byte[] {(byte) id, (byte) (id >> 8), (byte) -id};
  }

  /** Rows of units given by key, added interleaved; a unit's cell follows from its key. */
  private static CellBlock build(long[] keys, int rowsPerUnit) {
    CellBlock.Builder builder = new CellBlock.Builder(M);
    long id = 0;
    for (int r = 0; r < rowsPerUnit; r++) {
      for (long key : keys) {
        int cell = (int) Math.floorMod(key, 5L);
        builder.add(key, cell, cell + 1, id, codesOf(id), 0);
        id++;
      }
    }
    assertEquals(keys.length * rowsPerUnit, builder.size());
    return builder.build();
  }

  @Test
  void unitsAreSortedByKeyAndHoldTheirRowsInInsertionOrder() {
    for (long[] keys : new long[][] {{9, 2, 5, 0}, {1L << 40, -3, 7, Long.MAX_VALUE}}) {
      CellBlock block = build(keys, 4);
      long[] sorted = keys.clone();
      Arrays.sort(sorted);
      assertEquals(keys.length, block.units());
      assertEquals(keys.length * 4, block.rows());
      for (int u = 0; u < block.units(); u++) {
        assertEquals(sorted[u], block.unitKey(u));
        assertEquals(u, block.indexOf(sorted[u]));
        int cell = (int) Math.floorMod(sorted[u], 5L);
        assertEquals(cell, block.cell0(u));
        assertEquals(cell + 1, block.cell(1, u));
        assertEquals(4, block.size(u));
        List<Long> ids = new ArrayList<>();
        for (int r = block.start(u); r < block.end(u); r++) {
          ids.add(block.id(r));
          byte[] codes = Arrays.copyOfRange(block.codeArray(), r * M, r * M + M);
          assertArrayEquals(codesOf(block.id(r)), codes, "codes travel with their id");
        }
        for (int i = 1; i < ids.size(); i++) {
          assertTrue(ids.get(i - 1) < ids.get(i), "stable: " + ids);
        }
      }
      assertTrue(block.indexOf(12345) < 0);
    }
  }

  @Test
  void aUnitWithTwoCellsOrNoCodesIsRejected() {
    CellBlock.Builder builder = new CellBlock.Builder(M).add(4, 1, 1, 0, new byte[M], 0).add(5, 1, 2, 1, new byte[M], 0);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> builder.add(4, 1, 2, 2, new byte[M], 0));
    assertTrue(e.getMessage().contains("unit 4 holds rows of cells (1, 1) and (1, 2)"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> new CellBlock.Builder(0));
    assertThrows(IllegalArgumentException.class, () -> new CellBlock.Builder(M, -1));
    assertEquals(0, new CellBlock.Builder(M).build().units());
    assertEquals(0, new CellBlock.Builder(M, 0).build().rows());
  }

  /** Random rows of many units of any long key, in a random order, added to {@code builder}. */
  private static CellBlock fill(CellBlock.Builder builder, int rows, long seed) {
    Random random = new Random(seed);
    long[] keys = new long[rows / 3 + 1];
    for (int i = 0; i < keys.length; i++) {
      keys[i] = i % 4 == 0 ? random.nextLong() : random.nextInt(4 * keys.length);
    }
    byte[] fine = new byte[M];
    for (int r = 0; r < rows; r++) {
      long key = keys[random.nextInt(keys.length)];
      random.nextBytes(fine);
      builder.add(key, (int) (key & 7), (int) (key >>> 61), random.nextLong(), fine, 0);
    }
    return builder.build();
  }

  private static void assertSameBlock(CellBlock expected, CellBlock actual) {
    assertEquals(expected.rows(), actual.rows());
    assertEquals(expected.units(), actual.units());
    for (int u = 0; u < expected.units(); u++) {
      assertEquals(expected.unitKey(u), actual.unitKey(u));
      assertEquals(expected.cell0(u), actual.cell0(u));
      assertEquals(expected.cell1(u), actual.cell1(u));
      assertEquals(expected.start(u), actual.start(u));
      assertEquals(expected.end(u), actual.end(u));
    }
    for (int r = 0; r < expected.rows(); r++) {
      assertEquals(expected.id(r), actual.id(r));
      assertArrayEquals(Arrays.copyOfRange(expected.codeArray(), r * M, r * M + M),
          Arrays.copyOfRange(actual.codeArray(), r * M, r * M + M));
    }
  }

  @Test
  void aPresizedBuilderGivesTheSameBlockAsAGrowingOneWhetherItsEstimateIsExactLowOrHigh() {
    for (int rows : new int[] {0, 1, 63, 64, 65, 1000, 20_000}) {
      CellBlock grown = fill(new CellBlock.Builder(M), rows, rows);
      assertEquals(rows, grown.rows());
      for (int expected : new int[] {rows, rows / 2, rows / 9, 0, rows + 500}) {
        assertSameBlock(grown, fill(new CellBlock.Builder(M, expected), rows, rows));
      }
    }
  }

  @Test
  void theBlockHoldsExactlyItsRowsWhateverTheBuildersCapacity() {
    int rows = 10_000;
    CellBlock exact = fill(new CellBlock.Builder(M, rows), rows, 7);
    for (CellBlock block : new CellBlock[] {exact, fill(new CellBlock.Builder(M), rows, 7),
        fill(new CellBlock.Builder(M, rows + rows / 10), rows, 7)}) {
      assertEquals(rows, block.idArray().length, "no slack");
      assertEquals(rows * M, block.codeArray().length);
      assertSameBlock(exact, block);
    }
  }

  @Test
  void bytesAtThePeakAreTwelvePlusMPlusTheLargerOfEightAndMPerRowAndFortyPerUnit() {
    assertEquals(12 + M, CellBlock.Builder.ROW_BYTES + M);
    assertEquals(1_000_000L * (12 + 8 + 8) + 1_000L * 40, CellBlock.Builder.bytes(1_000_000, 1_000, 8));
    assertEquals(1_000_000L * (12 + 16 + 16) + 1_000L * 40, CellBlock.Builder.bytes(1_000_000, 1_000, 16));
  }
}
