package io.lopq.math;

import java.util.Arrays;

/**
 * Lloyd iterations that start from a prior codebook and shrink every codeword's mean toward its
 * prior codeword: how a cell's local codebook is fitted from the shared one on the cell's few rows.
 *
 * <pre>
 *   start       P = G                                         (G: the prior codebook, K x d)
 *   assign      a(i) = argmin_k ||x_i - P[k]||^2              (a row keeps its codeword unless another is strictly closer)
 *   update      P[k] = (sum_{a(i)=k} x_i + lambda G[k]) / (n_k + lambda)
 *   objective   J(P) = sum_i ||x_i - P[a(i)]||^2 + lambda sum_k ||P[k] - G[k]||^2
 * </pre>
 *
 * Each step lowers J (the update is J's minimizer for fixed assignments), so the error on the rows,
 * {@code sum_i ||x_i - P[a(i)]||^2 <= J(P) <= J(G)}, never exceeds the prior codebook's. A codeword no
 * row picks stays at G[k]; with {@code lambda = 0} it keeps its current value (plain Lloyd, no
 * re-seeding). The result is checked: if rounding made the rows' error exceed the prior's, the prior
 * is returned. Deterministic: no random choice.
 */
public final class ShrunkLloyd {
  private ShrunkLloyd() {}

  /** A fitted codebook and its error on the rows before (prior) and after. */
  public record Result(float[] codebook, double errorBefore, double errorAfter, int iterations) {}

  /**
   * Fits a K x d codebook to {@code n} row-major rows of dimension d, starting from {@code prior}.
   *
   * @param priorRows lambda, pseudo-rows of the prior codeword in each mean (>= 0)
   * @param iterations at most this many updates (>= 0)
   * @param tolerance stop once J falls by less than this fraction
   */
  public static Result fit(float[] prior, int k, float[] rows, int n, int d, double priorRows, int iterations,
      double tolerance) {
    if (prior.length != k * d) {
      throw new IllegalArgumentException("prior codebook has " + prior.length + " values, expected K x d = " + k
          + " x " + d);
    }
    if (!(priorRows >= 0)) {
      throw new IllegalArgumentException("prior rows must be >= 0, got " + priorRows);
    }
    int[] assignments = new int[n];
    Arrays.fill(assignments, -1);
    double before = KMeans.reassign(prior, k, rows, n, d, assignments, null);
    if (n == 0) {
      return new Result(prior.clone(), 0, 0, 0);
    }
    float[] codebook = prior.clone();
    double objective = before;
    double error = before;
    int done = 0;
    double[] sums = new double[k * d];
    int[] counts = new int[k];
    for (int it = 0; it < iterations; it++) {
      Arrays.fill(sums, 0);
      Arrays.fill(counts, 0);
      for (int i = 0; i < n; i++) {
        int a = assignments[i];
        counts[a]++;
        for (int j = 0; j < d; j++) {
          sums[a * d + j] += rows[i * d + j];
        }
      }
      double penalty = 0;
      for (int c = 0; c < k; c++) {
        double weight = counts[c] + priorRows;
        if (weight == 0) {
          continue;
        }
        for (int j = 0; j < d; j++) {
          float value = (float) ((sums[c * d + j] + priorRows * prior[c * d + j]) / weight);
          codebook[c * d + j] = value;
          double diff = value - prior[c * d + j];
          penalty += diff * diff;
        }
      }
      error = KMeans.reassign(codebook, k, rows, n, d, assignments, null);
      done++;
      double next = error + priorRows * penalty;
      boolean converged = objective - next <= tolerance * objective;
      objective = next;
      if (converged) {
        break;
      }
    }
    if (error > before) {
      return new Result(prior.clone(), before, before, done);
    }
    return new Result(codebook, before, error, done);
  }
}
