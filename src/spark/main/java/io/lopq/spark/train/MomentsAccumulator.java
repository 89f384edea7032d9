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
 * {@link #packed()} hands the result on as {@link PackedMoments}. Not thread-safe.
 */
final class MomentsAccumulator {
  private final int dimension;
  private long count;
  private final double[] sum;
  /** Column-major d x d; only the upper triangle (row &lt;= column) is kept up to date. */
  private final double[] upper;
  private double[] scratch = new double[0];

  MomentsAccumulator(int dimension) {
    this.dimension = dimension;
    this.sum = new double[dimension];
    this.upper = new double[dimension * dimension];
  }

  /** Adds {@code n} rows of dimension d, row-major from {@code rows[0]}. */
  void add(float[] rows, int n) {
    int d = dimension;
    if (scratch.length < n * d) {
      scratch = new double[n * d];
    }
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
