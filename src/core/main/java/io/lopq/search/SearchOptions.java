package io.lopq.search;

/**
 * How much work one approximate search may do and how many neighbours it returns.
 *
 * @param k neighbours to return, {@code >= 1}
 * @param candidates items to score by ADC at least (the multi-sequence visits cells until their
 *     sizes add up to this, or the corpus is exhausted), {@code >= 1}
 * @param rerankDepth 0 for no re-ranking; otherwise the best {@code rerankDepth >= k} by ADC are
 *     re-ranked by exact squared L2 (needs the raw vectors)
 * @param maxCells cell budget: visit at most this many cells, {@code >= 1}
 */
public record SearchOptions(int k, int candidates, int rerankDepth, long maxCells) {
  /** No cell budget. */
  public static final long UNLIMITED_CELLS = Long.MAX_VALUE;
  /** No re-ranking. */
  public static final int NO_RERANK = 0;

  /** Checks every field and names the first bad one. */
  public SearchOptions {
    if (k < 1) {
      throw new IllegalArgumentException("k must be >= 1, got " + k);
    }
    if (candidates < 1) {
      throw new IllegalArgumentException("candidates must be >= 1, got " + candidates);
    }
    if (rerankDepth != NO_RERANK && rerankDepth < k) {
      throw new IllegalArgumentException(
          "rerank depth must be 0 (off) or >= k=" + k + ", got " + rerankDepth);
    }
    if (maxCells < 1) {
      throw new IllegalArgumentException("cell budget must be >= 1, got " + maxCells);
    }
  }

  /** {@code k} neighbours from at least {@code candidates} ADC candidates, no re-ranking, no cell budget. */
  public static SearchOptions of(int k, int candidates) {
    return new SearchOptions(k, candidates, NO_RERANK, UNLIMITED_CELLS);
  }

  /** The same with exact re-ranking of the best {@code depth} by ADC. */
  public SearchOptions withRerank(int depth) {
    return new SearchOptions(k, candidates, depth, maxCells);
  }

  /** The same with a cell budget. */
  public SearchOptions withCellBudget(long cells) {
    return new SearchOptions(k, candidates, rerankDepth, cells);
  }

  /** True if re-ranking is on. */
  public boolean reranks() {
    return rerankDepth != NO_RERANK;
  }
}
