package io.lopq.search.batch;

import io.lopq.format.vectors.InvalidInputException;
import java.util.Arrays;

/**
 * The raw vectors of one shard of ids, for exact re-ranking: sorted ids and their vectors,
 * looked up by binary search.
 *
 * <pre>
 *   exact(q, id) = sum_j ((double) q_j - x_j)^2        (as InMemorySearcher re-ranks, j in order)
 * </pre>
 *
 * {@link #distances} sums four candidates side by side (each sum still in order, so the values
 * are the same bit for bit), which hides the latency of the dependent additions.
 */
public final class RawBlock {
  private final int dimension;
  private final long[] ids;
  private final float[] vectors;

  private RawBlock(int dimension, long[] ids, float[] vectors) {
    this.dimension = dimension;
    this.ids = ids;
    this.vectors = vectors;
  }

  /** Collects vectors, then sorts them by id. Not thread-safe. */
  public static final class Builder {
    private final int dimension;
    private long[] ids = new long[64];
    private float[] vectors;
    private int size;

    /** A builder for vectors of dimension {@code dimension}. */
    public Builder(int dimension) {
      this.dimension = dimension;
      this.vectors = new float[64 * dimension];
    }

    /**
     * Adds a vector (copied).
     *
     * @throws InvalidInputException if its dimension is not D
     */
    public Builder add(long id, float[] vector) {
      if (vector.length != dimension) {
        throw new InvalidInputException("raw vector of id " + id + " has dimension " + vector.length
            + ", expected " + dimension);
      }
      ensureCapacity(size + 1);
      ids[size] = id;
      System.arraycopy(vector, 0, vectors, size * dimension, dimension);
      size++;
      return this;
    }

    /**
     * Adds {@code count} vectors at once (copied): {@code ids[i]} and its vector at
     * {@code rows[i * D .. (i + 1) * D)}.
     *
     * @throws IllegalArgumentException if the arrays hold fewer than {@code count} ids or vectors
     */
    public Builder addAll(long[] rowIds, float[] rows, int count) {
      if (count < 0 || rowIds.length < count || rows.length < (long) count * dimension) {
        throw new IllegalArgumentException("got " + rowIds.length + " ids and " + rows.length + " values for "
            + count + " vectors of dimension " + dimension);
      }
      ensureCapacity(Math.addExact(size, count));
      System.arraycopy(rowIds, 0, ids, size, count);
      System.arraycopy(rows, 0, vectors, size * dimension, count * dimension);
      size += count;
      return this;
    }

    private void ensureCapacity(int rows) {
      if (rows > ids.length) {
        int capacity = Math.max(rows, Math.multiplyExact(2, ids.length));
        ids = Arrays.copyOf(ids, capacity);
        vectors = Arrays.copyOf(vectors, Math.multiplyExact(capacity, dimension));
      }
    }

    /**
     * The block.
     *
     * @throws InvalidInputException if an id occurs twice (its vector would be ambiguous)
     */
    public RawBlock build() {
      if (ascending()) {
        return new RawBlock(dimension, Arrays.copyOf(ids, size), Arrays.copyOf(vectors, size * dimension));
      }
      Integer[] order = new Integer[size];
      for (int i = 0; i < size; i++) {
        order[i] = i;
      }
      long[] keys = ids;
      Arrays.sort(order, (a, b) -> Long.compare(keys[a], keys[b]));
      long[] sortedIds = new long[size];
      float[] sortedVectors = new float[Math.multiplyExact(size, dimension)];
      for (int p = 0; p < size; p++) {
        sortedIds[p] = ids[order[p]];
        if (p > 0 && sortedIds[p] == sortedIds[p - 1]) {
          throw repeated(sortedIds[p]);
        }
        System.arraycopy(vectors, order[p] * dimension, sortedVectors, p * dimension, dimension);
      }
      return new RawBlock(dimension, sortedIds, sortedVectors);
    }

    /** True if the ids were added in strictly ascending order (as row-numbered inputs are): no sort needed. */
    private boolean ascending() {
      for (int i = 1; i < size; i++) {
        if (ids[i] <= ids[i - 1]) {
          if (ids[i] == ids[i - 1]) {
            throw repeated(ids[i]);
          }
          return false;
        }
      }
      return true;
    }

    private static InvalidInputException repeated(long id) {
      return new InvalidInputException("the raw vectors hold id " + id
          + " more than once; re-ranking needs one vector per id");
    }
  }

  /** Vectors held. */
  public int size() {
    return ids.length;
  }

  /**
   * The exact squared distances from {@code query} to the vectors of {@code ids} into {@code out}.
   *
   * @throws InvalidInputException if this block has no vector for one of the ids
   */
  public void distances(float[] query, long[] ids, double[] out) {
    int n = ids.length;
    int i = 0;
    for (; i + 4 <= n; i += 4) {
      int r0 = row(ids[i]);
      int r1 = row(ids[i + 1]);
      int r2 = row(ids[i + 2]);
      int r3 = row(ids[i + 3]);
      double d0 = 0;
      double d1 = 0;
      double d2 = 0;
      double d3 = 0;
      for (int j = 0; j < dimension; j++) {
        double q = query[j];
        double e0 = q - vectors[r0 + j];
        double e1 = q - vectors[r1 + j];
        double e2 = q - vectors[r2 + j];
        double e3 = q - vectors[r3 + j];
        d0 += e0 * e0;
        d1 += e1 * e1;
        d2 += e2 * e2;
        d3 += e3 * e3;
      }
      out[i] = d0;
      out[i + 1] = d1;
      out[i + 2] = d2;
      out[i + 3] = d3;
    }
    for (; i < n; i++) {
      out[i] = distance(query, ids[i]);
    }
  }

  private int row(long id) {
    int p = Arrays.binarySearch(ids, id);
    if (p < 0) {
      throw missing(id);
    }
    return p * dimension;
  }

  private static InvalidInputException missing(long id) {
    return new InvalidInputException("id " + id + " is in the encoded index but has no raw vector to re-rank"
        + " with; the raw vectors must be those the index was encoded from");
  }

  /**
   * The exact squared distance from {@code query} to the vector of {@code id}.
   *
   * @throws InvalidInputException if this block has no vector for {@code id}
   */
  public double distance(float[] query, long id) {
    int row = row(id);
    double d = 0;
    for (int j = 0; j < dimension; j++) {
      double diff = (double) query[j] - vectors[row + j];
      d += diff * diff;
    }
    return d;
  }
}
