package io.lopq.spark.train;

import io.lopq.model.LopqModel;
import io.lopq.model.ModelMetadata;
import java.io.Serializable;

/**
 * The shapes and arrays of a {@link LopqModel} (without its metadata) in a plain serializable
 * form, for broadcasting a model to executors ({@link LopqModel} itself is not serializable).
 * {@link #model()} rebuilds the model once per JVM that holds the broadcast value.
 */
public final class ModelArrays implements Serializable {
  private static final long serialVersionUID = 1L;

  private final int dimension;
  private final int coarseClusters;
  private final int subquantizers;
  private final int subquantizerClusters;
  private final float[][] coarseCentroids;
  private final float[][] residualMeans;
  private final float[][] rotations;
  private final float[][] codebooks;
  private transient volatile LopqModel model;

  /** The arrays of {@code model} (shared, not copied: models are immutable). */
  public ModelArrays(LopqModel model) {
    this.dimension = model.dimension();
    this.coarseClusters = model.coarseClusters();
    this.subquantizers = model.subquantizers();
    this.subquantizerClusters = model.subquantizerClusters();
    this.coarseCentroids = new float[LopqModel.HALVES][];
    this.residualMeans = new float[LopqModel.HALVES][];
    this.rotations = new float[LopqModel.HALVES][];
    for (int h = 0; h < LopqModel.HALVES; h++) {
      coarseCentroids[h] = model.coarseCentroids(h);
      residualMeans[h] = model.residualMeans(h);
      rotations[h] = model.rotations(h);
    }
    this.codebooks = new float[subquantizers][];
    for (int m = 0; m < subquantizers; m++) {
      codebooks[m] = model.codebook(m);
    }
    this.model = model;
  }

  /** The model (with empty metadata when rebuilt after deserialization). */
  public LopqModel model() {
    LopqModel m = model;
    if (m == null) {
      m = new LopqModel(dimension, coarseClusters, subquantizers, subquantizerClusters, coarseCentroids,
          residualMeans, rotations, codebooks, ModelMetadata.EMPTY);
      model = m;
    }
    return m;
  }
}
