package io.lopq.bench.jmh;

import io.lopq.model.LopqModel;
import io.lopq.model.RandomModels;
import java.util.Arrays;
import java.util.Random;

/**
 * The shape of the model the core benchmarks run on, with the random model and clustered data of
 * that shape: encoding and search cost do not depend on the values, so a random model with
 * orthonormal rotations stands in for a trained one.
 *
 * @param dimension D
 * @param coarseClusters V, clusters per coarse half
 * @param subquantizers M
 * @param subquantizerClusters K, centroids per subquantizer
 */
record ModelShape(int dimension, int coarseClusters, int subquantizers, int subquantizerClusters) {
  /** The project's reference setting: D=784 as Fashion-MNIST, V=64, M=8, K=256. */
  static final ModelShape REFERENCE = new ModelShape(784, 64, 8, 256);
  /** Coordinates of coarse centroids ~ N(0, 1); residuals and codewords ~ N(0, RESIDUAL_SCALE^2). */
  static final double RESIDUAL_SCALE = 0.5;

  /** A random model of this shape. */
  LopqModel model(Random random) {
    return RandomModels.create(random, dimension, coarseClusters, subquantizers, subquantizerClusters, 1.0,
        RESIDUAL_SCALE);
  }

  /** {@code n} vectors near the model's cells, row-major. */
  static float[] clustered(Random random, LopqModel model, int n) {
    return RandomModels.clusteredVectors(random, model, n, RESIDUAL_SCALE);
  }

  /** The first {@code count} slices of {@code size} rows each of {@code rows} (made once, outside the timings). */
  float[][] slices(float[] rows, int count, int size) {
    float[][] slices = new float[count][];
    for (int i = 0; i < count; i++) {
      slices[i] = Arrays.copyOfRange(rows, i * size * dimension, (i + 1) * size * dimension);
    }
    return slices;
  }
}
