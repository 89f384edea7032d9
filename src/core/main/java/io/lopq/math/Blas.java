package io.lopq.math;

import dev.ludovic.netlib.blas.BLAS;
import io.lopq.math.blas.BlasSetup;

/**
 * The one adapter between our row-major arrays and netlib's column-major BLAS (the implementation
 * Spark ships), set up by {@link BlasSetup}: the OpenBLAS the project bundles unless the
 * {@code lopq.blas} setting chooses the system's library or pure Java.
 *
 * <p>A row-major {@code m x k} matrix is a column-major {@code k x m} matrix with leading
 * dimension {@code k}, so a row-major product {@code C = A B^T} is the column-major product
 * {@code C^T = B A^T}: each method below swaps its operands accordingly.
 */
public final class Blas {
  private static final BLAS BLAS_INSTANCE = BlasSetup.blas();

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
    BLAS_INSTANCE.sgemm("T", "N", n, m, k, alpha, b, bOffset, k, a, aOffset, k, beta, c, cOffset, n);
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
    if (m == 0 || n == 0) {
      return;
    }
    BLAS_INSTANCE.dgemm("N", "T", n, m, k, alpha, b, bOffset, n, a, aOffset, m, beta, c, cOffset, n);
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
