package io.lopq.math;

import dev.ludovic.netlib.lapack.LAPACK;
import io.lopq.math.blas.BlasSetup;
import java.util.Objects;
import org.netlib.util.intW;

/**
 * Eigen-decomposition of a real symmetric matrix through LAPACK {@code dsyevd} (divide and conquer),
 * with the eigenvalues sorted descending and each eigenvector as a row.
 *
 * <pre>
 *   A = E^T diag(l) E,    E E^T = I,    l_1 &gt;= l_2 &gt;= ... &gt;= l_n,    A e_i = l_i e_i
 * </pre>
 *
 * <p>A symmetric matrix reads the same row-major and column-major, so it goes to LAPACK as is;
 * LAPACK returns eigenvectors as columns of a column-major matrix, i.e. as contiguous runs, which
 * become the rows of {@link #vectors()}. Each eigenvector's sign is fixed so that its entry of
 * largest magnitude is positive (lowest index among ties), making results reproducible across
 * LAPACK builds.
 */
public final class SymmetricEigen {
  private static final LAPACK LAPACK_INSTANCE = BlasSetup.lapack();
  /** Relative asymmetry {@code |a_ij - a_ji| / max|a|} tolerated in the input. */
  public static final double SYMMETRY_TOLERANCE = 1e-8;

  private final int size;
  private final double[] values;
  private final double[] vectors;

  private SymmetricEigen(int size, double[] values, double[] vectors) {
    this.size = size;
    this.values = values;
    this.vectors = vectors;
  }

  /**
   * Decomposes the symmetric {@code n x n} matrix {@code a} (row-major; not modified).
   *
   * @throws IllegalArgumentException if the shape is wrong, a value is not finite or the matrix is
   *     not symmetric
   * @throws IllegalStateException if LAPACK reports a failure
   */
  public static SymmetricEigen decompose(double[] a, int n) {
    check(a, n);
    double[] work = a.clone();
    double[] ascending = new double[n];
    int lwork = 1 + 6 * n + 2 * n * n;
    int liwork = 3 + 5 * n;
    intW info = new intW(0);
    LAPACK_INSTANCE.dsyevd("V", "U", n, work, n, ascending, new double[lwork], lwork, new int[liwork], liwork,
        info);
    if (info.val != 0) {
      throw new IllegalStateException("LAPACK dsyevd failed on a " + n + " x " + n + " matrix (info="
          + info.val + (info.val > 0 ? ", the algorithm did not converge)" : ", an argument was invalid)"));
    }
    double[] values = new double[n];
    double[] vectors = new double[n * n];
    for (int i = 0; i < n; i++) {
      int source = n - 1 - i;
      values[i] = ascending[source];
      System.arraycopy(work, source * n, vectors, i * n, n);
      fixSign(vectors, i * n, n);
    }
    return new SymmetricEigen(n, values, vectors);
  }

  private static void check(double[] a, int n) {
    Objects.requireNonNull(a, "matrix");
    if (n < 1) {
      throw new IllegalArgumentException("matrix size must be >= 1, got " + n);
    }
    if (a.length != (long) n * n) {
      throw new IllegalArgumentException(
          "matrix has " + a.length + " values, expected " + n + " x " + n + " = " + ((long) n * n));
    }
    double largest = 0;
    for (int i = 0; i < a.length; i++) {
      if (!Double.isFinite(a[i])) {
        throw new IllegalArgumentException(
            "matrix has a non-finite value " + a[i] + " at (" + (i / n) + ", " + (i % n) + ")");
      }
      largest = Math.max(largest, Math.abs(a[i]));
    }
    for (int i = 0; i < n; i++) {
      for (int j = i + 1; j < n; j++) {
        if (Math.abs(a[i * n + j] - a[j * n + i]) > SYMMETRY_TOLERANCE * largest) {
          throw new IllegalArgumentException("matrix is not symmetric: a(" + i + "," + j + ")=" + a[i * n + j]
              + " but a(" + j + "," + i + ")=" + a[j * n + i]);
        }
      }
    }
  }

  private static void fixSign(double[] v, int offset, int n) {
    int largest = offset;
    for (int j = offset + 1; j < offset + n; j++) {
      if (Math.abs(v[j]) > Math.abs(v[largest])) {
        largest = j;
      }
    }
    if (v[largest] < 0) {
      for (int j = offset; j < offset + n; j++) {
        v[j] = -v[j];
      }
    }
  }

  /** n. */
  public int size() {
    return size;
  }

  /** Eigenvalues, descending (a copy). */
  public double[] values() {
    return values.clone();
  }

  /** Eigenvalue {@code i} (descending order). */
  public double value(int i) {
    return values[i];
  }

  /** Eigenvectors as the rows of an n x n row-major orthonormal matrix, row i for {@link #value(int) value(i)} (a copy). */
  public double[] vectors() {
    return vectors.clone();
  }
}
