package io.lopq.search.batch;

import io.lopq.model.LopqModel;
import io.lopq.search.TopK;
import java.util.Arrays;

/**
 * Scores a {@link QueryBlock} against the units of a {@link CellBlock} by ADC and keeps each
 * query's best {@code kept}: the inner loop of the batched search (the distributed search runs it
 * in every task).
 *
 * <p>Tables are built once per {@code (query, half, coarse index)} in this block, for all the
 * queries that share a coarse index at once ({@link TableBuilder}), and only one group of tables
 * is alive at a time: the distance is accumulated half by half.
 *
 * <pre>
 *   for h in {0, 1}:
 *     for each coarse index c of half h among the block's (query, unit) pairs:
 *       T_i = tables of (h, c) for the queries i that have a unit with c_h = c   (one batch)
 *       for each such pair (i, u), for each row r of u:
 *         h = 0:  partial[r] = sum_{s &lt; M/2} T_i[s][f_s(r)]
 *         h = 1:  adc = partial[r] + sum_{s &lt; M/2} T_i[s][f_{M/2+s}(r)];  offer (id(r), adc) to top_i
 * </pre>
 *
 * The float sums run in the same order as {@link io.lopq.search.AdcTables#distance}, so with the
 * same tables the distances are bit for bit those of {@link io.lopq.search.InMemorySearcher}.
 * Reusable for many blocks; not thread-safe (one per thread).
 */
public final class BlockScanner {
  /** Receives each query's best rows. */
  @FunctionalInterface
  public interface Sink {
    /**
     * Called once per query of the block, in block order. {@code top} is reused: drain or copy it
     * before returning.
     *
     * @param scanned rows scored for the query (excluded rows included)
     */
    void accept(int query, TopK top, long scanned);
  }

  /** M/2 of the scan loops written out (M = 8, 64-bit codes). */
  private static final int UNROLLED = 4;

  private final int subquantizers;
  private final int perHalf;
  private final int clusters;
  private final int coarseClusters;
  private final int kept;
  private final TableBuilder tables;
  private final int tableSize;
  private TopK[] tops = new TopK[0];
  private long[] scanned = new long[0];
  private int[] base = new int[0];
  private int[] order = new int[0];
  private int[] slot = new int[0];
  private int[] groupQueries = new int[0];
  private float[] partial = new float[0];
  private float[] groupTables = new float[0];
  private final int[] cellStart;

  /**
   * A scanner keeping the best {@code kept} rows per query.
   *
   * @param tables how tables are built ({@link BatchedTables} or {@link PerQueryTables})
   */
  public BlockScanner(LopqModel model, TableBuilder tables, int kept) {
    if (kept < 1) {
      throw new IllegalArgumentException("rows kept per query must be >= 1, got " + kept);
    }
    this.subquantizers = model.subquantizers();
    this.perHalf = model.subquantizersPerHalf();
    this.clusters = model.subquantizerClusters();
    this.coarseClusters = model.coarseClusters();
    this.kept = kept;
    this.tables = tables;
    this.tableSize = tables.tableSize();
    this.cellStart = new int[coarseClusters + 1];
  }

  /** Tables built so far. */
  public long tablesBuilt() {
    return tables.tablesBuilt();
  }

  /** Scans the block and hands each query's best rows to {@code sink}. */
  public void scan(CellBlock block, QueryBlock queries, Sink sink) {
    if (block.subquantizers() != subquantizers) {
      throw new IllegalArgumentException("the block holds codes of " + block.subquantizers()
          + " bytes, the model has M=" + subquantizers);
    }
    int n = queries.size();
    int pairs = queries.pairs();
    int[] units = queries.unitArray();
    prepare(n, pairs);
    int total = 0;
    for (int i = 0; i < n; i++) {
      tops[i].clear();
      scanned[i] = 0;
      for (int p = queries.unitStart(i), end = queries.unitStart(i + 1); p < end; p++) {
        base[p] = total;
        int size = block.size(units[p]);
        total = Math.addExact(total, size);
        scanned[i] += size;
      }
    }
    if (partial.length < total) {
      partial = new float[Math.max(total, partial.length + partial.length / 2)];
    }
    int[] owner = ownerOfPairs(queries, n, pairs);
    for (int h = 0; h < LopqModel.HALVES; h++) {
      sortPairsByCell(block, units, pairs, h);
      for (int g = 0; g < pairs; ) {
        int c = block.cell(h, units[order[g]]);
        int end = g;
        int distinct = 0;
        while (end < pairs && block.cell(h, units[order[end]]) == c) {
          int i = owner[order[end]];
          if (distinct == 0 || groupQueries[distinct - 1] != i) {
            groupQueries[distinct++] = i;
          }
          slot[end] = distinct - 1;
          end++;
        }
        if (groupTables.length < distinct * tableSize) {
          groupTables = new float[Math.multiplyExact(Math.max(distinct, groupTables.length / tableSize * 2), tableSize)];
        }
        tables.build(h, c, queries.vectors(), groupQueries, distinct, groupTables);
        for (int q = g; q < end; q++) {
          int p = order[q];
          int i = owner[p];
          if (h == 0) {
            firstHalf(block, units[p], slot[q] * tableSize, base[p]);
          } else {
            secondHalf(block, units[p], slot[q] * tableSize, base[p], tops[i], queries.excludes(i),
                queries.excludedId(i));
          }
        }
        g = end;
      }
    }
    for (int i = 0; i < n; i++) {
      sink.accept(i, tops[i], scanned[i]);
    }
  }

  private void firstHalf(CellBlock block, int unit, int tableOffset, int partialOffset) {
    byte[] codes = block.codeArray();
    float[] t = groupTables;
    int out = partialOffset;
    int start = block.start(unit);
    int end = block.end(unit);
    if (perHalf == UNROLLED) {
      // The loop below for M/2 = 4, written out (the same additions in the same order): the launcher runs
      // search with the C1 JIT, which does not unroll loops.
      int t1 = tableOffset + clusters;
      int t2 = t1 + clusters;
      int t3 = t2 + clusters;
      for (int r = start, row = start * subquantizers; r < end; r++, row += subquantizers) {
        float d = 0f;
        d += t[tableOffset + (codes[row] & 0xFF)];
        d += t[t1 + (codes[row + 1] & 0xFF)];
        d += t[t2 + (codes[row + 2] & 0xFF)];
        d += t[t3 + (codes[row + 3] & 0xFF)];
        partial[out++] = d;
      }
      return;
    }
    for (int r = start; r < end; r++) {
      int row = r * subquantizers;
      float d = 0f;
      for (int s = 0; s < perHalf; s++) {
        d += t[tableOffset + s * clusters + (codes[row + s] & 0xFF)];
      }
      partial[out++] = d;
    }
  }

  private void secondHalf(CellBlock block, int unit, int tableOffset, int partialOffset, TopK top,
      boolean exclude, long excludedId) {
    byte[] codes = block.codeArray();
    long[] ids = block.idArray();
    float[] t = groupTables;
    int in = partialOffset;
    double worst = top.worstDistance();
    boolean unrolled = perHalf == UNROLLED;
    int t1 = tableOffset + clusters;
    int t2 = t1 + clusters;
    int t3 = t2 + clusters;
    for (int r = block.start(unit), end = block.end(unit); r < end; r++) {
      int row = r * subquantizers + perHalf;
      float d = partial[in++];
      if (unrolled) {
        d += t[tableOffset + (codes[row] & 0xFF)];
        d += t[t1 + (codes[row + 1] & 0xFF)];
        d += t[t2 + (codes[row + 2] & 0xFF)];
        d += t[t3 + (codes[row + 3] & 0xFF)];
      } else {
        for (int s = 0; s < perHalf; s++) {
          d += t[tableOffset + s * clusters + (codes[row + s] & 0xFF)];
        }
      }
      if (d <= worst) {
        long id = ids[r];
        if (!(exclude && id == excludedId) && top.offer(id, d)) {
          worst = top.worstDistance();
        }
      }
    }
  }

  private void prepare(int n, int pairs) {
    if (tops.length < n) {
      int old = tops.length;
      tops = Arrays.copyOf(tops, n);
      for (int i = old; i < n; i++) {
        tops[i] = new TopK(kept);
      }
      scanned = new long[n];
      groupQueries = new int[n];
    }
    if (base.length < pairs) {
      int capacity = Math.max(pairs, base.length + base.length / 2);
      base = new int[capacity];
      order = new int[capacity];
      slot = new int[capacity];
    }
  }

  private int[] ownerOfPairs(QueryBlock queries, int n, int pairs) {
    int[] owner = new int[pairs];
    for (int i = 0; i < n; i++) {
      Arrays.fill(owner, queries.unitStart(i), queries.unitStart(i + 1), i);
    }
    return owner;
  }

  /** Stable counting sort of the pairs by their unit's coarse index of half {@code h} into {@link #order}. */
  private void sortPairsByCell(CellBlock block, int[] units, int pairs, int h) {
    Arrays.fill(cellStart, 0);
    for (int p = 0; p < pairs; p++) {
      cellStart[block.cell(h, units[p]) + 1]++;
    }
    for (int c = 0; c < coarseClusters; c++) {
      cellStart[c + 1] += cellStart[c];
    }
    for (int p = 0; p < pairs; p++) {
      order[cellStart[block.cell(h, units[p])]++] = p;
    }
  }
}
