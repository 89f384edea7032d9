package io.lopq.train;

import io.lopq.math.Blas;
import java.util.Arrays;

/**
 * The members of each coarse cluster, grouped by a counting sort of the assignments, so that
 * per-cluster work (rotating residuals, re-fitting rotations) runs as one matrix product per
 * cluster.
 *
 * <pre>
 *   members of cluster c = members[start[c] .. start[c + 1])   (ascending row order)
 * </pre>
 */
public final class ClusterIndex {
  final int clusters;
  final int[] start;
  final int[] members;

  private ClusterIndex(int clusters, int[] start, int[] members) {
    this.clusters = clusters;
    this.start = start;
    this.members = members;
  }

  /** Groups the {@code n = assignments.length} rows by their cluster in {@code [0, clusters)}. */
  public static ClusterIndex of(int[] assignments, int clusters) {
    int n = assignments.length;
    int[] first = new int[clusters + 1];
    for (int a : assignments) {
      if (a < 0 || a >= clusters) {
        throw new IllegalArgumentException("cluster assignment " + a + " is out of range [0, " + clusters + ")");
      }
      first[a + 1]++;
    }
    for (int c = 0; c < clusters; c++) {
      first[c + 1] += first[c];
    }
    int[] fill = Arrays.copyOf(first, clusters);
    int[] order = new int[n];
    for (int i = 0; i < n; i++) {
      order[fill[assignments[i]]++] = i;
    }
    return new ClusterIndex(clusters, first, order);
  }

  /** Row index of the t-th member (0-based, ascending) of cluster c. */
  public int member(int c, int t) {
    return members[start[c] + t];
  }

  /** Number of rows in cluster c. */
  public int size(int c) {
    return start[c + 1] - start[c];
  }

  /** The largest cluster size. */
  public int maxSize() {
    int max = 0;
    for (int c = 0; c < clusters; c++) {
      max = Math.max(max, size(c));
    }
    return max;
  }

  /**
   * {@code out_i = R_c (r_i - mu_c)} for every row i of cluster c, for all clusters: one
   * {@code sgemm} per cluster over its gathered, centred rows.
   *
   * @param residuals n x d row-major
   * @param means clusters x d row-major
   * @param rotations clusters blocks of d x d row-major
   * @param out n x d row-major, written
   */
  public void rotate(float[] residuals, int d, float[] means, float[] rotations, float[] out) {
    int maxSize = maxSize();
    float[] centered = new float[maxSize * d];
    float[] product = new float[maxSize * d];
    for (int c = 0; c < clusters; c++) {
      int size = gatherCentered(c, residuals, d, means, centered);
      if (size == 0) {
        continue;
      }
      Blas.gemmNT(size, d, d, 1f, centered, 0, rotations, c * d * d, 0f, product, 0);
      for (int t = 0; t < size; t++) {
        System.arraycopy(product, t * d, out, members[start[c] + t] * d, d);
      }
    }
  }

  /** Writes {@code r_i - mu_c} of cluster c's rows into {@code out} (row-major); returns their count. */
  public int gatherCentered(int c, float[] residuals, int d, float[] means, float[] out) {
    int size = size(c);
    for (int t = 0; t < size; t++) {
      int i = members[start[c] + t];
      for (int j = 0; j < d; j++) {
        out[t * d + j] = residuals[i * d + j] - means[c * d + j];
      }
    }
    return size;
  }
}
