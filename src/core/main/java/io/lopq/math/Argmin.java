package io.lopq.math;

/**
 * The scans that follow each distance product: for the scores
 *
 * <pre>
 *   s_i = norms[i] + scale * values[offset + i],     i = 0 .. count-1
 *   (k-means: scale = -2, values = x . c_i, norms = ||c_i||^2;  encoder: scale = 1, values = -2 x . c_i)
 * </pre>
 *
 * the smallest, the first index that has it, and every index within a limit of it. Two
 * implementations with identical results: plain Java ({@code scalar*}) and the Vector API
 * ({@code jdk.incubator.vector}), which the public methods use when {@link #VECTORIZED}: the JVM has the
 * module (the project's JVM flags add it) and its C2 compiler (without C2, e.g. under
 * {@code -XX:TieredStopAtLevel=1} as {@code scripts/lopq train} runs, vector code is not compiled to
 * vector instructions and runs many times slower than plain Java). Each lane computes {@code s_i} with the same
 * two float operations (no fused multiply-add), and a minimum does not depend on the order it is taken
 * in, so both give the same bits for finite scores.
 */
public final class Argmin {
  /**
   * True when the Vector API module is present, the JVM compiles with C2, and the scalar code is not
   * forced ({@value #SCALAR_PROPERTY}=true).
   */
  public static final boolean VECTORIZED;
  /** System property that forces the scalar code (for comparisons). */
  public static final String SCALAR_PROPERTY = "lopq.scalar";
  /** HotSpot's tier of C2-compiled code. */
  private static final int FULL_OPTIMIZATION_LEVEL = 4;

  static {
    boolean present = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent()
        && !Boolean.getBoolean(SCALAR_PROPERTY) && hasC2();
    if (present) {
      try {
        present = ArgminVector.lanes() > 1;
      } catch (LinkageError e) {
        present = false;
      }
    }
    VECTORIZED = present;
  }

  private Argmin() {}

  /** The smallest score. */
  public static float min(float[] values, int offset, float scale, float[] norms, int count) {
    return VECTORIZED ? ArgminVector.min(values, offset, scale, norms, count)
        : scalarMin(values, offset, scale, norms, count);
  }

  /** The first index of the smallest score (0 when {@code count} is 0). */
  public static int first(float[] values, int offset, float scale, float[] norms, int count) {
    return VECTORIZED ? ArgminVector.first(values, offset, scale, norms, count)
        : scalarFirst(values, offset, scale, norms, count);
  }

  /**
   * Writes into {@code out}, increasing, every index whose score (as a double) is {@code <= limit};
   * returns how many.
   */
  public static int within(float[] values, int offset, float scale, float[] norms, int count, double limit,
      int[] out) {
    return VECTORIZED ? ArgminVector.within(values, offset, scale, norms, count, limit, out)
        : scalarWithin(values, offset, scale, norms, count, limit, out);
  }

  /** {@link #min} in plain Java. */
  public static float scalarMin(float[] values, int offset, float scale, float[] norms, int count) {
    float best = Float.POSITIVE_INFINITY;
    for (int i = 0; i < count; i++) {
      float s = norms[i] + scale * values[offset + i];
      if (s < best) {
        best = s;
      }
    }
    return best;
  }

  /** {@link #first} in plain Java. */
  public static int scalarFirst(float[] values, int offset, float scale, float[] norms, int count) {
    float best = Float.POSITIVE_INFINITY;
    int index = 0;
    for (int i = 0; i < count; i++) {
      float s = norms[i] + scale * values[offset + i];
      if (s < best) {
        best = s;
        index = i;
      }
    }
    return index;
  }

  /** {@link #within} in plain Java. */
  public static int scalarWithin(float[] values, int offset, float scale, float[] norms, int count, double limit,
      int[] out) {
    int n = 0;
    for (int i = 0; i < count; i++) {
      if (norms[i] + scale * values[offset + i] <= limit) {
        out[n++] = i;
      }
    }
    return n;
  }

  /** True unless the JVM runs without its optimizing compiler (C1 only, or interpreted). */
  static boolean hasC2() {
    try {
      com.sun.management.HotSpotDiagnosticMXBean hotspot = java.lang.management.ManagementFactory
          .getPlatformMXBean(com.sun.management.HotSpotDiagnosticMXBean.class);
      if (hotspot == null) {
        return true;
      }
      String level = hotspot.getVMOption("TieredStopAtLevel").getValue();
      boolean tiered = Boolean.parseBoolean(hotspot.getVMOption("TieredCompilation").getValue());
      boolean interpreted = "interpreted mode".equals(System.getProperty("java.vm.info"));
      return !interpreted && (!tiered || Integer.parseInt(level) >= FULL_OPTIMIZATION_LEVEL);
    } catch (RuntimeException | LinkageError e) {
      return true; // not HotSpot: assume an optimizing compiler
    }
  }

  /** The largest float {@code f} with {@code (double) f <= limit}: a float comparison equal to the double one. */
  static float floatAtMost(double limit) {
    float f = (float) limit;
    return (double) f > limit ? Math.nextDown(f) : f;
  }
}
