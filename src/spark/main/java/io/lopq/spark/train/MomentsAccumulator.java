package io.lopq.spark.train;

import io.lopq.math.Blas;

/**
 * Accumulates the residual moments of one cluster (count, sum, sum of outer products) in double,
 * with one symmetric rank-k update per batch of rows, which does half the work of a general
 * matrix product:
 *
 * <pre>
 *   Q += X^T X   (Blas.scatterRows: dsyrk, upper triangle only; X = the batch, n x d row-major)
 *   s += sum of the rows,   count += n
 * </pre>
 *
 * {@link #packed()} hands the result on as {@link PackedMoments}. The double copy of a batch lives in a
 * {@link Scratch} that all accumulators of a task share (one batch is converted at a time): with one
 * scratch per accumulator, a rotation map task at V = 1,024, D = 128 held 2V of them, 268 MB in all. Not
 * thread-safe.
 */
final class MomentsAccumulator {
  /** The double copy of the batch being added, shared by the accumulators of one thread; grows as needed. */
  static final class Scratch {
    private double[] values = new double[0];

    double[] atLeast(int length) {
      if (values.length < length) {
        values = new double[length];
      }
      return values;
    }

    /** Its size in doubles (for tests). */
    int capacity() {
      return values.length;
    }
  }

  private final int dimension;
  private long count;
  private final double[] sum;
  /** Column-major d x d; only the upper triangle (row &lt;= column) is kept up to date. */
  private final double[] upper;
  private final Scratch shared;

  /** An accumulator with a scratch of its own. */
  MomentsAccumulator(int dimension) {
    this(dimension, new Scratch());
  }

  /** An accumulator converting its batches in {@code scratch}, which other accumulators of the thread may share. */
  MomentsAccumulator(int dimension, Scratch scratch) {
    this.dimension = dimension;
    this.sum = new double[dimension];
    this.upper = new double[dimension * dimension];
    this.shared = scratch;
  }

  /** Adds {@code n} rows of dimension d, row-major from {@code rows[0]}. */
  void add(float[] rows, int n) {
    int d = dimension;
    double[] scratch = shared.atLeast(n * d);
    for (int t = 0; t < n * d; t++) {
      scratch[t] = rows[t];
    }
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < d; j++) {
        sum[j] += scratch[i * d + j];
      }
    }
    Blas.scatterRows(d, n, 1.0, scratch, 1.0, upper);
    count += n;
  }

  /** The moments so far, packed (row-major upper triangle). */
  PackedMoments packed() {
    int d = dimension;
    double[] packed = new double[d * (d + 1) / 2];
    int t = 0;
    for (int a = 0; a < d; a++) {
      for (int b = a; b < d; b++) {
        packed[t++] = upper[a + b * d];
      }
    }
    return PackedMoments.of(d, count, sum.clone(), packed);
  }
}
