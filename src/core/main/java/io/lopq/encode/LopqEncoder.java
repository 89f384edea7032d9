package io.lopq.encode;

import io.lopq.model.LopqCode;
import io.lopq.model.LopqModel;
import java.util.Objects;

/**
 * Encodes vectors to {@link LopqCode}s and reconstructs them, one vector at a time.
 *
 * <pre>
 *   c_h = argmin_i ||x_h - C_h[i]||^2
 *   y_h = R_h[c_h] (x_h - C_h[c_h] - mu_h[c_h])
 *   f_m = argmin_k ||y_{chunk m} - P_m[k]||^2
 *   xhat_h = C_h[c_h] + mu_h[c_h] + R_h[c_h]^T [P_m[f_m] ...]
 * </pre>
 *
 * This is the reference path, written as plain loops; batch encoding is faster.
 * Instances are immutable and thread-safe.
 */
public final class LopqEncoder {
  private final LopqModel model;

  /** An encoder for {@code model}. */
  public LopqEncoder(LopqModel model) {
    this.model = Objects.requireNonNull(model, "model");
  }

  /** The model this encoder uses. */
  public LopqModel model() {
    return model;
  }

  /**
   * Checks that {@code x} has the model's dimension and only finite values.
   *
   * @throws IllegalArgumentException naming the dimension or the index of the bad value
   */
  public static void checkVector(LopqModel model, float[] x) {
    Objects.requireNonNull(x, "vector");
    if (x.length != model.dimension()) {
      throw new IllegalArgumentException(
          "vector has dimension " + x.length + ", the model expects " + model.dimension());
    }
    for (int i = 0; i < x.length; i++) {
      if (!Float.isFinite(x[i])) {
        throw new IllegalArgumentException("vector has a non-finite value " + x[i] + " at index " + i);
      }
    }
  }

  /** The nearest coarse centroid of half {@code h} of {@code x} (half starts at {@code h * D/2}). */
  public int nearestCoarse(float[] x, int h) {
    int half = model.halfDimension();
    float[] centroids = model.coarseCentroids(h);
    int best = 0;
    double bestDistance = Double.POSITIVE_INFINITY;
    for (int i = 0; i < model.coarseClusters(); i++) {
      double d = 0;
      for (int j = 0; j < half; j++) {
        double diff = x[h * half + j] - centroids[i * half + j];
        d += diff * diff;
      }
      if (d < bestDistance) {
        bestDistance = d;
        best = i;
      }
    }
    return best;
  }

  /**
   * The rotated residual {@code y_h = R_h[c] (x_h - C_h[c] - mu_h[c])} of half {@code h} of
   * {@code x} in coarse cluster {@code c}.
   */
  public float[] rotatedResidual(float[] x, int h, int c) {
    int half = model.halfDimension();
    float[] centroids = model.coarseCentroids(h);
    float[] means = model.residualMeans(h);
    float[] rotation = model.rotations(h);
    int rotationOffset = model.rotationOffset(c);
    double[] residual = new double[half];
    for (int j = 0; j < half; j++) {
      residual[j] = (double) x[h * half + j] - centroids[c * half + j] - means[c * half + j];
    }
    float[] y = new float[half];
    for (int r = 0; r < half; r++) {
      double s = 0;
      int row = rotationOffset + r * half;
      for (int j = 0; j < half; j++) {
        s += rotation[row + j] * residual[j];
      }
      y[r] = (float) s;
    }
    return y;
  }

  /**
   * Index of the nearest codeword of subquantizer {@code m}'s shared codebook to
   * {@code chunk[offset .. offset + D/M)}.
   */
  public int nearestCodeword(int m, float[] chunk, int offset) {
    return nearest(model.codebook(m), chunk, offset);
  }

  /**
   * Index of the nearest codeword of the codebook subquantizer {@code m} uses in coarse cluster
   * {@code c} of its half ({@link LopqModel#codebook(int, int)}) to {@code chunk[offset .. offset + D/M)}.
   */
  public int nearestCodeword(int m, int c, float[] chunk, int offset) {
    return nearest(model.codebook(m, c), chunk, offset);
  }

  private int nearest(float[] codebook, float[] chunk, int offset) {
    int sub = model.subDimension();
    int best = 0;
    double bestDistance = Double.POSITIVE_INFINITY;
    for (int k = 0; k < model.subquantizerClusters(); k++) {
      double d = 0;
      for (int j = 0; j < sub; j++) {
        double diff = chunk[offset + j] - codebook[k * sub + j];
        d += diff * diff;
      }
      if (d < bestDistance) {
        bestDistance = d;
        best = k;
      }
    }
    return best;
  }

  /** Encodes one vector of the model's dimension. */
  public LopqCode encode(float[] x) {
    checkVector(model, x);
    int perHalf = model.subquantizersPerHalf();
    int sub = model.subDimension();
    int[] coarse = new int[LopqModel.HALVES];
    byte[] fine = new byte[model.subquantizers()];
    for (int h = 0; h < LopqModel.HALVES; h++) {
      coarse[h] = nearestCoarse(x, h);
      float[] y = rotatedResidual(x, h, coarse[h]);
      for (int s = 0; s < perHalf; s++) {
        int m = h * perHalf + s;
        fine[m] = (byte) nearestCodeword(m, coarse[h], y, s * sub);
      }
    }
    return new LopqCode(coarse[0], coarse[1], fine);
  }

  /** Reconstructs the vector a code stands for. */
  public float[] decode(LopqCode code) {
    checkCode(code);
    int half = model.halfDimension();
    int sub = model.subDimension();
    int perHalf = model.subquantizersPerHalf();
    float[] xhat = new float[model.dimension()];
    for (int h = 0; h < LopqModel.HALVES; h++) {
      int c = code.coarse(h);
      float[] y = new float[half];
      for (int s = 0; s < perHalf; s++) {
        int m = h * perHalf + s;
        System.arraycopy(model.codebook(m, c), code.fine(m) * sub, y, s * sub, sub);
      }
      float[] rotation = model.rotations(h);
      int rotationOffset = model.rotationOffset(c);
      float[] centroids = model.coarseCentroids(h);
      float[] means = model.residualMeans(h);
      for (int j = 0; j < half; j++) {
        double s = 0;
        for (int r = 0; r < half; r++) {
          s += rotation[rotationOffset + r * half + j] * y[r];
        }
        xhat[h * half + j] = (float) (centroids[c * half + j] + means[c * half + j] + s);
      }
    }
    return xhat;
  }

  /**
   * Checks that a code fits the model.
   *
   * @throws IllegalArgumentException naming the bad index and its range
   */
  public void checkCode(LopqCode code) {
    Objects.requireNonNull(code, "code");
    for (int h = 0; h < LopqModel.HALVES; h++) {
      if (code.coarse(h) >= model.coarseClusters()) {
        throw new IllegalArgumentException("coarse index " + code.coarse(h) + " of half " + h
            + " is out of range [0, " + model.coarseClusters() + ")");
      }
    }
    if (code.fineCount() != model.subquantizers()) {
      throw new IllegalArgumentException(
          "code has " + code.fineCount() + " fine codes, the model expects " + model.subquantizers());
    }
    for (int m = 0; m < code.fineCount(); m++) {
      if (code.fine(m) >= model.subquantizerClusters()) {
        throw new IllegalArgumentException("fine code " + code.fine(m) + " of subquantizer " + m
            + " is out of range [0, " + model.subquantizerClusters() + ")");
      }
    }
  }

  /**
   * Mean squared reconstruction error {@code mean ||x - decode(encode(x))||^2} over {@code n}
   * row-major vectors: the number training minimizes.
   */
  public double distortion(float[] rows, int n) {
    int d = model.dimension();
    if (n == 0) {
      return 0;
    }
    double total = 0;
    float[] x = new float[d];
    for (int i = 0; i < n; i++) {
      System.arraycopy(rows, i * d, x, 0, d);
      float[] xhat = decode(encode(x));
      for (int j = 0; j < d; j++) {
        double diff = x[j] - xhat[j];
        total += diff * diff;
      }
    }
    return total / n;
  }
}
