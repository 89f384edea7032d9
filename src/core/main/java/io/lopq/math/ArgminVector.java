package io.lopq.math;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link Argmin} on the Vector API. Loaded only when the JVM has {@code jdk.incubator.vector} (a JVM
 * without it never touches this class).
 */
final class ArgminVector {
  private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
  private static final int LANES = SPECIES.length();

  private ArgminVector() {}

  static int lanes() {
    return LANES;
  }

  static float min(float[] values, int offset, float scale, float[] norms, int count) {
    int bound = SPECIES.loopBound(count);
    float best = Float.POSITIVE_INFINITY;
    int i = 0;
    if (bound > 0) {
      FloatVector acc = FloatVector.broadcast(SPECIES, Float.POSITIVE_INFINITY);
      for (; i < bound; i += LANES) {
        FloatVector s = FloatVector.fromArray(SPECIES, values, offset + i).mul(scale)
            .add(FloatVector.fromArray(SPECIES, norms, i));
        acc = acc.min(s);
      }
      best = acc.reduceLanes(VectorOperators.MIN);
    }
    for (; i < count; i++) {
      float s = norms[i] + scale * values[offset + i];
      if (s < best) {
        best = s;
      }
    }
    return best;
  }

  static int first(float[] values, int offset, float scale, float[] norms, int count) {
    if (count == 0) {
      return 0;
    }
    float best = min(values, offset, scale, norms, count);
    int bound = SPECIES.loopBound(count);
    int i = 0;
    for (; i < bound; i += LANES) {
      FloatVector s = FloatVector.fromArray(SPECIES, values, offset + i).mul(scale)
          .add(FloatVector.fromArray(SPECIES, norms, i));
      VectorMask<Float> hit = s.compare(VectorOperators.EQ, best);
      if (hit.anyTrue()) {
        return i + hit.firstTrue();
      }
    }
    for (; i < count; i++) {
      if (norms[i] + scale * values[offset + i] == best) {
        return i;
      }
    }
    return 0; // only when a score is NaN: no index has the minimum
  }

  static int within(float[] values, int offset, float scale, float[] norms, int count, double limit, int[] out) {
    float bound = Argmin.floatAtMost(limit);
    int loop = SPECIES.loopBound(count);
    int n = 0;
    int i = 0;
    for (; i < loop; i += LANES) {
      FloatVector s = FloatVector.fromArray(SPECIES, values, offset + i).mul(scale)
          .add(FloatVector.fromArray(SPECIES, norms, i));
      VectorMask<Float> hit = s.compare(VectorOperators.LE, bound);
      if (hit.anyTrue()) {
        for (int lane = 0; lane < LANES; lane++) {
          if (hit.laneIsSet(lane)) {
            out[n++] = i + lane;
          }
        }
      }
    }
    for (; i < count; i++) {
      if (norms[i] + scale * values[offset + i] <= bound) {
        out[n++] = i;
      }
    }
    return n;
  }
}
