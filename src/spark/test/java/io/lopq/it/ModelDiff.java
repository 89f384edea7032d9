package io.lopq.it;

import io.lopq.model.LopqModel;

/**
 * Says how two models differ, for failure messages: shapes, then the largest absolute difference
 * of each parameter array. (Equality itself is judged by the fingerprint.)
 */
final class ModelDiff {
  private ModelDiff() {}

  static String describe(LopqModel expected, LopqModel actual) {
    if (expected.dimension() != actual.dimension() || expected.coarseClusters() != actual.coarseClusters()
        || expected.subquantizers() != actual.subquantizers()
        || expected.subquantizerClusters() != actual.subquantizerClusters()) {
      return "shapes differ: " + expected + " vs " + actual;
    }
    StringBuilder s = new StringBuilder("largest differences:");
    for (int h = 0; h < LopqModel.HALVES; h++) {
      s.append(" coarse").append(h).append('=').append(maxAbs(expected.coarseCentroids(h), actual.coarseCentroids(h)));
      s.append(" means").append(h).append('=').append(maxAbs(expected.residualMeans(h), actual.residualMeans(h)));
      s.append(" rotations").append(h).append('=').append(maxAbs(expected.rotations(h), actual.rotations(h)));
    }
    double codebooks = 0;
    for (int m = 0; m < expected.subquantizers(); m++) {
      codebooks = Math.max(codebooks, maxAbs(expected.codebook(m), actual.codebook(m)));
    }
    return s.append(" codebooks=").append(codebooks).toString();
  }

  private static double maxAbs(float[] a, float[] b) {
    double max = 0;
    for (int i = 0; i < a.length; i++) {
      max = Math.max(max, Math.abs((double) a[i] - b[i]));
    }
    return max;
  }
}
