package io.lopq.math;

import java.io.Serializable;
import java.util.Objects;

/**
 * The mean and the orthonormal rotation of one coarse cluster's residuals: the "local
 * optimization" of LOPQ (Kalantidis &amp; Avrithis, CVPR 2014), fitted from the cluster's
 * {@link Moments}.
 *
 * <pre>
 *   mu    = s / n
 *   Sigma = Q / n - mu mu^T = E^T diag(l) E                      (SymmetricEigen, l descending)
 *   p     = EigenvalueAllocation.allocate(l, S)                  (S subspaces of d/S rows each)
 *   R     = rows E[p[0]], E[p[1]], ..., E[p[d-1]]                 (orthonormal, d x d)
 *   y     = R (r - mu)                                           (the rotated residual)
 * </pre>
 *
 * <p>A cluster with fewer than {@code minCount} vectors has no stable covariance: it keeps its own
 * mean (zeros when empty) but takes the caller's fallback rotation (typically one fitted on all the
 * residuals of the half) or, without one, the identity. {@link #source()} says which happened.
 */
public final class LocalRotation implements Serializable {
  private static final long serialVersionUID = 1L;

  /** Where a rotation came from. */
  public enum Source {
    /** Fitted on the cluster's own covariance. */
    LOCAL,
    /** The caller's fallback rotation, because the cluster was too small. */
    FALLBACK,
    /** The identity, because the cluster was too small and there was no fallback (or rotations are off). */
    IDENTITY,
    /**
     * Fitted on the cluster's covariance shrunk toward the half's (prior pseudo-rows), for a
     * cluster with too few rows of its own for a full-rank covariance.
     */
    SHRUNK
  }

  private final int dimension;
  private final int subspaces;
  private final long count;
  private final float[] mean;
  private final float[] rotation;
  private final double[] eigenvalues;
  private final Source source;

  private LocalRotation(int dimension, int subspaces, long count, float[] mean, float[] rotation,
      double[] eigenvalues, Source source) {
    this.dimension = dimension;
    this.subspaces = subspaces;
    this.count = count;
    this.mean = mean;
    this.rotation = rotation;
    this.eigenvalues = eigenvalues;
    this.source = source;
  }

  /** The smallest cluster that gets its own rotation unless told otherwise: {@code d + 1} vectors. */
  public static long defaultMinCount(int d) {
    return d + 1L;
  }

  /**
   * Fits the mean and rotation of a cluster from its moments.
   *
   * @param moments the cluster's count, sum and sum of outer products
   * @param subspaces S, the number of subquantizers sharing the rotated space; must divide d
   * @param minCount clusters with fewer vectors use {@code fallback}
   * @param fallback rotation for small clusters (its mean is ignored), or null for the identity
   */
  public static LocalRotation fromMoments(Moments moments, int subspaces, long minCount, LocalRotation fallback) {
    Objects.requireNonNull(moments, "moments");
    int d = moments.dimension();
    checkSubspaces(d, subspaces);
    if (fallback != null && (fallback.dimension != d || fallback.subspaces != subspaces)) {
      throw new IllegalArgumentException("fallback rotation is " + fallback.dimension + "-dimensional with "
          + fallback.subspaces + " subspaces, expected " + d + " with " + subspaces);
    }
    float[] mean = toFloats(moments.mean());
    long n = moments.count();
    if (n < Math.max(minCount, 1)) {
      if (fallback == null || fallback.source == Source.IDENTITY) {
        return new LocalRotation(d, subspaces, n, mean, identityMatrix(d), new double[0], Source.IDENTITY);
      }
      return new LocalRotation(d, subspaces, n, mean, fallback.rotation, fallback.eigenvalues, Source.FALLBACK);
    }
    return fit(moments.covariance(), d, subspaces, n, mean, Source.LOCAL);
  }

  /**
   * Fits the mean and rotation of a cluster with its covariance shrunk toward {@code prior}'s (the
   * moments of all residuals of the half) by {@code priorRows} pseudo-rows
   * ({@link Moments#shrunkCovariance}): no hard fallback, the rotation moves smoothly from the
   * half's (an empty cluster) to the cluster's own (a large one). The mean stays the cluster's own
   * (one row estimates it, and it minimizes the cluster's residual energy); an empty cluster takes
   * the prior's. The result's {@link #count()} is the cluster's own; its source is
   * {@link Source#SHRUNK} when the cluster alone has at most d rows (a singular covariance), else
   * {@link Source#LOCAL}.
   *
   * @param priorRows pseudo-rows of the prior, {@code >= 1}
   * @throws IllegalArgumentException if the prior is empty or of another dimension
   */
  public static LocalRotation fromShrunkMoments(Moments moments, Moments prior, long priorRows, int subspaces) {
    Objects.requireNonNull(moments, "moments");
    Objects.requireNonNull(prior, "prior");
    if (priorRows < 1 || prior.count() == 0) {
      throw new IllegalArgumentException("shrinkage needs a non-empty prior and priorRows >= 1, got "
          + prior.count() + " prior rows weighted " + priorRows);
    }
    int d = moments.dimension();
    checkSubspaces(d, subspaces);
    float[] mean = toFloats(moments.count() > 0 ? moments.mean() : prior.mean());
    Source source = moments.count() < defaultMinCount(d) ? Source.SHRUNK : Source.LOCAL;
    return fit(moments.shrunkCovariance(prior, priorRows), d, subspaces, moments.count(), mean, source);
  }

  private static LocalRotation fit(double[] covariance, int d, int subspaces, long n, float[] mean, Source source) {
    SymmetricEigen eigen = SymmetricEigen.decompose(covariance, d);
    double[] values = eigen.values();
    double[] vectors = eigen.vectors();
    int[] order = EigenvalueAllocation.allocate(values, subspaces);
    float[] rotation = new float[d * d];
    double[] rowEigenvalues = new double[d];
    for (int r = 0; r < d; r++) {
      int from = order[r];
      rowEigenvalues[r] = values[from];
      for (int j = 0; j < d; j++) {
        rotation[r * d + j] = (float) vectors[from * d + j];
      }
    }
    return new LocalRotation(d, subspaces, n, mean, rotation, rowEigenvalues, source);
  }

  /**
   * Fits from raw moment arrays, as a distributed aggregation delivers them.
   *
   * @see #fromMoments(Moments, int, long, LocalRotation)
   */
  public static LocalRotation fromMoments(long count, double[] sum, double[] outerProducts, int subspaces,
      long minCount, LocalRotation fallback) {
    return fromMoments(Moments.of(count, sum, outerProducts), subspaces, minCount, fallback);
  }

  /** Fits from {@code n} row-major rows, with the default minimum count and the identity as fallback. */
  public static LocalRotation fromRows(float[] rows, int n, int d, int subspaces) {
    return fromRows(rows, n, d, subspaces, defaultMinCount(d), null);
  }

  /** Fits from {@code n} row-major rows. */
  public static LocalRotation fromRows(float[] rows, int n, int d, int subspaces, long minCount,
      LocalRotation fallback) {
    return fromMoments(Moments.ofRows(rows, n, d), subspaces, minCount, fallback);
  }

  /** The identity rotation with a zero mean: plain product quantization of the residuals. */
  public static LocalRotation identity(int d, int subspaces) {
    checkSubspaces(d, subspaces);
    return new LocalRotation(d, subspaces, 0, new float[d], identityMatrix(d), new double[0], Source.IDENTITY);
  }

  private static void checkSubspaces(int d, int subspaces) {
    if (subspaces < 1 || d % subspaces != 0) {
      throw new IllegalArgumentException(
          "number of subspaces (" + subspaces + ") must be >= 1 and divide the dimension (" + d + ")");
    }
  }

  private static float[] identityMatrix(int d) {
    float[] identity = new float[d * d];
    for (int i = 0; i < d; i++) {
      identity[i * d + i] = 1f;
    }
    return identity;
  }

  private static float[] toFloats(double[] values) {
    float[] out = new float[values.length];
    for (int i = 0; i < values.length; i++) {
      out[i] = (float) values[i];
    }
    return out;
  }

  /**
   * {@code y = R (x - mu)} for the vector at {@code x[offset .. offset + d)}, written to
   * {@code y[yOffset .. yOffset + d)}.
   */
  public void rotate(float[] x, int offset, float[] y, int yOffset) {
    int d = dimension;
    double[] centered = new double[d];
    for (int j = 0; j < d; j++) {
      centered[j] = (double) x[offset + j] - mean[j];
    }
    for (int r = 0; r < d; r++) {
      double s = 0;
      int row = r * d;
      for (int j = 0; j < d; j++) {
        s += rotation[row + j] * centered[j];
      }
      y[yOffset + r] = (float) s;
    }
  }

  /** d. */
  public int dimension() {
    return dimension;
  }

  /** S, the number of subspaces the rows are grouped into. */
  public int subspaces() {
    return subspaces;
  }

  /** Number of vectors the moments held. */
  public long count() {
    return count;
  }

  /** The cluster's mean (zeros if it had no vectors). Do not modify. */
  public float[] mean() {
    return mean;
  }

  /** R, d x d row-major, rows are eigenvectors grouped by subspace in subspace order. Do not modify. */
  public float[] rotation() {
    return rotation;
  }

  /**
   * The eigenvalues of the covariance the rotation was fitted on, in the order of the rotation's
   * rows (so {@code eigenvalues()[r]} is the variance along row r); empty for the identity.
   * A copy.
   */
  public double[] eigenvalues() {
    return eigenvalues.clone();
  }

  /** Where the rotation came from. */
  public Source source() {
    return source;
  }
}
