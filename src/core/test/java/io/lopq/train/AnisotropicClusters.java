package io.lopq.train;

import io.lopq.math.SymmetricEigen;
import java.util.Random;

/**
 * Test data for LOPQ: each half of a vector comes from one of a few Gaussian clusters, each with
 * its own random orientation and strongly decaying scales, so its residuals are correlated and
 * anisotropic in a cluster-specific way (what local rotations exploit and plain PQ cannot).
 */
public final class AnisotropicClusters {
  private static final double CENTER_SPREAD = 10.0;
  private static final double FIRST_SCALE = 4.0;
  private static final double SCALE_DECAY = 0.7;

  private AnisotropicClusters() {}

  /** {@code n} row-major vectors of dimension D with {@code clusters} clusters per half. */
  public static float[] generate(int n, int dimension, int clusters, long seed) {
    Random random = new Random(seed);
    int half = dimension / 2;
    double[][][] bases = new double[2][clusters][];
    double[][][] centers = new double[2][clusters][half];
    for (int h = 0; h < 2; h++) {
      for (int c = 0; c < clusters; c++) {
        bases[h][c] = randomOrthogonal(half, random);
        for (int j = 0; j < half; j++) {
          centers[h][c][j] = CENTER_SPREAD * random.nextGaussian();
        }
      }
    }
    float[] data = new float[n * dimension];
    double[] z = new double[half];
    for (int i = 0; i < n; i++) {
      for (int h = 0; h < 2; h++) {
        int c = random.nextInt(clusters);
        for (int k = 0; k < half; k++) {
          z[k] = FIRST_SCALE * Math.pow(SCALE_DECAY, k) * random.nextGaussian();
        }
        for (int j = 0; j < half; j++) {
          double s = centers[h][c][j];
          for (int k = 0; k < half; k++) {
            s += bases[h][c][k * half + j] * z[k];
          }
          data[i * dimension + h * half + j] = (float) s;
        }
      }
    }
    return data;
  }

  private static double[] randomOrthogonal(int d, Random random) {
    double[] a = new double[d * d];
    for (int i = 0; i < d; i++) {
      for (int j = i; j < d; j++) {
        double v = random.nextGaussian();
        a[i * d + j] = v;
        a[j * d + i] = v;
      }
    }
    return SymmetricEigen.decompose(a, d).vectors();
  }
}
