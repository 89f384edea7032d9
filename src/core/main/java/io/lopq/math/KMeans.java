package io.lopq.math;

import java.io.Serializable;
import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Objects;
import java.util.Set;

/**
 * Local (single-machine) k-means: seeded greedy k-means++ initialisation ({@link KMeansPlusPlus}) followed by Lloyd iterations, with
 * the point-to-centroid distances of every iteration computed as one matrix product per block of
 * rows.
 *
 * <pre>
 *   ||x - c||^2 = ||x||^2 - 2 x.c + ||c||^2      argmin_j over (||c_j||^2 - 2 x.c_j), via Blas.gemmNT
 *   distortion  = (1/n) sum_i ||x_i - c_{a(i)}||^2
 * </pre>
 *
 * <p>Guarantees:
 * <ul>
 *   <li>Deterministic for a given seed and input.</li>
 *   <li>The distortion recorded after each iteration never rises: the matrix-product argmin is
 *       checked against the previous assignment with exact (double) distances, and an iteration
 *       that would still raise the distortion (rounding) ends the run with the previous state.</li>
 *   <li>No empty cluster: an empty cluster is re-seeded at the point farthest from its centroid
 *       (lowest index among ties), which can only lower the distortion.</li>
 *   <li>Memory beyond the input and output is bounded: {@code O(k d + n)} plus one block of
 *       {@link #BLOCK_ELEMENTS} dot products.</li>
 * </ul>
 *
 * <p>Instances are immutable configurations; {@code with...} methods return modified copies.
 */
public final class KMeans implements Serializable {
  private static final long serialVersionUID = 1L;

  /** Lloyd iterations unless told otherwise. */
  public static final int DEFAULT_MAX_ITERATIONS = 20;
  /** Relative distortion change below which iterations stop, unless told otherwise. */
  public static final double DEFAULT_TOLERANCE = 1e-4;
  /** Number of dot products computed per block of rows (bounds the scratch memory to 4 bytes each). */
  public static final int BLOCK_ELEMENTS = 1 << 18;
  /**
   * k-means++ seeding looks at no more than this many points per cluster (a seeded uniform sample,
   * at least {@link #MIN_SEEDING_SAMPLE}), which keeps seeding at {@code O(k^2 d)} on large
   * inputs. The sample is widened to all points when it holds fewer than k distinct points.
   */
  public static final int SEEDING_POINTS_PER_CLUSTER = 64;
  /** The seeding sample is never smaller than this (so small far-away groups are rarely missed). */
  public static final int MIN_SEEDING_SAMPLE = 1 << 14;

  /** {@code seedingTrials} meaning {@code 2 + floor(ln k)} candidates per centroid. */
  public static final int AUTO_SEEDING_TRIALS = 0;

  private final int clusters;
  private final int maxIterations;
  private final double tolerance;
  private final long seed;
  private final int seedingTrials;
  private final String parameterName;
  private final String context;

  private KMeans(int clusters, int maxIterations, double tolerance, long seed, int seedingTrials,
      String parameterName, String context) {
    if (clusters < 1) {
      throw new IllegalArgumentException(parameterName + " (number of clusters) must be >= 1, got " + clusters);
    }
    if (maxIterations < 1) {
      throw new IllegalArgumentException("k-means max iterations must be >= 1, got " + maxIterations);
    }
    if (!(tolerance >= 0) || Double.isInfinite(tolerance)) {
      throw new IllegalArgumentException("k-means tolerance must be finite and >= 0, got " + tolerance);
    }
    this.clusters = clusters;
    this.maxIterations = maxIterations;
    this.tolerance = tolerance;
    if (seedingTrials < 0) {
      throw new IllegalArgumentException("k-means++ trials must be >= 1 (or 0 for automatic), got " + seedingTrials);
    }
    this.seed = seed;
    this.seedingTrials = seedingTrials;
    this.parameterName = Objects.requireNonNull(parameterName, "parameterName");
    this.context = Objects.requireNonNull(context, "context");
  }

  /** A k-means with {@code k} clusters and default iterations, tolerance and seed 0. */
  public static KMeans withClusters(int k) {
    return new KMeans(k, DEFAULT_MAX_ITERATIONS, DEFAULT_TOLERANCE, 0L, AUTO_SEEDING_TRIALS, "k", "the data");
  }

  /** A copy that runs at most {@code iterations} assignment steps. */
  public KMeans withMaxIterations(int iterations) {
    return new KMeans(clusters, iterations, tolerance, seed, seedingTrials, parameterName, context);
  }

  /** A copy that stops once {@code (previous - current) / previous < relativeTolerance}. */
  public KMeans withTolerance(double relativeTolerance) {
    return new KMeans(clusters, maxIterations, relativeTolerance, seed, seedingTrials, parameterName, context);
  }

  /** A copy with another random seed. */
  public KMeans withSeed(long newSeed) {
    return new KMeans(clusters, maxIterations, tolerance, newSeed, seedingTrials, parameterName, context);
  }

  /**
   * A copy that draws {@code trials} k-means++ candidates per centroid and keeps the best
   * ({@link #AUTO_SEEDING_TRIALS} = {@code 2 + floor(ln k)}; 1 = plain k-means++).
   */
  public KMeans withSeedingTrials(int trials) {
    return new KMeans(clusters, maxIterations, tolerance, seed, trials, parameterName, context);
  }

  /**
   * A copy whose error messages call the number of clusters {@code name} (e.g. "V" or "K") and the
   * data {@code dataDescription} (e.g. "half 0 of the training vectors").
   */
  public KMeans describedAs(String name, String dataDescription) {
    return new KMeans(clusters, maxIterations, tolerance, seed, seedingTrials, name, dataDescription);
  }

  /** k. */
  public int clusters() {
    return clusters;
  }

  /** Maximum number of assignment steps. */
  public int maxIterations() {
    return maxIterations;
  }

  /** Relative distortion change that counts as converged. */
  public double tolerance() {
    return tolerance;
  }

  /** The random seed. */
  public long seed() {
    return seed;
  }

  /**
   * Clusters {@code n} row-major points of dimension {@code d}, seeding with k-means++.
   *
   * @throws IllegalArgumentException if {@code n == 0}, a value is not finite, or k exceeds the
   *     number of distinct points
   */
  public KMeansResult fit(float[] data, int n, int d) {
    checkData(data, n, d, context);
    float[] centroids = seedPlusPlus(data, n, d);
    return iterate(data, n, d, centroids);
  }

  /**
   * Runs Lloyd iterations from the given k x d centroids (copied) instead of seeding: a warm start
   * whose distortion is never above that of the initial centroids.
   */
  public KMeansResult fit(float[] data, int n, int d, float[] initialCentroids) {
    checkData(data, n, d, context);
    Objects.requireNonNull(initialCentroids, "initialCentroids");
    if (initialCentroids.length != (long) clusters * d) {
      throw new IllegalArgumentException("initial centroids have " + initialCentroids.length
          + " values, expected " + parameterName + " x d = " + clusters + " x " + d);
    }
    checkData(initialCentroids, clusters, d, "the initial centroids");
    return iterate(data, n, d, initialCentroids.clone());
  }

  private KMeansResult iterate(float[] data, int n, int d, float[] centroids) {
    int k = clusters;
    int[] assignments = new int[n];
    Arrays.fill(assignments, -1);
    double[] distances = new double[n];
    double[] history = new double[maxIterations];
    int iterations = 0;
    boolean converged = false;
    float[] previousCentroids = null;
    int[] previousAssignments = null;
    while (true) {
      double total = reassign(centroids, k, data, n, d, assignments, distances);
      total = reseedEmptyClusters(centroids, k, data, n, d, assignments, distances, total);
      double current = total / n;
      if (iterations > 0 && current > history[iterations - 1]) {
        // Only rounding can get here: keep the better, previous state.
        centroids = previousCentroids;
        assignments = previousAssignments;
        converged = true;
        break;
      }
      history[iterations++] = current;
      if (iterations > 1) {
        double previous = history[iterations - 2];
        if (previous == 0 || (previous - current) / previous < tolerance) {
          converged = true;
          break;
        }
      } else if (current == 0) {
        converged = true;
        break;
      }
      if (iterations == maxIterations) {
        break;
      }
      previousCentroids = centroids.clone();
      previousAssignments = assignments.clone();
      updateCentroids(centroids, k, data, n, d, assignments);
    }
    return new KMeansResult(centroids, k, d, assignments, Arrays.copyOf(history, iterations), converged);
  }

  private int trials() {
    return seedingTrials == AUTO_SEEDING_TRIALS ? KMeansPlusPlus.defaultTrials(clusters) : seedingTrials;
  }

  /** Greedy k-means++ ({@link KMeansPlusPlus}) on a seeded sample, widened to all points if needed. */
  private float[] seedPlusPlus(float[] data, int n, int d) {
    long sampleLimit = Math.max((long) SEEDING_POINTS_PER_CLUSTER * clusters, MIN_SEEDING_SAMPLE);
    if (sampleLimit < n) {
      int[] sample = Sampling.sampleIndices(n, (int) sampleLimit, Seeds.derive(seed, 0));
      float[] sampled = Sampling.gatherRows(data, d, sample);
      float[] centroids = KMeansPlusPlus.seed(sampled, sample.length, d, clusters, trials(), Seeds.derive(seed, 1));
      if (centroids != null) {
        return centroids;
      }
    }
    float[] centroids = KMeansPlusPlus.seed(data, n, d, clusters, trials(), Seeds.derive(seed, 1));
    if (centroids == null) {
      throw new IllegalArgumentException(parameterName + "=" + clusters
          + " is larger than the number of distinct points (" + countDistinct(data, n, d) + ") in " + context);
    }
    return centroids;
  }

  /**
   * Gives each empty cluster the point farthest from its centroid (which then sits at distance 0),
   * repeating until no cluster is empty.
   *
   * @return the new total squared distance
   */
  private double reseedEmptyClusters(float[] centroids, int k, float[] data, int n, int d, int[] assignments,
      double[] distances, double total) {
    int[] sizes = new int[k];
    for (int i = 0; i < n; i++) {
      sizes[assignments[i]]++;
    }
    for (int empty = firstEmpty(sizes, 0); empty >= 0; empty = firstEmpty(sizes, 0)) {
      int farthest = -1;
      double farthestDistance = 0;
      for (int i = 0; i < n; i++) {
        if (distances[i] > farthestDistance) {
          farthestDistance = distances[i];
          farthest = i;
        }
      }
      if (farthest < 0) {
        int nonEmpty = 0;
        for (int size : sizes) {
          nonEmpty += size > 0 ? 1 : 0;
        }
        throw new IllegalArgumentException(parameterName + "=" + k
            + " is larger than the number of distinct points (at most " + nonEmpty + ") in " + context);
      }
      sizes[assignments[farthest]]--;
      sizes[empty]++;
      assignments[farthest] = empty;
      System.arraycopy(data, farthest * d, centroids, empty * d, d);
      total -= distances[farthest];
      distances[farthest] = 0;
    }
    return Math.max(total, 0);
  }

  private static int firstEmpty(int[] sizes, int from) {
    for (int j = from; j < sizes.length; j++) {
      if (sizes[j] == 0) {
        return j;
      }
    }
    return -1;
  }

  /** Moves every centroid to the mean of its points (accumulated in double); all clusters are non-empty. */
  private static void updateCentroids(float[] centroids, int k, float[] data, int n, int d, int[] assignments) {
    double[] sums = new double[k * d];
    int[] counts = new int[k];
    for (int i = 0; i < n; i++) {
      int c = assignments[i];
      counts[c]++;
      int row = i * d;
      int base = c * d;
      for (int j = 0; j < d; j++) {
        sums[base + j] += data[row + j];
      }
    }
    for (int c = 0; c < k; c++) {
      if (counts[c] == 0) {
        continue;
      }
      int base = c * d;
      for (int j = 0; j < d; j++) {
        centroids[base + j] = (float) (sums[base + j] / counts[c]);
      }
    }
  }

  /**
   * Index of the nearest of {@code k} row-major centroids for each of {@code n} row-major points of
   * dimension {@code d}, computed block by block with one matrix product per block.
   */
  public static int[] assign(float[] centroids, int k, float[] data, int n, int d) {
    int[] assignments = new int[n];
    Arrays.fill(assignments, -1);
    reassign(centroids, k, data, n, d, assignments, null);
    return assignments;
  }

  /**
   * Updates {@code assignments} in place to the nearest centroids. An entry {@code >= 0} is a
   * previous assignment: it is kept unless the new candidate is strictly closer by exact distance,
   * so the total never rises through rounding in the matrix product.
   *
   * @param distances if not null, receives each point's exact squared distance to its centroid
   * @return the sum over points of the exact squared distance to the assigned centroid
   */
  public static double reassign(float[] centroids, int k, float[] data, int n, int d, int[] assignments,
      double[] distances) {
    if (n == 0) {
      return 0;
    }
    float[] centroidNorms = Blas.rowSquaredNorms(centroids, k, d);
    int block = Math.max(1, Math.min(n, BLOCK_ELEMENTS / k));
    float[] dots = new float[block * k];
    double total = 0;
    for (int start = 0; start < n; start += block) {
      int rows = Math.min(block, n - start);
      Blas.gemmNT(rows, k, d, 1f, data, start * d, centroids, 0, 0f, dots, 0);
      for (int r = 0; r < rows; r++) {
        int best = Argmin.first(dots, r * k, -2f, centroidNorms, k);
        int i = start + r;
        double distance = squaredDistance(data, i * d, centroids, best * d, d);
        int previous = assignments[i];
        if (previous >= 0 && previous != best) {
          double previousDistance = squaredDistance(data, i * d, centroids, previous * d, d);
          if (previousDistance <= distance) {
            best = previous;
            distance = previousDistance;
          }
        }
        assignments[i] = best;
        if (distances != null) {
          distances[i] = distance;
        }
        total += distance;
      }
    }
    return total;
  }

  /** Exact squared Euclidean distance (accumulated in double) between two float vectors of length d. */
  public static double squaredDistance(float[] a, int aOffset, float[] b, int bOffset, int d) {
    double s = 0;
    for (int j = 0; j < d; j++) {
      double diff = (double) a[aOffset + j] - b[bOffset + j];
      s += diff * diff;
    }
    return s;
  }

  /**
   * Checks that {@code data} holds {@code n >= 1} finite rows of dimension {@code d >= 1}.
   *
   * @throws IllegalArgumentException naming the problem, and the row and column of a bad value
   */
  public static void checkData(float[] data, int n, int d, String what) {
    Objects.requireNonNull(data, what);
    if (n <= 0) {
      throw new IllegalArgumentException("no points to cluster (n=" + n + ") in " + what);
    }
    if (d <= 0) {
      throw new IllegalArgumentException("dimension must be >= 1, got d=" + d + " for " + what);
    }
    if (data.length < (long) n * d) {
      throw new IllegalArgumentException(what + " has " + data.length + " values, fewer than n x d = "
          + n + " x " + d);
    }
    for (int i = 0, end = n * d; i < end; i++) {
      if (!Float.isFinite(data[i])) {
        throw new IllegalArgumentException(what + " has a non-finite value " + data[i] + " at row " + (i / d)
            + ", column " + (i % d));
      }
    }
  }

  /** Number of distinct rows (exact float equality), for error messages. */
  static int countDistinct(float[] data, int n, int d) {
    Set<FloatBuffer> seen = new HashSet<>();
    for (int i = 0; i < n; i++) {
      seen.add(FloatBuffer.wrap(data, i * d, d).slice());
    }
    return seen.size();
  }
}
