package io.lopq.math;

import dev.ludovic.netlib.lapack.LAPACK;
import io.lopq.math.blas.BlasSetup;
import java.util.List;
import java.util.Locale;
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
 *
 * <p>The input is checked first (finite, symmetric). Should {@code dsyevd} fail (LAPACK's
 * {@code info != 0}, or values that are not finite), the same matrix goes to {@code dsyevr}
 * (relatively robust representations), then to {@code dsyev} (implicit QL/QR, the slowest and
 * sturdiest), before giving up with every driver's {@code info}; {@link #driver()} says which one
 * answered. (The one known cause of failures, the pure-Java LAPACK's machine constants computed by
 * two threads at once, is fixed where LAPACK is handed out: {@code io.lopq.math.blas.F2jMachineConstants}.)
 */
public final class SymmetricEigen {
  private static final LAPACK LAPACK_INSTANCE = BlasSetup.lapack();
  /** Relative asymmetry {@code |a_ij - a_ji| / max|a|} tolerated in the input. */
  public static final double SYMMETRY_TOLERANCE = 1e-8;

  /** A LAPACK driver for the full symmetric eigenproblem (eigenvalues ascending, vectors as columns). */
  interface Driver {
    /**
     * Overwrites {@code a} (n x n, column-major = row-major for a symmetric matrix) with the
     * eigenvectors as columns and fills {@code ascending}; returns LAPACK's {@code info}.
     */
    int solve(LAPACK lapack, int n, double[] a, double[] ascending);

    /** The LAPACK routine's name. */
    String name();
  }

  /** The drivers used, in the order tried. */
  enum Lapack implements Driver {
    /** Divide and conquer: the fastest for all eigenvectors. */
    DSYEVD {
      @Override
      public int solve(LAPACK lapack, int n, double[] a, double[] ascending) {
        int lwork = 1 + 6 * n + 2 * n * n;
        int liwork = 3 + 5 * n;
        intW info = new intW(0);
        lapack.dsyevd("V", "U", n, a, n, ascending, new double[lwork], lwork, new int[liwork], liwork, info);
        return info.val;
      }
    },
    /** Multiple relatively robust representations; writes the eigenvectors to a separate matrix. */
    DSYEVR {
      @Override
      public int solve(LAPACK lapack, int n, double[] a, double[] ascending) {
        int lwork = 26 * n;
        int liwork = 10 * n;
        double[] z = new double[n * n];
        intW found = new intW(0);
        intW info = new intW(0);
        lapack.dsyevr("V", "A", "U", n, a, n, 0, 0, 0, 0, 0, found, ascending, z, n, new int[2 * n],
            new double[lwork], lwork, new int[liwork], liwork, info);
        if (info.val == 0 && found.val != n) {
          return -100 - found.val;
        }
        System.arraycopy(z, 0, a, 0, z.length);
        return info.val;
      }
    },
    /** Tridiagonal QL/QR iteration: the slowest and sturdiest. */
    DSYEV {
      @Override
      public int solve(LAPACK lapack, int n, double[] a, double[] ascending) {
        int lwork = Math.max(1, 66 * n);
        intW info = new intW(0);
        lapack.dsyev("V", "U", n, a, n, ascending, new double[lwork], lwork, info);
        return info.val;
      }
    }
  }

  private static final List<Driver> DRIVERS = List.of(Lapack.DSYEVD, Lapack.DSYEVR, Lapack.DSYEV);

  private final int size;
  private final double[] values;
  private final double[] vectors;
  private final String driver;

  private SymmetricEigen(int size, double[] values, double[] vectors, String driver) {
    this.size = size;
    this.values = values;
    this.vectors = vectors;
    this.driver = driver;
  }

  /**
   * Decomposes the symmetric {@code n x n} matrix {@code a} (row-major; not modified).
   *
   * @throws IllegalArgumentException if the shape is wrong, a value is not finite or the matrix is
   *     not symmetric
   * @throws IllegalStateException if every LAPACK driver fails
   */
  public static SymmetricEigen decompose(double[] a, int n) {
    return decompose(a, n, DRIVERS);
  }

  /** {@link #decompose(double[], int)} trying {@code drivers} in order (a test hook). */
  static SymmetricEigen decompose(double[] a, int n, List<Driver> drivers) {
    return decompose(a, n, drivers, LAPACK_INSTANCE);
  }

  /** {@link #decompose(double[], int)} trying {@code drivers} of {@code lapack} in order (a test hook). */
  static SymmetricEigen decompose(double[] a, int n, List<Driver> drivers, LAPACK lapack) {
    check(a, n);
    StringBuilder failures = new StringBuilder();
    for (Driver d : drivers) {
      double[] work = a.clone();
      double[] ascending = new double[n];
      int info = d.solve(lapack, n, work, ascending);
      if (info == 0 && allFinite(ascending) && allFinite(work)) {
        return sorted(n, work, ascending, d.name().toLowerCase(Locale.ROOT));
      }
      failures.append(failures.length() == 0 ? "" : "; ").append(d.name().toLowerCase(Locale.ROOT)).append(' ')
          .append(info == 0 ? "returned values that are not finite" : describe(info, n));
    }
    throw new IllegalStateException("LAPACK failed on a " + n + " x " + n + " symmetric matrix (" + failures
        + "; largest |a_ij| " + largestMagnitude(a) + ", trace " + trace(a, n) + "; LAPACK "
        + lapack.getClass().getSimpleName() + ")");
  }

  private static String describe(int info, int n) {
    if (info <= -100) {
      return "found " + (-100 - info) + " of " + n + " eigenvalues";
    }
    return "info=" + info + (info > 0 ? ", did not converge" : ", argument " + (-info) + " invalid");
  }

  private static SymmetricEigen sorted(int n, double[] work, double[] ascending, String driver) {
    double[] values = new double[n];
    double[] vectors = new double[n * n];
    for (int i = 0; i < n; i++) {
      int source = n - 1 - i;
      values[i] = ascending[source];
      System.arraycopy(work, source * n, vectors, i * n, n);
      fixSign(vectors, i * n, n);
    }
    return new SymmetricEigen(n, values, vectors, driver);
  }

  private static boolean allFinite(double[] values) {
    for (double v : values) {
      if (!Double.isFinite(v)) {
        return false;
      }
    }
    return true;
  }

  private static double largestMagnitude(double[] a) {
    double largest = 0;
    for (double v : a) {
      largest = Math.max(largest, Math.abs(v));
    }
    return largest;
  }

  private static double trace(double[] a, int n) {
    double t = 0;
    for (int i = 0; i < n; i++) {
      t += a[i * n + i];
    }
    return t;
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

  /** The LAPACK routine that computed this decomposition ({@code dsyevd} unless it failed). */
  public String driver() {
    return driver;
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
