package io.lopq.math;

import java.io.Serializable;

/**
 * What a {@link KMeans} run produced: the centroids, each point's nearest centroid, and the
 * distortion after every assignment step.
 *
 * <pre>
 *   distortion = (1/n) sum_i ||x_i - c_{a(i)}||^2      (non-increasing across iterations)
 * </pre>
 *
 * The centroids and assignments belong together: the assignments are the nearest centroids of the
 * returned centroids, and {@link #distortion()} is the exact distortion of that pair.
 */
public final class KMeansResult implements Serializable {
  private static final long serialVersionUID = 1L;

  private final float[] centroids;
  private final int clusters;
  private final int dimension;
  private final int[] assignments;
  private final double[] distortions;
  private final boolean converged;

  KMeansResult(float[] centroids, int clusters, int dimension, int[] assignments, double[] distortions,
      boolean converged) {
    this.centroids = centroids;
    this.clusters = clusters;
    this.dimension = dimension;
    this.assignments = assignments;
    this.distortions = distortions;
    this.converged = converged;
  }

  /** Centroids, k x d row-major. The result's own array: do not modify. */
  public float[] centroids() {
    return centroids;
  }

  /** k, the number of centroids. */
  public int clusters() {
    return clusters;
  }

  /** d, the dimension of a point. */
  public int dimension() {
    return dimension;
  }

  /** Index of each point's centroid. The result's own array: do not modify. */
  public int[] assignments() {
    return assignments;
  }

  /** Mean squared distance to the assigned centroid after each iteration (a copy). */
  public double[] distortions() {
    return distortions.clone();
  }

  /** The final mean squared distance of the points to their centroids. */
  public double distortion() {
    return distortions[distortions.length - 1];
  }

  /** Number of assignment steps run. */
  public int iterations() {
    return distortions.length;
  }

  /** Whether the run stopped because the relative distortion change fell below the tolerance. */
  public boolean converged() {
    return converged;
  }

  /** Number of points assigned to each centroid. */
  public int[] clusterSizes() {
    int[] sizes = new int[clusters];
    for (int a : assignments) {
      sizes[a]++;
    }
    return sizes;
  }
}
