package io.lopq.spark.search;

import io.lopq.search.batch.PerQueryTables;
import java.io.Serializable;

/**
 * The per-task settings of the distributed ADC search (what the tasks need of the job's
 * parameters). Immutable.
 */
public final class SearchSettings implements Serializable {
  private static final long serialVersionUID = 1L;

  private final long candidates;
  private final long maxCells;
  private final int kept;
  private final boolean excludeSelf;
  private final int queryBlock;
  private final boolean exactTables;

  /**
   * Settings.
   *
   * @param candidates rows each query's cells must cover at least
   * @param maxCells cell budget per query
   * @param kept rows kept per query by ADC (k, or the re-rank depth)
   * @param excludeSelf whether a query leaves its own id out of its results
   * @param queryBlock queries searched together in one block
   * @param exactTables build tables one query at a time ({@link PerQueryTables}) instead of batched
   */
  public SearchSettings(long candidates, long maxCells, int kept, boolean excludeSelf, int queryBlock,
      boolean exactTables) {
    if (candidates < 1 || maxCells < 1 || kept < 1 || queryBlock < 1) {
      throw new IllegalArgumentException("candidates, cell budget, rows kept and query block must be >= 1, got "
          + candidates + ", " + maxCells + ", " + kept + ", " + queryBlock);
    }
    this.candidates = candidates;
    this.maxCells = maxCells;
    this.kept = kept;
    this.excludeSelf = excludeSelf;
    this.queryBlock = queryBlock;
    this.exactTables = exactTables;
  }

  public long candidates() {
    return candidates;
  }

  public long maxCells() {
    return maxCells;
  }

  public int kept() {
    return kept;
  }

  public boolean excludeSelf() {
    return excludeSelf;
  }

  public int queryBlock() {
    return queryBlock;
  }

  public boolean exactTables() {
    return exactTables;
  }
}
