package io.lopq.math;

import dev.ludovic.netlib.lapack.LAPACK;
import io.lopq.math.blas.BlasSetup;
import java.util.Objects;
import org.netlib.util.intW;

/**
 * Orthogonal Procrustes (Schönemann, 1966): the orthogonal matrix that best maps source vectors onto
 * target vectors, used by LOPQ refinement to re-fit a cell's rotation to its current codes.
 *
 * <pre>
 *   R* = argmin over R with R^T R = I of  sum_i ||R x_i - y_i||^2
 *      = U V^T     where  A = sum_i y_i x_i^T = U S V^T    (SVD through LAPACK dgesvd)
 * </pre>
 *
 * because {@code sum ||R x - y||^2 = const - 2 tr(R^T A)} and {@code tr(R^T U S V^T)} is largest
 * when {@code U^T R V = I}. R may be a reflection (determinant -1): LOPQ needs orthonormality only.
 */
public final class Procrustes {
  private static final LAPACK LAPACK_INSTANCE = BlasSetup.lapack();

  private Procrustes() {}

  /**
   * The cross-covariance {@code A = sum_i y_i x_i^T} (d x d row-major, double) of {@code n}
   * row-major sources {@code x} and targets {@code y}.
   */
  public static double[] crossCovariance(float[] sources, float[] targets, int n, int d) {
    checkRows("sources", sources, n, d);
    checkRows("targets", targets, n, d);
    double[] x = toDoubles(sources, n * d);
    double[] y = toDoubles(targets, n * d);
    double[] a = new double[d * d];
    Blas.gemmTN(d, d, n, 1.0, y, 0, x, 0, 0.0, a, 0);
    return a;
  }

  /** The orthogonal R (d x d row-major) minimising {@code sum ||R x_i - y_i||^2} over the given rows. */
  public static double[] fit(float[] sources, float[] targets, int n, int d) {
    return fromCrossCovariance(crossCovariance(sources, targets, n, d), d);
  }

  /**
   * {@code R = U V^T} from the SVD of the cross-covariance {@code A = sum_i y_i x_i^T} (d x d
   * row-major).
   *
   * @throws IllegalArgumentException on a wrong shape or a non-finite value
   * @throws IllegalStateException if LAPACK reports a failure
   */
  public static double[] fromCrossCovariance(double[] crossCovariance, int d) {
    Objects.requireNonNull(crossCovariance, "crossCovariance");
    if (d < 1 || crossCovariance.length != (long) d * d) {
      throw new IllegalArgumentException("cross-covariance has " + crossCovariance.length
          + " values, expected d x d with d=" + d);
    }
    double[] columnMajor = new double[d * d];
    for (int i = 0; i < d; i++) {
      for (int j = 0; j < d; j++) {
        double v = crossCovariance[i * d + j];
        if (!Double.isFinite(v)) {
          throw new IllegalArgumentException(
              "cross-covariance has a non-finite value " + v + " at (" + i + ", " + j + ")");
        }
        columnMajor[j * d + i] = v;
      }
    }
    double[] singular = new double[d];
    double[] u = new double[d * d];
    double[] vt = new double[d * d];
    intW info = new intW(0);
    double[] query = new double[1];
    LAPACK_INSTANCE.dgesvd("A", "A", d, d, columnMajor.clone(), d, singular, u, d, vt, d, query, -1, info);
    int lwork = Math.max((int) query[0], Math.max(1, 5 * d));
    info.val = 0;
    LAPACK_INSTANCE.dgesvd("A", "A", d, d, columnMajor, d, singular, u, d, vt, d, new double[lwork], lwork, info);
    if (info.val != 0) {
      throw new IllegalStateException("LAPACK dgesvd failed on a " + d + " x " + d + " matrix (info=" + info.val
          + (info.val > 0 ? ", the algorithm did not converge)" : ", an argument was invalid)"));
    }
    // Column-major: U(i, k) = u[k * d + i], V^T(k, j) = vt[j * d + k].
    double[] r = new double[d * d];
    for (int i = 0; i < d; i++) {
      for (int j = 0; j < d; j++) {
        double s = 0;
        for (int k = 0; k < d; k++) {
          s += u[k * d + i] * vt[j * d + k];
        }
        r[i * d + j] = s;
      }
    }
    return r;
  }

  private static void checkRows(String what, float[] rows, int n, int d) {
    Objects.requireNonNull(rows, what);
    if (n < 0 || d < 1 || rows.length < (long) n * d) {
      throw new IllegalArgumentException(what + " have " + rows.length + " values, expected n x d = " + n + " x " + d);
    }
  }

  private static double[] toDoubles(float[] values, int length) {
    double[] out = new double[length];
    for (int i = 0; i < length; i++) {
      out[i] = values[i];
    }
    return out;
  }
}
