package io.lopq.spark.search;

import java.io.Serializable;

/**
 * One query as the distributed search carries it: its id in the input (a {@code Long} or a
 * {@code String}), its vector, and its id as a key of the index (for self-joins). Keyed by the query's number (0-based position in the input).
 * A plain class (not a record): Kryo serializes it.
 */
public final class QueryRow implements Serializable {
  private static final long serialVersionUID = 1L;

  private Object id;
  private float[] vector;
  private Long selfKey;

  /** For serializers. */
  public QueryRow() {}

  /** A query (the vector is kept, not copied); a long id is also its own key in the index. */
  public QueryRow(Object id, float[] vector) {
    this(id, vector, id instanceof Long l ? l : null);
  }

  /**
   * A query whose id is {@code selfKey} in the index (the key of a string id), or null if it has
   * none.
   */
  public QueryRow(Object id, float[] vector, Long selfKey) {
    this.id = id;
    this.vector = vector;
    this.selfKey = selfKey;
  }

  /** The query's id as a key of the index (to leave it out of its own results), or null. */
  public Long selfKey() {
    return selfKey;
  }

  /** The same query with another self key. */
  public QueryRow withSelfKey(Long key) {
    return new QueryRow(id, vector, key);
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
