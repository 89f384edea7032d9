package io.lopq.train;

import io.lopq.math.KMeans;
import io.lopq.model.LopqModel;
import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The parameters of LOPQ training, declared once with their defaults and checks, and read by both
 * the single-machine {@link LocalTrainer} and the distributed job.
 *
 * <pre>
 *   V  coarseClusters            clusters per half (required)
 *   M  subquantizers             even; M/2 per half, each over D/M dimensions (required)
 *   K  subquantizerClusters      centroids per subquantizer, in [1, 256]        default 256
 *      seed                      every random choice derives from it           default 0
 *      coarseIterations          Lloyd iterations of the coarse k-means        default 20
 *      subquantizerIterations    Lloyd iterations of each subquantizer k-means default 20
 *      tolerance                 relative distortion change that stops k-means default 1e-4
 *      minRotationClusterSize    smaller clusters use the fallback rotation    default D/2 + 1
 *      rotationFallback          GLOBAL (all residuals of the half) or IDENTITY default GLOBAL
 *      maxSubquantizerSamples    rows each subquantizer k-means sees           default 131072
 *      refineIterations          Procrustes + subquantizer refinement rounds   default 0
 *      useRotations              false = plain PQ of the residuals (identity, zero mean) default true
 *      parallelism               threads for independent clusters/subquantizers default 1
 * </pre>
 *
 * Instances are immutable; build them with {@link #builder(int, int)}.
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

  /** Default K: one byte per fine code. */
  public static final int DEFAULT_SUBQUANTIZER_CLUSTERS = LopqModel.DEFAULT_SUBQUANTIZER_CLUSTERS;
  /** Default seed. */
  public static final long DEFAULT_SEED = 0L;
  /** Default Lloyd iterations of the coarse k-means. */
  public static final int DEFAULT_COARSE_ITERATIONS = KMeans.DEFAULT_MAX_ITERATIONS;
  /** Default Lloyd iterations of each subquantizer k-means. */
  public static final int DEFAULT_SUBQUANTIZER_ITERATIONS = KMeans.DEFAULT_MAX_ITERATIONS;
  /** Default relative distortion change that stops a k-means. */
  public static final double DEFAULT_TOLERANCE = KMeans.DEFAULT_TOLERANCE;
  /** {@code minRotationClusterSize} meaning "D/2 + 1", the smallest size with a full-rank covariance. */
  public static final int AUTO_MIN_ROTATION_CLUSTER_SIZE = 0;
  /** Default number of rows each subquantizer k-means samples. */
  public static final int DEFAULT_MAX_SUBQUANTIZER_SAMPLES = 1 << 17;
  /** Default refinement rounds (none: the paper's closed-form local rotations only). */
  public static final int DEFAULT_REFINE_ITERATIONS = 0;

  private final int coarseClusters;
  private final int subquantizers;
  private final int subquantizerClusters;
  private final long seed;
  private final int coarseIterations;
  private final int subquantizerIterations;
  private final double tolerance;
  private final int minRotationClusterSize;
  private final RotationFallback rotationFallback;
  private final int maxSubquantizerSamples;
  private final int refineIterations;
  private final boolean useRotations;
  private final int parallelism;

  private TrainingParams(Builder b) {
    this.coarseClusters = b.coarseClusters;
    this.subquantizers = b.subquantizers;
    this.subquantizerClusters = b.subquantizerClusters;
    this.seed = b.seed;
    this.coarseIterations = b.coarseIterations;
    this.subquantizerIterations = b.subquantizerIterations;
    this.tolerance = b.tolerance;
    this.minRotationClusterSize = b.minRotationClusterSize;
    this.rotationFallback = b.rotationFallback;
    this.maxSubquantizerSamples = b.maxSubquantizerSamples;
    this.refineIterations = b.refineIterations;
    this.useRotations = b.useRotations;
    this.parallelism = b.parallelism;
  }

  /** A builder with V coarse clusters per half and M subquantizers, everything else at its default. */
  public static Builder builder(int coarseClusters, int subquantizers) {
    return new Builder(coarseClusters, subquantizers);
  }

  /** A builder starting from these parameters. */
  public Builder toBuilder() {
    Builder b = new Builder(coarseClusters, subquantizers);
    b.subquantizerClusters = subquantizerClusters;
    b.seed = seed;
    b.coarseIterations = coarseIterations;
    b.subquantizerIterations = subquantizerIterations;
    b.tolerance = tolerance;
    b.minRotationClusterSize = minRotationClusterSize;
    b.rotationFallback = rotationFallback;
    b.maxSubquantizerSamples = maxSubquantizerSamples;
    b.refineIterations = refineIterations;
    b.useRotations = useRotations;
    b.parallelism = parallelism;
    return b;
  }

  /**
   * Checks the parameters against the data dimension D (D even, divisible by M).
   *
   * @throws IllegalArgumentException naming the parameter and its value
   */
  public void validate(int dimension) {
    LopqModel.checkParameters(dimension, coarseClusters, subquantizers, subquantizerClusters);
  }

  /** The minimum cluster size for a local rotation, with "auto" resolved to {@code D/2 + 1}. */
  public int minRotationClusterSize(int dimension) {
    return minRotationClusterSize == AUTO_MIN_ROTATION_CLUSTER_SIZE ? dimension / 2 + 1 : minRotationClusterSize;
  }

  /** The parameters by name, for {@link io.lopq.model.ModelMetadata} (JSON-like values). */
  public Map<String, Object> toMap() {
    Map<String, Object> map = new LinkedHashMap<>();
    map.put("V", coarseClusters);
    map.put("M", subquantizers);
    map.put("K", subquantizerClusters);
    map.put("seed", seed);
    map.put("coarseIterations", coarseIterations);
    map.put("subquantizerIterations", subquantizerIterations);
    map.put("tolerance", tolerance);
    map.put("minRotationClusterSize", minRotationClusterSize == AUTO_MIN_ROTATION_CLUSTER_SIZE
        ? "auto (D/2 + 1)" : (Object) minRotationClusterSize);
    map.put("rotationFallback", rotationFallback.name());
    map.put("maxSubquantizerSamples", maxSubquantizerSamples);
    map.put("refineIterations", refineIterations);
    map.put("useRotations", useRotations);
    return map;
  }

  /** V, coarse clusters per half. */
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

  /** Builds {@link TrainingParams}; {@link #build()} checks every value. */
  public static final class Builder {
    private final int coarseClusters;
    private final int subquantizers;
    private int subquantizerClusters = DEFAULT_SUBQUANTIZER_CLUSTERS;
    private long seed = DEFAULT_SEED;
    private int coarseIterations = DEFAULT_COARSE_ITERATIONS;
    private int subquantizerIterations = DEFAULT_SUBQUANTIZER_ITERATIONS;
    private double tolerance = DEFAULT_TOLERANCE;
    private int minRotationClusterSize = AUTO_MIN_ROTATION_CLUSTER_SIZE;
    private RotationFallback rotationFallback = RotationFallback.GLOBAL;
    private int maxSubquantizerSamples = DEFAULT_MAX_SUBQUANTIZER_SAMPLES;
    private int refineIterations = DEFAULT_REFINE_ITERATIONS;
    private boolean useRotations = true;
    private int parallelism = 1;

    private Builder(int coarseClusters, int subquantizers) {
      this.coarseClusters = coarseClusters;
      this.subquantizers = subquantizers;
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
      if (coarseClusters < 1) {
        throw new IllegalArgumentException("coarse clusters V must be >= 1, got " + coarseClusters);
      }
      if (subquantizers < 2 || subquantizers % 2 != 0) {
        throw new IllegalArgumentException(
            "subquantizers M must be even and >= 2 (M/2 per half), got " + subquantizers);
      }
      if (subquantizerClusters < 1 || subquantizerClusters > LopqModel.MAX_SUBQUANTIZER_CLUSTERS) {
        throw new IllegalArgumentException("subquantizer clusters K must be in [1, "
            + LopqModel.MAX_SUBQUANTIZER_CLUSTERS + "] so that a fine code fits one byte, got "
            + subquantizerClusters);
      }
      requireAtLeast("coarseIterations", coarseIterations, 1);
      requireAtLeast("subquantizerIterations", subquantizerIterations, 1);
      requireAtLeast("minRotationClusterSize", minRotationClusterSize, 0);
      requireAtLeast("maxSubquantizerSamples", maxSubquantizerSamples, 1);
      requireAtLeast("refineIterations", refineIterations, 0);
      requireAtLeast("parallelism", parallelism, 1);
      if (!(tolerance >= 0) || Double.isInfinite(tolerance)) {
        throw new IllegalArgumentException("tolerance must be finite and >= 0, got " + tolerance);
      }
      return new TrainingParams(this);
    }

    private static void requireAtLeast(String name, int value, int minimum) {
      if (value < minimum) {
        throw new IllegalArgumentException(name + " must be >= " + minimum + ", got " + value);
      }
    }
  }
}
