package io.lopq.search.batch;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
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
    CellBlock.Builder builder = new CellBlock.Builder(M).add(4, 1, 1, 0, new byte[M], 0).add(4, 1, 2, 1, new byte[M], 0);
    assertThrows(IllegalArgumentException.class, builder::build);
    assertThrows(IllegalArgumentException.class, () -> new CellBlock.Builder(0));
    assertEquals(0, new CellBlock.Builder(M).build().units());
  }
}
