package io.lopq.eval;

import java.util.Arrays;

/**
 * How well one query's returned neighbours match its exact ones.
 *
 * <pre>
 *   hit@R          = 1 if truth[0] is among returned[0 .. R)      (Recall@R, the PQ/LOPQ papers' measure)
 *   overlap@k      = |returned[0 .. k) ∩ truth[0 .. k)| / k        (k-recall@k, ann-benchmarks' measure)
 * </pre>
 *
 * Averaging {@code hit@R} over queries gives Recall@R; averaging {@code overlap@k} gives k-recall@k.
 */
public final class QueryRecall {
  private QueryRecall() {}

  /**
   * 1 when the true nearest neighbour {@code truth[0]} is among the first {@code r} returned ids,
   * else 0.
   *
   * @throws IllegalArgumentException when {@code r < 1} or the truth is empty
   */
  public static int hitAt(int r, long[] returned, long[] truth) {
    if (r < 1) {
      throw new IllegalArgumentException("R must be >= 1, got " + r);
    }
    if (truth.length == 0) {
      throw new IllegalArgumentException("ground truth of a query is empty, expected at least its nearest neighbour");
    }
    long nearest = truth[0];
    for (int i = 0, end = Math.min(r, returned.length); i < end; i++) {
      if (returned[i] == nearest) {
        return 1;
      }
    }
    return 0;
  }

  /**
   * The share of the true top {@code k} found in the returned top {@code k}:
   * {@link #overlapCountAt}{@code / k}.
   *
   * @throws IllegalArgumentException when {@code k < 1} or the truth has fewer than {@code k} ids
   */
  public static double overlapAt(int k, long[] returned, long[] truth) {
    return (double) overlapCountAt(k, returned, truth) / k;
  }

  /**
   * How many of the true top {@code k} are found in the returned top {@code k} (an integer, so
   * that sums over queries do not depend on the order in which they are added).
   *
   * @throws IllegalArgumentException when {@code k < 1} or the truth has fewer than {@code k} ids
   */
  public static int overlapCountAt(int k, long[] returned, long[] truth) {
    if (k < 1) {
      throw new IllegalArgumentException("k must be >= 1, got " + k);
    }
    if (truth.length < k) {
      throw new IllegalArgumentException(
          "ground truth of a query has " + truth.length + " neighbours, k-recall@" + k + " needs at least " + k);
    }
    long[] expected = Arrays.copyOf(truth, k);
    Arrays.sort(expected);
    int found = 0;
    for (int i = 0, end = Math.min(k, returned.length); i < end; i++) {
      if (Arrays.binarySearch(expected, returned[i]) >= 0) {
        found++;
      }
    }
    return found;
  }
}
