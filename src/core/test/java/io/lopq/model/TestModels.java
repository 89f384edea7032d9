package io.lopq.model;

import io.lopq.model.LopqModel;
import io.lopq.model.ModelMetadata;
import java.util.Random;

/** Small models with random arrays for storage tests (rotations need not be orthonormal here). */
public final class TestModels {
  private TestModels() {
  }

  /** A model with D, V, M, K and arrays drawn from {@code new Random(seed)}. */
  public static LopqModel random(long seed, int d, int v, int m, int k, ModelMetadata metadata) {
    Random random = new Random(seed);
    int half = d / 2;
    float[][] centroids = new float[2][];
    float[][] means = new float[2][];
    float[][] rotations = new float[2][];
    for (int h = 0; h < 2; h++) {
      centroids[h] = floats(random, v * half);
      means[h] = floats(random, v * half);
      rotations[h] = floats(random, v * half * half);
    }
    float[][] codebooks = new float[m][];
    for (int q = 0; q < m; q++) {
      codebooks[q] = floats(random, k * (d / m));
    }
    return new LopqModel(d, v, m, k, centroids, means, rotations, codebooks, metadata);
  }

  /** A model with default-ish small parameters. */
  public static LopqModel random(long seed) {
    return random(seed, 8, 3, 4, 5, ModelMetadata.EMPTY);
  }

  private static float[] floats(Random random, int n) {
    float[] values = new float[n];
    for (int i = 0; i < n; i++) {
      values[i] = (float) random.nextGaussian();
    }
    return values;
  }

  /** True if both models hold the same D/V/M/K and bitwise identical arrays. */
  public static boolean sameArraysBitwise(LopqModel a, LopqModel b) {
    if (a.dimension() != b.dimension() || a.coarseClusters() != b.coarseClusters()
        || a.subquantizers() != b.subquantizers() || a.subquantizerClusters() != b.subquantizerClusters()) {
      return false;
    }
    for (int h = 0; h < 2; h++) {
      if (!sameBits(a.coarseCentroids(h), b.coarseCentroids(h)) || !sameBits(a.residualMeans(h), b.residualMeans(h))
          || !sameBits(a.rotations(h), b.rotations(h))) {
        return false;
      }
    }
    for (int q = 0; q < a.subquantizers(); q++) {
      if (!sameBits(a.codebook(q), b.codebook(q))) {
        return false;
      }
    }
    if (a.codebookScope() != b.codebookScope()) {
      return false;
    }
    for (int q = 0; a.hasLocalCodebooks() && q < a.subquantizers(); q++) {
      for (int c = 0; c < a.coarseClusters(); c++) {
        if (!sameBits(a.codebook(q, c), b.codebook(q, c))) {
          return false;
        }
      }
    }
    return true;
  }

  private static boolean sameBits(float[] x, float[] y) {
    if (x.length != y.length) {
      return false;
    }
    for (int i = 0; i < x.length; i++) {
      if (Float.floatToRawIntBits(x[i]) != Float.floatToRawIntBits(y[i])) {
        return false;
      }
    }
    return true;
  }
}
