package io.lopq.spark.common;

import io.lopq.model.LopqModel;
import io.lopq.model.ModelMetadata;
import java.io.Serializable;
import java.util.Objects;

/**
 * A {@link LopqModel} that can travel to executors (Spark closures and broadcasts):
 * {@code LopqModel} itself is not {@code Serializable}. Holds the model's shapes and arrays; the
 * model is rebuilt once per JVM after deserialization. Used by every job that ships a model to
 * executors (training's distortion and refinement passes, search, the Spark ML model). The
 * metadata does not travel (no task reads it), so the rebuilt model has empty metadata and the same
 * {@link LopqModel#fingerprint()}.
 */
public final class SerializableModel implements Serializable {
  private static final long serialVersionUID = 1L;

  private final int dimension;
  private final int coarseClusters;
  private final int subquantizers;
  private final int subquantizerClusters;
  private final float[][] coarseCentroids;
  private final float[][] residualMeans;
  private final float[][] rotations;
  private final float[][] codebooks;
  /** Per subquantizer and coarse cluster, or null for a model with shared codebooks only. */
  private final float[][][] localCodebooks;
  private transient volatile LopqModel model;

  /** Wraps {@code model} (its arrays are shared, not copied). */
  public SerializableModel(LopqModel model) {
    this.model = Objects.requireNonNull(model, "model");
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
    if (model.hasLocalCodebooks()) {
      this.localCodebooks = new float[subquantizers][coarseClusters][];
      for (int m = 0; m < subquantizers; m++) {
        for (int c = 0; c < coarseClusters; c++) {
          localCodebooks[m][c] = model.codebook(m, c);
        }
      }
    } else {
      this.localCodebooks = null;
    }
  }

  /** The model (rebuilt on first use after deserialization). */
  public LopqModel model() {
    LopqModel m = model;
    if (m == null) {
      synchronized (this) {
        m = model;
        if (m == null) {
          m = new LopqModel(dimension, coarseClusters, subquantizers, subquantizerClusters, coarseCentroids,
              residualMeans, rotations, codebooks, localCodebooks, ModelMetadata.EMPTY);
          model = m;
        }
      }
    }
    return m;
  }
}
