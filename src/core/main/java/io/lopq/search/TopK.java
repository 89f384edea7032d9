package io.lopq.search;

/**
 * The {@code k} best (smallest) distances seen so far, with their ids: a bounded max-heap whose
 * root is the worst kept entry.
 *
 * <pre>
 *   (d1, id1) better than (d2, id2)  iff  d1 &lt; d2, or d1 == d2 and id1 &lt; id2
 * </pre>
 *
 * The id tie-break makes results deterministic whatever order candidates arrive in. Reusable via
 * {@link #clear()}; allocation-free per offer; not thread-safe.
 */
public final class TopK {
  /** The payload of entries offered without one. */
  public static final int NO_PAYLOAD = -1;

  private final int k;
  private final long[] ids;
  private final double[] distances;
  private final int[] payloads;
  private int size;

  /**
   * Keeps the best {@code k}.
   *
   * @throws IllegalArgumentException if {@code k < 1}
   */
  public TopK(int k) {
    if (k < 1) {
      throw new IllegalArgumentException("k must be >= 1, got " + k);
    }
    this.k = k;
    this.ids = new long[k];
    this.distances = new double[k];
    this.payloads = new int[k];
  }

  /** The bound. */
  public int k() {
    return k;
  }

  /** Entries kept so far (at most k). */
  public int size() {
    return size;
  }

  /** Forgets every entry. */
  public void clear() {
    size = 0;
  }

  /** True once k entries are kept. */
  public boolean isFull() {
    return size == k;
  }

  /** The distance an entry must beat (or tie with a smaller id) to get in: +inf until full. */
  public double worstDistance() {
    return size == k ? distances[0] : Double.POSITIVE_INFINITY;
  }

  /**
   * Offers one candidate.
   *
   * @return true if it was kept
   * @throws IllegalArgumentException if the distance is NaN
   */
  public boolean offer(long id, double distance) {
    return offer(id, distance, NO_PAYLOAD);
  }

  /**
   * Offers one candidate carrying an int payload (e.g. the candidate's row, for re-ranking) that
   * does not take part in the ordering.
   *
   * @return true if it was kept
   * @throws IllegalArgumentException if the distance is NaN
   */
  public boolean offer(long id, double distance, int payload) {
    if (Double.isNaN(distance)) {
      throw new IllegalArgumentException("distance of id " + id + " is NaN");
    }
    if (size < k) {
      int i = size++;
      ids[i] = id;
      distances[i] = distance;
      payloads[i] = payload;
      siftUp(i);
      return true;
    }
    if (!better(distance, id, distances[0], ids[0])) {
      return false;
    }
    ids[0] = id;
    distances[0] = distance;
    payloads[0] = payload;
    siftDown(0, size);
    return true;
  }

  /** Offers every entry of a result (e.g. to merge partial results). */
  public void offerAll(SearchResult result) {
    for (int i = 0; i < result.size(); i++) {
      offer(result.id(i), result.distance(i));
    }
  }

  /** The kept entries, best first; empties this TopK. */
  public SearchResult drain() {
    long[] outIds = new long[size];
    double[] outDistances = new double[size];
    drainTo(outIds, outDistances, null);
    return new SearchResult(outIds, outDistances);
  }

  /**
   * Writes the kept entries, best first, into the given arrays (payloads may be null) and empties
   * this TopK.
   *
   * @return the number of entries written
   */
  public int drainTo(long[] outIds, double[] outDistances, int[] outPayloads) {
    int n = size;
    for (int end = n - 1; end >= 0; end--) {
      outIds[end] = ids[0];
      outDistances[end] = distances[0];
      if (outPayloads != null) {
        outPayloads[end] = payloads[0];
      }
      swap(0, end);
      siftDown(0, end);
    }
    size = 0;
    return n;
  }

  static boolean better(double d1, long id1, double d2, long id2) {
    return d1 < d2 || (d1 == d2 && id1 < id2);
  }

  private void siftUp(int i) {
    while (i > 0) {
      int parent = (i - 1) >>> 1;
      if (!better(distances[parent], ids[parent], distances[i], ids[i])) {
        return;
      }
      swap(i, parent);
      i = parent;
    }
  }

  private void siftDown(int i, int n) {
    while (true) {
      int left = 2 * i + 1;
      if (left >= n) {
        return;
      }
      int worse = left;
      int right = left + 1;
      if (right < n && better(distances[left], ids[left], distances[right], ids[right])) {
        worse = right;
      }
      if (!better(distances[i], ids[i], distances[worse], ids[worse])) {
        return;
      }
      swap(i, worse);
      i = worse;
    }
  }

  private void swap(int i, int j) {
    long id = ids[i];
    ids[i] = ids[j];
    ids[j] = id;
    double d = distances[i];
    distances[i] = distances[j];
    distances[j] = d;
    int p = payloads[i];
    payloads[i] = payloads[j];
    payloads[j] = p;
  }
}
