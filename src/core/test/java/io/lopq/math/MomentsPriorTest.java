package io.lopq.math;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Random;
import org.junit.jupiter.api.Test;

class MomentsPriorTest {
  private static final int D = 6;

  private static Moments random(int n, double shift, long seed) {
    Random random = new Random(seed);
    float[] rows = new float[n * D];
    for (int i = 0; i < rows.length; i++) {
      rows[i] = (float) (random.nextGaussian() * (1 + i % D) + shift);
    }
    return Moments.ofRows(rows, n, D);
  }

  @Test
  void priorRowsGiveTheWeightedCovariance() {
    Moments own = random(10, 3.0, 1);
    Moments prior = random(500, -1.0, 2);
    double w = 10.0 / 40;
    double[] cov = own.covariance();
    double[] covP = prior.covariance();
    double[] shrunk = own.shrunkCovariance(prior, 30);
    for (int t = 0; t < D * D; t++) {
      assertEquals(w * cov[t] + (1 - w) * covP[t], shrunk[t], 1e-9, "entry " + t);
    }
  }

  @Test
  void noPriorRowsAnEmptyPriorOrAnEmptyClusterAreTheLimits() {
    Moments own = random(10, 3.0, 1);
    Moments prior = random(50, 0, 2);
    assertArrayEquals(own.covariance(), own.shrunkCovariance(prior, 0), 0);
    assertArrayEquals(own.covariance(), own.shrunkCovariance(new Moments(D), 7), 0);
    assertArrayEquals(prior.covariance(), new Moments(D).shrunkCovariance(prior, 7), 1e-12);
    assertThrows(IllegalArgumentException.class, () -> own.shrunkCovariance(prior, -1));
    assertThrows(IllegalArgumentException.class, () -> own.shrunkCovariance(new Moments(D + 1), 1));
  }

  @Test
  void shrunkRotationsMoveFromTheHalfsToTheClustersOwn() {
    Moments prior = random(2000, 0, 3);
    LocalRotation ofPrior = LocalRotation.fromMoments(prior, 2, 1, null);
    // An empty cluster gets exactly the half's rotation and mean.
    LocalRotation empty = LocalRotation.fromShrunkMoments(new Moments(D), prior, 10, 2);
    assertEquals(LocalRotation.Source.SHRUNK, empty.source());
    assertEquals(0, empty.count());
    assertArrayEquals(ofPrior.rotation(), empty.rotation(), 1e-6f);
    assertArrayEquals(ofPrior.mean(), empty.mean(), 1e-6f);
    // A tiny cluster (singular covariance) gets an orthonormal rotation and keeps its own mean.
    Moments tiny = random(2, 5, 4);
    LocalRotation small = LocalRotation.fromShrunkMoments(tiny, prior, 10, 2);
    assertEquals(LocalRotation.Source.SHRUNK, small.source());
    assertEquals(2, small.count());
    TestMatrices.assertOrthonormalRows(small.rotation(), D, 1e-5);
    double[] tinyMean = tiny.mean();
    for (int j = 0; j < D; j++) {
      assertEquals(tinyMean[j], small.mean()[j], 1e-5, "own mean " + j);
    }
    // A huge cluster is barely moved: the same mean and variances as its own fit.
    Moments big = random(200_000, 1, 5);
    LocalRotation own = LocalRotation.fromMoments(big, 2, 1, null);
    LocalRotation shrunk = LocalRotation.fromShrunkMoments(big, prior, 10, 2);
    assertEquals(LocalRotation.Source.LOCAL, shrunk.source());
    assertArrayEquals(own.mean(), shrunk.mean(), 0f);
    double[] ownValues = own.eigenvalues();
    double[] shrunkValues = shrunk.eigenvalues();
    for (int r = 0; r < D; r++) {
      assertEquals(ownValues[r], shrunkValues[r], 1e-3 * (1 + ownValues[r]), "eigenvalue " + r);
    }
    assertThrows(IllegalArgumentException.class, () -> LocalRotation.fromShrunkMoments(tiny, new Moments(D), 3, 2));
    assertThrows(IllegalArgumentException.class, () -> LocalRotation.fromShrunkMoments(tiny, prior, 0, 2));
  }
}
