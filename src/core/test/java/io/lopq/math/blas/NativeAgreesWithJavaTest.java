package io.lopq.math.blas;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ludovic.netlib.blas.BLAS;
import dev.ludovic.netlib.blas.JavaBLAS;
import dev.ludovic.netlib.blas.NativeBLAS;
import dev.ludovic.netlib.lapack.JavaLAPACK;
import dev.ludovic.netlib.lapack.LAPACK;
import dev.ludovic.netlib.lapack.NativeLAPACK;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.netlib.util.intW;

/**
 * The bundled OpenBLAS computes what netlib's pure-Java code computes, to rounding, on the routines
 * the project calls: sgemm/dgemm (distances, rotations, scatter matrices), sgemv, dsyrk, dsyevd
 * (eigen-decomposition) and dgesvd (Procrustes).
 */
class NativeAgreesWithJavaTest {
  private static BLAS nativeBlas;
  private static BLAS javaBlas;
  private static LAPACK nativeLapack;
  private static LAPACK javaLapack;

  @BeforeAll
  static void bothImplementations() {
    BlasSetup.configure(BlasChoice.BUNDLED);
    assertTrue(BlasSetup.blas() instanceof NativeBLAS, "a native BLAS is loaded: " + BlasSetup.info());
    assertTrue(BlasSetup.lapack() instanceof NativeLAPACK, "a native LAPACK is loaded: " + BlasSetup.info());
    nativeBlas = NativeBLAS.getInstance();
    nativeLapack = NativeLAPACK.getInstance();
    javaBlas = JavaBLAS.getInstance();
    javaLapack = JavaLAPACK.getInstance();
  }

  @Test
  void sgemmAndSgemv() {
    Random random = new Random(1);
    int m = 97;
    int n = 64;
    int k = 33;
    float[] a = randomFloats(m * k, random);
    float[] b = randomFloats(n * k, random);
    float[] c0 = randomFloats(m * n, random);
    for (String[] t : new String[][] {{"T", "N"}, {"N", "N"}, {"N", "T"}}) {
      float[] cn = c0.clone();
      float[] cj = c0.clone();
      int lda = t[0].equals("N") ? n : k;
      int ldb = t[1].equals("N") ? k : m;
      nativeBlas.sgemm(t[0], t[1], n, m, k, -2f, b, 0, lda, a, 0, ldb, 0.5f, cn, 0, n);
      javaBlas.sgemm(t[0], t[1], n, m, k, -2f, b, 0, lda, a, 0, ldb, 0.5f, cj, 0, n);
      assertClose(cj, cn, 1e-5, "sgemm " + t[0] + t[1]);
    }
    float[] yn = new float[m];
    float[] yj = new float[m];
    float[] x = randomFloats(k, random);
    nativeBlas.sgemv("T", k, m, 1f, a, 0, k, x, 0, 1, 0f, yn, 0, 1);
    javaBlas.sgemv("T", k, m, 1f, a, 0, k, x, 0, 1, 0f, yj, 0, 1);
    assertClose(yj, yn, 1e-5, "sgemv");
  }

  @Test
  void dgemmAndDsyrk() {
    Random random = new Random(2);
    int n = 120;
    int d = 40;
    double[] x = randomDoubles(n * d, random);
    double[] gn = new double[d * d];
    double[] gj = new double[d * d];
    nativeBlas.dgemm("N", "T", d, d, n, 1.0, x, 0, d, x, 0, d, 0.0, gn, 0, d);
    javaBlas.dgemm("N", "T", d, d, n, 1.0, x, 0, d, x, 0, d, 0.0, gj, 0, d);
    assertClose(gj, gn, 1e-12, "dgemm");
    double[] sn = new double[d * d];
    double[] sj = new double[d * d];
    nativeBlas.dsyrk("U", "N", d, n, 1.0, x, 0, d, 1.0, sn, 0, d);
    javaBlas.dsyrk("U", "N", d, n, 1.0, x, 0, d, 1.0, sj, 0, d);
    for (int i = 0; i < d; i++) {
      for (int j = 0; j <= i; j++) { // the upper triangle, column-major
        assertEquals(sj[i * d + j], sn[i * d + j], 1e-12 * Math.max(1, Math.abs(sj[i * d + j])), "dsyrk");
      }
    }
  }

  @Test
  void dsyevd() {
    int d = 48;
    double[] a = symmetric(d, new Random(3));
    double[] vn = a.clone();
    double[] vj = a.clone();
    double[] ln = new double[d];
    double[] lj = new double[d];
    syevd(nativeLapack, vn, ln, d);
    syevd(javaLapack, vj, lj, d);
    assertClose(lj, ln, 1e-10, "eigenvalues");
    for (int i = 0; i < d; i++) { // each eigenvector up to its sign
      double dot = 0;
      for (int j = 0; j < d; j++) {
        dot += vn[i * d + j] * vj[i * d + j];
      }
      assertEquals(1.0, Math.abs(dot), 1e-8, "eigenvector " + i);
    }
  }

  @Test
  void dgesvd() {
    int d = 24;
    Random random = new Random(4);
    double[] a = randomDoubles(d * d, random);
    double[] sn = svd(nativeLapack, a.clone(), d);
    double[] sj = svd(javaLapack, a.clone(), d);
    assertClose(sj, sn, 1e-10, "singular values");
  }

  private static void syevd(LAPACK lapack, double[] a, double[] w, int d) {
    double[] work = new double[1];
    int[] iwork = new int[1];
    intW info = new intW(0);
    lapack.dsyevd("V", "U", d, a, d, w, work, -1, iwork, -1, info);
    int lwork = (int) work[0];
    int liwork = iwork[0];
    lapack.dsyevd("V", "U", d, a, d, w, new double[lwork], lwork, new int[liwork], liwork, info);
    assertEquals(0, info.val, "dsyevd info");
  }

  private static double[] svd(LAPACK lapack, double[] a, int d) {
    double[] s = new double[d];
    double[] u = new double[d * d];
    double[] vt = new double[d * d];
    double[] query = new double[1];
    intW info = new intW(0);
    lapack.dgesvd("A", "A", d, d, a, d, s, u, d, vt, d, query, -1, info);
    int lwork = (int) query[0];
    lapack.dgesvd("A", "A", d, d, a, d, s, u, d, vt, d, new double[lwork], lwork, info);
    assertEquals(0, info.val, "dgesvd info");
    return s;
  }

  private static double[] symmetric(int d, Random random) {
    double[] a = new double[d * d];
    for (int i = 0; i < d; i++) {
      for (int j = 0; j <= i; j++) {
        double v = random.nextGaussian();
        a[i * d + j] = v;
        a[j * d + i] = v;
      }
    }
    return a;
  }

  private static float[] randomFloats(int n, Random random) {
    float[] x = new float[n];
    for (int i = 0; i < n; i++) {
      x[i] = (float) random.nextGaussian();
    }
    return x;
  }

  private static double[] randomDoubles(int n, Random random) {
    double[] x = new double[n];
    for (int i = 0; i < n; i++) {
      x[i] = random.nextGaussian();
    }
    return x;
  }

  private static void assertClose(float[] expected, float[] actual, double relative, String what) {
    assertEquals(expected.length, actual.length, what);
    double scale = 0;
    for (float v : expected) {
      scale = Math.max(scale, Math.abs(v));
    }
    for (int i = 0; i < expected.length; i++) {
      assertEquals(expected[i], actual[i], relative * Math.max(1, scale), what + " at " + i);
    }
  }

  private static void assertClose(double[] expected, double[] actual, double relative, String what) {
    double scale = 0;
    for (double v : expected) {
      scale = Math.max(scale, Math.abs(v));
    }
    assertArrayEquals(expected, actual, relative * Math.max(1, scale), what);
  }
}
