package io.lopq.eval;

import io.lopq.model.LopqModel;
import io.lopq.search.MultiSequence;
import io.lopq.search.batch.CoarseDistanceRows;
import java.util.Arrays;
import java.util.Objects;

/**
 * Whether the true nearest neighbour of each query is among the candidates a search ranks, at any
 * candidate budget, from one walk of the multi-sequence per query. The search visits cells in the
 * multi-sequence's order while the rows of the cells visited so far are below {@code min(C, N)},
 * so the neighbour's cell is visited (and the neighbour ranked) exactly when the cells before it
 * hold fewer rows:
 *
 * <pre>
 *   before(q)   = rows in the cells visited before the cell of q's true nearest neighbour
 *   among(C)    = |{ q : before(q) &lt; min(C, N) }| / queries
 * </pre>
 *
 * A query whose neighbour is not in the index counts as a miss at every budget ({@link #NEVER}).
 * Recall@R can never exceed {@code among(C)}: what is not ranked cannot be returned; the gap
 * between the two is the ADC ranking's loss, {@code 1 - among(C)} the candidate list's.
 */
public final class CandidateCoverage {
  /** {@code before} of a query whose neighbour is never reached (not in the index). */
  public static final long NEVER = Long.MAX_VALUE;

  private final long[] sortedBefore;
  private final long baseRows;

  /**
   * @param before {@code before(q)} per query (any order; {@link #NEVER} for a neighbour not in
   *     the index)
   * @param baseRows N, the rows of the index
   * @throws IllegalArgumentException for a negative value or {@code baseRows < 1}
   */
  public CandidateCoverage(long[] before, long baseRows) {
    Objects.requireNonNull(before, "before");
    if (baseRows < 1) {
      throw new IllegalArgumentException("the index must hold at least one row, got " + baseRows);
    }
    this.sortedBefore = before.clone();
    Arrays.sort(sortedBefore);
    if (sortedBefore.length > 0 && sortedBefore[0] < 0) {
      throw new IllegalArgumentException("rows before a neighbour's cell cannot be negative, got " + sortedBefore[0]);
    }
    this.baseRows = baseRows;
  }

  /**
   * {@code before(q)}: the rows in the cells the multi-sequence of the query at
   * {@code query[offset .. offset + D)} visits before cell {@code (c0, c1)}; the coarse distances
   * are the search's own ({@link CoarseDistanceRows}), so the order is the search's.
   *
   * @param sequence scratch for the model's V (reused across queries)
   * @param d0 scratch of length V
   * @param d1 scratch of length V
   * @return the rows before the cell, or {@link #NEVER} if the cell is outside the model's V x V
   */
  public static long rowsBefore(LopqModel model, MultiSequence.CellSize sizes, MultiSequence sequence,
      float[] query, int offset, int c0, int c1, float[] d0, float[] d1) {
    int v = model.coarseClusters();
    if (c0 < 0 || c0 >= v || c1 < 0 || c1 >= v) {
      return NEVER;
    }
    CoarseDistanceRows.compute(model, query, offset, 0, d0);
    CoarseDistanceRows.compute(model, query, offset, 1, d1);
    sequence.start(d0, d1);
    long rows = 0;
    while (sequence.next()) {
      if (sequence.cell0() == c0 && sequence.cell1() == c1) {
        return rows;
      }
      rows += sizes.size(sequence.cell0(), sequence.cell1());
    }
    return NEVER;
  }

  /** Queries measured. */
  public int queries() {
    return sortedBefore.length;
  }

  /** N, the rows of the index. */
  public long baseRows() {
    return baseRows;
  }

  /**
   * The share of queries whose true nearest neighbour is among the candidates of a search asked
   * for at least {@code candidates} of them; NaN without queries.
   */
  public double amongCandidates(long candidates) {
    if (sortedBefore.length == 0) {
      return Double.NaN;
    }
    return shareBelow(sortedBefore, Math.min(candidates, baseRows));
  }

  /** The share of {@code sorted} (ascending, not empty) below {@code value}, by binary search. */
  public static double shareBelow(long[] sorted, long value) {
    int lo = 0;
    int hi = sorted.length;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (sorted[mid] < value) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return (double) lo / sorted.length;
  }
}
