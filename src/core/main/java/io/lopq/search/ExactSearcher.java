package io.lopq.search;

import io.lopq.math.Blas;
import java.util.Objects;

/**
 * Brute-force exact k nearest neighbours by squared L2: the ground truth for recall.
 *
 * <pre>
 *   ||q - x||^2 = ||q||^2 + ||x||^2 - 2 q.x        (blocks of queries x blocks of base rows, one dgemm each)
 * </pre>
 *
 * Products and norms are computed in double (the float data is widened block by block), so the
 * ranking matches a plain double loop except for distances equal to about 1e-12 relative; ties go
 * to the smaller id. Immutable and thread-safe: each call uses its own buffers.
 */
public final class ExactSearcher {
  /** Queries per block: enough to make the product compute-bound. */
  public static final int QUERY_BLOCK = 128;
  /** Base rows per block: the widened block (BASE_BLOCK x D doubles) stays a few MB. */
  public static final int BASE_BLOCK = 1024;

  private final float[] base;
  private final int size;
  private final int dimension;
  private final long[] ids;
  private final double[] baseNorms;

  /** A searcher whose ids are the row numbers {@code 0..n-1}. */
  public ExactSearcher(float[] base, int n, int dimension) {
    this(base, n, dimension, null);
  }

  /**
   * A searcher over {@code n} row-major vectors of {@code dimension} (kept, not copied: do not modify).
   *
   * @param ids one per row, or null for the row numbers
   * @throws IllegalArgumentException on bad shapes or a non-finite value (naming the row)
   */
  public ExactSearcher(float[] base, int n, int dimension, long[] ids) {
    Objects.requireNonNull(base, "base");
    if (dimension < 1) {
      throw new IllegalArgumentException("dimension must be >= 1, got " + dimension);
    }
    if (n < 0 || base.length < (long) n * dimension) {
      throw new IllegalArgumentException("base holds " + base.length + " floats, fewer than n x D = " + n
          + " x " + dimension);
    }
    if (ids != null && ids.length != n) {
      throw new IllegalArgumentException("got " + ids.length + " ids for " + n + " rows");
    }
    this.base = base;
    this.size = n;
    this.dimension = dimension;
    this.ids = ids;
    this.baseNorms = new double[n];
    for (int r = 0; r < n; r++) {
      double s = 0;
      for (int j = 0; j < dimension; j++) {
        float value = base[r * dimension + j];
        if (!Float.isFinite(value)) {
          throw new IllegalArgumentException("base row " + r + " has a non-finite value " + value + " at index " + j);
        }
        s += (double) value * value;
      }
      baseNorms[r] = s;
    }
  }

  /** Rows searched. */
  public int size() {
    return size;
  }

  /** The exact {@code k} nearest of one query. */
  public SearchResult search(float[] query, int k) {
    Objects.requireNonNull(query, "query");
    if (query.length != dimension) {
      throw new IllegalArgumentException("query has dimension " + query.length + ", expected " + dimension);
    }
    return search(query, 1, k)[0];
  }

  /**
   * The exact {@code k} nearest of each of {@code queryCount} row-major queries.
   *
   * @throws IllegalArgumentException if {@code k < 1}, the buffer is short, or a query has a
   *     non-finite value (naming the query)
   */
  public SearchResult[] search(float[] queries, int queryCount, int k) {
    Objects.requireNonNull(queries, "queries");
    if (k < 1) {
      throw new IllegalArgumentException("k must be >= 1, got " + k);
    }
    if (queryCount < 0 || queries.length < (long) queryCount * dimension) {
      throw new IllegalArgumentException("queries hold " + queries.length + " floats, fewer than "
          + queryCount + " x D=" + dimension);
    }
    for (int q = 0; q < queryCount; q++) {
      for (int j = 0; j < dimension; j++) {
        float value = queries[q * dimension + j];
        if (!Float.isFinite(value)) {
          throw new IllegalArgumentException("query " + q + " has a non-finite value " + value + " at index " + j);
        }
      }
    }
    SearchResult[] results = new SearchResult[queryCount];
    int queryBlock = Math.min(QUERY_BLOCK, Math.max(1, queryCount));
    int baseBlock = Math.min(BASE_BLOCK, Math.max(1, size));
    double[] queryRows = new double[queryBlock * dimension];
    double[] queryNorms = new double[queryBlock];
    double[] baseRows = new double[baseBlock * dimension];
    double[] products = new double[queryBlock * baseBlock];
    TopK[] tops = new TopK[queryBlock];
    for (int i = 0; i < queryBlock; i++) {
      tops[i] = new TopK(k);
    }
    for (int q0 = 0; q0 < queryCount; q0 += queryBlock) {
      int qn = Math.min(queryBlock, queryCount - q0);
      for (int i = 0; i < qn; i++) {
        double s = 0;
        for (int j = 0; j < dimension; j++) {
          double value = queries[(q0 + i) * dimension + j];
          queryRows[i * dimension + j] = value;
          s += value * value;
        }
        queryNorms[i] = s;
        tops[i].clear();
      }
      for (int b0 = 0; b0 < size; b0 += baseBlock) {
        int bn = Math.min(baseBlock, size - b0);
        int from = b0 * dimension;
        for (int t = 0, count = bn * dimension; t < count; t++) {
          baseRows[t] = base[from + t];
        }
        Blas.gemmNT(qn, bn, dimension, -2.0, queryRows, 0, baseRows, 0, 0.0, products, 0);
        for (int i = 0; i < qn; i++) {
          TopK top = tops[i];
          double queryNorm = queryNorms[i];
          for (int r = 0; r < bn; r++) {
            double distance = Math.max(0.0, queryNorm + baseNorms[b0 + r] + products[i * bn + r]);
            if (distance <= top.worstDistance()) {
              top.offer(id(b0 + r), distance);
            }
          }
        }
      }
      for (int i = 0; i < qn; i++) {
        results[q0 + i] = tops[i].drain();
      }
    }
    return results;
  }

  private long id(int row) {
    return ids == null ? row : ids[row];
  }
}
