package io.lopq.train;

import io.lopq.math.KMeans;
import io.lopq.math.LocalRotation;
import io.lopq.model.LopqModel;
import io.lopq.model.ModelMetadata;
import java.util.Arrays;

/**
 * Everything the single-machine trainer knows about the training set at once, in flat arrays, with
 * the batched operations the steps need:
 *
 * <pre>
 *   r_h = x_h - C_h[c_h(x)]                          residuals (n x D/2 per half)
 *   y_h = R_h[c] (r_h - mu_h[c])                     rotated residuals, one matrix product per cluster
 *   f_m = argmin_k ||y_{chunk m} - P_m[k]||^2         fine codes, guarded so re-encoding never worsens
 *   distortion = (1/n) sum_m sum_i ||y_{chunk m}(i) - P_m[f_m(i)]||^2
 * </pre>
 *
 * The distortion is measured in the rotated space, which equals {@code ||x - xhat||^2} because every
 * rotation is orthonormal. Not thread-safe.
 */
final class TrainingState {
  final int n;
  final int dimension;
  final int half;
  final int clusters;
  final int subquantizers;
  final int perHalf;
  final int sub;
  final float[][] coarseCentroids = new float[LopqModel.HALVES][];
  final int[][] coarse = new int[LopqModel.HALVES][];
  final float[][] residuals = new float[LopqModel.HALVES][];
  final float[][] means = new float[LopqModel.HALVES][];
  final float[][] rotations = new float[LopqModel.HALVES][];
  final LocalRotation.Source[][] sources = new LocalRotation.Source[LopqModel.HALVES][];
  final float[][] rotated = new float[LopqModel.HALVES][];
  /** Per half: the members of each cluster. */
  final ClusterIndex[] index = new ClusterIndex[LopqModel.HALVES];
  final float[][] codebooks;
  final int[][] codes;
  final double[] fineErrors;
  private int codebookSize;

  TrainingState(int n, int dimension, int clusters, int subquantizers) {
    this.n = n;
    this.dimension = dimension;
    this.half = dimension / 2;
    this.clusters = clusters;
    this.subquantizers = subquantizers;
    this.perHalf = subquantizers / 2;
    this.sub = dimension / subquantizers;
    this.codebooks = new float[subquantizers][];
    this.codes = new int[subquantizers][];
    this.fineErrors = new double[subquantizers];
  }

  /** Sets half h's coarse quantization: centroids, assignments and residuals (the latter are kept as given). */
  void setCoarse(int h, float[] centroids, int[] assignments, float[] halfResiduals) {
    coarseCentroids[h] = centroids;
    coarse[h] = assignments;
    residuals[h] = halfResiduals;
    index[h] = ClusterIndex.of(assignments, clusters);
  }

  /** Number of training vectors in cluster c of half h. */
  int clusterSize(int h, int c) {
    return index[h].size(c);
  }

  /** Sizes of all clusters of half h. */
  int[] clusterSizes(int h) {
    int[] sizes = new int[clusters];
    for (int c = 0; c < clusters; c++) {
      sizes[c] = clusterSize(h, c);
    }
    return sizes;
  }

  /** Sets half h's means and rotations from fitted {@link LocalRotation}s (one per cluster). */
  void setRotations(int h, LocalRotation[] fitted) {
    means[h] = LocalTrainer.flattenMeans(fitted);
    rotations[h] = LocalTrainer.flattenRotations(fitted);
    sources[h] = new LocalRotation.Source[clusters];
    for (int c = 0; c < clusters; c++) {
      sources[h][c] = fitted[c].source();
    }
  }

  /** Recomputes half h's rotated residuals {@code y = R_c (r - mu_c)}, one matrix product per cluster. */
  void rotate(int h) {
    if (rotated[h] == null) {
      rotated[h] = new float[n * half];
    }
    index[h].rotate(residuals[h], half, means[h], rotations[h], rotated[h]);
  }

  /** Writes {@code r - mu_c} of cluster c's members into {@code out} (row-major); returns the member count. */
  int gatherCentered(int h, int c, float[] out) {
    return index[h].gatherCentered(c, residuals[h], half, means[h], out);
  }

  /** Row index of the t-th member of cluster c of half h. */
  int member(int h, int c, int t) {
    return index[h].members[index[h].start[c] + t];
  }

  /** Writes the concatenated codewords {@code [P_m[f_m(i)] ...]} of half h for cluster c's members into {@code out}. */
  void gatherReconstruction(int h, int c, float[] out) {
    int size = clusterSize(h, c);
    for (int t = 0; t < size; t++) {
      int i = member(h, c, t);
      for (int s = 0; s < perHalf; s++) {
        int m = h * perHalf + s;
        System.arraycopy(codebooks[m], codes[m][i] * sub, out, t * half + s * sub, sub);
      }
    }
  }

  /** The rows of subquantizer m's chunk of the rotated residuals, n x D/M. */
  float[] chunk(int m) {
    int h = m / perHalf;
    int offset = (m % perHalf) * sub;
    float[] y = rotated[h];
    float[] out = new float[n * sub];
    for (int i = 0; i < n; i++) {
      System.arraycopy(y, i * half + offset, out, i * sub, sub);
    }
    return out;
  }

  /** Sets subquantizer m's codebook (K x D/M). */
  void setCodebook(int m, float[] codebook, int k) {
    codebooks[m] = codebook;
    codebookSize = k;
  }

  /**
   * Re-encodes subquantizer m against its codebook. Existing codes are kept unless another codeword
   * is strictly closer, so the error never rises through rounding.
   *
   * @return the new sum of squared errors of subquantizer m
   */
  double encode(int m, float[] chunkRows) {
    if (codes[m] == null) {
      codes[m] = new int[n];
      Arrays.fill(codes[m], -1);
    }
    fineErrors[m] = KMeans.reassign(codebooks[m], codebookSize, chunkRows, n, sub, codes[m], null);
    return fineErrors[m];
  }

  /** Re-encodes every subquantizer. */
  void encodeAll() {
    for (int m = 0; m < subquantizers; m++) {
      encode(m, chunk(m));
    }
  }

  /** Mean squared quantization error of the current model on the training set. */
  double distortion() {
    double total = 0;
    for (double e : fineErrors) {
      total += e;
    }
    return total / n;
  }

  /** Mean squared norm of the residuals: the error of the coarse quantizer alone. */
  double coarseDistortion() {
    return meanSquaredNorm(residuals);
  }

  /** Mean squared norm of the rotated residuals: the error before the subquantizers. */
  double residualDistortion() {
    return meanSquaredNorm(rotated);
  }

  private double meanSquaredNorm(float[][] halves) {
    double total = 0;
    for (float[] values : halves) {
      for (float v : values) {
        total += (double) v * v;
      }
    }
    return total / n;
  }

  /** The means, rotations, codebooks and codes, to restore after an attempt that did not pay off. */
  Snapshot snapshot() {
    return new Snapshot(this);
  }

  /** The model the state describes. */
  LopqModel toModel(int k, ModelMetadata metadata) {
    return new LopqModel(dimension, clusters, subquantizers, k, coarseCentroids.clone(), means.clone(),
        rotations.clone(), codebooks.clone(), metadata);
  }

  /** A copy of the parts refinement changes. */
  static final class Snapshot {
    private final float[][] means;
    private final float[][] rotations;
    private final LocalRotation.Source[][] sources;
    private final float[][] codebooks;
    private final int[][] codes;
    private final double[] fineErrors;

    private Snapshot(TrainingState state) {
      means = deepCopy(state.means);
      rotations = deepCopy(state.rotations);
      sources = new LocalRotation.Source[LopqModel.HALVES][];
      for (int h = 0; h < LopqModel.HALVES; h++) {
        sources[h] = state.sources[h].clone();
      }
      codebooks = deepCopy(state.codebooks);
      codes = new int[state.codes.length][];
      for (int m = 0; m < codes.length; m++) {
        codes[m] = state.codes[m].clone();
      }
      fineErrors = state.fineErrors.clone();
    }

    /** Puts the copied parts back and recomputes the rotated residuals. */
    void restore(TrainingState state) {
      for (int h = 0; h < LopqModel.HALVES; h++) {
        state.means[h] = means[h];
        state.rotations[h] = rotations[h];
        state.sources[h] = sources[h];
        state.rotate(h);
      }
      for (int m = 0; m < codes.length; m++) {
        state.codebooks[m] = codebooks[m];
        state.codes[m] = codes[m];
      }
      System.arraycopy(fineErrors, 0, state.fineErrors, 0, fineErrors.length);
    }

    private static float[][] deepCopy(float[][] arrays) {
      float[][] copy = new float[arrays.length][];
      for (int i = 0; i < arrays.length; i++) {
        copy[i] = arrays[i].clone();
      }
      return copy;
    }
  }
}
