package io.lopq.spark.train;

import io.lopq.spark.common.StageApi;

import io.lopq.format.vectors.InvalidInputException;
import io.lopq.io.vectors.VectorDataset;
import io.lopq.math.LocalRotation;
import io.lopq.model.CodebookScope;
import io.lopq.model.LopqModel;
import io.lopq.model.ModelMetadata;
import io.lopq.spark.common.SerializableModel;
import io.lopq.spark.common.StageProgress;
import io.lopq.spark.common.Storage;
import io.lopq.spark.common.VectorBlock;
import io.lopq.train.ClusterSizes;
import io.lopq.train.CoarseClusterRule;
import io.lopq.train.LocalTrainer;
import io.lopq.train.TrainingParams;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.util.LongAccumulator;

/**
 * Trains an LOPQ model on Spark (LOPQ.md, training steps 1-6), with the driver's memory bounded
 * by the model's size, never by the number of rows:
 *
 * <pre>
 *   0. n counted; training sample = rows with sampled(key, derive(seed, 11), f), cached serialized;
 *      without a sample the input is cached serialized instead (memory flat in N: {@link Storage});
 *      with a row count known beforehand, counted and drawn in one pass            {@link SampleDraw}
 *   1. coarse:        Spark ML k-means (k-means||, block solver) per half, on the sample   {@link CoarseStep}
 *   2-3. rotations:   residual moments per (half, cluster) over ALL rows, reduced by key;
 *                     eigen-decompositions + eigenvalue allocation in executor tasks      {@link RotationStep}
 *   4-5. subquantizers: rotated residual chunks of the sample shuffled by subquantizer;
 *                     M single-machine k-means in parallel tasks                          {@link SubquantizerStep}
 *   distortion:       estimated by encoding a seeded sample of the input                 {@link DistortionStep}
 *   6. refinement:    optional Procrustes rounds that never raise the estimate           {@link RefineStep}
 *   7. local codebooks (codebooks = LOCAL): rotated residuals of the sample grouped by cell;
 *                     each cell's M/2 codebooks fitted from the shared ones in executor tasks {@link LocalCodebookStep}
 * </pre>
 *
 * <p>With an initial model, steps left out of {@link TrainPlan#steps()} keep the model's parts.
 * The same input (same partitioning), parameters and seed give the same model: sampling is keyed
 * by row ids, per-task seeds derive from the training seed, and results are combined in a fixed
 * order (Spark ML's k-means and the sums of partial moments follow Spark's own reduction order,
 * which is fixed for a given partitioning on a local master).
 */
@StageApi
public final class DistributedTrainer {
  /** Reduce tasks per core for the per-cluster steps (a little slack for uneven clusters). */
  static final int TASKS_PER_CORE = 2;

  private final SparkSession spark;
  private final TrainPlan plan;

  /** A trainer running on {@code spark} with {@code plan}. */
  public DistributedTrainer(SparkSession spark, TrainPlan plan) {
    this.spark = Objects.requireNonNull(spark, "spark");
    this.plan = Objects.requireNonNull(plan, "plan");
  }

  /**
   * Trains on {@code blocks} (vectors of dimension D with their ids, which decide the samples:
   * {@link RowKeys}), starting from {@code initial} for the steps the plan leaves out (null: train
   * every step).
   *
   * @throws InvalidInputException for an input without rows or a bad row (from the tasks)
   * @throws IllegalArgumentException for parameters that do not fit the data or the initial model
   */
  public TrainingOutcome train(JavaRDD<VectorBlock> blocks, int dimension, LopqModel initial) {
    return train(blocks, dimension, initial, VectorDataset.UNKNOWN_ROWS);
  }

  /**
   * As {@link #train(JavaRDD, int, LopqModel)}, for an input known to hold about {@code knownRows}
   * rows ({@link VectorDataset#knownRows()}; at most 5% of them may be dropped as invalid): with a
   * sample, one pass over the input counts it and draws both samples ({@link SampleDraw}) instead of
   * three passes. The model is the same either way.
   */
  public TrainingOutcome train(JavaRDD<VectorBlock> blocks, int dimension, LopqModel initial, long knownRows) {
    plan.validate(dimension, initial);
    long seed = plan.training().seed();
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    StepLog log = new StepLog(jsc);
    LongAccumulator rotationTasks = jsc.sc().longAccumulator("lopq train: rotations fitted in tasks");
    LongAccumulator subquantizerTasks = jsc.sc().longAccumulator("lopq train: subquantizers trained in tasks");
    int half = dimension / 2;
    Map<String, Object> stats = new LinkedHashMap<>();
    Map<String, Object> report = new LinkedHashMap<>();

    // Memory flat in N: what is cached is serialized (Storage.SPILLABLE: counted exactly, spilled to disk).
    // With a sample, only the samples are cached; the passes over every row (count, rotations, refinement)
    // read the input again, streaming. With a known row count, one pass counts and draws both samples.
    JavaRDD<VectorBlock> keyed = blocks.map(RowKeys::keyed);
    JavaRDD<VectorBlock> cached = plan.samples() ? keyed
        : keyed.persist(Storage.SPILLABLE).setName("lopq training vectors");
    JavaRDD<VectorBlock> sample = null;
    JavaRDD<VectorBlock> distortionRows = null;
    SampleDraw draw = null;
    try {
      // 0. Rows and the training sample.
      StepLog.Step read = log.begin("read", !plan.samples() ? "reading, checking and caching the input rows"
          : knownRows > 0 ? "counting the input rows and drawing the samples in one pass" : "counting the input rows");
      draw = plan.samples() ? SampleDraw.draw(keyed, knownRows, plan, seed) : null;
      long n = draw != null ? draw.rows : countRows(cached);
      if (n == 0) {
        throw new InvalidInputException("the input has no rows: nothing to train on");
      }
      double fraction = plan.sampleFraction(n);
      if (fraction >= 1 && plan.samples()) {
        // The sample asked for holds every row: cache the input after all, and fill the cache now, one task
        // per input partition (materialized).
        log.progress("read", "caching all " + n + " rows: the training sample asked for holds every row");
        cached = materialized(keyed.persist(Storage.SPILLABLE).setName("lopq training vectors"));
      }
      if (draw != null) {
        sample = draw.training();
        distortionRows = draw.distortionRows();
      } else {
        sample = fraction >= 1 ? cached
            : keyed.map(b -> RowKeys.sample(b, Streams.trainingSample(seed), fraction)).filter(b -> b.size() > 0)
                .persist(Storage.SPILLABLE).setName("lopq training sample");
        distortionRows = cached;
        if (fraction < 1) {
          log.progress("read", "drawing and caching the training sample (fraction " + fraction + " of " + n
              + " rows)");
        }
      }
      long sampleRows = fraction >= 1 ? n : countRows(sample);
      if (sampleRows == 0) {
        throw new IllegalArgumentException("the training sample is empty (fraction " + fraction + " of " + n
            + " rows); use a larger sample");
      }
      read.put("rows", n).put("dimension", dimension).put("sampleRows", sampleRows).put("sampleFraction", fraction)
          .end(n + " rows of dimension " + dimension + ", training sample " + sampleRows + " rows");
      stats.put("trainingVectors", n);
      stats.put("sampleRows", sampleRows);

      // V chosen from the data when not given.
      TrainPlan resolved = plan.resolve(n, dimension, initial);
      TrainingParams params = resolved.training();
      if (params.coarseClustersChosen()) {
        log.progress("coarse", "V=" + params.coarseClusters() + " coarse clusters per half, chosen for " + n
            + " rows of dimension " + dimension + " (" + CoarseClusterRule.DESCRIPTION + "; give --coarse-clusters "
            + "to choose another)");
        stats.put("coarseClustersChosen", params.coarseClusters());
      }
      LocalTrainer trainer = new LocalTrainer(params);
      int v = params.coarseClusters();
      int m = params.subquantizers();
      int k = params.subquantizerClusters();
      int minSize = params.minRotationClusterSize(dimension);
      int reducePartitions = Math.max(1, Math.min(2 * v, jsc.defaultParallelism() * TASKS_PER_CORE));
      stats.put("rotationPriorRows", params.rotationPriorRows(dimension));

      // 1. Coarse quantizer.
      float[][] coarse;
      if (resolved.runs(TrainStep.COARSE)) {
        StepLog.Step step = log.begin("coarse", "k-means with V=" + v + " per half on " + sampleRows + " rows");
        CoarseStep.Result result = CoarseStep.train(spark, sample, sampleRows, fraction < 1, dimension, resolved, log);
        coarse = result.centroids;
        stats.put("coarseSparkIterations", result.sparkIterations);
        stats.put("coarseSparkRows", result.sparkRows);
        stats.put("coarseLloydDistortions", toList(result.lloydDistortions));
        step.put("V", v).put("rows", sampleRows).put("sparkMllibRows", result.sparkRows)
            .put("sparkMllibIterations", result.sparkIterations)
            .put("blasLloydIterations", result.lloydDistortions.length)
            .put("sampleDistortionHistory", toList(result.lloydDistortions)).end(null);
      } else {
        coarse = new float[][] {initial.coarseCentroids(0), initial.coarseCentroids(1)};
        log.progress("coarse", "kept from the initial model");
      }

      // 2-3. Residual means and local rotations.
      float[][] means = new float[LopqModel.HALVES][];
      float[][] rotations = new float[LopqModel.HALVES][];
      if (resolved.runs(TrainStep.ROTATIONS)) {
        StepLog.Step step = log.begin("rotations", "residual moments of all " + n + " rows per (half, cluster), "
            + "then " + (2 * v) + " local rotations on executors");
        // Read from the input (not a cache of blocks): the stage's records are rows, n of them.
        StageProgress.expectRows(jsc.sc(), cached == keyed ? n : 0);
        RotationStep.Result result;
        try {
          result = RotationStep.run(jsc, cached, coarse, dimension, trainer, reducePartitions, rotationTasks, log);
        } finally {
          StageProgress.expectRows(jsc.sc(), 0);
        }
        for (int h = 0; h < LopqModel.HALVES; h++) {
          means[h] = LocalTrainer.flattenMeans(result.rotations[h]);
          rotations[h] = LocalTrainer.flattenRotations(result.rotations[h]);
        }
        double afterCoarse = result.residualEnergy / n;
        double afterRotations = result.centeredEnergy / n;
        stats.put("distortionAfterCoarse", afterCoarse);
        stats.put("distortionAfterRotations", afterRotations);
        putClusterStatistics(stats, result, minSize, params, dimension);
        step.put("distortionAfterCoarse", afterCoarse).put("distortionAfterRotations", afterRotations)
            .put("distortionMeasure", "exact, over all " + n + " rows (from the residual moments)")
            .put("tasks", reducePartitions).put("rotationsFittedInTasks", rotationTasks.value())
            .end(String.format(Locale.ROOT, "distortion after coarse %.6g, after means %.6g (exact)", afterCoarse,
                afterRotations));
      } else {
        for (int h = 0; h < LopqModel.HALVES; h++) {
          means[h] = initial.residualMeans(h);
          rotations[h] = initial.rotations(h);
        }
        log.progress("rotations", "kept from the initial model");
      }

      // 4-5. Subquantizers.
      float[][] codebooks = new float[m][];
      if (resolved.runs(TrainStep.SUBQUANTIZERS)) {
        StepLog.Step step = log.begin("subquantizers", m + " k-means (K=" + k + ") on rotated residuals of the "
            + "sample, one executor task each");
        SubquantizerStep.Trained[] trained = SubquantizerStep.run(jsc, sample, sampleRows,
            new SubquantizerStep.Rotator(coarse, means, rotations), null, dimension, trainer, subquantizerTasks);
        List<Object> rows = new ArrayList<>();
        List<Object> histories = new ArrayList<>();
        for (SubquantizerStep.Trained t : trained) {
          codebooks[t.m] = t.codebook;
          rows.add(t.rows);
          histories.add(toList(t.history));
        }
        stats.put("subquantizerSamples", rows);
        stats.put("subquantizerDistortionHistory", histories);
        step.put("K", k).put("rowsPerSubquantizer", rows).put("tasks", m).end(null);
      } else {
        for (int s = 0; s < m; s++) {
          codebooks[s] = initial.codebook(s);
        }
        log.progress("subquantizers", "kept from the initial model");
      }

      LopqModel model = new LopqModel(dimension, v, m, k, coarse, means, rotations, codebooks, ModelMetadata.EMPTY);
      StepLog.Step measure = log.begin("distortion", "encoding about " + Math.min(n, resolved.distortionSampleRows())
          + " sampled rows");
      DistortionStep.Estimate estimate = DistortionStep.estimate(jsc, distortionRows, n, new SerializableModel(model),
          resolved.distortionSampleRows(), params.seed());
      String measureNote = estimate.rows >= n ? "exact, over all " + n + " rows"
          : "estimated on a seeded sample of " + estimate.rows + " of the " + n + " input rows";
      stats.put("distortionAfterSubquantizers", estimate.distortion);
      stats.put("distortionMeasure", measureNote);
      stats.put("distortionSampleRows", estimate.rows);
      measure.put("distortion", estimate.distortion).put("distortionMeasure", measureNote)
          .end(String.format(Locale.ROOT, "distortion %.6g (%s)", estimate.distortion, measureNote));
      double distortion = estimate.distortion;

      // 6. Refinement.
      if (params.refineIterations() > 0) {
        StepLog.Step step = log.begin("refine", params.refineIterations() + " round(s) of Procrustes rotations and "
            + "warm-started subquantizers");
        RefineStep.Result refined = RefineStep.run(jsc, sample, sampleRows, cached, distortionRows, n, model, distortion, resolved,
            reducePartitions, rotationTasks, log);
        model = refined.model;
        distortion = refined.distortion;
        stats.put("refinement", refined.record);
        step.put("distortion", distortion).putAll(refined.record)
            .end(String.format(Locale.ROOT, "distortion %.6g", distortion));
      }

      // 7. Local codebooks.
      if (params.codebooks() == CodebookScope.LOCAL) {
        StepLog.Step step = log.begin("localCodebooks", "codebooks of each of the " + (2 * v) + " cells (h, c): "
            + params.localCodebookIterations() + " Lloyd iteration(s) from the shared ones on the cell's rows of the "
            + "sample, " + params.codebookPriorRows() + " pseudo-row(s) of shrinkage");
        LocalCodebookStep.Result local = LocalCodebookStep.run(jsc, sample, model, trainer, reducePartitions);
        model = model.withLocalCodebooks(local.codebooks);
        DistortionStep.Estimate after = DistortionStep.estimate(jsc, distortionRows, n, new SerializableModel(model),
            resolved.distortionSampleRows(), params.seed());
        stats.put("codebooks", CodebookScope.LOCAL.name());
        stats.put("localCodebookCells", List.of(local.cellsWithRows[0], local.cellsWithRows[1]));
        stats.put("localCodebookSampleError", List.of(local.errorBefore / Math.max(1, local.rows),
            local.errorAfter / Math.max(1, local.rows)));
        stats.put("distortionBeforeLocalCodebooks", distortion);
        stats.put("distortionAfterLocalCodebooks", after.distortion);
        step.put("cellsWithRows", List.of(local.cellsWithRows[0], local.cellsWithRows[1]))
            .put("sampleErrorBefore", local.errorBefore / Math.max(1, local.rows))
            .put("sampleErrorAfter", local.errorAfter / Math.max(1, local.rows))
            .put("distortion", after.distortion)
            .end(String.format(Locale.ROOT, "distortion %.6g (was %.6g with the shared codebooks)", after.distortion,
                distortion));
        distortion = after.distortion;
      }
      stats.put("distortion", distortion);

      Map<String, Object> parameters = new LinkedHashMap<>();
      parameters.put("D", dimension);
      parameters.putAll(params.toMap());
      parameters.putAll(resolved.toMap());
      parameters.put("trainer", DistributedTrainer.class.getSimpleName());
      if (initial != null) {
        parameters.put("initialModel", initial.fingerprint());
      }
      model = model.withMetadata(new ModelMetadata(params.seed(), parameters, stats));

      report.put("fingerprint", model.fingerprint());
      report.put("seed", params.seed());
      report.put("parameters", parameters);
      report.put("rows", n);
      report.put("dimension", dimension);
      report.put("distortion", distortion);
      report.put("distortionMeasure", measureNote);
      report.put("steps", log.records());
      report.put("statistics", stats);
      Map<String, Object> sparkInfo = new LinkedHashMap<>();
      sparkInfo.put("master", jsc.master());
      sparkInfo.put("defaultParallelism", jsc.defaultParallelism());
      sparkInfo.put("inputPartitions", cached.getNumPartitions());
      sparkInfo.put("rotationsFittedInTasks", rotationTasks.value());
      sparkInfo.put("subquantizersTrainedInTasks", subquantizerTasks.value());
      report.put("spark", sparkInfo);
      report.put("trainingSeconds", Math.round(log.elapsed() * 1000) / 1000.0);
      return new TrainingOutcome(model, report, rotationTasks.value(), subquantizerTasks.value());
    } finally {
      log.close();
      if (sample != null && sample != cached) {
        sample.unpersist(false);
      }
      if (draw != null) {
        draw.drawn.unpersist(false);
      }
      if (cached != keyed) {
        cached.unpersist(false);
      }
    }
  }

  /**
   * {@code persisted}, its cache filled by a job of one task per partition. A cache filled instead
   * by the first coalesced step (a task per core, each caching many partitions) held every block the
   * task spilled to disk in memory until the task ended: Spark's {@code PartiallySerializedBlock}
   * keeps its unrolled bytes referenced from a task-completion listener. A 1M x 128 sample (488 MiB)
   * in a 512 MiB heap ran out of memory that way, with 97 MiB counted in storage.
   */
  private static JavaRDD<VectorBlock> materialized(JavaRDD<VectorBlock> persisted) {
    countRows(persisted);
    return persisted;
  }

  /** The number of rows, from one count per partition (so the driver receives one number per partition). */
  private static long countRows(JavaRDD<VectorBlock> blocks) {
    long total = 0;
    for (Long count : blocks.mapPartitions(it -> {
      long n = 0;
      while (it.hasNext()) {
        n += it.next().size();
      }
      return List.of(n).iterator();
    }).collect()) {
      total += count;
    }
    return total;
  }

  private static void putClusterStatistics(Map<String, Object> stats, RotationStep.Result result, int minSize,
      TrainingParams params, int dimension) {
    List<Object> summaries = new ArrayList<>();
    List<Object> small = new ArrayList<>();
    List<Object> empty = new ArrayList<>();
    List<Object> sources = new ArrayList<>();
    for (int h = 0; h < LopqModel.HALVES; h++) {
      Map<String, Object> summary = ClusterSizes.summarize(result.sizes[h], minSize);
      summaries.add(summary);
      small.add(summary.get("small"));
      int none = 0;
      for (int size : result.sizes[h]) {
        none += size == 0 ? 1 : 0;
      }
      empty.add(none);
      Map<LocalRotation.Source, Integer> counts = new EnumMap<>(LocalRotation.Source.class);
      for (LocalRotation.Source source : LocalRotation.Source.values()) {
        counts.put(source, 0);
      }
      for (LocalRotation r : result.rotations[h]) {
        counts.merge(r.source(), 1, Integer::sum);
      }
      Map<String, Object> named = new LinkedHashMap<>();
      counts.forEach((source, count) -> named.put(source.name(), count));
      sources.add(named);
    }
    stats.put("clusterSizes", summaries);
    stats.put("minRotationClusterSize", minSize);
    stats.put("smallClusters", small);
    stats.put("emptyClusters", empty);
    stats.put("rotationFallback", params.useRotations() ? params.rotationFallback().name() : "NONE (plain PQ)");
    stats.put("rotationSources", sources);
    int prior = params.rotationPriorRows(dimension);
    stats.put("smallClusterHandling", !params.useRotations() ? "rotations are off: identity and zero mean everywhere"
        : prior > 0 ? "every cluster's residual mean and covariance get " + prior + " pseudo-rows of its half's "
            + "(shrinkage; SHRUNK = a cluster of at most D/2 rows, whose own covariance is singular); a cluster with "
            + "fewer than " + minSize + " rows takes "
            + (params.rotationFallback() == TrainingParams.RotationFallback.GLOBAL
                ? "the GLOBAL rotation fitted on all residuals of its half" : "the IDENTITY rotation")
        : "a cluster with fewer than " + minSize + " rows keeps its own residual mean (zero when empty) and takes "
            + (params.rotationFallback() == TrainingParams.RotationFallback.GLOBAL
                ? "the GLOBAL rotation fitted on all residuals of its half" : "the IDENTITY rotation")
            + "; an empty cluster keeps the centroid Spark's k-means left it with");
  }

  private static List<Object> toList(double[] values) {
    List<Object> list = new ArrayList<>(values.length);
    for (double value : values) {
      list.add(value);
    }
    return list;
  }
}
