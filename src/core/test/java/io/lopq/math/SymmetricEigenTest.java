package io.lopq.math;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
