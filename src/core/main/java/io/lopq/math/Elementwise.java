package io.lopq.math;

/**
 * The element-wise loops around the search's and the encoder's matrix products:
 *
 * <pre>
 *   residual:  out[j] = (x[j] - c[j]) - mu[j]              (a row minus its coarse centroid and residual mean)
 *   offsetSum: out[k] = s[k] + (y + n[k])                   (an ADC table: -2 y.p_k plus ||y||^2 + ||p_k||^2)
 * </pre>
 *
 * Plain Java ({@code scalar*}) and the Vector API, chosen as {@link Argmin} chooses (its
 * {@link Argmin#VECTORIZED}: the module is present and the JVM compiles with C2). C2 does not turn
 * these loops into vector instructions on its own (its superword pass cannot rule out that the output
 * overlaps an input at another offset); the explicit kernels measured 2-5x faster (JMH
 * {@code SearchLoopKernels}, docs/BENCHMARKS.md). Each lane does the same float operations in the same
 * order as the plain loop (no fused multiply-add), so both give the same bits. (The ADC scan itself, a sum of
 * table look-ups, stays plain Java: its gather form measured 3.5-4.7x slower.)
 */
public final class Elementwise {
  private Elementwise() {}

  /** {@code out[outOffset + j] = x[xOffset + j] - c[cOffset + j] - mu[muOffset + j]} for {@code j < n}. */
  public static void residual(float[] x, int xOffset, float[] c, int cOffset, float[] mu, int muOffset, float[] out,
      int outOffset, int n) {
    if (Argmin.VECTORIZED) {
      ElementwiseVector.residual(x, xOffset, c, cOffset, mu, muOffset, out, outOffset, n);
    } else {
      scalarResidual(x, xOffset, c, cOffset, mu, muOffset, out, outOffset, n);
    }
  }

  /** {@code out[outOffset + k] = s[sOffset + k] + (y + norms[k])} for {@code k < n}. */
  public static void offsetSum(float[] s, int sOffset, float y, float[] norms, float[] out, int outOffset, int n) {
    if (Argmin.VECTORIZED) {
      ElementwiseVector.offsetSum(s, sOffset, y, norms, out, outOffset, n);
    } else {
      scalarOffsetSum(s, sOffset, y, norms, out, outOffset, n);
    }
  }

  /** {@link #residual} in plain Java. */
  public static void scalarResidual(float[] x, int xOffset, float[] c, int cOffset, float[] mu, int muOffset,
      float[] out, int outOffset, int n) {
    for (int j = 0; j < n; j++) {
      out[outOffset + j] = x[xOffset + j] - c[cOffset + j] - mu[muOffset + j];
    }
  }

  /** {@link #offsetSum} in plain Java. */
  public static void scalarOffsetSum(float[] s, int sOffset, float y, float[] norms, float[] out, int outOffset,
      int n) {
    for (int k = 0; k < n; k++) {
      out[outOffset + k] = s[sOffset + k] + (y + norms[k]);
    }
  }
}
