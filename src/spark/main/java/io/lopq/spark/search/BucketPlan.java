package io.lopq.spark.search;

import io.lopq.search.batch.CellBlock;
import io.lopq.search.batch.CellCounts;
import java.io.Serializable;
import java.util.Arrays;

/**
 * How the cells of the index are spread over the {@code P} tasks of the distributed search, made
 * on the driver from the per-cell row counts and the number of queries that visit each cell.
 *
 * <p><b>Units.</b> The work of a cell grows with rows x queries. A cell whose cost exceeds a
 * fraction of a task's fair share is split into {@code s x g} units: its rows are cut into
 * {@code s} salted slices (by a hash of the id) and its queries into {@code g} replica groups (by
 * a hash of the query); unit {@code (slice, replica)} holds the slice's rows and serves the
 * group's queries, so a row is shipped to {@code g} units and a query to {@code s}. A huge cell
 * is thus scanned by several tasks, and a very popular one too.
 *
 * <pre>
 *   cost(unit)  = rows x queries + rows + REQUEST_COST x queries
 *   split when  cost(cell) &gt; total / (P x UNITS_PER_BUCKET):   n = ceil(cost / limit) pieces,
 *               s ~ sqrt(n rows / queries) (at most rows),  g = ceil(n / s) (at most queries)
 *   buckets     pieces of split cells: each to the least loaded bucket without a piece of that cell;
 *               whole cells: in Morton order of (c0, c1), filling bucket after bucket up to cost total / P
 * </pre>
 *
 * Morton order keeps cells that share a coarse index in few buckets, so a query's table of
 * {@code (half, coarse index)} is built in few tasks. Cells no query visits get no unit: their rows
 * are not shipped at all. Immutable; broadcast to the tasks.
 *
 * <p><b>How many buckets.</b> A bucket's task builds one {@link CellBlock} of all its rows, so P
 * bounds the memory of a task. {@link #bucketsFor} picks P from the bytes the visited cells' rows
 * take while a block is built ({@link CellBlock.Builder#bytes}), so that a bucket stays under a
 * byte limit however large the index: {@code P = max(minimum, ceil(shipped bytes / limit))}.
 * Each bucket's rows are known before any is shipped ({@link #expectedRows}), so its builder is
 * allocated once at the right size.
 */
public final class BucketPlan implements Serializable {
  private static final long serialVersionUID = 1L;
  /** Extra cost of one (query, cell) request, in rows-scanned equivalents (routing, a share of its tables). */
  public static final long REQUEST_COST = 128;
  /** A unit may cost at most 1 / UNITS_PER_BUCKET of a bucket's fair share before it is split. */
  public static final int UNITS_PER_BUCKET = 2;
  /** No unit for this cell: no query visits it. */
  public static final int NO_UNIT = -1;

  private final int buckets;
  private final int[] firstUnit;
  private final int[] slices;
  private final int[] replicas;
  private final int[] unitBucket;
  private final long[] bucketCost;
  private final long[] bucketRows;
  private final int splitCells;
  private final int maxUnitsPerCell;

  private BucketPlan(int buckets, int[] firstUnit, int[] slices, int[] replicas, int[] unitBucket,
      long[] bucketCost, long[] bucketRows, int splitCells) {
    this.buckets = buckets;
    this.bucketRows = bucketRows;
    this.firstUnit = firstUnit;
    this.slices = slices;
    this.replicas = replicas;
    this.unitBucket = unitBucket;
    this.bucketCost = bucketCost;
    this.splitCells = splitCells;
    int max = 1;
    for (int i = 0; i < slices.length; i++) {
      max = Math.max(max, Math.max(slices[i], replicas[i]));
    }
    this.maxUnitsPerCell = max;
  }

  /**
   * Plans {@code buckets} buckets.
   *
   * @param counts rows per non-empty cell
   * @param requests queries visiting each non-empty cell, by position in {@code counts}
   */
  public static BucketPlan create(CellCounts counts, long[] requests, int buckets) {
    if (buckets < 1) {
      throw new IllegalArgumentException("buckets must be >= 1, got " + buckets);
    }
    int cells = counts.cells();
    if (requests.length != cells) {
      throw new IllegalArgumentException("got " + requests.length + " request counts for " + cells + " cells");
    }
    int v = counts.coarseClusters();
    double total = 0;
    for (int i = 0; i < cells; i++) {
      total += cost(counts.countAt(i), requests[i]);
    }
    double limit = Math.max(1.0, total / ((double) buckets * UNITS_PER_BUCKET));
    int maxPieces = buckets * UNITS_PER_BUCKET;
    int[] slices = new int[cells];
    int[] replicas = new int[cells];
    int[] firstUnit = new int[cells];
    Arrays.fill(firstUnit, NO_UNIT);
    Integer[] visited = new Integer[cells];
    int visitedCount = 0;
    int splitCells = 0;
    for (int i = 0; i < cells; i++) {
      long rows = counts.countAt(i);
      long queries = requests[i];
      if (queries == 0) {
        continue;
      }
      visited[visitedCount++] = i;
      double c = cost(rows, queries);
      int pieces = (int) Math.min(maxPieces, Math.ceil(c / limit));
      int s = 1;
      int g = 1;
      if (pieces > 1 && buckets > 1) {
        s = (int) Math.max(1, Math.min(Math.min(pieces, rows), Math.round(Math.sqrt((double) pieces * rows / queries))));
        g = (int) Math.max(1, Math.min(queries, (pieces + s - 1) / s));
        if (s * g > 1) {
          splitCells++;
        }
      }
      slices[i] = s;
      replicas[i] = g;
    }
    Integer[] order = Arrays.copyOf(visited, visitedCount);
    long[] morton = new long[cells];
    for (int k = 0; k < visitedCount; k++) {
      long key = counts.keyAt(order[k]);
      morton[order[k]] = interleave((int) (key / v), (int) (key % v));
    }
    Arrays.sort(order, (a, b) -> Long.compare(morton[a], morton[b]));
    int units = 0;
    for (int i : order) {
      firstUnit[i] = units;
      units = Math.addExact(units, slices[i] * replicas[i]);
    }
    int[] unitBucket = new int[units];
    double[] load = new double[buckets];
    // Pieces of split cells first, each to the least loaded bucket that has no piece of the cell yet.
    for (int i : order) {
      int pieces = slices[i] * replicas[i];
      if (pieces == 1) {
        continue;
      }
      double unitCost = unitCost(counts.countAt(i), requests[i], slices[i], replicas[i]);
      boolean[] used = new boolean[buckets];
      for (int u = 0; u < pieces; u++) {
        int best = -1;
        for (int b = 0; b < buckets; b++) {
          if ((!used[b] || u >= buckets) && (best < 0 || load[b] < load[best])) {
            best = b;
          }
        }
        used[best] = true;
        unitBucket[firstUnit[i] + u] = best;
        load[best] += unitCost;
      }
    }
    // Whole cells in Morton order, filling the buckets one after the other up to their fair share.
    double share = total / buckets;
    int b = 0;
    for (int i : order) {
      if (slices[i] * replicas[i] != 1) {
        continue;
      }
      double c = cost(counts.countAt(i), requests[i]);
      while (b < buckets - 1 && load[b] + c / 2 > share) {
        b++;
      }
      unitBucket[firstUnit[i]] = b;
      load[b] += c;
    }
    long[] bucketCost = new long[buckets];
    for (int k = 0; k < buckets; k++) {
      bucketCost[k] = (long) load[k];
    }
    long[] bucketRows = expectedRows(counts, firstUnit, slices, replicas, unitBucket, buckets);
    return new BucketPlan(buckets, firstUnit, slices, replicas, unitBucket, bucketCost, bucketRows, splitCells);
  }

  /**
   * Rows each bucket is expected to receive: exact for whole cells; a sliced cell's rows go to its
   * slices by a hash of the id, so each slice is counted at {@code rows / slices} and the bucket gets
   * three standard deviations of those binomial counts on top (an upper estimate: a builder presized
   * to it rarely grows).
   */
  private static long[] expectedRows(CellCounts counts, int[] firstUnit, int[] slices, int[] replicas,
      int[] unitBucket, int buckets) {
    long[] exact = new long[buckets];
    double[] sliced = new double[buckets];
    for (int i = 0; i < firstUnit.length; i++) {
      if (firstUnit[i] == NO_UNIT) {
        continue;
      }
      long rows = counts.countAt(i);
      int pieces = slices[i] * replicas[i];
      for (int u = 0; u < pieces; u++) {
        int b = unitBucket[firstUnit[i] + u];
        if (slices[i] == 1) {
          exact[b] += rows;
        } else {
          sliced[b] += (double) rows / slices[i];
        }
      }
    }
    long[] expected = new long[buckets];
    for (int b = 0; b < buckets; b++) {
      expected[b] = exact[b] + (long) Math.ceil(sliced[b] + 3 * Math.sqrt(sliced[b]));
    }
    return expected;
  }

  /**
   * Index rows of the cells some query visits (each once: before a plan replicates any), the rows
   * the shuffle plan ships.
   *
   * @param requests queries visiting each non-empty cell, by position in {@code counts}
   */
  public static long visitedRows(CellCounts counts, long[] requests) {
    long rows = 0;
    for (int i = 0; i < requests.length; i++) {
      rows += requests[i] > 0 ? counts.countAt(i) : 0;
    }
    return rows;
  }

  /** Cells some query visits. */
  public static long visitedCells(long[] requests) {
    long cells = 0;
    for (long r : requests) {
      cells += r > 0 ? 1 : 0;
    }
    return cells;
  }

  /**
   * Bytes the blocks of every bucket take together while built, for the visited cells' rows of M =
   * {@code subquantizers} codes ({@link CellBlock.Builder#bytes}).
   */
  public static long shippedBytes(CellCounts counts, long[] requests, int subquantizers) {
    return CellBlock.Builder.bytes(visitedRows(counts, requests), visitedCells(requests), subquantizers);
  }

  /**
   * The bucket count that keeps a bucket's block under {@code maxBucketBytes} while built, and at
   * least {@code minimum}: {@code max(minimum, ceil(shippedBytes / maxBucketBytes))}.
   */
  public static int bucketsFor(CellCounts counts, long[] requests, int subquantizers, long maxBucketBytes,
      int minimum) {
    if (maxBucketBytes < 1 || minimum < 1) {
      throw new IllegalArgumentException("need a positive byte limit and minimum, got " + maxBucketBytes + " and "
          + minimum);
    }
    long bytes = shippedBytes(counts, requests, subquantizers);
    long needed = (bytes + maxBucketBytes - 1) / maxBucketBytes;
    return (int) Math.max(minimum, Math.min(Integer.MAX_VALUE / (2 * UNITS_PER_BUCKET), needed));
  }

  static double cost(long rows, long queries) {
    return (double) rows * queries + rows + (double) REQUEST_COST * queries;
  }

  private static double unitCost(long rows, long queries, int slices, int replicas) {
    return cost(ceilDiv(rows, slices), ceilDiv(queries, replicas));
  }

  private static long ceilDiv(long a, long b) {
    return (a + b - 1) / b;
  }

  /** Bits of c0 and c1 interleaved: nearby cells in both halves get nearby values. */
  static long interleave(int c0, int c1) {
    long z = 0;
    for (int bit = 0; bit < Integer.SIZE - 1; bit++) {
      z |= ((long) (c0 >>> bit) & 1L) << (2 * bit + 1);
      z |= ((long) (c1 >>> bit) & 1L) << (2 * bit);
    }
    return z;
  }

  /** A well-mixed hash of a long (SplitMix64's finalizer), for salting. */
  static long mix(long x) {
    long z = x + 0x9E3779B97F4A7C15L;
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  /** P. */
  public int buckets() {
    return buckets;
  }

  /** Units in all buckets. */
  public int units() {
    return unitBucket.length;
  }

  /** Cells split into more than one unit. */
  public int splitCells() {
    return splitCells;
  }

  /** True if some query visits the cell at position {@code cell} of the counts. */
  public boolean isVisited(int cell) {
    return firstUnit[cell] != NO_UNIT;
  }

  /** Units of the cell at position {@code cell}: slices x replicas (0 if no query visits it). */
  public int unitsOf(int cell) {
    return firstUnit[cell] == NO_UNIT ? 0 : slices[cell] * replicas[cell];
  }

  /** The bucket of unit {@code unit}. */
  public int bucketOf(int unit) {
    return unitBucket[unit];
  }

  /**
   * Rows bucket {@code bucket} is expected to receive, an upper estimate (exact when no visited
   * cell is split into slices), to presize its {@link CellBlock.Builder}.
   */
  public long expectedRows(int bucket) {
    return bucketRows[bucket];
  }

  /** Estimated cost per bucket (for the report). */
  public long[] bucketCosts() {
    return bucketCost.clone();
  }

  /**
   * The units a row of the cell at position {@code cell} goes to (its slice, every replica).
   *
   * @return how many were written to {@code out} (0 if no query visits the cell)
   */
  public int rowUnits(int cell, long id, int[] out) {
    if (firstUnit[cell] == NO_UNIT) {
      return 0;
    }
    int g = replicas[cell];
    int slice = (int) Math.floorMod(mix(id), (long) slices[cell]);
    int first = firstUnit[cell] + slice * g;
    for (int r = 0; r < g; r++) {
      out[r] = first + r;
    }
    return g;
  }

  /**
   * The units query number {@code query} scans for the cell at position {@code cell} (its replica
   * group, every slice).
   *
   * @return how many were written to {@code out}
   * @throws IllegalStateException if the plan gave the cell no unit (no query was counted for it)
   */
  public int queryUnits(int cell, long query, int[] out) {
    if (firstUnit[cell] == NO_UNIT) {
      throw new IllegalStateException("cell " + cell + " has no unit: the request counts missed a query");
    }
    int g = replicas[cell];
    int replica = (int) Math.floorMod(mix(~query), (long) g);
    for (int s = 0; s < slices[cell]; s++) {
      out[s] = firstUnit[cell] + s * g + replica;
    }
    return slices[cell];
  }

  /** Most units any one cell has (the size of the arrays the routing methods fill). */
  public int maxUnitsPerCell() {
    return maxUnitsPerCell;
  }
}
