package io.lopq.math;

import java.util.Objects;

/**
 * Eigenvalue allocation (Ge, He, Ke &amp; Sun, "Optimized Product Quantization", TPAMI 2013): spreads
 * the principal directions over S subspaces of equal size so that the products of the eigenvalues
 * in each subspace (the variance each subquantizer must cover) come out balanced.
 *
 * <pre>
 *   for i = 1 .. n (eigenvalues descending):
 *     s* = argmin over subspaces s with |B_s| &lt; n/S of   sum_{j in B_s} log(l_j / l_floor)
 *     B_s* = B_s* + {i}
 *   l_floor = the smallest eigenvalue, after raising every l &lt;= TINY * l_1 to TINY * l_1
 * </pre>
 *
 * <p>Comparing sums of logs is comparing products. Measuring each eigenvalue relative to the
 * smallest one makes every term non-negative, so the result does not depend on the scale of the
 * data: with raw logs, eigenvalues below 1 have negative logs and an empty subspace (sum 0) would
 * look fuller than one that already holds a large eigenvalue, piling the largest eigenvalues into
 * the first subspace. Ties (equal to within {@link #TIE_TOLERANCE}, so that rounding cannot decide)
 * go to the subspace with fewer eigenvectors, then to the lower index.
 * Eigenvalues {@code <= 0} (rank-deficient covariances) count as the tiny positive floor.
 */
public final class EigenvalueAllocation {
  /** Eigenvalues below this fraction of the largest count as this fraction of it. */
  public static final double TINY_RELATIVE_EIGENVALUE = 1e-12;
  /** Relative difference of two log sums below which they count as equal (rounding, not data). */
  public static final double TIE_TOLERANCE = 1e-9;
  /** Absolute floor used when every eigenvalue is {@code <= 0}. */
  public static final double TINY_EIGENVALUE = Double.MIN_NORMAL;

  private EigenvalueAllocation() {}

  /**
   * The allocation as a permutation: positions {@code [s * n/S, (s + 1) * n/S)} hold, in the order
   * they were given, the indices of the eigenvalues of subspace {@code s}.
   *
   * @param eigenvalues sorted descending
   * @param subspaces S, which must divide {@code eigenvalues.length}
   * @throws IllegalArgumentException on an empty input, S not dividing n, or unsorted eigenvalues
   */
  public static int[] allocate(double[] eigenvalues, int subspaces) {
    Objects.requireNonNull(eigenvalues, "eigenvalues");
    int n = eigenvalues.length;
    if (subspaces < 1) {
      throw new IllegalArgumentException("number of subspaces must be >= 1, got " + subspaces);
    }
    if (n == 0 || n % subspaces != 0) {
      throw new IllegalArgumentException(
          "number of eigenvalues (" + n + ") must be a positive multiple of the number of subspaces (" + subspaces + ")");
    }
    for (int i = 0; i < n; i++) {
      if (Double.isNaN(eigenvalues[i])) {
        throw new IllegalArgumentException("eigenvalue " + i + " is NaN");
      }
      if (i > 0 && eigenvalues[i] > eigenvalues[i - 1]) {
        throw new IllegalArgumentException("eigenvalues must be sorted descending, but eigenvalue " + i + " ("
            + eigenvalues[i] + ") is larger than eigenvalue " + (i - 1) + " (" + eigenvalues[i - 1] + ")");
      }
    }
    double[] logs = relativeLogs(eigenvalues);
    int size = n / subspaces;
    double[] logSums = new double[subspaces];
    int[] counts = new int[subspaces];
    int[] permutation = new int[n];
    for (int i = 0; i < n; i++) {
      int target = -1;
      for (int s = 0; s < subspaces; s++) {
        if (counts[s] == size) {
          continue;
        }
        if (target < 0) {
          target = s;
          continue;
        }
        double scale = Math.max(1.0, Math.max(Math.abs(logSums[s]), Math.abs(logSums[target])));
        boolean tie = Math.abs(logSums[s] - logSums[target]) <= TIE_TOLERANCE * scale;
        if (tie ? counts[s] < counts[target] : logSums[s] < logSums[target]) {
          target = s;
        }
      }
      permutation[target * size + counts[target]] = i;
      counts[target]++;
      logSums[target] += logs[i];
    }
    return permutation;
  }

  /**
   * {@code log(l_i / l_floor)}: the log of each eigenvalue, floored at a tiny fraction of the
   * largest, relative to the smallest floored eigenvalue (so all are {@code >= 0}).
   */
  static double[] relativeLogs(double[] eigenvalues) {
    int n = eigenvalues.length;
    double largest = eigenvalues[0];
    double floor = Math.max(largest * TINY_RELATIVE_EIGENVALUE, TINY_EIGENVALUE);
    double[] logs = new double[n];
    double smallest = Double.POSITIVE_INFINITY;
    for (int i = 0; i < n; i++) {
      logs[i] = Math.log(Math.max(eigenvalues[i], floor));
      smallest = Math.min(smallest, logs[i]);
    }
    for (int i = 0; i < n; i++) {
      logs[i] -= smallest;
    }
    return logs;
  }

  /**
   * Sum of the logs of the (floored) eigenvalues in each subspace of an allocation: the quantity the
   * allocation balances. Useful for diagnostics and tests.
   */
  public static double[] subspaceLogProducts(double[] eigenvalues, int[] permutation, int subspaces) {
    int n = eigenvalues.length;
    if (permutation.length != n || subspaces < 1 || n % subspaces != 0) {
      throw new IllegalArgumentException("permutation of length " + permutation.length + " and " + subspaces
          + " subspaces do not fit " + n + " eigenvalues");
    }
    double largest = Math.max(eigenvalues[0], 0);
    for (double l : eigenvalues) {
      largest = Math.max(largest, l);
    }
    double floor = Math.max(largest * TINY_RELATIVE_EIGENVALUE, TINY_EIGENVALUE);
    int size = n / subspaces;
    double[] sums = new double[subspaces];
    for (int p = 0; p < n; p++) {
      sums[p / size] += Math.log(Math.max(eigenvalues[permutation[p]], floor));
    }
    return sums;
  }
}
