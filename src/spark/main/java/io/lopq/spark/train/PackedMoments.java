package io.lopq.spark.train;

import io.lopq.math.Moments;
import java.io.Serializable;

/**
 * {@link Moments} with the symmetric sum of outer products stored as its upper triangle, for
 * shuffling partial moments between tasks at half the size.
 *
 * <pre>
 *   upper[a * d - a * (a - 1) / 2 + (b - a)] = Q[a][b]   for a &lt;= b     (row-major upper triangle)
 * </pre>
 */
final class PackedMoments implements Serializable {
  private static final long serialVersionUID = 1L;

  private final int dimension;
  private long count;
  private final double[] sum;
  private final double[] upper;

  private PackedMoments(int dimension, long count, double[] sum, double[] upper) {
    this.dimension = dimension;
    this.count = count;
    this.sum = sum;
    this.upper = upper;
  }

  /** Moments from a count, a sum and the row-major upper triangle of the outer products (arrays kept). */
  static PackedMoments of(int dimension, long count, double[] sum, double[] upper) {
    if (sum.length != dimension || upper.length != dimension * (dimension + 1) / 2) {
      throw new IllegalArgumentException("packed moments of dimension " + dimension + " need " + dimension
          + " sums and " + dimension * (dimension + 1) / 2 + " outer products, got " + sum.length + " and "
          + upper.length);
    }
    return new PackedMoments(dimension, count, sum, upper);
  }

  /** An empty accumulator of this dimension to merge into. */
  static PackedMoments zero(int dimension) {
    return new PackedMoments(dimension, 0, new double[dimension], new double[dimension * (dimension + 1) / 2]);
  }

  /** Adds the moments of another (disjoint) set; returns this. */
  PackedMoments merge(PackedMoments other) {
    if (other.dimension != dimension) {
      throw new IllegalArgumentException("cannot merge moments of dimension " + other.dimension
          + " into moments of dimension " + dimension);
    }
    count += other.count;
    for (int j = 0; j < dimension; j++) {
      sum[j] += other.sum[j];
    }
    for (int t = 0; t < upper.length; t++) {
      upper[t] += other.upper[t];
    }
    return this;
  }

  /** Number of vectors. */
  long count() {
    return count;
  }

  /** The full {@link Moments}. */
  Moments unpack() {
    int d = dimension;
    double[] full = new double[d * d];
    int t = 0;
    for (int a = 0; a < d; a++) {
      for (int b = a; b < d; b++, t++) {
        full[a * d + b] = upper[t];
        full[b * d + a] = upper[t];
      }
    }
    return Moments.of(count, sum, full);
  }
}
