package io.lopq.math.blas;

import java.util.ArrayList;
import java.util.List;
import org.netlib.lapack.Dlamc1;
import org.netlib.lapack.Dlamc2;
import org.netlib.lapack.Dlamch;

/**
 * Makes the machine constants of netlib's pure-Java LAPACK (the F2J translation,
 * {@code org.netlib.lapack}, behind {@code F2jLAPACK}) right before any thread uses them.
 *
 * <p>LAPACK's {@code DLAMCH} ("machine epsilon, safe minimum, ...") computes its constants on its first
 * call and keeps them in {@code SAVE} variables; F2J turned those into plain static fields of
 * {@link Dlamch}, {@link Dlamc2} and {@link Dlamc1}, written step by step during that first call with
 * no synchronisation. Two threads making their first LAPACK call together (two Spark tasks starting
 * their first eigen-decompositions) read each other's half-computed values. Measured on 40 fresh JVMs
 * whose two threads called {@code dlamch} together: 6 went wrong, e.g. a safe minimum of
 * {@code Infinity} for one call, or, for the rest of the JVM's life, an epsilon of 2.5e-32 and a safe
 * minimum of 1.0e-292. With the first, {@code dsyevd} on a 392 x 392 covariance never returns; with
 * the second it fails with {@code info=442}: the two failures of pure-Java trainings (issue 12).
 *
 * <p>{@link #ensure()} therefore computes the constants once, under a lock, before netlib's LAPACK
 * is handed out ({@link BlasSetup#lapack()}), checks them against IEEE 754 double precision (which
 * Java guarantees), and recomputes them when another unsynchronised first use in the JVM (Spark MLlib,
 * a test) left them wrong. With a native LAPACK these classes are unused, and the check costs
 * microseconds.
 *
 * <pre>
 *   E eps   = 2^-53 (rounding)    S sfmin = 2^-1022    B base = 2      P prec = 2^-52
 *   N t     = 53                  R rnd   = 1          M emin = -1021  U rmin = 2^-1022
 *   L emax  = 1024                O rmax  = Double.MAX_VALUE
 * </pre>
 */
public final class F2jMachineConstants {
  /** DLAMCH's queries and their IEEE 754 double values, in the order of the class comment. */
  static final String QUERIES = "ESBPNRMULO";
  private static final double[] EXPECTED = {
    Math.ulp(1.0) / 2, Double.MIN_NORMAL, 2, Math.ulp(1.0), 53, 1, -1021, Double.MIN_NORMAL, 1024, Double.MAX_VALUE
  };

  private F2jMachineConstants() {}

  /**
   * Computes the pure-Java LAPACK's machine constants if not done yet, or again if they are wrong,
   * single-threaded.
   *
   * @throws IllegalStateException if they are still wrong after a recomputation
   */
  public static synchronized void ensure() {
    if (wrong().isEmpty()) {
      return;
    }
    recompute();
    List<String> still = wrong();
    if (!still.isEmpty()) {
      throw new IllegalStateException("netlib's pure-Java LAPACK computes wrong machine constants (DLAMCH): "
          + String.join(", ", still));
    }
  }

  /** Forces DLAMCH to compute its constants again on its next call, and makes that call. */
  private static void recompute() {
    Dlamc1.first = true;
    Dlamc2.first = true;
    Dlamch.first = true;
    Dlamch.dlamch("E");
  }

  /** The constants DLAMCH now returns that differ from IEEE 754 double's, as {@code "E=... (expected ...)"}. */
  static synchronized List<String> wrong() {
    List<String> wrong = new ArrayList<>();
    for (int i = 0; i < QUERIES.length(); i++) {
      String query = String.valueOf(QUERIES.charAt(i));
      double value = Dlamch.dlamch(query);
      if (Double.compare(value, EXPECTED[i]) != 0) {
        wrong.add(query + "=" + value + " (expected " + EXPECTED[i] + ")");
      }
    }
    return wrong;
  }

  /** Test hook: sets the cached epsilon and safe minimum as the race left them in one measured JVM. */
  static synchronized void corruptForTest(double epsilon, double safeMinimum) {
    Dlamch.dlamch("E");
    Dlamch.eps.val = epsilon;
    Dlamch.prec = 2 * epsilon;
    Dlamch.sfmin = safeMinimum;
  }
}
