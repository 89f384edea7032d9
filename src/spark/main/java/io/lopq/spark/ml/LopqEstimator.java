package io.lopq.spark.ml;

import io.lopq.model.LopqModel;
import io.lopq.spark.common.VectorBlock;
import io.lopq.spark.common.VectorBlocks;
import io.lopq.spark.train.DistributedTrainer;
import io.lopq.spark.train.TrainPlan;
import io.lopq.spark.train.TrainingOutcome;
import io.lopq.train.TrainingParams;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.ml.Estimator;
import org.apache.spark.ml.param.DoubleParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.LongParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.param.ParamValidators;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.DefaultParamsWritable;
import org.apache.spark.ml.util.Identifiable$;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.types.StructType;
import scala.runtime.AbstractFunction1;

/**
 * LOPQ training as a Spark ML {@link Estimator}: {@link #fit} runs the distributed trainer
 * ({@link DistributedTrainer}) on the input column and returns a {@link LopqSparkModel}, a
 * transformer that adds the codes.
 *
 * <pre>
 *   new LopqEstimator().setInputCol("features").setCoarseClusters(64).setSubquantizers(8).setSeed(7)
 *       .fit(train)              // LopqSparkModel
 *       .transform(data)         // data + coarse0 int, coarse1 int, codes binary[M]
 * </pre>
 *
 * Every parameter is declared once with its doc, default and validator ({@link #explainParams()}
 * lists them); the LOPQ ones mirror {@link TrainingParams} and {@link TrainPlan}. The estimator is
 * saved and loaded with Spark ML's default params persistence.
 */
public final class LopqEstimator extends Estimator<LopqSparkModel> implements DefaultParamsWritable {
  private static final long serialVersionUID = 1L;

  private final String uid;
  private final Param<String> inputCol;
  private final Param<String> idCol;
  private final Param<String> coarse0Col;
  private final Param<String> coarse1Col;
  private final Param<String> codesCol;
  private final IntParam coarseClusters;
  private final IntParam subquantizers;
  private final IntParam subquantizerClusters;
  private final LongParam seed;
  private final IntParam coarseIterations;
  private final IntParam subquantizerIterations;
  private final IntParam maxSubquantizerSamples;
  private final DoubleParam sampleFraction;
  private final IntParam refineIterations;
  private final IntParam minRotationClusterSize;
  private final Param<String> rotationFallback;
  private final IntParam distortionSampleRows;

  /** An estimator with a fresh uid and every parameter at its default. */
  public LopqEstimator() {
    this(Identifiable$.MODULE$.randomUID("lopq"));
  }

  /** An estimator with the given uid (used by Spark ML's loader). */
  public LopqEstimator(String uid) {
    this.uid = uid;
    inputCol = LopqColumns.inputCol(this);
    idCol = new Param<>(this, "idCol", "optional id column (long, int or string) whose values key the seeded "
        + "sampling, so that samples do not depend on partitioning; empty = by row position");
    coarse0Col = LopqColumns.coarse0Col(this);
    coarse1Col = LopqColumns.coarse1Col(this);
    codesCol = LopqColumns.codesCol(this);
    coarseClusters = new IntParam(this, "coarseClusters", "V, coarse clusters per half (>= 1)",
        ParamValidators.gtEq(1));
    subquantizers = new IntParam(this, "subquantizers", "M, subquantizers in total: even and >= 2, M/2 per half, "
        + "each over D/M dimensions (D must be divisible by M)", new EvenAtLeastTwo());
    subquantizerClusters = new IntParam(this, "subquantizerClusters", "K, centroids per subquantizer, in [1, "
        + LopqModel.MAX_SUBQUANTIZER_CLUSTERS + "] (one byte per fine code)",
        ParamValidators.inRange(1, LopqModel.MAX_SUBQUANTIZER_CLUSTERS));
    seed = new LongParam(this, "seed", "seed every random choice derives from");
    coarseIterations = new IntParam(this, "coarseIterations", "Lloyd iterations of the coarse k-means (>= 1)",
        ParamValidators.gtEq(1));
    subquantizerIterations = new IntParam(this, "subquantizerIterations",
        "Lloyd iterations of each subquantizer k-means (>= 1)", ParamValidators.gtEq(1));
    maxSubquantizerSamples = new IntParam(this, "maxSubquantizerSamples",
        "rows each subquantizer k-means trains on, at most (>= 1)", ParamValidators.gtEq(1));
    sampleFraction = new DoubleParam(this, "sampleFraction", "fraction of the rows in the seeded training sample "
        + "of the k-means steps, in (0, 1]; rotations always use every row", ParamValidators.inRange(0, 1, false, true));
    refineIterations = new IntParam(this, "refineIterations", "rounds of refinement (Procrustes rotations and "
        + "warm-started subquantizers; never raises the distortion), >= 0", ParamValidators.gtEq(0));
    minRotationClusterSize = new IntParam(this, "minRotationClusterSize", "clusters with fewer rows take the "
        + "fallback rotation; 0 = D/2 + 1", ParamValidators.gtEq(0));
    rotationFallback = new Param<>(this, "rotationFallback", "rotation of small clusters: 'global' (fitted on all "
        + "residuals of the half) or 'identity'", ParamValidators.inArray(new String[] {"global", "identity"}));
    distortionSampleRows = new IntParam(this, "distortionSampleRows", "rows encoded to estimate the distortion "
        + "reported in the model's metadata (>= 1)", ParamValidators.gtEq(1));

    setDefault(inputCol, LopqColumns.DEFAULT_INPUT_COL);
    setDefault(idCol, "");
    setDefault(coarse0Col, LopqColumns.DEFAULT_COARSE0_COL);
    setDefault(coarse1Col, LopqColumns.DEFAULT_COARSE1_COL);
    setDefault(codesCol, LopqColumns.DEFAULT_CODES_COL);
    setDefault(coarseClusters, 16);
    setDefault(subquantizers, 8);
    setDefault(subquantizerClusters, TrainingParams.DEFAULT_SUBQUANTIZER_CLUSTERS);
    setDefault(seed, TrainingParams.DEFAULT_SEED);
    setDefault(coarseIterations, TrainingParams.DEFAULT_COARSE_ITERATIONS);
    setDefault(subquantizerIterations, TrainingParams.DEFAULT_SUBQUANTIZER_ITERATIONS);
    setDefault(maxSubquantizerSamples, TrainingParams.DEFAULT_MAX_SUBQUANTIZER_SAMPLES);
    setDefault(sampleFraction, 1.0);
    setDefault(refineIterations, TrainingParams.DEFAULT_REFINE_ITERATIONS);
    setDefault(minRotationClusterSize, TrainingParams.AUTO_MIN_ROTATION_CLUSTER_SIZE);
    setDefault(rotationFallback, "global");
    setDefault(distortionSampleRows, TrainPlan.DEFAULT_DISTORTION_SAMPLE_ROWS);
  }

  @Override
  public String uid() {
    return uid;
  }

  /** Reads a saved estimator (Spark ML default params persistence). */
  public static MLReader<LopqEstimator> read() {
    return new DefaultParamsReader<>();
  }

  /** Loads a saved estimator. */
  public static LopqEstimator load(String path) {
    return read().load(path);
  }

  // Params, getters and setters.

  public Param<String> inputCol() {
    return inputCol;
  }

  public Param<String> idCol() {
    return idCol;
  }

  public Param<String> coarse0Col() {
    return coarse0Col;
  }

  public Param<String> coarse1Col() {
    return coarse1Col;
  }

  public Param<String> codesCol() {
    return codesCol;
  }

  public IntParam coarseClusters() {
    return coarseClusters;
  }

  public IntParam subquantizers() {
    return subquantizers;
  }

  public IntParam subquantizerClusters() {
    return subquantizerClusters;
  }

  public LongParam seed() {
    return seed;
  }

  public IntParam coarseIterations() {
    return coarseIterations;
  }

  public IntParam subquantizerIterations() {
    return subquantizerIterations;
  }

  public IntParam maxSubquantizerSamples() {
    return maxSubquantizerSamples;
  }

  public DoubleParam sampleFraction() {
    return sampleFraction;
  }

  public IntParam refineIterations() {
    return refineIterations;
  }

  public IntParam minRotationClusterSize() {
    return minRotationClusterSize;
  }

  public Param<String> rotationFallback() {
    return rotationFallback;
  }

  public IntParam distortionSampleRows() {
    return distortionSampleRows;
  }

  public String getInputCol() {
    return $(inputCol);
  }

  public String getIdCol() {
    return $(idCol);
  }

  public int getCoarseClusters() {
    return (Integer) $(coarseClusters);
  }

  public int getSubquantizers() {
    return (Integer) $(subquantizers);
  }

  public int getSubquantizerClusters() {
    return (Integer) $(subquantizerClusters);
  }

  public long getSeed() {
    return (Long) $(seed);
  }

  public LopqEstimator setInputCol(String value) {
    return with(inputCol, value);
  }

  public LopqEstimator setIdCol(String value) {
    return with(idCol, value);
  }

  public LopqEstimator setCoarse0Col(String value) {
    return with(coarse0Col, value);
  }

  public LopqEstimator setCoarse1Col(String value) {
    return with(coarse1Col, value);
  }

  public LopqEstimator setCodesCol(String value) {
    return with(codesCol, value);
  }

  public LopqEstimator setCoarseClusters(int value) {
    return with(coarseClusters, value);
  }

  public LopqEstimator setSubquantizers(int value) {
    return with(subquantizers, value);
  }

  public LopqEstimator setSubquantizerClusters(int value) {
    return with(subquantizerClusters, value);
  }

  public LopqEstimator setSeed(long value) {
    return with(seed, value);
  }

  public LopqEstimator setCoarseIterations(int value) {
    return with(coarseIterations, value);
  }

  public LopqEstimator setSubquantizerIterations(int value) {
    return with(subquantizerIterations, value);
  }

  public LopqEstimator setMaxSubquantizerSamples(int value) {
    return with(maxSubquantizerSamples, value);
  }

  public LopqEstimator setSampleFraction(double value) {
    return with(sampleFraction, value);
  }

  public LopqEstimator setRefineIterations(int value) {
    return with(refineIterations, value);
  }

  public LopqEstimator setMinRotationClusterSize(int value) {
    return with(minRotationClusterSize, value);
  }

  public LopqEstimator setRotationFallback(String value) {
    return with(rotationFallback, value);
  }

  public LopqEstimator setDistortionSampleRows(int value) {
    return with(distortionSampleRows, value);
  }

  private <T> LopqEstimator with(Param<T> param, T value) {
    set(param, value);
    return this;
  }

  /** The trainer's parameters from this estimator's params. */
  public TrainPlan plan() {
    TrainingParams training = TrainingParams.builder(getCoarseClusters(), getSubquantizers())
        .subquantizerClusters(getSubquantizerClusters())
        .seed(getSeed())
        .coarseIterations((Integer) $(coarseIterations))
        .subquantizerIterations((Integer) $(subquantizerIterations))
        .maxSubquantizerSamples((Integer) $(maxSubquantizerSamples))
        .refineIterations((Integer) $(refineIterations))
        .minRotationClusterSize((Integer) $(minRotationClusterSize))
        .rotationFallback(TrainingParams.RotationFallback.valueOf($(rotationFallback).toUpperCase(Locale.ROOT)))
        .build();
    return TrainPlan.builder(training)
        .sampleFraction((Double) $(sampleFraction))
        .distortionSampleRows((Integer) $(distortionSampleRows))
        .build();
  }

  @Override
  public StructType transformSchema(StructType schema) {
    return LopqColumns.outputSchema(schema, getInputCol(), $(coarse0Col), $(coarse1Col), $(codesCol));
  }

  /**
   * Trains on {@code dataset}'s input column.
   *
   * @throws IllegalArgumentException for a missing or mistyped column, no rows, a vector of another
   *     dimension or with a non-finite value, or parameters that do not fit D
   */
  @Override
  public LopqSparkModel fit(Dataset<?> dataset) {
    transformSchema(dataset.schema());
    String id = getIdCol().isEmpty() ? null : getIdCol();
    int dimension = VectorBlocks.dimensionOf(dataset, getInputCol());
    JavaRDD<VectorBlock> blocks = VectorBlocks.of(dataset, getInputCol(), id, dimension)
        .blocks(VectorBlocks.DEFAULT_BLOCK_ROWS);
    TrainingOutcome outcome = new DistributedTrainer(dataset.sparkSession(), plan()).train(blocks, dimension, null);
    LopqSparkModel model = new LopqSparkModel(uid, outcome.model());
    copyValues(model, ParamMap.empty());
    model.setParent(this);
    return model;
  }

  /** The report of the last training is in the model's metadata; this returns its statistics. */
  public static Map<String, Object> trainingStatistics(LopqSparkModel model) {
    return model.lopqModel().metadata().statistics();
  }

  @Override
  public LopqEstimator copy(ParamMap extra) {
    return copyValues(new LopqEstimator(uid), extra);
  }

  /** Validator of M: even and at least 2. */
  private static final class EvenAtLeastTwo extends AbstractFunction1<Object, Object> implements java.io.Serializable {
    private static final long serialVersionUID = 1L;

    @Override
    public Object apply(Object value) {
      int m = (Integer) value;
      return m >= 2 && m % 2 == 0;
    }
  }
}
