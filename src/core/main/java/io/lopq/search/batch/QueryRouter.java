package io.lopq.search.batch;

import io.lopq.model.LopqModel;
import io.lopq.search.MultiSequence;
import java.util.Arrays;

/**
 * Picks the cells one query visits, exactly as {@link io.lopq.search.InMemorySearcher} does: the
 * multi-sequence over the query's coarse distances, until the visited cells hold at least
 * {@code min(candidates, N)} rows or the cell budget is spent.
 *
 * <pre>
 *   d_h(i) = ||q_h - C_h[i]||^2                          (CoarseDistanceRows = CoarseDistances, faster)
 *   cells in non-decreasing d_0(c0) + d_1(c1)            (MultiSequence, sizes from CellCounts)
 *   stop when sum of sizes >= min(candidates, N) or visited == maxCells
 * </pre>
 *
 * Only the non-empty visited cells are kept (as positions in {@link CellCounts}), in visit order.
 * Reusable for many queries; not thread-safe (one per thread).
 */
public final class QueryRouter {
  private final LopqModel model;
  private final CellCounts counts;
  private final long wanted;
  private final long maxCells;
  private final MultiSequence sequence;
  private final float[] d0;
  private final float[] d1;
  private int[] cells = new int[16];
  private int cellCount;
  private long coveredRows;
  private final MultiSequence.CellVisitor collector = this::collect;
  private final MultiSequence.CellSize sizes = this::size;
  private int lastC0 = -1;
  private int lastC1 = -1;
  private int lastIndex = -1;

  /**
   * A router for {@code model} over the cells in {@code counts}.
   *
   * @param candidates rows to cover at least (capped at the index size)
   * @param maxCells cell budget ({@link io.lopq.search.SearchOptions#UNLIMITED_CELLS} for none)
   */
  public QueryRouter(LopqModel model, CellCounts counts, long candidates, long maxCells) {
    this.model = model;
    this.counts = counts;
    if (counts.coarseClusters() != model.coarseClusters()) {
      throw new IllegalArgumentException("cell counts are over V=" + counts.coarseClusters()
          + " coarse clusters, the model has V=" + model.coarseClusters());
    }
    if (candidates < 1 || maxCells < 1) {
      throw new IllegalArgumentException("candidates and cell budget must be >= 1, got " + candidates + " and "
          + maxCells);
    }
    this.wanted = Math.min(candidates, counts.totalRows());
    this.maxCells = maxCells;
    this.sequence = new MultiSequence(model.coarseClusters());
    this.d0 = new float[model.coarseClusters()];
    this.d1 = new float[model.coarseClusters()];
  }

  /**
   * Routes the query at {@code vectors[offset .. offset + D)}.
   *
   * @return the number of non-empty cells visited (see {@link #cells()})
   */
  public int route(float[] vectors, int offset) {
    CoarseDistanceRows.compute(model, vectors, offset, 0, d0);
    CoarseDistanceRows.compute(model, vectors, offset, 1, d1);
    cellCount = 0;
    coveredRows = 0;
    if (wanted > 0) {
      coveredRows = sequence.traverse(d0, d1, sizes, wanted, maxCells, collector);
    } else {
      sequence.start(d0, d1);
    }
    return cellCount;
  }

  /** The cell's size, remembering its position for {@link #collect} (the sequence asks for the size first). */
  private long size(int c0, int c1) {
    lastC0 = c0;
    lastC1 = c1;
    lastIndex = counts.indexOf(c0, c1);
    return lastIndex < 0 ? 0 : counts.countAt(lastIndex);
  }

  private void collect(int c0, int c1, double distance) {
    int i = c0 == lastC0 && c1 == lastC1 ? lastIndex : counts.indexOf(c0, c1);
    if (i >= 0) {
      if (cellCount == cells.length) {
        cells = Arrays.copyOf(cells, 2 * cellCount);
      }
      cells[cellCount++] = i;
    }
  }

  /** The non-empty cells of the last query, as positions in {@link CellCounts}; valid up to {@link #cellCount()}. */
  public int[] cells() {
    return cells;
  }

  /** Non-empty cells of the last query. */
  public int cellCount() {
    return cellCount;
  }

  /** Cells the multi-sequence visited for the last query, empty ones included. */
  public long visitedCells() {
    return sequence.visitedCells();
  }

  /** Rows in the last query's visited cells. */
  public long coveredRows() {
    return coveredRows;
  }
}
