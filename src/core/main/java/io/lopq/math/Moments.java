package io.lopq.math;

import java.io.Serializable;
import java.util.Objects;

/**
 * First and second moments of a set of vectors: the count, the sum and the sum of outer products,
 * from which the mean and covariance follow. Moments of disjoint sets merge by addition, which is
 * what lets a distributed job aggregate them per (half, cluster) and fit rotations afterwards.
 *
 * <pre>
 *   n,   s = sum_i x_i  (d),   Q = sum_i x_i x_i^T  (d x d, row-major)
 *   mu = s / n,   Sigma = Q / n - mu mu^T
 * </pre>
 *
 * Sums are kept in double. Instances are mutable accumulators (not thread-safe).
 */
public final class Moments implements Serializable {
  private static final long serialVersionUID = 1L;
  /** Rows converted to double per matrix product when adding many rows. */
  private static final int ROWS_PER_BLOCK = 256;

  private final int dimension;
  private long count;
  private final double[] sum;
  private final double[] outerProducts;

  /** Empty moments of vectors of dimension {@code d}. */
  public Moments(int d) {
    if (d < 1) {
      throw new IllegalArgumentException("dimension must be >= 1, got " + d);
    }
    this.dimension = d;
    this.sum = new double[d];
    this.outerProducts = new double[d * d];
  }

  /**
   * Moments from given totals (e.g. read back after a distributed aggregation); the arrays are
   * copied.
   */
  public static Moments of(long count, double[] sum, double[] outerProducts) {
    Objects.requireNonNull(sum, "sum");
    Objects.requireNonNull(outerProducts, "outerProducts");
    int d = sum.length;
    if (count < 0) {
      throw new IllegalArgumentException("count must be >= 0, got " + count);
    }
    if (outerProducts.length != (long) d * d) {
      throw new IllegalArgumentException("sum of outer products has " + outerProducts.length
          + " values, expected " + d + " x " + d);
    }
    Moments m = new Moments(d);
    m.count = count;
    System.arraycopy(sum, 0, m.sum, 0, d);
    System.arraycopy(outerProducts, 0, m.outerProducts, 0, d * d);
    return m;
  }

  /** Moments of {@code n} row-major rows of dimension {@code d}. */
  public static Moments ofRows(float[] rows, int n, int d) {
    Moments m = new Moments(d);
    m.addRows(rows, 0, n);
    return m;
  }

  /** Adds one vector stored at {@code x[offset .. offset + d)}. */
  public Moments add(float[] x, int offset) {
    int d = dimension;
    count++;
    for (int a = 0; a < d; a++) {
      double xa = x[offset + a];
      sum[a] += xa;
      int row = a * d;
      for (int b = 0; b < d; b++) {
        outerProducts[row + b] += xa * x[offset + b];
      }
    }
    return this;
  }

  /** Adds {@code n} consecutive row-major rows starting at row {@code firstRow}, with matrix products. */
  public Moments addRows(float[] rows, int firstRow, int n) {
    int d = dimension;
    double[] block = new double[Math.min(n, ROWS_PER_BLOCK) * d];
    for (int start = 0; start < n; start += ROWS_PER_BLOCK) {
      int m = Math.min(ROWS_PER_BLOCK, n - start);
      int base = (firstRow + start) * d;
      for (int r = 0; r < m; r++) {
        for (int a = 0; a < d; a++) {
          double v = rows[base + r * d + a];
          block[r * d + a] = v;
          sum[a] += v;
        }
      }
      Blas.gemmTN(d, d, m, 1.0, block, 0, block, 0, 1.0, outerProducts, 0);
    }
    count += n;
    return this;
  }

  /** Adds the moments of another (disjoint) set. */
  public Moments merge(Moments other) {
    if (other.dimension != dimension) {
      throw new IllegalArgumentException(
          "cannot merge moments of dimension " + other.dimension + " into moments of dimension " + dimension);
    }
    count += other.count;
    for (int a = 0; a < dimension; a++) {
      sum[a] += other.sum[a];
    }
    for (int t = 0; t < outerProducts.length; t++) {
      outerProducts[t] += other.outerProducts[t];
    }
    return this;
  }

  /**
   * The covariance shrunk toward {@code prior}'s by {@code rows} pseudo-rows: the covariance of a
   * set too small for a stable (or full-rank) estimate, leaning on a larger set's.
   *
   * <pre>
   *   w = n / (n + a)                              (a = rows)
   *   Sigma' = w Sigma + (1 - w) Sigma_prior       (each about its own mean)
   * </pre>
   *
   * With {@code rows == 0} it is this covariance; with no vectors here, the prior's.
   *
   * @throws IllegalArgumentException on a negative {@code rows} or a dimension mismatch
   */
  public double[] shrunkCovariance(Moments prior, long rows) {
    Objects.requireNonNull(prior, "prior");
    if (rows < 0) {
      throw new IllegalArgumentException("prior rows must be >= 0, got " + rows);
    }
    if (prior.dimension != dimension) {
      throw new IllegalArgumentException("prior moments have dimension " + prior.dimension + ", expected "
          + dimension);
    }
    double[] own = covariance();
    if (rows == 0 || prior.count == 0) {
      return own;
    }
    double w = (double) count / (count + rows);
    double[] other = prior.covariance();
    for (int t = 0; t < own.length; t++) {
      own[t] = w * own[t] + (1 - w) * other[t];
    }
    return own;
  }

  /** A copy. */
  public Moments copy() {
    return of(count, sum, outerProducts);
  }

  /** d. */
  public int dimension() {
    return dimension;
  }

  /** n, the number of vectors added. */
  public long count() {
    return count;
  }

  /** The sum of the vectors (a copy). */
  public double[] sum() {
    return sum.clone();
  }

  /** The sum of outer products {@code x x^T}, d x d row-major (a copy). */
  public double[] outerProducts() {
    return outerProducts.clone();
  }

  /** The mean, or zeros when no vector was added. */
  public double[] mean() {
    double[] mean = new double[dimension];
    if (count > 0) {
      for (int a = 0; a < dimension; a++) {
        mean[a] = sum[a] / count;
      }
    }
    return mean;
  }

  /**
   * The (population, divide-by-n) covariance {@code Q/n - mu mu^T}, symmetrised exactly; zeros when
   * no vector was added.
   */
  public double[] covariance() {
    int d = dimension;
    double[] cov = new double[d * d];
    if (count == 0) {
      return cov;
    }
    double[] mean = mean();
    for (int a = 0; a < d; a++) {
      for (int b = a; b < d; b++) {
        double q = 0.5 * (outerProducts[a * d + b] + outerProducts[b * d + a]);
        double c = q / count - mean[a] * mean[b];
        cov[a * d + b] = c;
        cov[b * d + a] = c;
      }
    }
    return cov;
  }
}
