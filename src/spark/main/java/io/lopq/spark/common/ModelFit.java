package io.lopq.spark.common;

import io.lopq.model.LopqModel;
import org.apache.spark.SparkContext;

/**
 * Checks, before a job starts, that the model it broadcasts fits the executors that receive it.
 * Every executor deserializes the whole model once; it lives in Spark's unified memory region
 * beside the cached and shuffled data, so a model larger than that region cannot be served at all,
 * and the job would only fail later, on every executor, with an {@code OutOfMemoryError}.
 *
 * <pre>
 *   model bytes  = 4 (2 V h^2 + 2 V D + K D)         rotations, coarse centroids and residual means, codebooks
 *                  + 4 V K D                        local codebooks (--codebooks local), if any
 *   usable bytes = (executor heap - 300 MiB) x spark.memory.fraction      (ExecutorMemory#usableBytes)
 *   refused when model bytes &gt; usable bytes
 * </pre>
 */
public final class ModelFit {
  private static final double MIB = 1 << 20;

  private ModelFit() {}

  /** The model's arrays in bytes: what one executor holds once the broadcast is deserialized. */
  public static long modelBytes(LopqModel model) {
    long floats = 0;
    for (int h = 0; h < 2; h++) {
      floats += model.coarseCentroids(h).length + model.residualMeans(h).length + model.rotations(h).length;
    }
    for (int m = 0; m < model.subquantizers(); m++) {
      floats += model.codebook(m).length;
      if (model.hasLocalCodebooks()) {
        for (int c = 0; c < model.coarseClusters(); c++) {
          floats += model.codebook(m, c).length;
        }
      }
    }
    return Float.BYTES * floats;
  }

  /**
   * Fails unless {@code model} fits the executors of {@code sc}.
   *
   * @param what names the model in the message (its path)
   * @throws IllegalArgumentException with the sizes and what to change
   */
  public static void check(SparkContext sc, LopqModel model, String what) {
    check(modelBytes(model), ExecutorMemory.of(sc), model, what);
  }

  static void check(long modelBytes, ExecutorMemory memory, LopqModel model, String what) {
    long usable = memory.usableBytes();
    long heap = memory.heap();
    double fraction = memory.fraction();
    if (modelBytes > usable) {
      throw new IllegalArgumentException(String.format(
          "the model %s (D=%d, V=%d, M=%d, K=%d) needs %.0f MiB in every executor, more than the %.0f MiB of "
              + "Spark memory an executor has (heap %.0f MiB - 300 MiB reserved, x spark.memory.fraction %.2f); "
              + "raise %s to at least %.0f MiB, or train a model with fewer coarse clusters V (its rotations take "
              + "2 V (D/2)^2 floats)",
          what, model.dimension(), model.coarseClusters(), model.subquantizers(), model.subquantizerClusters(),
          modelBytes / MIB, usable / MIB, heap / MIB, fraction, memory.heapSetting(),
          Math.ceil((modelBytes / fraction + ExecutorMemory.RESERVED_BYTES) / MIB)));
    }
  }
}
