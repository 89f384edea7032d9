package io.lopq.spark.eval;

import io.lopq.search.SearchResult;
import io.lopq.search.TopK;
import java.io.Serializable;

/**
 * The best neighbours of one query found so far: ids and squared L2 distances, nearest first,
 * ties by ascending id. Partial lists from different base blocks merge into the overall best
 * {@code k} (associative and commutative, as {@code reduceByKey} needs):
 *
 * <pre>
 *   merge(a, b, k) = the k best of a ∪ b      (order: distance, then id)
 * </pre>
 *
 * A plain serializable class because Kryo cannot serialize records and {@link SearchResult} is
 * not meant to travel.
 */
public final class NeighborList implements Serializable {
  private static final long serialVersionUID = 1L;

  private final long[] ids;
  private final double[] distances;

  /** A list from parallel arrays, already ordered (kept, not copied). */
  public NeighborList(long[] ids, double[] distances) {
    if (ids.length != distances.length) {
      throw new IllegalArgumentException(
          "ids and distances differ in length: " + ids.length + " vs " + distances.length);
    }
    this.ids = ids;
    this.distances = distances;
  }

  /** The list of a search result. */
  public static NeighborList of(SearchResult result) {
    return new NeighborList(result.ids(), result.distances());
  }

  /** The {@code k} best entries of this list and {@code other}. */
  public NeighborList merge(NeighborList other, int k) {
    TopK top = new TopK(k);
    offerAll(top);
    other.offerAll(top);
    int n = top.size();
    long[] outIds = new long[n];
    double[] outDistances = new double[n];
    top.drainTo(outIds, outDistances, null);
    return new NeighborList(outIds, outDistances);
  }

  private void offerAll(TopK top) {
    for (int i = 0; i < ids.length; i++) {
      top.offer(ids[i], distances[i]);
    }
  }

  /** Number of neighbours. */
  public int size() {
    return ids.length;
  }

  /** The ids, nearest first (the list's own array: do not modify). */
  public long[] ids() {
    return ids;
  }

  /** The squared L2 distances, nearest first (the list's own array: do not modify). */
  public double[] distances() {
    return distances;
  }

  /** As a search result (copies). */
  public SearchResult toSearchResult() {
    return new SearchResult(ids, distances);
  }
}
