package io.lopq.math;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link Elementwise} on the Vector API. Loaded only when {@link Argmin#VECTORIZED} (a JVM without the
 * module never touches this class).
 */
final class ElementwiseVector {
  private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
  private static final int LANES = SPECIES.length();

  private ElementwiseVector() {}

  static void residual(float[] x, int xOffset, float[] c, int cOffset, float[] mu, int muOffset, float[] out,
      int outOffset, int n) {
    int bound = SPECIES.loopBound(n);
    int j = 0;
    for (; j < bound; j += LANES) {
      FloatVector.fromArray(SPECIES, x, xOffset + j).sub(FloatVector.fromArray(SPECIES, c, cOffset + j))
          .sub(FloatVector.fromArray(SPECIES, mu, muOffset + j)).intoArray(out, outOffset + j);
    }
    for (; j < n; j++) {
      out[outOffset + j] = x[xOffset + j] - c[cOffset + j] - mu[muOffset + j];
    }
  }

  static void offsetSum(float[] s, int sOffset, float y, float[] norms, float[] out, int outOffset, int n) {
    int bound = SPECIES.loopBound(n);
    int k = 0;
    if (bound > 0) {
      FloatVector yv = FloatVector.broadcast(SPECIES, y);
      for (; k < bound; k += LANES) {
        FloatVector.fromArray(SPECIES, s, sOffset + k).add(yv.add(FloatVector.fromArray(SPECIES, norms, k)))
            .intoArray(out, outOffset + k);
      }
    }
    for (; k < n; k++) {
      out[outOffset + k] = s[sOffset + k] + (y + norms[k]);
    }
  }
}
