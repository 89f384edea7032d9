package io.lopq.math;

import dev.ludovic.netlib.blas.BLAS;
import dev.ludovic.netlib.blas.NativeBLAS;
import io.lopq.math.blas.BlasSetup;

/**
 * The one adapter between our row-major arrays and netlib's column-major BLAS (the implementation
 * Spark ships), set up by {@link BlasSetup}: the OpenBLAS the project bundles unless the
 * {@code lopq.blas} setting chooses the system's library or pure Java.
 *
 * <p>A row-major {@code m x k} matrix is a column-major {@code k x m} matrix with leading
 * dimension {@code k}, so a row-major product {@code C = A B^T} is the column-major product
 * {@code C^T = B A^T}: each method below swaps its operands accordingly.
 *
 * <p>With netlib's pure-Java BLAS ({@code VectorBLAS}), only the dot-product form of a matrix product
 * (column-major {@code gemm("T", "N")}: row-major {@code A B^T}, {@link #gemmNT}) runs Vector API
 * code; the other forms ({@code gemm("N", "T")}, {@code dsyrk}) run plain Java, 3-4x slower on a
 * scatter matrix {@code X^T X} of 1,024 rows of 392 (measured). So on pure Java, {@link #gemmTN} and
 * {@link #scatterRows} transpose their operands (O(k (m + n)) copies against O(k m n) work) and take
 * the dot-product form; with a native BLAS they call it as they are. The float {@link #gemmNT}, the
 * distance products of k-means, the encoder and the search, runs the project's own Vector API kernel
 * ({@link GemmVector}) on pure Java.
 */
public final class Blas {
  private static final BLAS BLAS_INSTANCE = BlasSetup.blas();
  /** netlib's BLAS is its pure-Java code: prefer its vectorized dot-product form of gemm. */
  private static final boolean PURE_JAVA = !(BLAS_INSTANCE instanceof NativeBLAS);
  /**
   * On pure Java with the Vector API under C2, the float {@link #gemmNT} runs {@link GemmVector}
   * (1.2-4.4x netlib's VectorBLAS on the project's shapes, docs/BENCHMARKS.md) for 8 rows or more;
   * below that, packing B costs more than it saves (measured 0.3x at 1-3 rows).
   */
  private static final boolean OWN_KERNEL = PURE_JAVA && Argmin.VECTORIZED;
  private static final int OWN_KERNEL_MIN_ROWS = 8;

  private Blas() {}

  /** Name of netlib's BLAS class in use (for logs and benchmarks; {@link BlasSetup#info()} says more). */
  public static String implementation() {
    return BLAS_INSTANCE.getClass().getSimpleName();
  }

  /** netlib's BLAS as set up by {@link BlasSetup}, for the few routines this adapter does not wrap. */
  public static BLAS netlib() {
    return BLAS_INSTANCE;
  }

  /**
   * {@code C = alpha A B^T + beta C} with A {@code m x k}, B {@code n x k}, C {@code m x n}, all
   * row-major and dense, starting at the given offsets.
   */
  public static void gemmNT(int m, int n, int k, float alpha, float[] a, int aOffset, float[] b, int bOffset,
      float beta, float[] c, int cOffset) {
    if (m == 0 || n == 0) {
      return;
    }
    if (OWN_KERNEL && m >= OWN_KERNEL_MIN_ROWS && k > 0) {
      GemmVector.gemmNT(m, n, k, alpha, a, aOffset, b, bOffset, beta, c, cOffset);
      return;
    }
    BLAS_INSTANCE.sgemm("T", "N", n, m, k, alpha, b, bOffset, k, a, aOffset, k, beta, c, cOffset, n);
  }

  /** {@link #gemmNT(int, int, int, float, float[], int, float[], int, float, float[], int)} always through netlib (for benchmarks and checks). */
  public static void netlibGemmNT(int m, int n, int k, float alpha, float[] a, int aOffset, float[] b, int bOffset,
      float beta, float[] c, int cOffset) {
    if (m == 0 || n == 0) {
      return;
    }
    BLAS_INSTANCE.sgemm("T", "N", n, m, k, alpha, b, bOffset, k, a, aOffset, k, beta, c, cOffset, n);
  }

  /**
   * {@link #gemmNT(int, int, int, float, float[], int, float[], int, float, float[], int)} always through the
   * project's Vector API kernel {@link GemmVector} (for benchmarks and checks; needs the
   * {@code jdk.incubator.vector} module).
   */
  public static void vectorGemmNT(int m, int n, int k, float alpha, float[] a, int aOffset, float[] b, int bOffset,
      float beta, float[] c, int cOffset) {
    if (m == 0 || n == 0) {
      return;
    }
    GemmVector.gemmNT(m, n, k, alpha, a, aOffset, b, bOffset, beta, c, cOffset);
  }

  /**
   * {@code C = alpha A B + beta C} with A {@code m x k}, B {@code k x n}, C {@code m x n}, all
   * row-major and dense, starting at the given offsets.
   */
  public static void gemmNN(int m, int n, int k, float alpha, float[] a, int aOffset, float[] b, int bOffset,
      float beta, float[] c, int cOffset) {
    if (m == 0 || n == 0) {
      return;
    }
    BLAS_INSTANCE.sgemm("N", "N", n, m, k, alpha, b, bOffset, n, a, aOffset, k, beta, c, cOffset, n);
  }

  /** Double-precision {@code C = alpha A B^T + beta C}; shapes as in the float version. */
  public static void gemmNT(int m, int n, int k, double alpha, double[] a, int aOffset, double[] b, int bOffset,
      double beta, double[] c, int cOffset) {
    if (m == 0 || n == 0) {
      return;
    }
    BLAS_INSTANCE.dgemm("T", "N", n, m, k, alpha, b, bOffset, k, a, aOffset, k, beta, c, cOffset, n);
  }

  /** Double-precision {@code C = alpha A B + beta C}; shapes as in the float version. */
  public static void gemmNN(int m, int n, int k, double alpha, double[] a, int aOffset, double[] b, int bOffset,
      double beta, double[] c, int cOffset) {
    if (m == 0 || n == 0) {
      return;
    }
    BLAS_INSTANCE.dgemm("N", "N", n, m, k, alpha, b, bOffset, n, a, aOffset, k, beta, c, cOffset, n);
  }

  /**
   * Double-precision {@code C = alpha A^T B + beta C} with A {@code k x m}, B {@code k x n},
   * C {@code m x n} row-major: the shape of a scatter matrix {@code X^T X}.
   */
  public static void gemmTN(int m, int n, int k, double alpha, double[] a, int aOffset, double[] b, int bOffset,
      double beta, double[] c, int cOffset) {
    gemmTN(m, n, k, alpha, a, aOffset, b, bOffset, beta, c, cOffset, PURE_JAVA);
  }

  /** {@link #gemmTN}, through transposed copies and the dot-product form if {@code transposeFirst}. */
  static void gemmTN(int m, int n, int k, double alpha, double[] a, int aOffset, double[] b, int bOffset,
      double beta, double[] c, int cOffset, boolean transposeFirst) {
    if (m == 0 || n == 0) {
      return;
    }
    if (!transposeFirst || k == 0) {
      BLAS_INSTANCE.dgemm("N", "T", n, m, k, alpha, b, bOffset, n, a, aOffset, m, beta, c, cOffset, n);
      return;
    }
    double[] at = transpose(a, aOffset, k, m);
    double[] bt = a == b && aOffset == bOffset && m == n ? at : transpose(b, bOffset, k, n);
    BLAS_INSTANCE.dgemm("T", "N", n, m, k, alpha, bt, 0, k, at, 0, k, beta, c, cOffset, n);
  }

  /**
   * The scatter matrix of {@code n} rows: {@code Q = alpha X^T X + beta Q} with X {@code n x d}
   * row-major from {@code rows[0]} and Q {@code d x d}, of which the upper triangle in column-major
   * order (row-major lower) is kept up to date ({@code dsyrk}, half the work of a general product, on
   * a native BLAS); the other triangle may be written too.
   */
  public static void scatterRows(int d, int n, double alpha, double[] rows, double beta, double[] q) {
    scatterRows(d, n, alpha, rows, beta, q, PURE_JAVA);
  }

  /** {@link #scatterRows}, through a transposed copy and the dot-product form if {@code transposeFirst}. */
  static void scatterRows(int d, int n, double alpha, double[] rows, double beta, double[] q, boolean transposeFirst) {
    if (d == 0) {
      return;
    }
    if (!transposeFirst || n == 0) {
      // Column-major A (d x n, lda = d) holds the rows as columns: A A^T = sum of x x^T.
      BLAS_INSTANCE.dsyrk("U", "N", d, n, alpha, rows, 0, d, beta, q, 0, d);
      return;
    }
    double[] t = transpose(rows, 0, n, d);
    BLAS_INSTANCE.dgemm("T", "N", d, d, n, alpha, t, 0, n, t, 0, n, beta, q, 0, d);
  }

  /** The transpose ({@code cols x rows}) of the row-major {@code rows x cols} matrix at {@code offset}. */
  private static double[] transpose(double[] x, int offset, int rows, int cols) {
    double[] t = new double[rows * cols];
    for (int i = 0; i < rows; i++) {
      int from = offset + i * cols;
      for (int j = 0; j < cols; j++) {
        t[j * rows + i] = x[from + j];
      }
    }
    return t;
  }

  /**
   * {@code y = alpha A x + beta y} with A {@code m x n} row-major and dense, x of length n, y of
   * length m. For a single row, far cheaper than {@link #gemmNT} with one row (no packing).
   */
  public static void gemv(int m, int n, float alpha, float[] a, int aOffset, float[] x, int xOffset, float beta,
      float[] y, int yOffset) {
    if (m == 0) {
      return;
    }
    BLAS_INSTANCE.sgemv("T", n, m, alpha, a, aOffset, Math.max(1, n), x, xOffset, 1, beta, y, yOffset, 1);
  }

  /** Squared Euclidean norm of {@code n} floats starting at {@code offset}. */
  public static float squaredNorm(float[] x, int offset, int n) {
    float s = 0f;
    for (int i = offset, end = offset + n; i < end; i++) {
      s += x[i] * x[i];
    }
    return s;
  }

  /** Squared norms of the {@code rows} rows of a row-major {@code rows x cols} matrix. */
  public static float[] rowSquaredNorms(float[] matrix, int rows, int cols) {
    float[] norms = new float[rows];
    for (int r = 0; r < rows; r++) {
      norms[r] = squaredNorm(matrix, r * cols, cols);
    }
    return norms;
  }
}
