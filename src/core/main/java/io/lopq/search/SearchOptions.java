package io.lopq.search;

import io.lopq.param.Check;
import io.lopq.param.Param;
import java.io.Serializable;

/**
 * How one approximate search works and how many neighbours it returns: the search settings of
 * both the in-memory searcher ({@link InMemorySearcher}) and the batched, distributed search
 * ({@code lopq search}), each declared once ({@link Param}).
 *
 * <pre>
 *   k             neighbours to return                                          default 10
 *   candidates    items to score by ADC at least: the multi-sequence visits cells until their
 *                 sizes add up to this, or the corpus is exhausted            default 10,000
 *   rerankDepth   0: no re-ranking; else the best rerankDepth &gt;= k by ADC are re-ranked by
 *                 exact squared L2 (needs the raw vectors)                       off (when on: max(k, 100))
 *   maxCells      cell budget: visit at most this many cells                    unlimited
 *   excludeSelf   leave a query's own id out of its results (self-joins)        off
 *   queryBlock    queries searched together by the batched search               512
 *   exactTables   the batched search builds its ADC tables one query at a time  off
 * </pre>
 *
 * The in-memory searcher reads the first four; the batched search all of them. Immutable and
 * serializable (tasks receive it); the constructor checks every field and names the first bad one.
 *
 * @param k neighbours to return, {@code >= 1}
 * @param candidates items to score by ADC at least, {@code >= 1} ({@link #UNLIMITED_CANDIDATES}: all
 *     the cells within the cell budget)
 * @param rerankDepth 0 for no re-ranking, else {@code >= k}
 * @param maxCells cell budget, {@code >= 1} ({@link #UNLIMITED_CELLS} for none)
 * @param excludeSelf whether a query leaves its own id out of its results
 * @param queryBlock queries searched together, {@code >= 1}
 * @param exactTables whether ADC tables are built one query at a time instead of batched
 */
public record SearchOptions(int k, long candidates, int rerankDepth, long maxCells, boolean excludeSelf,
    int queryBlock, boolean exactTables) implements Serializable {
  /** No cell budget. */
  public static final long UNLIMITED_CELLS = Long.MAX_VALUE;
  /** No candidate count: every cell within the cell budget. */
  public static final long UNLIMITED_CANDIDATES = Long.MAX_VALUE;
  /** No re-ranking. */
  public static final int NO_RERANK = 0;

  /** Neighbours per query. */
  public static final Param<Integer> K = Param.ofInt("k", "Neighbours per query", 10, Check.atLeast(1));
  /** Candidates ranked per query. */
  public static final Param<Long> CANDIDATES = Param.ofLong("candidates",
      "Rank at least N candidates per query (the cells visited hold at least N rows)", 10_000L, Check.atLeast(1));
  /** Candidates re-ranked by exact distance, when re-ranking. */
  public static final Param<Integer> RERANK_DEPTH = Param.ofInt("rerankDepth",
      "Candidates re-ranked per query by exact distance", 100, Check.atLeast(0)).label("rerank depth")
      .defaultText("max(k, 100)");
  /** Cells visited per query, instead of a candidate count. */
  public static final Param<Long> CELLS = Param.ofLong("cells",
      "Visit C cells of the multi-index per query instead of a candidate count", null, Check.atLeast(1));
  /** Self-joins. */
  public static final Param<Boolean> EXCLUDE_SELF = Param.flag("excludeSelf",
      "Leave each query's own id out of its neighbours (self-join)");
  /** Queries searched together. */
  public static final Param<Integer> QUERY_BLOCK = Param.ofInt("queryBlock", "Queries searched together in a task",
      512, Check.atLeast(1)).label("query block");
  /** Per-query ADC tables. */
  public static final Param<Boolean> EXACT_TABLES = Param.flag("exactTables",
      "Build ADC tables one query at a time, bit for bit as the in-memory searcher (slower)");

  /** Checks every field and names the first bad one. */
  public SearchOptions {
    K.check(k);
    CANDIDATES.check(candidates);
    if (rerankDepth != NO_RERANK && rerankDepth < k) {
      throw new IllegalArgumentException(
          "rerank depth must be 0 (off) or >= k=" + k + ", got " + rerankDepth);
    }
    CELLS.check(maxCells);
    QUERY_BLOCK.check(queryBlock);
  }

  /** {@code k} neighbours from at least {@code candidates} ADC candidates; everything else at its default. */
  public static SearchOptions of(int k, long candidates) {
    return builder().k(k).candidates(candidates).build();
  }

  /** A builder with every setting at its default. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder starting from these options. */
  public Builder toBuilder() {
    return new Builder().k(k).candidates(candidates).rerankDepth(rerankDepth).maxCells(maxCells)
        .excludeSelf(excludeSelf).queryBlock(queryBlock).exactTables(exactTables);
  }

  /** The same with exact re-ranking of the best {@code depth} by ADC. */
  public SearchOptions withRerank(int depth) {
    return toBuilder().rerankDepth(depth).build();
  }

  /** The same with a cell budget. */
  public SearchOptions withCellBudget(long cells) {
    return toBuilder().maxCells(cells).build();
  }

  /** True if re-ranking is on. */
  public boolean reranks() {
    return rerankDepth != NO_RERANK;
  }

  /** Rows the ADC ranking keeps per query: the re-rank depth when re-ranking, else k. */
  public int kept() {
    return reranks() ? rerankDepth : k;
  }

  /** The re-rank depth when re-ranking is asked for without one: {@code max(k, 100)}. */
  public static int defaultRerankDepth(int k) {
    return Math.max(k, RERANK_DEPTH.defaultValue());
  }

  /** Builds {@link SearchOptions}; {@link #build()} checks every value. */
  public static final class Builder {
    private int k = K.defaultValue();
    private long candidates = CANDIDATES.defaultValue();
    private int rerankDepth = NO_RERANK;
    private long maxCells = UNLIMITED_CELLS;
    private boolean excludeSelf = EXCLUDE_SELF.defaultValue();
    private int queryBlock = QUERY_BLOCK.defaultValue();
    private boolean exactTables = EXACT_TABLES.defaultValue();

    private Builder() {}

    /** Neighbours per query, {@code >= 1}. */
    public Builder k(int value) {
      this.k = value;
      return this;
    }

    /** ADC candidates per query, at least; {@link #UNLIMITED_CANDIDATES} for every cell within the budget. */
    public Builder candidates(long value) {
      this.candidates = value;
      return this;
    }

    /** Rows re-ranked exactly per query ({@code >= k}); {@link #NO_RERANK} turns re-ranking off. */
    public Builder rerankDepth(int depth) {
      this.rerankDepth = depth;
      return this;
    }

    /** Cells visited per query at most; {@link #UNLIMITED_CELLS} for no budget. */
    public Builder maxCells(long cells) {
      this.maxCells = cells;
      return this;
    }

    /** Leave each query's own id out of its results. */
    public Builder excludeSelf(boolean value) {
      this.excludeSelf = value;
      return this;
    }

    /** Queries searched together by the batched search. */
    public Builder queryBlock(int value) {
      this.queryBlock = value;
      return this;
    }

    /** Build ADC tables one query at a time, bit for bit as the in-memory searcher. */
    public Builder exactTables(boolean value) {
      this.exactTables = value;
      return this;
    }

    /**
     * The options.
     *
     * @throws IllegalArgumentException naming the first bad value
     */
    public SearchOptions build() {
      return new SearchOptions(k, candidates, rerankDepth, maxCells, excludeSelf, queryBlock, exactTables);
    }
  }
}
