package io.lopq.math;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class LocalRotationTest {
  private static final double ORTHONORMAL_TOLERANCE = 1e-5;

  private static double[] decaying(int d) {
    double[] scales = new double[d];
    for (int i = 0; i < d; i++) {
      scales[i] = 5 * Math.pow(0.75, i);
    }
    return scales;
  }

  @Test
  void rotationIsOrthonormalAndDecorrelatesTheResiduals() {
    int n = 4000, d = 16, subspaces = 4;
    float[] rows = TestMatrices.anisotropicRows(n, d, decaying(d), 2.0, new Random(6));
    LocalRotation rotation = LocalRotation.fromRows(rows, n, d, subspaces);
    assertEquals(LocalRotation.Source.LOCAL, rotation.source());
    assertEquals(n, rotation.count());
    TestMatrices.assertOrthonormalRows(rotation.rotation(), d, ORTHONORMAL_TOLERANCE);
    for (float m : rotation.mean()) {
      assertEquals(2.0, m, 0.3, "mean of the rows");
    }
    // Covariance of y = R (x - mu) is diagonal with the eigenvalues in row order.
    float[] y = new float[n * d];
    for (int i = 0; i < n; i++) {
      rotation.rotate(rows, i * d, y, i * d);
    }
    double[] cov = Moments.ofRows(y, n, d).covariance();
    double[] eigenvalues = rotation.eigenvalues();
    for (int a = 0; a < d; a++) {
      assertEquals(eigenvalues[a], cov[a * d + a], 1e-3 * (1 + eigenvalues[a]), "variance of row " + a);
      for (int b = 0; b < d; b++) {
        if (a != b) {
          assertEquals(0.0, cov[a * d + b], 1e-3 * Math.sqrt((1 + cov[a * d + a]) * (1 + cov[b * d + b])),
              "covariance of rows " + a + ", " + b);
        }
      }
    }
    // Eigenvalue allocation spreads the largest directions: subspace s leads with the s-th largest.
    int size = d / subspaces;
    double[] sorted = eigenvalues.clone();
    java.util.Arrays.sort(sorted);
    for (int s = 0; s < subspaces; s++) {
      assertEquals(sorted[d - 1 - s], eigenvalues[s * size], 0.0, "subspace " + s + " should lead with eigenvalue " + s);
    }
  }

  @Test
  void mergedMomentsGiveTheSameRotationAsAllRows() {
    int n = 600, d = 8;
    float[] rows = TestMatrices.anisotropicRows(n, d, decaying(d), 0.5, new Random(7));
    Moments first = Moments.ofRows(rows, n / 3, d);
    Moments rest = new Moments(d);
    for (int i = n / 3; i < n; i++) {
      rest.add(rows, i * d);
    }
    Moments merged = first.copy().merge(rest);
    LocalRotation fromMoments = LocalRotation.fromMoments(merged.count(), merged.sum(), merged.outerProducts(), 2,
        LocalRotation.defaultMinCount(d), null);
    LocalRotation fromRows = LocalRotation.fromRows(rows, n, d, 2);
    assertArrayEquals(fromRows.mean(), fromMoments.mean(), 1e-5f);
    assertArrayEquals(fromRows.rotation(), fromMoments.rotation(), 1e-4f);
  }

  @Test
  void smallClustersTakeTheFallbackOrTheIdentity() {
    int d = 8, subspaces = 2;
    Random random = new Random(8);
    float[] all = TestMatrices.anisotropicRows(500, d, decaying(d), 0, random);
    LocalRotation global = LocalRotation.fromRows(all, 500, d, subspaces);
    float[] few = TestMatrices.anisotropicRows(d, d, decaying(d), 3, random); // d rows < d + 1
    LocalRotation withFallback = LocalRotation.fromRows(few, d, d, subspaces, LocalRotation.defaultMinCount(d), global);
    assertEquals(LocalRotation.Source.FALLBACK, withFallback.source());
    assertSame(global.rotation(), withFallback.rotation());
    double[] ownMean = Moments.ofRows(few, d, d).mean();
    for (int j = 0; j < d; j++) {
      assertEquals(ownMean[j], withFallback.mean()[j], 1e-5, "keeps the cluster's own mean");
    }

    LocalRotation identity = LocalRotation.fromRows(few, d, d, subspaces);
    assertEquals(LocalRotation.Source.IDENTITY, identity.source());
    for (int i = 0; i < d; i++) {
      for (int j = 0; j < d; j++) {
        assertEquals(i == j ? 1f : 0f, identity.rotation()[i * d + j]);
      }
    }
    LocalRotation empty = LocalRotation.fromMoments(new Moments(d), subspaces, 1, global);
    assertEquals(LocalRotation.Source.FALLBACK, empty.source());
    assertArrayEquals(new float[d], empty.mean());
  }

  @Test
  void rejectsSubspacesThatDoNotDivideTheDimension() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> LocalRotation.fromRows(new float[30], 5, 6, 4));
    assertTrue(e.getMessage().contains("(4)") && e.getMessage().contains("(6)"), e.getMessage());
  }
}
