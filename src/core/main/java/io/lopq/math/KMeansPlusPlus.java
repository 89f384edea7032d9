package io.lopq.math;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Greedy k-means++ seeding (Arthur &amp; Vassilvitskii, SODA 2007, with the greedy variant they
 * suggest): each new centroid is the best of a few candidates drawn with probability proportional
 * to the squared distance to the nearest centroid chosen so far.
 *
 * <pre>
 *   D(x)   = min over chosen c of ||x - c||^2
 *   draw   L candidates with P(x) = D(x) / sum_y D(y)
 *   keep   argmin over candidates z of  sum_x min(D(x), ||x - z||^2)     (the potential after adding z)
 * </pre>
 *
 * The candidates' potentials come from one matrix product per block of points; {@code D} itself
 * is updated with exact distances, so a point that coincides with a chosen centroid has
 * {@code D = 0} exactly and can never be drawn: the chosen centroids are always distinct points,
 * and running out of positive {@code D} proves there are fewer than k distinct points.
 */
public final class KMeansPlusPlus {
  private KMeansPlusPlus() {}

  /** The usual number of candidates per centroid: {@code 2 + floor(ln k)}. */
  public static int defaultTrials(int k) {
    return 2 + (int) Math.log(k);
  }

  /**
   * k distinct points of {@code n} row-major points of dimension d chosen as initial centroids
   * (k x d row-major), or null when the points hold fewer than k distinct values.
   *
   * @param trials candidates per centroid (1 = plain k-means++)
   */
  public static float[] seed(float[] points, int n, int d, int k, int trials, long seed) {
    if (trials < 1) {
      throw new IllegalArgumentException("k-means++ trials must be >= 1, got " + trials);
    }
    SplittableRandom random = new SplittableRandom(seed);
    float[] centroids = new float[k * d];
    double[] nearest = new double[n];
    Arrays.fill(nearest, Double.POSITIVE_INFINITY);
    double[] cumulative = new double[n];
    float[] pointNorms = trials > 1 ? Blas.rowSquaredNorms(points, n, d) : null;
    int chosen = random.nextInt(n);
    for (int c = 0; c < k; c++) {
      System.arraycopy(points, chosen * d, centroids, c * d, d);
      double total = 0;
      for (int i = 0; i < n; i++) {
        double dist = KMeans.squaredDistance(points, i * d, centroids, c * d, d);
        if (dist < nearest[i]) {
          nearest[i] = dist;
        }
        total += nearest[i];
        cumulative[i] = total;
      }
      if (c == k - 1) {
        break;
      }
      if (total == 0) {
        return null; // every point coincides with one of the c + 1 centroids chosen so far
      }
      int[] candidates = new int[trials];
      for (int t = 0; t < trials; t++) {
        candidates[t] = draw(cumulative, nearest, random.nextDouble() * total);
      }
      chosen = trials == 1 ? candidates[0] : best(points, n, d, pointNorms, nearest, candidates);
    }
    return centroids;
  }

  /** The first index whose cumulative weight exceeds {@code target} (always one with positive weight). */
  private static int draw(double[] cumulative, double[] weights, double target) {
    int low = 0;
    int high = cumulative.length - 1;
    while (low < high) {
      int mid = (low + high) >>> 1;
      if (cumulative[mid] > target) {
        high = mid;
      } else {
        low = mid + 1;
      }
    }
    while (low > 0 && weights[low] == 0) {
      low--; // only reachable through rounding at the very end of the range
    }
    return low;
  }

  /** The candidate whose addition leaves the smallest potential (lowest trial among ties). */
  private static int best(float[] points, int n, int d, float[] pointNorms, double[] nearest, int[] candidates) {
    int trials = candidates.length;
    float[] candidateRows = Sampling.gatherRows(points, d, candidates);
    float[] candidateNorms = Blas.rowSquaredNorms(candidateRows, trials, d);
    double[] potentials = new double[trials];
    int block = Math.max(1, Math.min(n, KMeans.BLOCK_ELEMENTS / trials));
    float[] dots = new float[block * trials];
    for (int start = 0; start < n; start += block) {
      int rows = Math.min(block, n - start);
      Blas.gemmNT(rows, trials, d, 1f, points, start * d, candidateRows, 0, 0f, dots, 0);
      for (int r = 0; r < rows; r++) {
        int i = start + r;
        for (int t = 0; t < trials; t++) {
          double dist = Math.max(0.0, (double) pointNorms[i] - 2.0 * dots[r * trials + t] + candidateNorms[t]);
          potentials[t] += Math.min(nearest[i], dist);
        }
      }
    }
    int best = 0;
    for (int t = 1; t < trials; t++) {
      if (potentials[t] < potentials[best]) {
        best = t;
      }
    }
    return candidates[best];
  }
}
