package io.lopq.train;

/**
 * The number of coarse clusters per half V chosen when none is given ({@code --coarse-clusters
 * auto}), from the number of training rows N and the dimension D:
 *
 * <pre>
 *   V = the power of two nearest to sqrt(N / ROWS_PER_CELL)       (about ROWS_PER_CELL rows per cell
 *                                                                  of the V^2-cell multi-index)
 *   V = halved while V &gt; SHRUNK_CLUSTERS_FACTOR N / (D/2 + 1)    (clusters of at least about D/16
 *                                                                  rows: shrinkage toward the half's
 *                                                                  covariance, D/8 pseudo-rows by
 *                                                                  default, does the rest; and the 2V
 *                                                                  rotations of (D/2)^2 hold fewer
 *                                                                  than 8 N D numbers)
 *   V = min(V, MAX)
 * </pre>
 *
 * The multi-index's resolution decides how often the candidates hold the true neighbour at small
 * budgets, so V follows sqrt(N) wherever the rotations allow it. On Fashion-MNIST (D = 784) the
 * bound binds only up to about 3,100 rows (the first rule's 2N/(D/2+1) bound up to about 50,000):
 * V = 64 at 5,000 rows, 128 at 20,000, 256 at 60,000. Measured there (docs/BENCHMARKS.md, "Auto V
 * from sqrt(N) on small bases"): at 60,000 rows, with shrunk rotations, V = 64, 128, 256 gave R@10
 * 0.929, 0.943, 0.956 at 64 bits; at 5,000 rows the first rule's V = 16 held the true neighbour
 * among the candidates for 81.7% of the queries at 3.9% of the base scanned, V = 64 holds it for
 * 94.7% at 2.2% (faiss IVF256: 96.95% at 2.7%) and ranks better too (R@10 0.989 against 0.976).
 */
public final class CoarseClusterRule {
  /** Rows per cell of the multi-index the rule aims at. */
  public static final double ROWS_PER_CELL = 1;
  /**
   * V is at most this times N / (D/2 + 1): clusters of at least about an eighth of a full-rank
   * covariance's rows (D/16), and rotations of fewer than 8 N D numbers.
   */
  public static final double SHRUNK_CLUSTERS_FACTOR = 8;
  /** The largest V the rule chooses. */
  public static final int MAX = 1 << 14;
  /** The rule in words, for the model's metadata. */
  public static final String DESCRIPTION = "auto: power of two nearest sqrt(N), halved while above "
      + (int) SHRUNK_CLUSTERS_FACTOR + "N/(D/2+1), at most " + MAX;

  private CoarseClusterRule() {}

  /**
   * V for {@code rows} training rows of dimension {@code dimension}.
   *
   * @throws IllegalArgumentException on no rows or a dimension below 2
   */
  public static int choose(long rows, int dimension) {
    if (rows < 1 || dimension < 2) {
      throw new IllegalArgumentException("choosing V needs rows >= 1 and D >= 2, got " + rows + " rows of dimension "
          + dimension);
    }
    double ideal = Math.sqrt(rows / ROWS_PER_CELL);
    long exponent = Math.round(Math.log(Math.max(1, ideal)) / Math.log(2));
    int v = 1 << (int) Math.min(exponent, Integer.numberOfTrailingZeros(MAX));
    double byRotations = Math.floor(rows * SHRUNK_CLUSTERS_FACTOR / (dimension / 2 + 1));
    while (v > 1 && v > byRotations) {
      v /= 2;
    }
    return v;
  }
}
