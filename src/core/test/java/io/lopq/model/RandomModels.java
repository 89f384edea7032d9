package io.lopq.model;

import dev.ludovic.netlib.lapack.LAPACK;
import io.lopq.math.blas.BlasSetup;
import io.lopq.model.LopqModel;
import io.lopq.model.ModelMetadata;
import java.util.Map;
import java.util.Random;
import org.netlib.util.intW;

/**
 * Random but well-formed LOPQ models and data for benchmarks and tests, when what matters is the
 * arithmetic of encoding and search rather than the quality of a trained model.
 *
 * <pre>
 *   C_h[i]  ~ N(0, coarseScale^2 I)
 *   mu_h[i] ~ N(0, (residualScale * MEAN_FRACTION)^2 I)
 *   R_h[i]  = Q^T of the QR factorization of a Gaussian (D/2 x D/2) matrix (orthonormal; Haar up to signs)
 *   P_m[k]  ~ N(0, residualScale^2 I)
 * </pre>
 *
 * Every value comes from the {@link Random} passed in, so a seed fixes the model.
 */
public final class RandomModels {
  /** Residual means are this fraction of the residual scale: small, but not zero. */
  public static final double MEAN_FRACTION = 0.1;

  private static final int WORKSPACE_QUERY = -1;

  private RandomModels() {}

  /**
   * A random model.
   *
   * @param coarseScale standard deviation of the coarse centroids' coordinates
   * @param residualScale standard deviation of the codewords' coordinates (and of the residuals the
   *     model expects)
   */
  public static LopqModel create(Random random, int dimension, int coarseClusters, int subquantizers,
      int subquantizerClusters, double coarseScale, double residualScale) {
    LopqModel.checkParameters(dimension, coarseClusters, subquantizers, subquantizerClusters);
    int half = dimension / 2;
    int sub = dimension / subquantizers;
    float[][] centroids = new float[LopqModel.HALVES][];
    float[][] means = new float[LopqModel.HALVES][];
    float[][] rotations = new float[LopqModel.HALVES][];
    for (int h = 0; h < LopqModel.HALVES; h++) {
      centroids[h] = gaussian(random, coarseClusters * half, coarseScale);
      means[h] = gaussian(random, coarseClusters * half, residualScale * MEAN_FRACTION);
      rotations[h] = new float[coarseClusters * half * half];
      for (int i = 0; i < coarseClusters; i++) {
        float[] q = randomOrthonormal(random, half);
        System.arraycopy(q, 0, rotations[h], i * half * half, q.length);
      }
    }
    float[][] codebooks = new float[subquantizers][];
    for (int m = 0; m < subquantizers; m++) {
      codebooks[m] = gaussian(random, subquantizerClusters * sub, residualScale);
    }
    ModelMetadata metadata = new ModelMetadata(0L, Map.of("generator", "RandomModels"), Map.of());
    return new LopqModel(dimension, coarseClusters, subquantizers, subquantizerClusters, centroids, means,
        rotations, codebooks, metadata);
  }

  /**
   * {@code model} with random local codebooks (one set per coarse cluster of each half): each is the
   * shared codebook plus {@code N(0, spread^2)} noise, so cells really differ.
   */
  public static LopqModel withLocalCodebooks(Random random, LopqModel model, double spread) {
    int v = model.coarseClusters();
    float[][][] local = new float[model.subquantizers()][v][];
    for (int m = 0; m < model.subquantizers(); m++) {
      for (int c = 0; c < v; c++) {
        float[] noise = gaussian(random, model.codebook(m).length, spread);
        for (int i = 0; i < noise.length; i++) {
          noise[i] += model.codebook(m)[i];
        }
        local[m][c] = noise;
      }
    }
    return model.withLocalCodebooks(local);
  }

  /**
   * A random orthonormal {@code n x n} matrix, row-major: the Q factor (LAPACK dgeqrf + dorgqr) of
   * a matrix of standard normal values.
   */
  public static float[] randomOrthonormal(Random random, int n) {
    double[] a = new double[n * n];
    for (int i = 0; i < a.length; i++) {
      a[i] = random.nextGaussian();
    }
    LAPACK lapack = BlasSetup.lapack();
    double[] tau = new double[n];
    double[] query = new double[1];
    intW info = new intW(0);
    lapack.dgeqrf(n, n, a, n, tau, query, WORKSPACE_QUERY, info);
    double[] work = new double[Math.max(n, (int) query[0])];
    lapack.dgeqrf(n, n, a, n, tau, work, work.length, info);
    check("dgeqrf", info);
    lapack.dorgqr(n, n, n, a, n, tau, query, WORKSPACE_QUERY, info);
    if (query[0] > work.length) {
      work = new double[(int) query[0]];
    }
    lapack.dorgqr(n, n, n, a, n, tau, work, work.length, info);
    check("dorgqr", info);
    // Column-major Q read row-major is Q^T: also orthonormal, rows are Q's columns.
    float[] q = new float[n * n];
    for (int i = 0; i < q.length; i++) {
      q[i] = (float) a[i];
    }
    return q;
  }

  /**
   * {@code n} row-major vectors near the model's cells: per half, a random coarse centroid plus
   * Gaussian noise of standard deviation {@code noiseScale} per coordinate.
   */
  public static float[] clusteredVectors(Random random, LopqModel model, int n, double noiseScale) {
    int d = model.dimension();
    int half = model.halfDimension();
    float[] rows = new float[Math.multiplyExact(n, d)];
    for (int r = 0; r < n; r++) {
      for (int h = 0; h < LopqModel.HALVES; h++) {
        int c = random.nextInt(model.coarseClusters());
        float[] centroids = model.coarseCentroids(h);
        for (int j = 0; j < half; j++) {
          rows[r * d + h * half + j] = (float) (centroids[c * half + j] + noiseScale * random.nextGaussian());
        }
      }
    }
    return rows;
  }

  /** {@code count} values of {@code N(0, scale^2)}. */
  public static float[] gaussian(Random random, int count, double scale) {
    float[] values = new float[count];
    for (int i = 0; i < count; i++) {
      values[i] = (float) (scale * random.nextGaussian());
    }
    return values;
  }

  private static void check(String routine, intW info) {
    if (info.val != 0) {
      throw new IllegalStateException("LAPACK " + routine + " failed with info=" + info.val);
    }
  }
}
