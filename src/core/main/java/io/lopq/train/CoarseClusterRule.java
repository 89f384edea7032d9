package io.lopq.train;

/**
 * The number of coarse clusters per half V chosen when none is given ({@code --coarse-clusters
 * auto}), from the number of training rows N and the dimension D:
 *
 * <pre>
 *   V = the power of two nearest to sqrt(N / ROWS_PER_CELL)       (about ROWS_PER_CELL rows per cell
 *                                                                  of the V^2-cell multi-index)
 *   V = halved while V &gt; SHRUNK_CLUSTERS_FACTOR N / (D/2 + 1)    (clusters of at least about half
 *                                                                  the D/2 + 1 rows a full-rank
 *                                                                  covariance needs; shrinkage toward
 *                                                                  the half's covariance does the rest)
 *   V = min(V, MAX)
 * </pre>
 *
 * On Fashion-MNIST (N = 60,000, D = 784) this gives V = 256: measured there (docs/BENCHMARKS.md),
 * with shrunk rotations, V = 64, 128, 256 gave R@10 0.929, 0.943, 0.956 at 64 bits.
 */
public final class CoarseClusterRule {
  /** Rows per cell of the multi-index the rule aims at. */
  public static final double ROWS_PER_CELL = 1;
  /** V is at most this times N / (D/2 + 1): clusters of about half a full-rank covariance's rows. */
  public static final double SHRUNK_CLUSTERS_FACTOR = 2;
  /** The largest V the rule chooses. */
  public static final int MAX = 1 << 14;
  /** The rule in words, for the model's metadata. */
  public static final String DESCRIPTION = "auto: power of two nearest sqrt(N), halved while above 2N/(D/2+1), at most 16384";

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
