package io.lopq.spark.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lopq.search.batch.CellCounts;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class BucketPlanTest {
  private static final int V = 16;
  private static final int BUCKETS = 5;

  /** 60 cells; cell 0 is huge (rows), cell 1 is popular (queries), cell 2 is never visited. */
  private static CellCounts counts() {
    int cells = 60;
    int[] c0 = new int[cells];
    int[] c1 = new int[cells];
    long[] rows = new long[cells];
    Random random = new Random(1);
    for (int i = 0; i < cells; i++) {
      c0[i] = i / V;
      c1[i] = i % V;
      rows[i] = 1 + random.nextInt(50);
    }
    rows[0] = 20_000;
    return new CellCounts(V, c0, c1, rows);
  }

  private static long[] requests(CellCounts counts) {
    long[] requests = new long[counts.cells()];
    Random random = new Random(2);
    for (int i = 0; i < requests.length; i++) {
      requests[i] = 1 + random.nextInt(20);
    }
    requests[1] = 5_000;
    requests[2] = 0;
    return requests;
  }

  @Test
  void everyRowOfAVisitedCellIsScannedExactlyOncePerQuery() {
    CellCounts counts = counts();
    BucketPlan plan = BucketPlan.create(counts, requests(counts), BUCKETS);
    int[] rowUnits = new int[plan.maxUnitsPerCell()];
    int[] queryUnits = new int[plan.maxUnitsPerCell()];
    for (int cell = 0; cell < counts.cells(); cell++) {
      if (!plan.isVisited(cell)) {
        continue;
      }
      for (long query = 0; query < 40; query++) {
        Set<Integer> wanted = new HashSet<>();
        int nq = plan.queryUnits(cell, query, queryUnits);
        for (int i = 0; i < nq; i++) {
          wanted.add(queryUnits[i]);
        }
        for (long id = 0; id < 200; id++) {
          int nr = plan.rowUnits(cell, id * 7919, rowUnits);
          int met = 0;
          for (int i = 0; i < nr; i++) {
            met += wanted.contains(rowUnits[i]) ? 1 : 0;
            assertTrue(plan.bucketOf(rowUnits[i]) >= 0 && plan.bucketOf(rowUnits[i]) < BUCKETS);
          }
          assertEquals(1, met, "cell " + cell + ", query " + query + ", row " + id);
        }
      }
    }
  }

  @Test
  void aHugeAndAPopularCellAreSplitOverSeveralBucketsAndTheLoadIsBalanced() {
    CellCounts counts = counts();
    BucketPlan plan = BucketPlan.create(counts, requests(counts), BUCKETS);
    assertTrue(plan.unitsOf(0) > 1, "huge cell split: " + plan.unitsOf(0));
    assertTrue(plan.unitsOf(1) > 1, "popular cell split: " + plan.unitsOf(1));
    assertEquals(0, plan.unitsOf(2), "a cell no query visits gets no unit");
    for (int cell : new int[] {0, 1}) {
      Set<Integer> buckets = new HashSet<>();
      int[] units = new int[plan.maxUnitsPerCell()];
      for (long q = 0; q < 100; q++) {
        int n = plan.queryUnits(cell, q, units);
        for (int i = 0; i < n; i++) {
          buckets.add(plan.bucketOf(units[i]));
        }
      }
      assertTrue(buckets.size() > 1, "cell " + cell + " is served by several buckets: " + buckets);
    }
    long[] costs = plan.bucketCosts();
    long max = 0;
    long sum = 0;
    for (long c : costs) {
      max = Math.max(max, c);
      sum += c;
    }
    assertTrue(max <= 1.6 * sum / BUCKETS, "max bucket cost " + max + " vs mean " + (sum / BUCKETS));
  }

  @Test
  void oneBucketHoldsEverythingUnsplit() {
    CellCounts counts = counts();
    BucketPlan plan = BucketPlan.create(counts, requests(counts), 1);
    for (int cell = 0; cell < counts.cells(); cell++) {
      assertEquals(plan.isVisited(cell) ? 1 : 0, plan.unitsOf(cell));
    }
    for (int u = 0; u < plan.units(); u++) {
      assertEquals(0, plan.bucketOf(u));
    }
  }

  /** Rows each bucket really receives when every cell's rows have ids 0, 1, ... (shipped as ShippedRows does). */
  private static long[] shippedRows(CellCounts counts, BucketPlan plan) {
    long[] rows = new long[plan.buckets()];
    int[] units = new int[plan.maxUnitsPerCell()];
    long id = 0;
    for (int cell = 0; cell < counts.cells(); cell++) {
      for (long r = 0; r < counts.countAt(cell); r++) {
        int n = plan.rowUnits(cell, id++, units);
        for (int i = 0; i < n; i++) {
          rows[plan.bucketOf(units[i])]++;
        }
      }
    }
    return rows;
  }

  @Test
  void expectedRowsPerBucketAreExactForWholeCellsAndAnUpperEstimateForSlicedOnes() {
    CellCounts counts = counts();
    long[] requests = requests(counts);
    BucketPlan whole = BucketPlan.create(counts, requests, 1);
    assertEquals(BucketPlan.visitedRows(counts, requests), whole.expectedRows(0));
    assertEquals(shippedRows(counts, whole)[0], whole.expectedRows(0));
    BucketPlan split = BucketPlan.create(counts, requests, BUCKETS);
    long[] actual = shippedRows(counts, split);
    long expectedTotal = 0;
    long actualTotal = 0;
    for (int b = 0; b < BUCKETS; b++) {
      assertTrue(split.expectedRows(b) >= actual[b], "bucket " + b + ": " + split.expectedRows(b) + " < " + actual[b]);
      assertTrue(split.expectedRows(b) <= 1.1 * actual[b] + 100, "bucket " + b + ": " + split.expectedRows(b)
          + " vs " + actual[b]);
      expectedTotal += split.expectedRows(b);
      actualTotal += actual[b];
    }
    assertTrue(actualTotal > BucketPlan.visitedRows(counts, requests), "the popular cell's rows are replicated");
    assertTrue(expectedTotal >= actualTotal);
  }

  @Test
  void theAutomaticBucketCountGrowsWithTheVisitedRowsAndKeepsItsMinimum() {
    CellCounts counts = counts();
    long[] requests = requests(counts);
    long visited = BucketPlan.visitedRows(counts, requests);
    long cells = BucketPlan.visitedCells(requests);
    assertEquals(counts.cells() - 1, cells, "all but cell 2");
    assertEquals(visited + counts.countAt(2), counts.totalRows());
    int m = 8;
    long bytes = BucketPlan.shippedBytes(counts, requests, m);
    assertEquals(visited * (12 + m + 8) + cells * 40, bytes);
    assertEquals(4, BucketPlan.bucketsFor(counts, requests, m, bytes, 4), "fits one bucket: the minimum");
    assertEquals(4, BucketPlan.bucketsFor(counts, requests, m, bytes / 4 + 1, 4));
    assertEquals(5, BucketPlan.bucketsFor(counts, requests, m, bytes / 4 - 1, 4));
    assertEquals(10, BucketPlan.bucketsFor(counts, requests, m, (bytes + 9) / 10, 4));
    assertEquals(1, BucketPlan.bucketsFor(counts, requests, m, bytes, 1));
    // Ten times the rows in every cell: ten times the buckets at the same limit.
    long[] rows = new long[counts.cells()];
    int[] c0 = new int[counts.cells()];
    int[] c1 = new int[counts.cells()];
    for (int i = 0; i < rows.length; i++) {
      long key = counts.keyAt(i);
      c0[i] = (int) (key / V);
      c1[i] = (int) (key % V);
      rows[i] = 10 * counts.countAt(i);
    }
    CellCounts larger = new CellCounts(V, c0, c1, rows);
    long limit = (bytes + 9) / 10;
    int more = BucketPlan.bucketsFor(larger, requests, m, limit, 4);
    assertTrue(more >= 95 && more <= 100, "buckets for 10x the rows: " + more);
    // Cells no query visits are not counted.
    long[] none = new long[counts.cells()];
    assertEquals(4, BucketPlan.bucketsFor(larger, none, m, 1, 4));
    assertThrows(IllegalArgumentException.class, () -> BucketPlan.bucketsFor(counts, requests, m, 0, 4));
  }
}
