package io.lopq.spark.ml;

import io.lopq.param.Check;
import io.lopq.model.LopqModel;
import io.lopq.spark.common.VectorBlock;
import io.lopq.spark.common.VectorBlocks;
import io.lopq.spark.train.DistributedTrainer;
import io.lopq.spark.train.TrainPlan;
import io.lopq.spark.train.TrainingOutcome;
import io.lopq.train.TrainingParams;
import java.util.Map;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.ml.Estimator;
import org.apache.spark.ml.param.DoubleParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.LongParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.DefaultParamsWritable;
import org.apache.spark.ml.util.Identifiable$;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.types.StructType;

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
 * Every LOPQ parameter is the Spark ML form of its one declaration in {@link TrainingParams} or
 * {@link TrainPlan} (same name, doc, default and check; {@link #explainParams()} lists them), the
 * ones the command line ({@code lopq train}) reads too. The estimator is saved and loaded with
 * Spark ML's default params persistence.
 */
public final class LopqEstimator extends Estimator<LopqSparkModel>
    implements LopqColumnParams<LopqEstimator>, DefaultParamsWritable {
  private static final long serialVersionUID = 1L;

  /** Rows keying the seeded sampling: an id column, or by row position. */
  static final io.lopq.param.Param<String> ID_COL = io.lopq.param.Param.ofString("idCol",
      "optional id column (long, int or string) whose values key the seeded sampling, so that samples do not "
          + "depend on partitioning; empty = by row position", "", Check.any());

  private final String uid;
  private final LopqColumns.Set columns;
  private final Param<String> idCol;
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
  private final Param<String> codebooks;
  private final IntParam codebookPriorRows;
  private final IntParam localCodebookIterations;
  private final IntParam distortionSampleRows;

  /** An estimator with a fresh uid and every parameter at its default. */
  public LopqEstimator() {
    this(Identifiable$.MODULE$.randomUID("lopq"));
  }

  /** An estimator with the given uid (used by Spark ML's loader). */
  public LopqEstimator(String uid) {
    this.uid = uid;
    columns = LopqColumns.declare(this);
    idCol = MlParams.declare(this, MlParams.stringParam(this, ID_COL), ID_COL);
    coarseClusters = intParam(TrainingParams.COARSE_CLUSTERS);
    subquantizers = intParam(TrainingParams.SUBQUANTIZERS);
    subquantizerClusters = intParam(TrainingParams.SUBQUANTIZER_CLUSTERS);
    seed = MlParams.declare(this, MlParams.longParam(this, TrainingParams.SEED), TrainingParams.SEED);
    coarseIterations = intParam(TrainingParams.COARSE_ITERATIONS);
    subquantizerIterations = intParam(TrainingParams.SUBQUANTIZER_ITERATIONS);
    maxSubquantizerSamples = intParam(TrainingParams.MAX_SUBQUANTIZER_SAMPLES);
    sampleFraction = MlParams.declare(this, MlParams.doubleParam(this, TrainPlan.SAMPLE_FRACTION),
        TrainPlan.SAMPLE_FRACTION);
    refineIterations = intParam(TrainingParams.REFINE_ITERATIONS);
    minRotationClusterSize = intParam(TrainingParams.MIN_ROTATION_CLUSTER_SIZE);
    rotationFallback = MlParams.declare(this, MlParams.stringParam(this, TrainingParams.ROTATION_FALLBACK),
        TrainingParams.ROTATION_FALLBACK);
    codebooks = MlParams.declare(this, MlParams.stringParam(this, TrainingParams.CODEBOOKS), TrainingParams.CODEBOOKS);
    codebookPriorRows = intParam(TrainingParams.CODEBOOK_PRIOR_ROWS);
    localCodebookIterations = intParam(TrainingParams.LOCAL_CODEBOOK_ITERATIONS);
    distortionSampleRows = intParam(TrainPlan.DISTORTION_SAMPLE_ROWS);
  }

  private IntParam intParam(io.lopq.param.Param<Integer> declared) {
    return MlParams.declare(this, MlParams.intParam(this, declared), declared);
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

  // Params, getters and setters (the column ones come from LopqColumnParams).

  @Override
  public LopqColumns.Set lopqColumns() {
    return columns;
  }

  public Param<String> idCol() {
    return idCol;
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

  public LopqEstimator setIdCol(String value) {
    return with(idCol, value);
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

  /** Codebooks: "global" (shared by all cells) or "local" (per coarse cluster). */
  public Param<String> codebooks() {
    return codebooks;
  }

  public IntParam codebookPriorRows() {
    return codebookPriorRows;
  }

  public IntParam localCodebookIterations() {
    return localCodebookIterations;
  }

  public LopqEstimator setCodebooks(String value) {
    return with(codebooks, value);
  }

  public LopqEstimator setCodebookPriorRows(int value) {
    return with(codebookPriorRows, value);
  }

  public LopqEstimator setLocalCodebookIterations(int value) {
    return with(localCodebookIterations, value);
  }

  public LopqEstimator setDistortionSampleRows(int value) {
    return with(distortionSampleRows, value);
  }

  /** The trainer's parameters from this estimator's params. */
  public TrainPlan plan() {
    TrainingParams training = TrainingParams.builder()
        .coarseClusters(getCoarseClusters())
        .subquantizers(getSubquantizers())
        .subquantizerClusters(getSubquantizerClusters())
        .seed(getSeed())
        .coarseIterations((Integer) $(coarseIterations))
        .subquantizerIterations((Integer) $(subquantizerIterations))
        .maxSubquantizerSamples((Integer) $(maxSubquantizerSamples))
        .refineIterations((Integer) $(refineIterations))
        .minRotationClusterSize((Integer) $(minRotationClusterSize))
        .rotationFallback(MlParams.value(TrainingParams.ROTATION_FALLBACK, $(rotationFallback)))
        .codebooks(MlParams.value(TrainingParams.CODEBOOKS, $(codebooks)))
        .codebookPriorRows((Integer) $(codebookPriorRows))
        .localCodebookIterations((Integer) $(localCodebookIterations))
        .build();
    return TrainPlan.builder(training)
        .sampleFraction((Double) $(sampleFraction))
        .distortionSampleRows((Integer) $(distortionSampleRows))
        .build();
  }

  @Override
  public StructType transformSchema(StructType schema) {
    return lopqOutputSchema(schema);
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
}
