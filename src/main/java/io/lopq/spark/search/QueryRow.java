package io.lopq.spark.search;

import java.io.Serializable;

/**
 * One query as the distributed search carries it: its id in the input (a {@code Long} or a
 * {@code String}) and its vector. Keyed by the query's number (0-based position in the input).
 * A plain class (not a record): Kryo serializes it.
 */
public final class QueryRow implements Serializable {
  private static final long serialVersionUID = 1L;

  private Object id;
  private float[] vector;

  /** For serializers. */
  public QueryRow() {}

  /** A query (the vector is kept, not copied). */
  public QueryRow(Object id, float[] vector) {
    this.id = id;
    this.vector = vector;
  }

  /** The query's id in the input. */
  public Object id() {
    return id;
  }

  /** The query's vector. */
  public float[] vector() {
    return vector;
  }
}
