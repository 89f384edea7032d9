package io.lopq.train;

import io.lopq.math.KMeans;
import io.lopq.model.CodebookScope;
import io.lopq.model.LopqModel;
import io.lopq.param.Check;
import io.lopq.param.Param;
import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The parameters of LOPQ training, each declared once ({@link Param}: name, doc, default, check)
 * and read by the single-machine {@link LocalTrainer}, the distributed job, the command line
 * ({@code lopq train}) and the Spark ML estimator.
 *
 * <pre>
 *   V  coarseClusters            clusters per half                              default auto ({@link CoarseClusterRule})
 *   M  subquantizers             even; M/2 per half, each over D/M dimensions   default 8
 *   K  subquantizerClusters      centroids per subquantizer, in [1, 256]        default 256
 *      seed                      every random choice derives from it           default 0
 *      coarseIterations          Lloyd iterations of the coarse k-means        default 12
 *      subquantizerIterations    Lloyd iterations of each subquantizer k-means default 12
 *      tolerance                 relative distortion change that stops k-means default 1e-4
 *      rotationPriorRows         pseudo-rows of the half's residual covariance  default D/8
 *                                added to each cluster's (shrinkage; 0 = off)
 *      minRotationClusterSize    smaller clusters use the fallback rotation    default D/2 + 1 without
 *                                                                               shrinkage, 1 with it
 *      rotationFallback          GLOBAL (all residuals of the half) or IDENTITY default GLOBAL
 *      maxSubquantizerSamples    rows each subquantizer k-means sees           default 131072
 *      refineIterations          Procrustes + subquantizer refinement rounds   default 0
 *      useRotations              false = plain PQ of the residuals (identity, zero mean) default true
 *      codebooks                 GLOBAL (P_m shared by all cells) or LOCAL       default GLOBAL
 *                                (P_{m,c} per coarse cluster, like the rotations)
 *      codebookPriorRows         LOCAL: pseudo-rows of the shared codeword in    default 4
 *                                each local codeword's mean (shrinkage)
 *      localCodebookIterations   LOCAL: Lloyd iterations per cell, from P_m      default 4
 *      parallelism               threads for independent clusters/subquantizers default 1
 * </pre>
 *
 * Instances are immutable; build them with {@link #builder()} (or {@link #builder(int, int)}),
 * whose {@link Builder#build()} checks every value against its declaration.
 */
public final class TrainingParams implements Serializable {
  private static final long serialVersionUID = 1L;

  /** What a cluster too small for its own covariance gets. */
  public enum RotationFallback {
    /** The rotation fitted on all residuals of the half. */
    GLOBAL,
    /** The identity. */
    IDENTITY
  }

  /**
   * {@code minRotationClusterSize} meaning "D/2 + 1", the smallest size with a full-rank covariance
   * (1 when rotations are shrunk toward the half's statistics: every non-empty cluster is fitted).
   */
  public static final int AUTO_MIN_ROTATION_CLUSTER_SIZE = 0;
  /** {@code coarseClusters} meaning "chosen from the number of rows N and D" ({@link CoarseClusterRule}). */
  public static final int AUTO_COARSE_CLUSTERS = 0;
  /**
   * {@code rotationPriorRows} meaning "D/8" (of the whole vector; D/2 is the half's dimension). On
   * Fashion-MNIST at V=256, D/16, D/8, D/4 and D/2 pseudo-rows gave distortions of 442k, 443k, 451k and
   * 471k on the held-out queries (347k, 353k, 371k, 403k on the training rows).
   */
  public static final int AUTO_ROTATION_PRIOR_ROWS = -1;

  /**
   * Lloyd iterations of the coarse and subquantizer k-means by default: on Fashion-MNIST the
   * distortion falls by less than 0.6% from the 12th to the 20th, which cost a third of the training.
   */
  public static final int DEFAULT_ITERATIONS = 12;

  /** V, coarse clusters per half. */
  public static final Param<Integer> COARSE_CLUSTERS = Param.ofInt("coarseClusters",
      "V, coarse clusters per half; 0 = auto, chosen from the number of rows N and the dimension D "
      + "(printed and recorded in the model)", AUTO_COARSE_CLUSTERS, Check.atLeast(0))
      .label("coarse clusters V").defaultText("auto");
  /** Shrinkage of the clusters' means and rotations toward the half's. */
  public static final Param<Integer> ROTATION_PRIOR_ROWS = Param.ofInt("rotationPriorRows",
      "Pseudo-rows of the half's residual covariance added to each cluster's before fitting its rotation "
      + "(shrinkage: small clusters lean on the half, large ones on themselves); 0 = none "
      + "(clusters under minRotationClusterSize take the fallback rotation); -1 = D/8",
      AUTO_ROTATION_PRIOR_ROWS, Check.atLeast(-1)).defaultText("D/8");
  /** M, subquantizers in total. */
  public static final Param<Integer> SUBQUANTIZERS = Param.ofInt("subquantizers",
      "M, subquantizers in total, each over D/M dimensions (D must be divisible by M)", 8,
      Check.evenAtLeast(2).because("so that each half gets M/2")).label("subquantizers M");
  /** K, centroids per subquantizer. */
  public static final Param<Integer> SUBQUANTIZER_CLUSTERS = Param.ofInt("subquantizerClusters",
      "K, centroids per subquantizer", LopqModel.DEFAULT_SUBQUANTIZER_CLUSTERS,
      Check.inRange(1, LopqModel.MAX_SUBQUANTIZER_CLUSTERS).because("so that a fine code fits one byte"))
      .label("subquantizer clusters K");
  /** The seed of every random choice. */
  public static final Param<Long> SEED = Param.ofLong("seed", "Seed every random choice derives from", 0L,
      Check.any());
  /** Lloyd iterations of the coarse k-means. */
  public static final Param<Integer> COARSE_ITERATIONS = Param.ofInt("coarseIterations",
      "Lloyd iterations of the coarse k-means", DEFAULT_ITERATIONS, Check.atLeast(1));
  /** Lloyd iterations of each subquantizer k-means. */
  public static final Param<Integer> SUBQUANTIZER_ITERATIONS = Param.ofInt("subquantizerIterations",
      "Lloyd iterations of each subquantizer k-means", DEFAULT_ITERATIONS, Check.atLeast(1));
  /** Relative distortion change that stops a k-means. */
  public static final Param<Double> TOLERANCE = Param.ofDouble("tolerance",
      "Relative distortion change that stops a k-means", KMeans.DEFAULT_TOLERANCE, Check.finiteAtLeast(0));
  /** Clusters with fewer rows take the fallback rotation. */
  public static final Param<Integer> MIN_ROTATION_CLUSTER_SIZE = Param.ofInt("minRotationClusterSize",
      "Clusters with fewer rows take the fallback rotation; 0 = D/2 + 1", AUTO_MIN_ROTATION_CLUSTER_SIZE,
      Check.atLeast(0)).defaultText("D/2 + 1");
  /** What small clusters get. */
  public static final Param<RotationFallback> ROTATION_FALLBACK = Param.ofEnum("rotationFallback",
      "Rotation of small clusters: global (fitted on all residuals of the half) or identity",
      RotationFallback.class, RotationFallback.GLOBAL);
  /** Rows each subquantizer k-means samples. */
  public static final Param<Integer> MAX_SUBQUANTIZER_SAMPLES = Param.ofInt("maxSubquantizerSamples",
      "Rows each subquantizer k-means trains on, at most", 1 << 17, Check.atLeast(1));
  /** Refinement rounds (none by default: the paper's closed-form local rotations only). */
  public static final Param<Integer> REFINE_ITERATIONS = Param.ofInt("refineIterations",
      "Rounds of refinement (Procrustes rotations and warm-started subquantizers; never raises the distortion)", 0,
      Check.atLeast(0));
  /** False trains plain PQ of the residuals. */
  public static final Param<Boolean> USE_ROTATIONS = Param.ofBoolean("useRotations",
      "Local rotations and means per cluster (false: plain PQ of the residuals, for comparison)", true);
  /** Shared or per-cluster codebooks. */
  public static final Param<CodebookScope> CODEBOOKS = Param.ofEnum("codebooks",
      "Subquantizer codebooks: global (shared by all cells, as Yahoo's LOPQ) or local (one set per coarse cluster "
      + "of each half, like the rotations: the LOPQ paper's fully local variant; V times the codebook memory, "
      + "not exportable to Yahoo's format)", CodebookScope.class, CodebookScope.GLOBAL);
  /** Shrinkage of local codewords toward the shared ones. */
  public static final Param<Integer> CODEBOOK_PRIOR_ROWS = Param.ofInt("codebookPriorRows",
      "With local codebooks: pseudo-rows of the shared codeword in each local codeword's mean (shrinkage: a "
      + "codeword few rows of the cell pick stays near the shared one; 0 = plain Lloyd from the shared codebook)",
      4, Check.atLeast(0));
  /** Lloyd iterations of each cell's codebooks. */
  public static final Param<Integer> LOCAL_CODEBOOK_ITERATIONS = Param.ofInt("localCodebookIterations",
      "With local codebooks: Lloyd iterations of each cell's codebooks, starting from the shared ones", 4,
      Check.atLeast(1));
  /** Threads for independent clusters and subquantizers. */
  public static final Param<Integer> PARALLELISM = Param.ofInt("parallelism",
      "Threads for independent clusters and subquantizers (results do not depend on it)", 1, Check.atLeast(1));

  private final int coarseClusters;
  private final int subquantizers;
  private final int subquantizerClusters;
  private final long seed;
  private final int coarseIterations;
  private final int subquantizerIterations;
  private final double tolerance;
  private final int minRotationClusterSize;
  private final int rotationPriorRows;
  private final RotationFallback rotationFallback;
  private final int maxSubquantizerSamples;
  private final int refineIterations;
  private final boolean useRotations;
  private final CodebookScope codebooks;
  private final int codebookPriorRows;
  private final int localCodebookIterations;
  private final int parallelism;
  private final boolean coarseClustersChosen;

  private TrainingParams(Builder b) {
    this.coarseClusters = b.coarseClusters;
    this.subquantizers = b.subquantizers;
    this.subquantizerClusters = b.subquantizerClusters;
    this.seed = b.seed;
    this.coarseIterations = b.coarseIterations;
    this.subquantizerIterations = b.subquantizerIterations;
    this.tolerance = b.tolerance;
    this.minRotationClusterSize = b.minRotationClusterSize;
    this.rotationPriorRows = b.rotationPriorRows;
    this.rotationFallback = b.rotationFallback;
    this.maxSubquantizerSamples = b.maxSubquantizerSamples;
    this.refineIterations = b.refineIterations;
    this.useRotations = b.useRotations;
    this.codebooks = b.codebooks;
    this.codebookPriorRows = b.codebookPriorRows;
    this.localCodebookIterations = b.localCodebookIterations;
    this.parallelism = b.parallelism;
    this.coarseClustersChosen = b.coarseClustersChosen;
  }

  /** A builder with every parameter at its default. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder with V coarse clusters per half and M subquantizers, everything else at its default. */
  public static Builder builder(int coarseClusters, int subquantizers) {
    return new Builder().coarseClusters(coarseClusters).subquantizers(subquantizers);
  }

  /** A builder starting from these parameters. */
  public Builder toBuilder() {
    Builder b = builder(coarseClusters, subquantizers);
    b.subquantizerClusters = subquantizerClusters;
    b.seed = seed;
    b.coarseIterations = coarseIterations;
    b.subquantizerIterations = subquantizerIterations;
    b.tolerance = tolerance;
    b.minRotationClusterSize = minRotationClusterSize;
    b.rotationPriorRows = rotationPriorRows;
    b.rotationFallback = rotationFallback;
    b.maxSubquantizerSamples = maxSubquantizerSamples;
    b.refineIterations = refineIterations;
    b.useRotations = useRotations;
    b.codebooks = codebooks;
    b.codebookPriorRows = codebookPriorRows;
    b.localCodebookIterations = localCodebookIterations;
    b.parallelism = parallelism;
    return b;
  }

  /**
   * Checks the parameters against the data dimension D (D even, divisible by M).
   *
   * @throws IllegalArgumentException naming the parameter and its value
   */
  public void validate(int dimension) {
    LopqModel.checkParameters(dimension, autoCoarseClusters() ? 1 : coarseClusters, subquantizers,
        subquantizerClusters);
  }

  /** True if V is to be chosen from the data ({@link #resolve}). */
  public boolean autoCoarseClusters() {
    return coarseClusters == AUTO_COARSE_CLUSTERS;
  }

  /**
   * These parameters with "auto" V replaced by {@link CoarseClusterRule#choose}'s choice for
   * {@code rows} training rows of dimension D (this object itself when V was given).
   */
  public TrainingParams resolve(long rows, int dimension) {
    if (!autoCoarseClusters()) {
      return this;
    }
    Builder b = toBuilder().coarseClusters(CoarseClusterRule.choose(rows, dimension));
    b.coarseClustersChosen = true;
    return b.build();
  }

  /** True if V was chosen by {@link CoarseClusterRule} (these parameters came from {@link #resolve}). */
  public boolean coarseClustersChosen() {
    return coarseClustersChosen;
  }

  /**
   * The minimum cluster size for a local rotation, with "auto" resolved to {@code D/2 + 1}
   * without shrinkage and to 1 with it.
   */
  public int minRotationClusterSize(int dimension) {
    if (minRotationClusterSize != AUTO_MIN_ROTATION_CLUSTER_SIZE) {
      return minRotationClusterSize;
    }
    return rotationPriorRows(dimension) > 0 ? 1 : dimension / 2 + 1;
  }

  /** The prior pseudo-rows of the shrinkage, with "auto" resolved to {@code D/8}; 0 = no shrinkage. */
  public int rotationPriorRows(int dimension) {
    return rotationPriorRows == AUTO_ROTATION_PRIOR_ROWS ? Math.max(1, dimension / 8) : rotationPriorRows;
  }

  /** The prior pseudo-rows as configured ({@link #AUTO_ROTATION_PRIOR_ROWS} = auto). */
  public int rotationPriorRows() {
    return rotationPriorRows;
  }

  /** The parameters by name, for {@link io.lopq.model.ModelMetadata} (JSON-like values). */
  public Map<String, Object> toMap() {
    Map<String, Object> map = new LinkedHashMap<>();
    map.put("V", autoCoarseClusters() ? (Object) "auto" : (Object) coarseClusters);
    if (coarseClustersChosen) {
      map.put("coarseClustersRule", CoarseClusterRule.DESCRIPTION);
    }
    map.put("M", subquantizers);
    map.put("K", subquantizerClusters);
    map.put("seed", seed);
    map.put("coarseIterations", coarseIterations);
    map.put("subquantizerIterations", subquantizerIterations);
    map.put("tolerance", tolerance);
    map.put("minRotationClusterSize", minRotationClusterSize == AUTO_MIN_ROTATION_CLUSTER_SIZE
        ? "auto (D/2 + 1)" : (Object) minRotationClusterSize);
    map.put("rotationPriorRows", rotationPriorRows == AUTO_ROTATION_PRIOR_ROWS
        ? "auto (D/8)" : (Object) rotationPriorRows);
    map.put("rotationFallback", rotationFallback.name());
    map.put("maxSubquantizerSamples", maxSubquantizerSamples);
    map.put("refineIterations", refineIterations);
    map.put("useRotations", useRotations);
    if (codebooks == CodebookScope.LOCAL) {
      // Only local models name it, so models trained with the defaults keep their metadata.
      map.put("codebooks", codebooks.name());
      map.put("codebookPriorRows", codebookPriorRows);
      map.put("localCodebookIterations", localCodebookIterations);
    }
    return map;
  }

  /** V, coarse clusters per half ({@link #AUTO_COARSE_CLUSTERS} until {@link #resolve resolved}). */
  public int coarseClusters() {
    return coarseClusters;
  }

  /** M, subquantizers in total. */
  public int subquantizers() {
    return subquantizers;
  }

  /** K, centroids per subquantizer. */
  public int subquantizerClusters() {
    return subquantizerClusters;
  }

  /** The seed every random choice derives from. */
  public long seed() {
    return seed;
  }

  /** Maximum Lloyd iterations of the coarse k-means. */
  public int coarseIterations() {
    return coarseIterations;
  }

  /** Maximum Lloyd iterations of each subquantizer k-means. */
  public int subquantizerIterations() {
    return subquantizerIterations;
  }

  /** Relative distortion change that stops a k-means. */
  public double tolerance() {
    return tolerance;
  }

  /** Minimum cluster size for a local rotation as configured ({@link #AUTO_MIN_ROTATION_CLUSTER_SIZE} = auto). */
  public int minRotationClusterSize() {
    return minRotationClusterSize;
  }

  /** What small clusters get. */
  public RotationFallback rotationFallback() {
    return rotationFallback;
  }

  /** Rows each subquantizer k-means samples. */
  public int maxSubquantizerSamples() {
    return maxSubquantizerSamples;
  }

  /** Refinement rounds. */
  public int refineIterations() {
    return refineIterations;
  }

  /** Whether clusters get local rotations and means (false: plain PQ of the residuals). */
  public boolean useRotations() {
    return useRotations;
  }

  /** Shared or per-cluster codebooks. */
  public CodebookScope codebooks() {
    return codebooks;
  }

  /** With local codebooks: pseudo-rows of the shared codeword in each local codeword's mean. */
  public int codebookPriorRows() {
    return codebookPriorRows;
  }

  /** With local codebooks: Lloyd iterations per cell. */
  public int localCodebookIterations() {
    return localCodebookIterations;
  }

  /** Threads used for independent clusters and subquantizers. */
  public int parallelism() {
    return parallelism;
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof TrainingParams)) {
      return false;
    }
    TrainingParams p = (TrainingParams) o;
    return toMap().equals(p.toMap()) && parallelism == p.parallelism;
  }

  @Override
  public int hashCode() {
    return Objects.hash(toMap(), parallelism);
  }

  @Override
  public String toString() {
    return "TrainingParams" + toMap();
  }

  /** Builds {@link TrainingParams}; {@link #build()} checks every value against its declaration. */
  public static final class Builder {
    private int coarseClusters = COARSE_CLUSTERS.defaultValue();
    private int subquantizers = SUBQUANTIZERS.defaultValue();
    private int subquantizerClusters = SUBQUANTIZER_CLUSTERS.defaultValue();
    private long seed = SEED.defaultValue();
    private int coarseIterations = COARSE_ITERATIONS.defaultValue();
    private int subquantizerIterations = SUBQUANTIZER_ITERATIONS.defaultValue();
    private double tolerance = TOLERANCE.defaultValue();
    private int minRotationClusterSize = MIN_ROTATION_CLUSTER_SIZE.defaultValue();
    private int rotationPriorRows = ROTATION_PRIOR_ROWS.defaultValue();
    private RotationFallback rotationFallback = ROTATION_FALLBACK.defaultValue();
    private int maxSubquantizerSamples = MAX_SUBQUANTIZER_SAMPLES.defaultValue();
    private int refineIterations = REFINE_ITERATIONS.defaultValue();
    private boolean useRotations = USE_ROTATIONS.defaultValue();
    private CodebookScope codebooks = CODEBOOKS.defaultValue();
    private int codebookPriorRows = CODEBOOK_PRIOR_ROWS.defaultValue();
    private int localCodebookIterations = LOCAL_CODEBOOK_ITERATIONS.defaultValue();
    private int parallelism = PARALLELISM.defaultValue();
    private boolean coarseClustersChosen;

    private Builder() {}

    /** V, coarse clusters per half ({@link #COARSE_CLUSTERS}). */
    public Builder coarseClusters(int v) {
      this.coarseClusters = v;
      this.coarseClustersChosen = false;
      return this;
    }

    /** M, subquantizers in total ({@link #SUBQUANTIZERS}). */
    public Builder subquantizers(int m) {
      this.subquantizers = m;
      return this;
    }

    /** K, centroids per subquantizer, in [1, 256]. */
    public Builder subquantizerClusters(int k) {
      this.subquantizerClusters = k;
      return this;
    }

    /** The seed. */
    public Builder seed(long value) {
      this.seed = value;
      return this;
    }

    /** Maximum Lloyd iterations of the coarse k-means (>= 1). */
    public Builder coarseIterations(int iterations) {
      this.coarseIterations = iterations;
      return this;
    }

    /** Maximum Lloyd iterations of each subquantizer k-means (>= 1). */
    public Builder subquantizerIterations(int iterations) {
      this.subquantizerIterations = iterations;
      return this;
    }

    /** Relative distortion change that stops a k-means (>= 0). */
    public Builder tolerance(double value) {
      this.tolerance = value;
      return this;
    }

    /** Minimum cluster size for a local rotation ({@link #AUTO_MIN_ROTATION_CLUSTER_SIZE} = D/2 + 1). */
    public Builder minRotationClusterSize(int size) {
      this.minRotationClusterSize = size;
      return this;
    }

    /** Prior pseudo-rows of the shrinkage ({@link #AUTO_ROTATION_PRIOR_ROWS} = D/8, 0 = none). */
    public Builder rotationPriorRows(int rows) {
      this.rotationPriorRows = rows;
      return this;
    }

    /** What small clusters get. */
    public Builder rotationFallback(RotationFallback fallback) {
      this.rotationFallback = Objects.requireNonNull(fallback, "rotationFallback");
      return this;
    }

    /** Rows each subquantizer k-means samples (>= 1). */
    public Builder maxSubquantizerSamples(int samples) {
      this.maxSubquantizerSamples = samples;
      return this;
    }

    /** Refinement rounds (>= 0). */
    public Builder refineIterations(int iterations) {
      this.refineIterations = iterations;
      return this;
    }

    /** False trains plain PQ of the residuals (identity rotations, zero means) for comparison. */
    public Builder useRotations(boolean value) {
      this.useRotations = value;
      return this;
    }

    /** Shared ({@link CodebookScope#GLOBAL}) or per-cluster ({@link CodebookScope#LOCAL}) codebooks. */
    public Builder codebooks(CodebookScope scope) {
      this.codebooks = Objects.requireNonNull(scope, "codebooks");
      return this;
    }

    /** With local codebooks: shrinkage pseudo-rows per codeword (>= 0). */
    public Builder codebookPriorRows(int rows) {
      this.codebookPriorRows = rows;
      return this;
    }

    /** With local codebooks: Lloyd iterations per cell (>= 1). */
    public Builder localCodebookIterations(int iterations) {
      this.localCodebookIterations = iterations;
      return this;
    }

    /** Threads for independent clusters and subquantizers (>= 1); results do not depend on it. */
    public Builder parallelism(int threads) {
      this.parallelism = threads;
      return this;
    }

    /**
     * Checks every value that does not depend on the data dimension.
     *
     * @throws IllegalArgumentException naming the parameter, its value and what was expected
     */
    public TrainingParams build() {
      COARSE_CLUSTERS.check(coarseClusters);
      SUBQUANTIZERS.check(subquantizers);
      SUBQUANTIZER_CLUSTERS.check(subquantizerClusters);
      COARSE_ITERATIONS.check(coarseIterations);
      SUBQUANTIZER_ITERATIONS.check(subquantizerIterations);
      MIN_ROTATION_CLUSTER_SIZE.check(minRotationClusterSize);
      ROTATION_PRIOR_ROWS.check(rotationPriorRows);
      MAX_SUBQUANTIZER_SAMPLES.check(maxSubquantizerSamples);
      REFINE_ITERATIONS.check(refineIterations);
      PARALLELISM.check(parallelism);
      TOLERANCE.check(tolerance);
      CODEBOOK_PRIOR_ROWS.check(codebookPriorRows);
      LOCAL_CODEBOOK_ITERATIONS.check(localCodebookIterations);
      return new TrainingParams(this);
    }
  }
}
