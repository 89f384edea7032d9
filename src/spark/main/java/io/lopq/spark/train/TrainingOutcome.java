package io.lopq.spark.train;

import io.lopq.spark.common.StageApi;

import io.lopq.model.LopqModel;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What {@link DistributedTrainer#train} returns: the model (with its metadata), the training
 * report (JSON-like values: per-step times and distortions, cluster sizes, parameters, seed) and
 * how many rotations and subquantizers were computed inside executor tasks.
 */
@StageApi
public final class TrainingOutcome {
  private final LopqModel model;
  private final Map<String, Object> report;
  private final long rotationsFittedInTasks;
  private final long subquantizersTrainedInTasks;

  TrainingOutcome(LopqModel model, Map<String, Object> report, long rotationsFittedInTasks,
      long subquantizersTrainedInTasks) {
    this.model = model;
    this.report = Collections.unmodifiableMap(new LinkedHashMap<>(report));
    this.rotationsFittedInTasks = rotationsFittedInTasks;
    this.subquantizersTrainedInTasks = subquantizersTrainedInTasks;
  }

  /** The trained model. */
  public LopqModel model() {
    return model;
  }

  /** The training report (unmodifiable; JSON-like values). */
  public Map<String, Object> report() {
    return report;
  }

  /** Local rotations fitted inside Spark tasks (counted by an accumulator in the tasks). */
  public long rotationsFittedInTasks() {
    return rotationsFittedInTasks;
  }

  /** Subquantizer k-means run inside Spark tasks (counted by an accumulator in the tasks). */
  public long subquantizersTrainedInTasks() {
    return subquantizersTrainedInTasks;
  }
}
