package io.lopq.spark.encode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Cell ranges per file: contiguous in cell order, about equally full; rows sorted by (cell, id). */
class FileBucketsTest {
  @Test
  void filesGetContiguousBalancedCellRanges() {
    int v = 40;
    int files = 7;
    int bins = FileBuckets.bins(v);
    long[] histogram = new long[bins];
    SplittableRandom random = new SplittableRandom(3);
    int[] c0 = new int[20_000];
    int[] c1 = new int[c0.length];
    for (int i = 0; i < c0.length; i++) {
      // Skewed: low cells are far more frequent.
      c0[i] = (int) (v * Math.pow(random.nextDouble(), 2));
      c1[i] = random.nextInt(v);
      histogram[FileBuckets.bin(c0[i], c1[i], v, bins)]++;
    }
    FileBuckets buckets = FileBuckets.balanced(histogram, v, files);
    int previous = 0;
    for (int a = 0; a < v; a++) {
      for (int b = 0; b < v; b++) {
        int f = buckets.fileOf(a, b);
        assertTrue(f >= previous && f < files, "file of cell (" + a + "," + b + ") is " + f + " after " + previous);
        previous = f;
      }
    }
    long[] perFile = new long[files];
    for (int i = 0; i < c0.length; i++) {
      perFile[buckets.fileOf(c0[i], c1[i])]++;
    }
    long target = c0.length / files;
    for (long count : perFile) {
      assertTrue(Math.abs(count - target) < target / 4, "unbalanced files: " + java.util.Arrays.toString(perFile));
    }
  }

  @Test
  void cellOrderSortsByCellThenId() {
    EncodedChunk chunk = new EncodedChunk(1000, 2, false, 0);
    SplittableRandom random = new SplittableRandom(9);
    for (int i = 0; i < chunk.size; i++) {
      chunk.coarse0[i] = random.nextInt(3);
      chunk.coarse1[i] = random.nextInt(3);
      chunk.longIds[i] = random.nextLong(100_000);
    }
    int[] order = CellOrder.of(chunk);
    boolean[] seen = new boolean[chunk.size];
    for (int j = 0; j < order.length; j++) {
      seen[order[j]] = true;
      if (j > 0) {
        assertTrue(CellOrder.compare(chunk, order[j - 1], order[j]) <= 0, "out of order at " + j);
      }
    }
    for (boolean s : seen) {
      assertTrue(s);
    }
    assertEquals(chunk.size, order.length);
  }
}
