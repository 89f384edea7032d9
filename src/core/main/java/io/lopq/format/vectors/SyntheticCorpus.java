package io.lopq.format.vectors;

import java.util.SplittableRandom;

/**
 * A reproducible clustered data set for demos and tests: Gaussian clusters with anisotropic,
 * correlated covariance, so that coarse clusters, local rotations and subquantizers all matter.
 *
 * <pre>
 *   x_i = center[c] + Q (s[c] .* z),    c = cluster of row i,  z ~ N(0, I)
 *   s[c]_j = SPREAD * DECAY^(pi_c(j))   (a per-cluster permutation pi_c of a decaying spectrum)
 *   Q: one random orthonormal D x D mixing shared by all clusters
 * </pre>
 *
 * Row {@code i} depends only on the seed and {@code i}, so any slice of rows can be generated
 * independently (in parallel tasks) and always gives the same values.
 */
public final class SyntheticCorpus {
  private static final double CENTER_SCALE = 10.0;
  private static final double SPREAD = 2.0;
  private static final double DECAY = 0.85;
  private static final long ROW_STREAM = 0x9E3779B97F4A7C15L;

  private final int dimension;
  private final int clusters;
  private final long seed;
  private final double[] centers;
  private final double[] scales;
  private final double[] mixing;

  /**
   * @param dimension D of every row
   * @param clusters number of Gaussian clusters
   * @param seed determines centers, spectra, mixing and every row
   */
  public SyntheticCorpus(int dimension, int clusters, long seed) {
    if (dimension < 1 || clusters < 1) {
      throw new IllegalArgumentException(
          "dimension and clusters must be >= 1, got dimension " + dimension + ", clusters " + clusters);
    }
    this.dimension = dimension;
    this.clusters = clusters;
    this.seed = seed;
    SplittableRandom random = new SplittableRandom(seed);
    centers = new double[clusters * dimension];
    for (int i = 0; i < centers.length; i++) {
      centers[i] = CENTER_SCALE * gaussian(random);
    }
    scales = new double[clusters * dimension];
    for (int c = 0; c < clusters; c++) {
      int[] order = permutation(dimension, random);
      for (int j = 0; j < dimension; j++) {
        scales[c * dimension + j] = SPREAD * Math.pow(DECAY, order[j]);
      }
    }
    mixing = randomOrthonormal(dimension, random);
  }

  /** D. */
  public int dimension() {
    return dimension;
  }

  /** Writes row {@code row} into {@code out[offset .. offset + D)}. */
  public void row(long row, float[] out, int offset) {
    SplittableRandom random = new SplittableRandom(seed ^ (row * ROW_STREAM + ROW_STREAM));
    int c = random.nextInt(clusters);
    double[] z = new double[dimension];
    for (int j = 0; j < dimension; j++) {
      z[j] = scales[c * dimension + j] * gaussian(random);
    }
    for (int r = 0; r < dimension; r++) {
      double s = centers[c * dimension + r];
      for (int j = 0; j < dimension; j++) {
        s += mixing[r * dimension + j] * z[j];
      }
      out[offset + r] = (float) s;
    }
  }

  /** Rows {@code [first, first + count)} as one row-major array. */
  public float[] rows(long first, int count) {
    float[] out = new float[count * dimension];
    for (int i = 0; i < count; i++) {
      row(first + i, out, i * dimension);
    }
    return out;
  }

  private static double gaussian(SplittableRandom random) {
    // Box-Muller on SplittableRandom (which has no nextGaussian in Java 17).
    double u = 1.0 - random.nextDouble();
    double v = random.nextDouble();
    return Math.sqrt(-2.0 * Math.log(u)) * Math.cos(2.0 * Math.PI * v);
  }

  /** A uniformly random permutation of 0..n-1 (Fisher-Yates). */
  static int[] permutation(int n, SplittableRandom random) {
    int[] order = new int[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    for (int i = n - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      int t = order[i];
      order[i] = order[j];
      order[j] = t;
    }
    return order;
  }

  /** Gram-Schmidt on a Gaussian matrix: rows orthonormal. */
  private static double[] randomOrthonormal(int n, SplittableRandom random) {
    double[] q = new double[n * n];
    for (int i = 0; i < q.length; i++) {
      q[i] = gaussian(random);
    }
    for (int r = 0; r < n; r++) {
      for (int p = 0; p < r; p++) {
        double dot = 0;
        for (int j = 0; j < n; j++) {
          dot += q[r * n + j] * q[p * n + j];
        }
        for (int j = 0; j < n; j++) {
          q[r * n + j] -= dot * q[p * n + j];
        }
      }
      double norm = 0;
      for (int j = 0; j < n; j++) {
        norm += q[r * n + j] * q[r * n + j];
      }
      norm = Math.sqrt(norm);
      for (int j = 0; j < n; j++) {
        q[r * n + j] /= norm;
      }
    }
    return q;
  }
}
