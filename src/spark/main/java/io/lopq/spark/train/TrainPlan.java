package io.lopq.spark.train;

import io.lopq.spark.common.StageApi;

import io.lopq.model.LopqModel;
import io.lopq.param.Check;
import io.lopq.param.Param;
import io.lopq.train.TrainingParams;
import java.io.Serializable;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What the distributed trainer does: the LOPQ parameters ({@link TrainingParams}, shared with the
 * single-machine trainer) plus the choices that only exist on a cluster, each declared once
 * ({@link Param}) for the job, the command line and the Spark ML estimator.
 *
 * <pre>
 *   sampleRows / sampleFraction  the training sample: coarse and subquantizer k-means run on it
 *                                (rotations always use every row); default: every row
 *   distortionSampleRows         rows of the input encoded to estimate the distortion   default 8192
 *   coarseInitSteps              k-means|| rounds of the coarse k-means                 default 2
 *   coarseSparkIterations        of the coarse Lloyd iterations, how many Spark MLlib runs
 *                                (the rest are batched BLAS iterations, {@code LloydStep}) default 1
 *   coarseSparkRowsPerCluster    Spark MLlib's k-means runs on at most this times V rows     default 32
 *   coarseTolerance              Spark MLlib k-means tolerance (largest centre move)       default 1e-4
 *   coarseDriverSeedingRows      sub-samples up to this size are clustered on the driver   default 65536
 *   steps                        the steps to run; the others come from an initial model   default all
 * </pre>
 *
 * Immutable; build with {@link #builder(TrainingParams)}, whose {@link Builder#build()} checks
 * every value against its declaration.
 */
@StageApi
public final class TrainPlan implements Serializable {
  private static final long serialVersionUID = 1L;

  /** Rows of the training sample. */
  public static final Param<Long> SAMPLE_ROWS = Param.ofLong("sampleRows",
      "Train the k-means steps on a seeded sample of about N rows (rotations use every row)", null,
      Check.atLeast(1).saying(">= 1 row")).label("sample size").defaultText("every row");
  /** Fraction of the rows in the training sample. */
  public static final Param<Double> SAMPLE_FRACTION = Param.ofDouble("sampleFraction",
      "Fraction of the rows in the seeded training sample of the k-means steps (rotations always use every row)",
      1.0, Check.inOpenClosed(0, 1)).label("sample fraction");
  /** Rows encoded to estimate the distortion. */
  public static final Param<Integer> DISTORTION_SAMPLE_ROWS = Param.ofInt("distortionSampleRows",
      "Rows encoded to estimate the distortion reported in the model's metadata", 1 << 13,
      Check.atLeast(1).saying(">= 1 row")).label("distortion sample");
  /** k-means|| rounds (Spark's default). */
  public static final Param<Integer> COARSE_INIT_STEPS = Param.ofInt("coarseInitSteps",
      "k-means|| rounds of the coarse k-means", 2, Check.atLeast(1)).label("coarse k-means|| steps");
  /** Coarse Lloyd iterations run by Spark MLlib. */
  public static final Param<Integer> COARSE_SPARK_ITERATIONS = Param.ofInt("coarseSparkIterations",
      "Of the coarse Lloyd iterations, how many Spark MLlib's k-means runs after its k-means|| initialisation; "
          + "the rest are batched (BLAS) iterations", 1, Check.atLeast(1))
      .label("coarse Spark MLlib iterations");
  /** Rows per coarse cluster of the sub-sample Spark MLlib's k-means runs on. */
  public static final Param<Integer> COARSE_SPARK_ROWS_PER_CLUSTER = Param.ofInt("coarseSparkRowsPerCluster",
      "Spark MLlib's k-means runs on a seeded sub-sample of at most N x V rows of the training sample", 32,
      Check.atLeast(1)).label("coarse Spark MLlib rows per cluster");
  /** Tolerance of Spark's k-means (Spark's default). */
  public static final Param<Double> COARSE_TOLERANCE = Param.ofDouble("coarseTolerance",
      "Spark MLlib k-means tolerance of the coarse quantizer: stop when no centre moves farther", 1e-4,
      Check.finiteAtLeast(0)).label("coarse k-means tolerance");
  /** Sub-samples of at most this many rows seed the coarse k-means on the driver. */
  public static final Param<Integer> COARSE_DRIVER_SEEDING_ROWS = Param.ofInt("coarseDriverSeedingRows",
      "The coarse k-means sub-sample (coarseSparkRowsPerCluster x V rows) is clustered on the driver (k-means++ "
      + "and batched Lloyd iterations) when it has at most this many rows, else by Spark MLlib's k-means||; "
      + "0 = always Spark's", 1 << 16, Check.atLeast(0));
  /** The steps to run. */
  public static final Param<Set<TrainStep>> STEPS = Param.<Set<TrainStep>>of(Set.class, "steps",
      "Steps to run: a subset of coarse,rotations,subquantizers; the others are kept from the initial model",
      Collections.unmodifiableSet(TrainStep.all()), Check.of("non-empty", set -> !set.isEmpty()))
      .parser(TrainStep::parse).defaultText("all");

  private final TrainingParams training;
  private final long sampleRows;
  private final double sampleFraction;
  private final int distortionSampleRows;
  private final int coarseInitSteps;
  private final int coarseSparkIterations;
  private final int coarseSparkRowsPerCluster;
  private final double coarseTolerance;
  private final int coarseDriverSeedingRows;
  private final Set<TrainStep> steps;

  private TrainPlan(Builder b) {
    this.training = b.training;
    this.sampleRows = b.sampleRows;
    this.sampleFraction = b.sampleFraction;
    this.distortionSampleRows = b.distortionSampleRows;
    this.coarseInitSteps = b.coarseInitSteps;
    this.coarseSparkIterations = b.coarseSparkIterations;
    this.coarseSparkRowsPerCluster = b.coarseSparkRowsPerCluster;
    this.coarseTolerance = b.coarseTolerance;
    this.coarseDriverSeedingRows = b.coarseDriverSeedingRows;
    this.steps = EnumSet.copyOf(b.steps);
  }

  /**
   * This plan with "auto" V resolved for {@code rows} training rows of dimension D
   * ({@link TrainingParams#resolve}), or to the initial model's V when its coarse quantizer is
   * kept; this plan itself when V was given.
   */
  public TrainPlan resolve(long rows, int dimension, LopqModel initial) {
    TrainingParams resolved = initial != null && !runs(TrainStep.COARSE) && training.autoCoarseClusters()
        ? training.toBuilder().coarseClusters(initial.coarseClusters()).build()
        : training.resolve(rows, dimension);
    return resolved == training ? this : new TrainPlan(this, resolved);
  }

  private TrainPlan(TrainPlan plan, TrainingParams training) {
    this.training = training;
    this.sampleRows = plan.sampleRows;
    this.sampleFraction = plan.sampleFraction;
    this.distortionSampleRows = plan.distortionSampleRows;
    this.coarseInitSteps = plan.coarseInitSteps;
    this.coarseSparkIterations = plan.coarseSparkIterations;
    this.coarseSparkRowsPerCluster = plan.coarseSparkRowsPerCluster;
    this.coarseTolerance = plan.coarseTolerance;
    this.coarseDriverSeedingRows = plan.coarseDriverSeedingRows;
    this.steps = EnumSet.copyOf(plan.steps);
  }

  /** A plan for these LOPQ parameters, everything else at its default. */
  public static Builder builder(TrainingParams training) {
    return new Builder(training);
  }

  /** The LOPQ parameters. */
  public TrainingParams training() {
    return training;
  }

  /** Rows asked for in the training sample, or 0 when a fraction (or everything) was asked for. */
  public long sampleRows() {
    return sampleRows;
  }

  /** Fraction of rows asked for in the training sample (1 = every row) when no row count was given. */
  public double sampleFraction() {
    return sampleFraction;
  }

  /** True when a sample was asked for (a row count or a fraction under 1), which may still hold every row. */
  public boolean samples() {
    return sampleRows > 0 || sampleFraction < 1;
  }

  /** The fraction of {@code totalRows} the training sample keeps. */
  public double sampleFraction(long totalRows) {
    if (sampleRows > 0) {
      return totalRows <= sampleRows ? 1.0 : (double) sampleRows / totalRows;
    }
    return sampleFraction;
  }

  /** Rows encoded to estimate the distortion. */
  public int distortionSampleRows() {
    return distortionSampleRows;
  }

  /** k-means|| rounds of the coarse k-means. */
  public int coarseInitSteps() {
    return coarseInitSteps;
  }

  /** Coarse Lloyd iterations run by Spark MLlib (the rest are batched BLAS iterations). */
  public int coarseSparkIterations() {
    return coarseSparkIterations;
  }

  /** Spark MLlib's k-means runs on at most this times V rows of the training sample. */
  public int coarseSparkRowsPerCluster() {
    return coarseSparkRowsPerCluster;
  }

  /** Spark MLlib k-means tolerance of the coarse quantizer. */
  public double coarseTolerance() {
    return coarseTolerance;
  }

  /** Coarse k-means sub-samples of at most this many rows are clustered on the driver (0: never). */
  public int coarseDriverSeedingRows() {
    return coarseDriverSeedingRows;
  }

  /** The steps to run. */
  public Set<TrainStep> steps() {
    return EnumSet.copyOf(steps);
  }

  /** Whether {@code step} runs. */
  public boolean runs(TrainStep step) {
    return steps.contains(step);
  }

  /**
   * Checks the plan against the data dimension and the initial model (null when training from
   * scratch).
   *
   * @throws IllegalArgumentException naming what does not fit
   */
  public void validate(int dimension, LopqModel initial) {
    training.validate(dimension);
    int v = training.coarseClusters();
    int m = training.subquantizers();
    int k = training.subquantizerClusters();
    if (initial == null) {
      if (!steps.equals(TrainStep.all())) {
        throw new IllegalArgumentException("steps " + labels() + " leave out "
            + labels(EnumSet.complementOf(EnumSet.copyOf(steps))) + ": a model trained from scratch needs every step "
            + "(give an initial model to keep the others)");
      }
      return;
    }
    if (initial.dimension() != dimension) {
      throw new IllegalArgumentException("the initial model has dimension D=" + initial.dimension()
          + " but the input vectors have dimension " + dimension);
    }
    if (runs(TrainStep.COARSE) && !runs(TrainStep.ROTATIONS)) {
      throw new IllegalArgumentException("retraining the coarse quantizer needs new rotations: add 'rotations' to "
          + "the steps (the initial model's rotations belong to its own coarse clusters)");
    }
    if (!runs(TrainStep.COARSE) && !training.autoCoarseClusters() && initial.coarseClusters() != v) {
      throw new IllegalArgumentException("V=" + v + " differs from the initial model's V=" + initial.coarseClusters()
          + ", whose coarse quantizer is kept; add 'coarse' (and 'rotations') to the steps or use V="
          + initial.coarseClusters());
    }
    if (!runs(TrainStep.ROTATIONS) && initial.subquantizers() != m) {
      throw new IllegalArgumentException("M=" + m + " differs from the initial model's M=" + initial.subquantizers()
          + ", whose rotations (allocated to M/2 subspaces per half) are kept; add 'rotations' to the steps or use M="
          + initial.subquantizers());
    }
    if (!runs(TrainStep.SUBQUANTIZERS) && (initial.subquantizers() != m || initial.subquantizerClusters() != k)) {
      throw new IllegalArgumentException("M=" + m + ", K=" + k + " differ from the initial model's M="
          + initial.subquantizers() + ", K=" + initial.subquantizerClusters()
          + ", whose subquantizers are kept; add 'subquantizers' to the steps");
    }
  }

  /** The steps as a comma-separated list. */
  public String labels() {
    return labels(steps);
  }

  private static String labels(Set<TrainStep> set) {
    return set.stream().map(TrainStep::label).collect(Collectors.joining(","));
  }

  /** The plan by name, for reports and metadata. */
  public Map<String, Object> toMap() {
    Map<String, Object> map = new LinkedHashMap<>();
    if (sampleRows > 0) {
      map.put("sampleRows", sampleRows);
    } else {
      map.put("sampleFraction", sampleFraction);
    }
    map.put("distortionSampleRows", distortionSampleRows);
    map.put("coarseInitSteps", coarseInitSteps);
    map.put("coarseSparkIterations", coarseSparkIterations);
    map.put("coarseSparkRowsPerCluster", coarseSparkRowsPerCluster);
    map.put("coarseTolerance", coarseTolerance);
    map.put("coarseDriverSeedingRows", coarseDriverSeedingRows);
    map.put("steps", labels());
    return map;
  }

  @Override
  public String toString() {
    return "TrainPlan" + toMap() + " " + training;
  }

  /** Builds a {@link TrainPlan}; {@link #build()} checks every value. */
  public static final class Builder {
    private final TrainingParams training;
    private long sampleRows;
    private double sampleFraction = SAMPLE_FRACTION.defaultValue();
    private int distortionSampleRows = DISTORTION_SAMPLE_ROWS.defaultValue();
    private int coarseInitSteps = COARSE_INIT_STEPS.defaultValue();
    private int coarseSparkIterations = COARSE_SPARK_ITERATIONS.defaultValue();
    private int coarseSparkRowsPerCluster = COARSE_SPARK_ROWS_PER_CLUSTER.defaultValue();
    private double coarseTolerance = COARSE_TOLERANCE.defaultValue();
    private int coarseDriverSeedingRows = COARSE_DRIVER_SEEDING_ROWS.defaultValue();
    private Set<TrainStep> steps = STEPS.defaultValue();

    private Builder(TrainingParams training) {
      this.training = Objects.requireNonNull(training, "training");
    }

    /** Train the k-means steps on a seeded sample of about {@code rows} rows (>= 1). */
    public Builder sampleRows(long rows) {
      this.sampleRows = SAMPLE_ROWS.check(rows);
      this.sampleFraction = 1.0;
      return this;
    }

    /** Train the k-means steps on a seeded sample of this fraction of the rows, in (0, 1]. */
    public Builder sampleFraction(double fraction) {
      this.sampleFraction = SAMPLE_FRACTION.check(fraction);
      this.sampleRows = 0;
      return this;
    }

    /** Rows of the input encoded to estimate the distortion (>= 1). */
    public Builder distortionSampleRows(int rows) {
      this.distortionSampleRows = rows;
      return this;
    }

    /** k-means|| rounds of the coarse k-means (>= 1). */
    public Builder coarseInitSteps(int rounds) {
      this.coarseInitSteps = rounds;
      return this;
    }

    /** Coarse Lloyd iterations run by Spark MLlib (>= 1); the rest are batched BLAS iterations. */
    public Builder coarseSparkIterations(int iterations) {
      this.coarseSparkIterations = iterations;
      return this;
    }

    /** Spark MLlib's k-means runs on at most this times V rows of the training sample (>= 1). */
    public Builder coarseSparkRowsPerCluster(int rows) {
      this.coarseSparkRowsPerCluster = rows;
      return this;
    }

    /** Coarse k-means sub-samples of at most this many rows are clustered on the driver (0: never). */
    public Builder coarseDriverSeedingRows(int rows) {
      this.coarseDriverSeedingRows = rows;
      return this;
    }

    /** Spark MLlib k-means tolerance of the coarse quantizer (>= 0). */
    public Builder coarseTolerance(double tolerance) {
      this.coarseTolerance = tolerance;
      return this;
    }

    /** The steps to run (non-empty). */
    public Builder steps(Set<TrainStep> chosen) {
      if (chosen == null || chosen.isEmpty()) {
        throw new IllegalArgumentException("at least one training step must run");
      }
      this.steps = EnumSet.copyOf(chosen);
      return this;
    }

    /**
     * The plan.
     *
     * @throws IllegalArgumentException naming the first value its declaration rejects
     */
    public TrainPlan build() {
      DISTORTION_SAMPLE_ROWS.check(distortionSampleRows);
      COARSE_INIT_STEPS.check(coarseInitSteps);
      COARSE_SPARK_ITERATIONS.check(coarseSparkIterations);
      COARSE_SPARK_ROWS_PER_CLUSTER.check(coarseSparkRowsPerCluster);
      COARSE_TOLERANCE.check(coarseTolerance);
      COARSE_DRIVER_SEEDING_ROWS.check(coarseDriverSeedingRows);
      return new TrainPlan(this);
    }
  }
}
