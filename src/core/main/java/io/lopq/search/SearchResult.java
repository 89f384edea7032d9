package io.lopq.search;

import java.util.Arrays;

/**
 * The neighbours found for one query: ids with their squared L2 distances, nearest first, ties by
 * ascending id. Immutable.
 */
public final class SearchResult {
  private static final SearchResult EMPTY = new SearchResult(new long[0], new double[0]);

  private final long[] ids;
  private final double[] distances;

  /** A result from parallel arrays (copied), which must already be ordered. */
  public SearchResult(long[] ids, double[] distances) {
    if (ids.length != distances.length) {
      throw new IllegalArgumentException(
          "ids and distances differ in length: " + ids.length + " vs " + distances.length);
    }
    this.ids = ids.clone();
    this.distances = distances.clone();
  }

  /** A result with no neighbours. */
  public static SearchResult empty() {
    return EMPTY;
  }

  /** Number of neighbours. */
  public int size() {
    return ids.length;
  }

  /** Id of the {@code i}-th nearest neighbour. */
  public long id(int i) {
    return ids[i];
  }

  /** Squared L2 distance (approximate for ADC, exact after re-ranking) of the {@code i}-th neighbour. */
  public double distance(int i) {
    return distances[i];
  }

  /** A copy of the ids, nearest first. */
  public long[] ids() {
    return ids.clone();
  }

  /** A copy of the distances, nearest first. */
  public double[] distances() {
    return distances.clone();
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof SearchResult)) {
      return false;
    }
    SearchResult other = (SearchResult) o;
    return Arrays.equals(ids, other.ids) && Arrays.equals(distances, other.distances);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(ids) + Arrays.hashCode(distances);
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("[");
    for (int i = 0; i < ids.length; i++) {
      sb.append(i == 0 ? "" : ", ").append(ids[i]).append(':').append(distances[i]);
    }
    return sb.append(']').toString();
  }
}
