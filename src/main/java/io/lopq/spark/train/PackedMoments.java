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

  /** The packed form of {@code moments} (whose outer products are symmetric by construction). */
  static PackedMoments of(Moments moments) {
    int d = moments.dimension();
    double[] full = moments.outerProducts();
    double[] upper = new double[d * (d + 1) / 2];
    int t = 0;
    for (int a = 0; a < d; a++) {
      System.arraycopy(full, a * d + a, upper, t, d - a);
      t += d - a;
    }
    return new PackedMoments(d, moments.count(), moments.sum(), upper);
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
