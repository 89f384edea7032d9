package io.lopq.spark.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lopq.search.batch.CellBlock;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class CodeRowsTest {
  private static final int M = 4;

  @Test
  void chunkSizeShrinksWithBucketsWithinItsBounds() {
    assertEquals(CodeRows.MAX_CHUNK_ROWS, CodeRows.chunkRows(1));
    assertEquals(CodeRows.BUFFERED_ROWS / 64, CodeRows.chunkRows(64));
    assertEquals(CodeRows.MIN_CHUNK_ROWS, CodeRows.chunkRows(100_000));
  }

  @Test
  void everyRowArrivesOnceInItsBucketWithItsUnitCellIdAndCodes() {
    int buckets = 3;
    int rows = 10_000;
    CodeRows.Shipper shipper = new CodeRows.Shipper(buckets, M);
    List<int[]> shippedBuckets = new ArrayList<>();
    List<CodeRows> shipped = new ArrayList<>();
    Random random = new Random(5);
    int[] bucketOf = new int[rows];
    for (int r = 0; r < rows; r++) {
      bucketOf[r] = random.nextInt(buckets);
      byte[] codes = {(byte) r, (byte) (r >> 8), (byte) 7, (byte) -1};
      CodeRows full = shipper.add(bucketOf[r], 1000L + r % 17, r % 17 % 5, r % 17 % 11, r, codes);
      if (full != null) {
        assertEquals(CodeRows.chunkRows(buckets), full.size());
        shippedBuckets.add(new int[] {bucketOf[r]});
        shipped.add(full);
      }
    }
    int[] drained = new int[1];
    for (CodeRows last = shipper.drain(drained); last != null; last = shipper.drain(drained)) {
      assertTrue(last.size() > 0 && last.size() < CodeRows.chunkRows(buckets));
      shippedBuckets.add(new int[] {drained[0]});
      shipped.add(last);
    }
    assertEquals(-1, drained[0]);
    assertNull(shipper.drain(drained));
    CellBlock.Builder[] builders = new CellBlock.Builder[buckets];
    for (int b = 0; b < buckets; b++) {
      builders[b] = new CellBlock.Builder(M);
    }
    int total = 0;
    for (int i = 0; i < shipped.size(); i++) {
      CodeRows chunk = shipped.get(i);
      for (int j = 0; j < chunk.size(); j++) {
        int id = (int) chunk.id(j);
        assertEquals((byte) id, chunk.code(j, 0));
        assertEquals((byte) (id >> 8), chunk.code(j, 1));
        assertEquals((byte) 7, chunk.code(j, 2));
        assertEquals((byte) -1, chunk.code(j, 3));
      }
      shipped.get(i).addTo(builders[shippedBuckets.get(i)[0]]);
      total += shipped.get(i).size();
    }
    assertEquals(rows, total);
    boolean[] seen = new boolean[rows];
    for (int b = 0; b < buckets; b++) {
      CellBlock block = builders[b].build();
      for (int u = 0; u < block.units(); u++) {
        for (int r = block.start(u); r < block.end(u); r++) {
          int id = (int) block.id(r);
          assertEquals(b, bucketOf[id], "row " + id);
          assertEquals(1000L + id % 17, block.unitKey(u));
          assertEquals(id % 17 % 5, block.cell0(u));
          assertEquals(id % 17 % 11, block.cell1(u));
          assertTrue(!seen[id], "row " + id + " twice");
          seen[id] = true;
        }
      }
    }
  }
}
