package io.lopq.spark.search;

import io.lopq.search.batch.PartialResult;
import java.io.Serializable;

/**
 * A query sent to one shard of the raw vectors with the ADC candidates whose ids live there, to be
 * re-scored exactly. The query's id and counters ride along in {@code carrier} (non-zero counters
 * in one request per query). A plain class (not a record): Kryo serializes it.
 */
public final class RerankRequest implements Serializable {
  private static final long serialVersionUID = 1L;

  private long queryIndex;
  private float[] vector;
  private long[] ids;
  private PartialResult carrier;

  /** For serializers. */
  public RerankRequest() {}

  /** A request (arrays kept, not copied). */
  public RerankRequest(long queryIndex, float[] vector, long[] ids, PartialResult carrier) {
    this.queryIndex = queryIndex;
    this.vector = vector;
    this.ids = ids;
    this.carrier = carrier;
  }

  /** The query's number. */
  public long queryIndex() {
    return queryIndex;
  }

  /** The query's vector. */
  public float[] vector() {
    return vector;
  }

  /** Candidate ids of this shard. */
  public long[] ids() {
    return ids;
  }

  /** The query's id and counters (no neighbours). */
  public PartialResult carrier() {
    return carrier;
  }
}
