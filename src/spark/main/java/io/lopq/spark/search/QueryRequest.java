package io.lopq.spark.search;

import io.lopq.search.batch.CellBlock;
import java.io.Serializable;

/**
 * A query sent to one task of the distributed search, with the units of that task it wants
 * scanned. A query visiting cells in several tasks sends one request to each; only the first
 * carries its count of visited cells, so that the merged counters count it once. A plain class
 * (not a record): Kryo serializes it.
 */
public final class QueryRequest implements Serializable {
  private static final long serialVersionUID = 1L;

  private long queryIndex;
  private Object queryId;
  private float[] vector;
  private long[] units;
  private long cellsVisited;
  private Long selfKey;

  /** For serializers. */
  public QueryRequest() {}

  /** A request for {@code query} (arrays kept, not copied). */
  public QueryRequest(long queryIndex, QueryRow query, long[] units, long cellsVisited) {
    this.queryIndex = queryIndex;
    this.queryId = query.id();
    this.vector = query.vector();
    this.selfKey = query.selfKey();
    this.units = units;
    this.cellsVisited = cellsVisited;
  }

  /** The query's own key in the index (left out of its results in a self-join), or null. */
  public Long selfKey() {
    return selfKey;
  }

  /** The query's number. */
  public long queryIndex() {
    return queryIndex;
  }

  /** The query's id in the input. */
  public Object queryId() {
    return queryId;
  }

  /** The query's vector. */
  public float[] vector() {
    return vector;
  }

  /** The units to scan (keys of {@link CellBlock} units). */
  public long[] units() {
    return units;
  }

  /** Cells the multi-sequence visited (non-zero in one request per query). */
  public long cellsVisited() {
    return cellsVisited;
  }
}
