package io.lopq.math;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The row-major single-precision product {@code C = alpha A B^T + beta C} ({@link Blas#gemmNT}) on the
 * Vector API, for JVMs whose BLAS is netlib's pure Java. Loaded only when {@link Argmin#VECTORIZED}.
 *
 * <pre>
 *   Bt = B^T                      (k x n, packed once per call: O(n k) against O(m n k))
 *   C[i, j..j+2L) += sum_l A[i, l] * Bt[l, j..j+2L)     4 rows x 2 vectors of L lanes per step:
 *                                                        8 fused multiply-adds, 2 vector loads, 4 broadcasts
 * </pre>
 *
 * netlib's {@code VectorBLAS} computes the same product as 3 x 3 dot products (6 vector loads per 9
 * multiply-adds, then 9 lane reductions); this outer-product form keeps 8 accumulators in registers and
 * needs no reductions. Bt is padded with zero columns to whole vectors (the last vectors' extra lanes
 * are not written to C); rows left over after groups of 4 take one row at a time. The sums run over {@code l} in order, each
 * lane with fused multiply-adds, so the result differs from a plain loop only by rounding.
 */
final class GemmVector {
  private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
  private static final int LANES = SPECIES.length();
  private static final int ROWS = 4;
  /** Rows of A per block, so that a block of A stays in cache while the panels of Bt go by. */
  private static final int ROW_BLOCK = 64;

  private GemmVector() {}

  /** Lanes of the species (1 means no vector unit worth using). */
  static int lanes() {
    return LANES;
  }

  static void gemmNT(int m, int n, int k, float alpha, float[] a, int aOffset, float[] b, int bOffset, float beta,
      float[] c, int cOffset) {
    int ldb = (n + LANES - 1) / LANES * LANES; // padded with zero columns: every load is a whole vector
    float[] bt = new float[k * ldb];
    for (int j = 0; j < n; j++) {
      int from = bOffset + j * k;
      for (int l = 0, t = j; l < k; l++, t += ldb) {
        bt[t] = b[from + l];
      }
    }
    float[] edge = new float[LANES];
    for (int i0 = 0; i0 < m; i0 += ROW_BLOCK) {
      int i1 = Math.min(m, i0 + ROW_BLOCK);
      int j = 0;
      for (; j + 2 * LANES <= ldb; j += 2 * LANES) {
        int i = i0;
        for (; i + ROWS <= i1; i += ROWS) {
          panel4x2(i, j, n, ldb, k, alpha, a, aOffset, bt, beta, c, cOffset, edge);
        }
        for (; i < i1; i++) {
          panel1x2(i, j, n, ldb, k, alpha, a, aOffset, bt, beta, c, cOffset, edge);
        }
      }
      if (j < ldb) {
        for (int i = i0; i < i1; i++) {
          panel1x1(i, j, n, ldb, k, alpha, a, aOffset, bt, beta, c, cOffset, edge);
        }
      }
    }
  }

  private static void panel4x2(int i, int j, int n, int ldb, int k, float alpha, float[] a, int aOffset, float[] bt,
      float beta, float[] c, int cOffset, float[] edge) {
    FloatVector c00 = FloatVector.zero(SPECIES);
    FloatVector c01 = FloatVector.zero(SPECIES);
    FloatVector c10 = FloatVector.zero(SPECIES);
    FloatVector c11 = FloatVector.zero(SPECIES);
    FloatVector c20 = FloatVector.zero(SPECIES);
    FloatVector c21 = FloatVector.zero(SPECIES);
    FloatVector c30 = FloatVector.zero(SPECIES);
    FloatVector c31 = FloatVector.zero(SPECIES);
    int r0 = aOffset + i * k;
    int r1 = r0 + k;
    int r2 = r1 + k;
    int r3 = r2 + k;
    for (int l = 0, t = j; l < k; l++, t += ldb) {
      FloatVector b0 = FloatVector.fromArray(SPECIES, bt, t);
      FloatVector b1 = FloatVector.fromArray(SPECIES, bt, t + LANES);
      FloatVector x0 = FloatVector.broadcast(SPECIES, a[r0 + l]);
      c00 = x0.fma(b0, c00);
      c01 = x0.fma(b1, c01);
      FloatVector x1 = FloatVector.broadcast(SPECIES, a[r1 + l]);
      c10 = x1.fma(b0, c10);
      c11 = x1.fma(b1, c11);
      FloatVector x2 = FloatVector.broadcast(SPECIES, a[r2 + l]);
      c20 = x2.fma(b0, c20);
      c21 = x2.fma(b1, c21);
      FloatVector x3 = FloatVector.broadcast(SPECIES, a[r3 + l]);
      c30 = x3.fma(b0, c30);
      c31 = x3.fma(b1, c31);
    }
    int out = cOffset + i * n + j;
    int w0 = Math.min(LANES, n - j);
    int w1 = Math.min(LANES, n - j - LANES);
    store(c00, alpha, beta, c, out, w0, edge);
    store(c01, alpha, beta, c, out + LANES, w1, edge);
    store(c10, alpha, beta, c, out + n, w0, edge);
    store(c11, alpha, beta, c, out + n + LANES, w1, edge);
    store(c20, alpha, beta, c, out + 2 * n, w0, edge);
    store(c21, alpha, beta, c, out + 2 * n + LANES, w1, edge);
    store(c30, alpha, beta, c, out + 3 * n, w0, edge);
    store(c31, alpha, beta, c, out + 3 * n + LANES, w1, edge);
  }

  private static void panel1x2(int i, int j, int n, int ldb, int k, float alpha, float[] a, int aOffset, float[] bt,
      float beta, float[] c, int cOffset, float[] edge) {
    FloatVector c00 = FloatVector.zero(SPECIES);
    FloatVector c01 = FloatVector.zero(SPECIES);
    int r0 = aOffset + i * k;
    for (int l = 0, t = j; l < k; l++, t += ldb) {
      FloatVector x0 = FloatVector.broadcast(SPECIES, a[r0 + l]);
      c00 = x0.fma(FloatVector.fromArray(SPECIES, bt, t), c00);
      c01 = x0.fma(FloatVector.fromArray(SPECIES, bt, t + LANES), c01);
    }
    int out = cOffset + i * n + j;
    store(c00, alpha, beta, c, out, Math.min(LANES, n - j), edge);
    store(c01, alpha, beta, c, out + LANES, Math.min(LANES, n - j - LANES), edge);
  }

  private static void panel1x1(int i, int j, int n, int ldb, int k, float alpha, float[] a, int aOffset, float[] bt,
      float beta, float[] c, int cOffset, float[] edge) {
    FloatVector c00 = FloatVector.zero(SPECIES);
    int r0 = aOffset + i * k;
    for (int l = 0, t = j; l < k; l++, t += ldb) {
      c00 = FloatVector.broadcast(SPECIES, a[r0 + l]).fma(FloatVector.fromArray(SPECIES, bt, t), c00);
    }
    store(c00, alpha, beta, c, cOffset + i * n + j, Math.min(LANES, n - j), edge);
  }

  /** Writes the first {@code width} lanes of {@code alpha sum + beta C} to C (none if width &lt;= 0). */
  private static void store(FloatVector sum, float alpha, float beta, float[] c, int offset, int width,
      float[] edge) {
    FloatVector scaled = alpha == 1f ? sum : sum.mul(alpha);
    if (width >= LANES) {
      if (beta != 0f) {
        scaled = scaled.add(FloatVector.fromArray(SPECIES, c, offset).mul(beta));
      }
      scaled.intoArray(c, offset);
      return;
    }
    if (width > 0) {
      scaled.intoArray(edge, 0);
      for (int x = 0; x < width; x++) {
        c[offset + x] = beta == 0f ? edge[x] : edge[x] + beta * c[offset + x];
      }
    }
  }
}
