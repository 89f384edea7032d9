package io.lopq.eval;

import java.io.Serializable;
import java.util.Arrays;

/**
 * Running sums of the per-query recall measures of {@link QueryRecall}, mergeable so that each
 * Spark task can sum its own queries and the driver only adds a few partial totals.
 *
 * <pre>
 *   Recall@R    = (sum over queries of hit@R) / queries
 *   k-recall@k  = (sum over queries of overlap@k) / queries
 * </pre>
 *
 * Also tracks how many results the queries had (the depth), so a report can say when R exceeds
 * what the search returned. Not thread-safe.
 */
public final class RecallTotals implements Serializable {
  private static final long serialVersionUID = 1L;

  private final int[] cutoffs;
  private final int k;
  private final long[] hits;
  private long overlapFound;
  private long queries;
  private int minDepth = Integer.MAX_VALUE;
  private int maxDepth;

  /**
   * Empty totals for Recall@R at each of {@code cutoffs} and for k-recall@k.
   *
   * @throws IllegalArgumentException if a cutoff or {@code k} is below 1, or there is no cutoff
   */
  public RecallTotals(int[] cutoffs, int k) {
    if (cutoffs.length == 0) {
      throw new IllegalArgumentException("at least one Recall@R cutoff is needed");
    }
    for (int r : cutoffs) {
      if (r < 1) {
        throw new IllegalArgumentException("Recall@R cutoffs must be >= 1, got " + r);
      }
    }
    if (k < 1) {
      throw new IllegalArgumentException("k must be >= 1, got " + k);
    }
    this.cutoffs = cutoffs.clone();
    this.k = k;
    this.hits = new long[cutoffs.length];
  }

  /**
   * Adds one query.
   *
   * @param returned the search's neighbour ids, nearest first
   * @param truth the exact neighbour ids, nearest first (at least {@code k} of them)
   */
  public void add(long[] returned, long[] truth) {
    for (int i = 0; i < cutoffs.length; i++) {
      hits[i] += QueryRecall.hitAt(cutoffs[i], returned, truth);
    }
    overlapFound += QueryRecall.overlapCountAt(k, returned, truth);
    queries++;
    minDepth = Math.min(minDepth, returned.length);
    maxDepth = Math.max(maxDepth, returned.length);
  }

  /**
   * Adds {@code count} queries for which the search returned nothing: they count as misses for
   * every measure (e.g. LSH queries whose buckets held no candidate).
   */
  public void addEmpty(long count) {
    if (count < 0) {
      throw new IllegalArgumentException("count must be >= 0, got " + count);
    }
    if (count > 0) {
      queries += count;
      minDepth = 0;
    }
  }

  /**
   * Adds {@code other}'s queries to this one and returns this.
   *
   * @throws IllegalArgumentException if the two were made for different cutoffs or k
   */
  public RecallTotals merge(RecallTotals other) {
    if (!Arrays.equals(cutoffs, other.cutoffs) || k != other.k) {
      throw new IllegalArgumentException("cannot merge recall totals for cutoffs " + Arrays.toString(other.cutoffs)
          + " and k=" + other.k + " into totals for " + Arrays.toString(cutoffs) + " and k=" + k);
    }
    for (int i = 0; i < hits.length; i++) {
      hits[i] += other.hits[i];
    }
    overlapFound += other.overlapFound;
    queries += other.queries;
    minDepth = Math.min(minDepth, other.minDepth);
    maxDepth = Math.max(maxDepth, other.maxDepth);
    return this;
  }

  /** The Recall@R cutoffs, in the order given. */
  public int[] cutoffs() {
    return cutoffs.clone();
  }

  /** The k of k-recall@k. */
  public int k() {
    return k;
  }

  /** Queries added. */
  public long queries() {
    return queries;
  }

  /** Queries whose true nearest neighbour was among the first {@code cutoffs()[i]} results. */
  public long hits(int i) {
    return hits[i];
  }

  /** Recall@{@code cutoffs()[i]}: the share of queries with a hit; NaN without queries. */
  public double recallAt(int i) {
    return queries == 0 ? Double.NaN : (double) hits[i] / queries;
  }

  /**
   * k-recall@k: the mean overlap of the returned and the true top k; NaN without queries. Counted
   * in whole ids, so the same queries give the same value in any order or partitioning.
   */
  public double kRecall() {
    return queries == 0 ? Double.NaN : (double) overlapFound / ((double) queries * k);
  }

  /** The fewest results any query had (0 without queries). */
  public int minDepth() {
    return queries == 0 ? 0 : minDepth;
  }

  /** The most results any query had. */
  public int maxDepth() {
    return maxDepth;
  }
}
