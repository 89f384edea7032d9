package io.lopq.math;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ludovic.netlib.lapack.JavaLAPACK;
import dev.ludovic.netlib.lapack.LAPACK;
import io.lopq.math.blas.BlasSetup;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SymmetricEigenTest {
  private static final double TOLERANCE = 1e-9;

  private static double[] randomSymmetric(int n, Random random) {
    double[] a = new double[n * n];
    for (int i = 0; i < n; i++) {
      for (int j = i; j < n; j++) {
        double v = random.nextGaussian();
        a[i * n + j] = v;
        a[j * n + i] = v;
      }
    }
    return a;
  }

  @Test
  void eigenpairsSatisfyAvEqualsLambdaVAndAreOrthonormal() {
    Random random = new Random(5);
    for (int n : new int[] {1, 2, 7, 24}) {
      double[] a = randomSymmetric(n, random); // indefinite: negative eigenvalues too
      SymmetricEigen eigen = SymmetricEigen.decompose(a, n);
      double[] values = eigen.values();
      double[] vectors = eigen.vectors();
      for (int i = 1; i < n; i++) {
        assertTrue(values[i] <= values[i - 1], "eigenvalues must be descending");
      }
      for (int e = 0; e < n; e++) {
        for (int r = 0; r < n; r++) {
          double av = 0;
          for (int c = 0; c < n; c++) {
            av += a[r * n + c] * vectors[e * n + c];
          }
          assertEquals(values[e] * vectors[e * n + r], av, TOLERANCE, "A v = l v, n=" + n + " e=" + e);
        }
      }
      TestMatrices.assertOrthonormalRows(vectors, n, TOLERANCE);
      // A = E^T diag(l) E
      for (int r = 0; r < n; r++) {
        for (int c = 0; c < n; c++) {
          double s = 0;
          for (int e = 0; e < n; e++) {
            s += vectors[e * n + r] * values[e] * vectors[e * n + c];
          }
          assertEquals(a[r * n + c], s, TOLERANCE, "reconstruction at " + r + "," + c);
        }
      }
    }
  }

  /**
   * Each LAPACK driver alone, of the bundled library and of netlib's pure Java, on an indefinite
   * matrix and on a covariance of wide dynamic range: the same eigenpairs.
   */
  @Test
  void everyDriverGivesTheEigenpairs() {
    Random random = new Random(7);
    int n = 40; // above dsyevd's divide-and-conquer threshold (25)
    for (double[] a : new double[][] {randomSymmetric(n, random), TestMatrices.imageLikeCovariance(n, random)}) {
      double[] first = SymmetricEigen.decompose(a, n).values();
      for (SymmetricEigen.Lapack driver : SymmetricEigen.Lapack.values()) {
        for (LAPACK lapack : List.of(BlasSetup.lapack(), JavaLAPACK.getInstance())) {
          String what = driver + " of " + lapack.getClass().getSimpleName();
          SymmetricEigen eigen = SymmetricEigen.decompose(a, n, List.of(driver), lapack);
          assertEquals(driver.name().toLowerCase(Locale.ROOT), eigen.driver());
          assertEigenpairs(a, n, eigen, what);
          for (int i = 0; i < n; i++) {
            assertEquals(first[i], eigen.value(i), TOLERANCE * Math.max(1, Math.abs(first[0])), what + " value " + i);
          }
        }
      }
    }
  }

  /** A failed dsyevd (LAPACK's info &gt; 0, as issue 12's 392 x 392 covariance gave) falls back to dsyevr. */
  @Test
  void aFailedDriverFallsBackToTheNext() {
    Random random = new Random(8);
    int n = 40;
    double[] a = TestMatrices.imageLikeCovariance(n, random);
    SymmetricEigen.Driver failing = failing(442);
    SymmetricEigen eigen = SymmetricEigen.decompose(a, n, List.of(failing, SymmetricEigen.Lapack.DSYEVR));
    assertEquals("dsyevr", eigen.driver());
    assertEigenpairs(a, n, eigen, "after the fallback");
    // Values that are not finite count as a failure too.
    SymmetricEigen.Driver nan = new SymmetricEigen.Driver() {
      @Override
      public int solve(LAPACK lapack, int size, double[] m, double[] ascending) {
        ascending[0] = Double.NaN;
        return 0;
      }

      @Override
      public String name() {
        return "NAN";
      }
    };
    assertEquals("dsyev", SymmetricEigen.decompose(a, n, List.of(nan, SymmetricEigen.Lapack.DSYEV)).driver());
    // The default order starts with dsyevd.
    assertEquals("dsyevd", SymmetricEigen.decompose(a, n).driver());
  }

  @Test
  void whenEveryDriverFailsTheErrorNamesEach() {
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> SymmetricEigen.decompose(new double[] {2, 1, 1, 2}, 2, List.of(failing(442), failing(-3))));
    assertTrue(e.getMessage().contains("2 x 2"), e.getMessage());
    assertTrue(e.getMessage().contains("fail442 info=442, did not converge; fail-3 info=-3, argument 3 invalid"),
        e.getMessage());
    assertTrue(e.getMessage().contains("largest |a_ij| 2.0, trace 4.0"), e.getMessage());
  }

  private static SymmetricEigen.Driver failing(int info) {
    return new SymmetricEigen.Driver() {
      @Override
      public int solve(LAPACK lapack, int n, double[] a, double[] ascending) {
        return info;
      }

      @Override
      public String name() {
        return "FAIL" + info;
      }
    };
  }

  private static void assertEigenpairs(double[] a, int n, SymmetricEigen eigen, String what) {
    double[] values = eigen.values();
    double[] vectors = eigen.vectors();
    double scale = Math.max(1, Math.abs(values[0]));
    for (int e = 0; e < n; e++) {
      if (e > 0) {
        assertTrue(values[e] <= values[e - 1], what + ": eigenvalues must be descending");
      }
      for (int r = 0; r < n; r++) {
        double av = 0;
        for (int c = 0; c < n; c++) {
          av += a[r * n + c] * vectors[e * n + c];
        }
        assertEquals(values[e] * vectors[e * n + r], av, TOLERANCE * scale, what + ": A v = l v, e=" + e);
      }
    }
    TestMatrices.assertOrthonormalRows(vectors, n, TOLERANCE);
  }

  @Test
  void knownDiagonalMatrixComesOutSorted() {
    double[] a = {1, 0, 0, 0, 5, 0, 0, 0, 3};
    SymmetricEigen eigen = SymmetricEigen.decompose(a, 3);
    assertEquals(5, eigen.value(0), TOLERANCE);
    assertEquals(3, eigen.value(1), TOLERANCE);
    assertEquals(1, eigen.value(2), TOLERANCE);
    assertEquals(1.0, eigen.vectors()[1], TOLERANCE, "first eigenvector is e_2 with a positive sign");
  }

  @Test
  void rejectsBadInput() {
    IllegalArgumentException asym = assertThrows(IllegalArgumentException.class,
        () -> SymmetricEigen.decompose(new double[] {1, 2, 3, 4}, 2));
    assertTrue(asym.getMessage().contains("not symmetric"), asym.getMessage());
    IllegalArgumentException shape = assertThrows(IllegalArgumentException.class,
        () -> SymmetricEigen.decompose(new double[5], 2));
    assertTrue(shape.getMessage().contains("2 x 2"), shape.getMessage());
    assertThrows(IllegalArgumentException.class,
        () -> SymmetricEigen.decompose(new double[] {Double.NaN}, 1));
  }
}
