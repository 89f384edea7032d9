package io.lopq.search.batch;

import io.lopq.search.SearchResult;
import io.lopq.search.TopK;
import java.io.Serializable;

/**
 * One query's best rows found in one part of the index (or merged from several parts), with the
 * query's original id and work counters: what a scan of one {@link CellBlock} yields per query,
 * and what the distributed search merges per query into the final top-k.
 *
 * <pre>
 *   merge(a, b) = best `kept` of (a.rows + b.rows) by (distance, id);  counters add up
 * </pre>
 *
 * The merge is exact: the best {@code kept} of a union are among the union of each part's best
 * {@code kept}. A plain serializable class with a no-argument constructor (not a record), so that
 * Java serialization and Kryo both handle it.
 */
public final class PartialResult implements Serializable {
  private static final long serialVersionUID = 1L;

  private Object queryId;
  private long[] ids;
  private double[] distances;
  private long scanned;
  private long cellsVisited;

  /** For serializers. */
  public PartialResult() {
    this(null, new long[0], new double[0], 0, 0);
  }

  /**
   * A result from ordered arrays (kept, not copied).
   *
   * @param queryId the query's id in the input (a {@code Long} or {@code String})
   * @param scanned rows ranked by ADC for the query
   * @param cellsVisited cells the multi-sequence visited for the query (counted once per query)
   */
  public PartialResult(Object queryId, long[] ids, double[] distances, long scanned, long cellsVisited) {
    if (ids.length != distances.length) {
      throw new IllegalArgumentException("ids and distances differ in length: " + ids.length + " vs "
          + distances.length);
    }
    this.queryId = queryId;
    this.ids = ids;
    this.distances = distances;
    this.scanned = scanned;
    this.cellsVisited = cellsVisited;
  }

  /** Drains {@code top} into a new result. */
  public static PartialResult drain(Object queryId, TopK top, long scanned, long cellsVisited) {
    long[] ids = new long[top.size()];
    double[] distances = new double[ids.length];
    top.drainTo(ids, distances, null);
    return new PartialResult(queryId, ids, distances, scanned, cellsVisited);
  }

  /** The best {@code kept} of both, counters summed. */
  public static PartialResult merge(PartialResult a, PartialResult b, int kept) {
    TopK top = new TopK(kept);
    for (int i = 0; i < a.ids.length; i++) {
      top.offer(a.ids[i], a.distances[i]);
    }
    for (int i = 0; i < b.ids.length; i++) {
      top.offer(b.ids[i], b.distances[i]);
    }
    Object id = a.queryId != null ? a.queryId : b.queryId;
    return drain(id, top, a.scanned + b.scanned, a.cellsVisited + b.cellsVisited);
  }

  /** The query's id in the input. */
  public Object queryId() {
    return queryId;
  }

  /** Neighbour ids, best first. */
  public long[] ids() {
    return ids;
  }

  /** Their distances (squared L2: ADC, or exact after re-ranking). */
  public double[] distances() {
    return distances;
  }

  /** Number of neighbours. */
  public int size() {
    return ids.length;
  }

  /** Rows ranked by ADC for the query. */
  public long scanned() {
    return scanned;
  }

  /** Cells the multi-sequence visited for the query. */
  public long cellsVisited() {
    return cellsVisited;
  }

  /** The same rows and counters with other neighbours (e.g. after re-ranking). */
  public PartialResult withNeighbours(long[] newIds, double[] newDistances) {
    return new PartialResult(queryId, newIds, newDistances, scanned, cellsVisited);
  }

  /** As a {@link SearchResult}. */
  public SearchResult toSearchResult() {
    return new SearchResult(ids, distances);
  }
}
