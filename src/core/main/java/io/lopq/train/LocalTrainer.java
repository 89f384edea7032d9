package io.lopq.train;

import io.lopq.encode.BatchEncoder;
import io.lopq.math.KMeans;
import io.lopq.math.KMeansResult;
import io.lopq.math.LocalRotation;
import io.lopq.math.Moments;
import io.lopq.math.Procrustes;
import io.lopq.math.Sampling;
import io.lopq.math.Seeds;
import io.lopq.math.ShrunkLloyd;
import io.lopq.model.CodebookScope;
import io.lopq.model.LopqModel;
import io.lopq.model.ModelMetadata;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Trains an LOPQ model on one machine from row-major float vectors (Kalantidis &amp; Avrithis,
 * CVPR 2014), following the steps of LOPQ.md:
 *
 * <pre>
 *   1. C_h     = k-means(V) on the halves x_h                                  {@link #trainCoarse}
 *   2. r_h     = x_h - C_h[c_h(x)]                                             {@link #residuals}
 *   3. mu_h,i, R_h,i from the covariance of cluster i's residuals,
 *      eigenvectors spread over the M/2 subspaces by eigenvalue allocation    {@link #trainRotations}
 *   4. y_h     = R_h,i (r_h - mu_h,i)                                          (rotated residuals)
 *   5. P_m     = k-means(K) on chunk m of y, pooled over all cells            {@link #trainSubquantizers}
 *   6. optional: re-fit each cell's R (Procrustes) and mu to its codes, then
 *      retrain the subquantizers warm-started; a round that would raise the
 *      distortion is undone                                                   {@link #refine}
 *   7. optional (codebooks = LOCAL): per coarse cluster c of each half, the
 *      M/2 codebooks P_{m,c} fitted on the cell's rotated residuals by Lloyd
 *      iterations from P_m, each mean shrunk toward P_m's codeword; never
 *      raises the error of any cell's rows                                   {@link #trainCellCodebooks}
 * </pre>
 *
 * <p>The steps are public so that a distributed job can run the same math per cluster (rotations
 * from aggregated {@link Moments}) and per subquantizer. Every random choice derives from the
 * seed in {@link TrainingParams} through {@link Seeds}, per half and per subquantizer, so a model
 * is the same for the same data and seed whatever the parallelism. The model's metadata records
 * the parameters and the training statistics (distortion after each step, cluster sizes, small
 * clusters and the fallback they took, per-iteration distortions).
 */
public final class LocalTrainer implements Serializable {
  private static final long serialVersionUID = 1L;

  /** Seed stream of the coarse k-means (sub-stream: the half). */
  public static final long COARSE_STREAM = 1;
  /** Seed stream of the subquantizer k-means (sub-stream: the subquantizer). */
  public static final long SUBQUANTIZER_STREAM = 2;
  /** Seed stream of the subquantizer samples (sub-stream: the subquantizer). */
  public static final long SAMPLE_STREAM = 3;
  /** Seed stream of the local codebooks' row samples of large cells (sub-stream: h * V + c). */
  public static final long CELL_SAMPLE_STREAM = 4;

  private final TrainingParams params;

  /** A trainer with the given parameters. */
  public LocalTrainer(TrainingParams params) {
    this.params = Objects.requireNonNull(params, "params");
  }

  /** The parameters. */
  public TrainingParams params() {
    return params;
  }

  // ---------------------------------------------------------------------------------------------
  // The whole pipeline

  /**
   * Trains a model on {@code n} row-major vectors of dimension D.
   *
   * @throws IllegalArgumentException on bad parameters for D (naming them), no data, non-finite
   *     values, or V or K larger than the number of distinct points they cluster
   */
  public LopqModel train(float[] data, int n, int dimension) {
    if (params.autoCoarseClusters()) {
      return new LocalTrainer(params.resolve(n, dimension)).train(data, n, dimension);
    }
    params.validate(dimension);
    KMeans.checkData(data, n, dimension, "the training vectors");
    int half = dimension / 2;
    int minSize = params.minRotationClusterSize(dimension);
    TrainingState state = new TrainingState(n, dimension, params.coarseClusters(), params.subquantizers());
    Map<String, Object> stats = new LinkedHashMap<>();
    stats.put("trainingVectors", n);

    // 1-2. Coarse quantizer and residuals, per half.
    List<Object> coarseHistories = new ArrayList<>();
    for (int h = 0; h < LopqModel.HALVES; h++) {
      float[] halfRows = half(data, n, dimension, h);
      KMeansResult coarse = trainCoarseHalf(halfRows, n, half, h);
      coarseHistories.add(toList(coarse.distortions()));
      subtractCentroids(halfRows, n, half, coarse.centroids(), coarse.assignments());
      state.setCoarse(h, coarse.centroids(), coarse.assignments(), halfRows);
    }
    stats.put("coarseDistortionHistory", coarseHistories);
    stats.put("distortionAfterCoarse", state.coarseDistortion());

    // 3-4. Local means and rotations, rotated residuals.
    List<Object> sizeSummaries = new ArrayList<>();
    List<Object> smallClusters = new ArrayList<>();
    List<Object> rotationSources = new ArrayList<>();
    for (int h = 0; h < LopqModel.HALVES; h++) {
      LocalRotation[] fitted = trainRotations(state.residuals[h], state.coarse[h], n, half);
      state.setRotations(h, fitted);
      state.rotate(h);
      int[] sizes = state.clusterSizes(h);
      Map<String, Object> summary = ClusterSizes.summarize(sizes, minSize);
      sizeSummaries.add(summary);
      smallClusters.add(summary.get("small"));
      rotationSources.add(countSources(fitted));
    }
    stats.put("clusterSizes", sizeSummaries);
    stats.put("minRotationClusterSize", minSize);
    stats.put("rotationPriorRows", params.rotationPriorRows(dimension));
    stats.put("smallClusters", smallClusters);
    stats.put("rotationFallback", params.useRotations() ? params.rotationFallback().name() : "NONE (plain PQ)");
    stats.put("rotationSources", rotationSources);
    stats.put("distortionAfterRotations", state.residualDistortion());

    // 5. Subquantizers, pooled over all cells.
    List<KMeansResult> subResults = Parallel.map(params.subquantizers(), params.parallelism(),
        m -> trainSubquantizer(state.chunk(m), n, state.sub, m));
    List<Object> subHistories = new ArrayList<>();
    for (int m = 0; m < params.subquantizers(); m++) {
      KMeansResult result = subResults.get(m);
      state.setCodebook(m, result.centroids(), params.subquantizerClusters());
      subHistories.add(toList(result.distortions()));
    }
    state.encodeAll();
    stats.put("subquantizerSamples", Math.min(n, params.maxSubquantizerSamples()));
    stats.put("subquantizerDistortionHistory", subHistories);
    stats.put("distortionAfterSubquantizers", state.distortion());

    // 6. Optional refinement.
    if (params.refineIterations() > 0) {
      refineState(state, minSize, stats);
    }
    // 7. Optional local codebooks.
    float[][][] local = null;
    if (params.codebooks() == CodebookScope.LOCAL) {
      local = localCodebooks(state, stats);
    } else {
      stats.put("distortion", state.distortion());
    }
    return state.toModel(params.subquantizerClusters(), metadata(dimension, stats)).withLocalCodebooks(local);
  }

  /**
   * Step 7 on the state: every cell's codebooks from its rows' rotated residuals; records the
   * distortion before and after (on the training rows) and how many cells had rows.
   */
  private float[][][] localCodebooks(TrainingState state, Map<String, Object> stats) {
    int perHalf = state.perHalf;
    float[][][] local = new float[state.subquantizers][state.clusters][];
    double before = state.distortion();
    double[] errors = new double[LopqModel.HALVES];
    int[] cellsWithRows = new int[LopqModel.HALVES];
    for (int h = 0; h < LopqModel.HALVES; h++) {
      int half = h;
      List<ShrunkLloyd.Result[]> fitted = Parallel.map(state.clusters, params.parallelism(), c -> {
        int size = state.clusterSize(half, c);
        float[] rows = new float[size * state.half];
        for (int t = 0; t < size; t++) {
          System.arraycopy(state.rotated[half], state.member(half, c, t) * state.half, rows, t * state.half,
              state.half);
        }
        return trainCellCodebooks(rows, size, state.half, half, c, state.codebooks);
      });
      for (int c = 0; c < state.clusters; c++) {
        ShrunkLloyd.Result[] cell = fitted.get(c);
        if (state.clusterSize(h, c) > 0) {
          cellsWithRows[h]++;
        }
        for (int s = 0; s < perHalf; s++) {
          local[h * perHalf + s][c] = cell[s].codebook();
          errors[h] += cell[s].errorAfter();
        }
      }
    }
    double after = (errors[0] + errors[1]) / state.n;
    stats.put("codebooks", CodebookScope.LOCAL.name());
    stats.put("localCodebookCells", List.of(cellsWithRows[0], cellsWithRows[1]));
    stats.put("distortionBeforeLocalCodebooks", before);
    stats.put("distortionAfterLocalCodebooks", after);
    stats.put("distortion", after);
    return local;
  }

  // ---------------------------------------------------------------------------------------------
  // Step 7: local codebooks

  /**
   * The M/2 local codebooks of coarse cluster c of half h from the rotated residuals of its rows
   * ({@code size x D/2}, row-major): for each subquantizer m of the half, {@link ShrunkLloyd} from
   * the shared codebook {@code sharedCodebooks[m]} with {@code codebookPriorRows} pseudo-rows and
   * {@code localCodebookIterations} iterations, on at most {@code maxSubquantizerSamples} of the
   * rows (a seeded sample from (seed, h V + c)). A cell without rows keeps the shared codebooks.
   *
   * @return per subquantizer s of the half (m = h M/2 + s), the codebook and its errors on all the
   *     cell's rows (with the shared codebook, and with the new one)
   */
  public ShrunkLloyd.Result[] trainCellCodebooks(float[] rotatedRows, int size, int halfDimension, int h, int c,
      float[][] sharedCodebooks) {
    int perHalf = params.subquantizers() / 2;
    int sub = halfDimension / perHalf;
    int k = params.subquantizerClusters();
    float[] rows = rotatedRows;
    int n = size;
    if (n > params.maxSubquantizerSamples()) {
      n = params.maxSubquantizerSamples();
      rows = Sampling.gatherRows(rotatedRows, halfDimension, Sampling.sampleIndices(size, n,
          Seeds.derive(params.seed(), CELL_SAMPLE_STREAM, (long) h * params.coarseClusters() + c)));
    }
    ShrunkLloyd.Result[] out = new ShrunkLloyd.Result[perHalf];
    float[] chunk = new float[n * sub];
    for (int s = 0; s < perHalf; s++) {
      for (int i = 0; i < n; i++) {
        System.arraycopy(rows, i * halfDimension + s * sub, chunk, i * sub, sub);
      }
      out[s] = ShrunkLloyd.fit(sharedCodebooks[h * perHalf + s], k, chunk, n, sub, params.codebookPriorRows(),
          params.localCodebookIterations(), params.tolerance());
      if (n < size) {
        // Fitted on a sample: report the errors of all the cell's rows.
        float[] all = new float[size * sub];
        for (int i = 0; i < size; i++) {
          System.arraycopy(rotatedRows, i * halfDimension + s * sub, all, i * sub, sub);
        }
        out[s] = new ShrunkLloyd.Result(out[s].codebook(), error(sharedCodebooks[h * perHalf + s], k, all, size, sub),
            error(out[s].codebook(), k, all, size, sub), out[s].iterations());
      }
    }
    return out;
  }

  private static double error(float[] codebook, int k, float[] rows, int n, int d) {
    int[] assignments = new int[n];
    Arrays.fill(assignments, -1);
    return KMeans.reassign(codebook, k, rows, n, d, assignments, null);
  }

  // ---------------------------------------------------------------------------------------------
  // Step 1: coarse quantizer

  /** Coarse k-means of both halves of {@code n} row-major vectors of dimension D. */
  public KMeansResult[] trainCoarse(float[] data, int n, int dimension) {
    params.validate(dimension);
    KMeansResult[] results = new KMeansResult[LopqModel.HALVES];
    for (int h = 0; h < LopqModel.HALVES; h++) {
      results[h] = trainCoarseHalf(half(data, n, dimension, h), n, dimension / 2, h);
    }
    return results;
  }

  /** Coarse k-means with V clusters of half h's rows ({@code n x D/2}), seeded from (seed, h). */
  public KMeansResult trainCoarseHalf(float[] halfRows, int n, int halfDimension, int h) {
    return KMeans.withClusters(params.coarseClusters())
        .withMaxIterations(params.coarseIterations())
        .withTolerance(params.tolerance())
        .withSeed(Seeds.derive(params.seed(), COARSE_STREAM, h))
        .describedAs("V", "half " + h + " of the training vectors")
        .fit(halfRows, n, halfDimension);
  }

  /** Half h ({@code 0} or {@code 1}) of {@code n} row-major vectors of dimension D, as a new n x D/2 array. */
  public static float[] half(float[] data, int n, int dimension, int h) {
    int half = dimension / 2;
    float[] out = new float[n * half];
    for (int i = 0; i < n; i++) {
      System.arraycopy(data, i * dimension + h * half, out, i * half, half);
    }
    return out;
  }

  // ---------------------------------------------------------------------------------------------
  // Step 2: residuals

  /** {@code r = x_h - C[c(x)]} for {@code n} rows of one half, as a new array. */
  public static float[] residuals(float[] halfRows, int n, int halfDimension, float[] centroids, int[] assignments) {
    float[] out = Arrays.copyOf(halfRows, n * halfDimension);
    subtractCentroids(out, n, halfDimension, centroids, assignments);
    return out;
  }

  private static void subtractCentroids(float[] rows, int n, int d, float[] centroids, int[] assignments) {
    for (int i = 0; i < n; i++) {
      int c = assignments[i] * d;
      for (int j = 0; j < d; j++) {
        rows[i * d + j] -= centroids[c + j];
      }
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Step 3: local means and rotations

  /**
   * One {@link LocalRotation} per coarse cluster of a half, from the residuals ({@code n x D/2})
   * and their cluster assignments; small clusters take the configured fallback.
   */
  public LocalRotation[] trainRotations(float[] residuals, int[] assignments, int n, int halfDimension) {
    int clusters = params.coarseClusters();
    ClusterIndex index = ClusterIndex.of(Arrays.copyOf(assignments, n), clusters);
    float[] zeroMeans = new float[clusters * halfDimension];
    float[] gathered = new float[index.maxSize() * halfDimension];
    Moments[] perCluster = new Moments[clusters];
    Moments all = new Moments(halfDimension);
    for (int c = 0; c < clusters; c++) {
      int size = index.gatherCentered(c, residuals, halfDimension, zeroMeans, gathered);
      perCluster[c] = new Moments(halfDimension).addRows(gathered, 0, size);
      all.merge(perCluster[c]);
    }
    LocalRotation fallback = fallbackRotation(all);
    List<LocalRotation> fitted = Parallel.map(clusters, params.parallelism(),
        c -> clusterRotation(perCluster[c], fallback, all));
    return fitted.toArray(new LocalRotation[0]);
  }

  /**
   * The rotation small clusters of a half take, from the moments of all its residuals: fitted on
   * them for {@link TrainingParams.RotationFallback#GLOBAL}, the identity for {@code IDENTITY} or
   * when rotations are off.
   */
  public LocalRotation fallbackRotation(Moments halfMoments) {
    int d = halfMoments.dimension();
    int subspaces = params.subquantizers() / 2;
    if (!params.useRotations() || params.rotationFallback() == TrainingParams.RotationFallback.IDENTITY) {
      return LocalRotation.identity(d, subspaces);
    }
    return LocalRotation.fromMoments(halfMoments, subspaces, 2, null);
  }

  /**
   * The mean and rotation of one cluster from its residual moments, without shrinkage: fitted when
   * it has at least {@code minRotationClusterSize} residuals, else {@code fallback}'s rotation with
   * the cluster's own mean. With rotations off: the identity and a zero mean.
   */
  public LocalRotation clusterRotation(Moments clusterMoments, LocalRotation fallback) {
    return clusterRotation(clusterMoments, fallback, null);
  }

  /**
   * The mean and rotation of one cluster from its residual moments and those of all residuals of
   * its half ({@code halfMoments}, null for none). With shrinkage ({@code rotationPriorRows > 0}
   * and half moments given) a cluster of at least {@code minRotationClusterSize} rows is fitted on
   * its own mean and its covariance shrunk by that many pseudo-rows toward the half's
   * ({@link LocalRotation#fromShrunkMoments});
   * smaller ones (by default only empty ones) take {@code fallback}'s rotation with their own mean.
   * Without shrinkage see {@link #clusterRotation(Moments, LocalRotation)}.
   */
  public LocalRotation clusterRotation(Moments clusterMoments, LocalRotation fallback, Moments halfMoments) {
    int d = clusterMoments.dimension();
    int subspaces = params.subquantizers() / 2;
    if (!params.useRotations()) {
      return LocalRotation.identity(d, subspaces);
    }
    int minSize = params.minRotationClusterSize(2 * d);
    int prior = params.rotationPriorRows(2 * d);
    if (prior > 0 && halfMoments != null && halfMoments.count() > 0 && clusterMoments.count() >= Math.max(1, minSize)) {
      return LocalRotation.fromShrunkMoments(clusterMoments, halfMoments, prior, subspaces);
    }
    return LocalRotation.fromMoments(clusterMoments, subspaces, minSize, fallback);
  }

  private static Map<String, Object> countSources(LocalRotation[] fitted) {
    Map<LocalRotation.Source, Integer> counts = new EnumMap<>(LocalRotation.Source.class);
    for (LocalRotation.Source source : LocalRotation.Source.values()) {
      counts.put(source, 0);
    }
    for (LocalRotation r : fitted) {
      counts.merge(r.source(), 1, Integer::sum);
    }
    Map<String, Object> named = new LinkedHashMap<>();
    counts.forEach((source, count) -> named.put(source.name(), count));
    return named;
  }

  // ---------------------------------------------------------------------------------------------
  // Step 4: rotated residuals

  /**
   * {@code y = R_c (r - mu_c)} for {@code n} residual rows of one half (n x D/2) in clusters
   * {@code assignments}, as a new array: one matrix product per cluster, exactly as {@link #train}
   * computes them.
   */
  public static float[] rotateResiduals(float[] residuals, int[] assignments, int n, int halfDimension,
      LocalRotation[] rotations) {
    float[] out = new float[n * halfDimension];
    ClusterIndex.of(Arrays.copyOf(assignments, n), rotations.length)
        .rotate(residuals, halfDimension, flattenMeans(rotations), flattenRotations(rotations), out);
    return out;
  }

  /** The means of per-cluster rotations, concatenated: V x D/2 row-major, as {@link LopqModel} stores them. */
  public static float[] flattenMeans(LocalRotation[] rotations) {
    int d = rotations[0].dimension();
    float[] out = new float[rotations.length * d];
    for (int c = 0; c < rotations.length; c++) {
      System.arraycopy(rotations[c].mean(), 0, out, c * d, d);
    }
    return out;
  }

  /** The rotation matrices of per-cluster rotations, concatenated: V blocks of D/2 x D/2, as {@link LopqModel} stores them. */
  public static float[] flattenRotations(LocalRotation[] rotations) {
    int d = rotations[0].dimension();
    float[] out = new float[rotations.length * d * d];
    for (int c = 0; c < rotations.length; c++) {
      System.arraycopy(rotations[c].rotation(), 0, out, c * d * d, d * d);
    }
    return out;
  }

  /**
   * A model from the outputs of the steps: per half the V x D/2 coarse centroids and V rotations,
   * and the M codebooks of K x D/M.
   */
  public static LopqModel assemble(int dimension, int k, float[][] coarseCentroids, LocalRotation[][] rotations,
      float[][] codebooks, ModelMetadata metadata) {
    float[][] means = new float[LopqModel.HALVES][];
    float[][] matrices = new float[LopqModel.HALVES][];
    for (int h = 0; h < LopqModel.HALVES; h++) {
      means[h] = flattenMeans(rotations[h]);
      matrices[h] = flattenRotations(rotations[h]);
    }
    return new LopqModel(dimension, rotations[0].length, codebooks.length, k, coarseCentroids.clone(), means,
        matrices, codebooks.clone(), metadata);
  }

  // ---------------------------------------------------------------------------------------------
  // Step 5: subquantizers

  /**
   * Codebooks of all M subquantizers from the rotated residuals of both halves (each n x D/2).
   *
   * @return per subquantizer m, a K x D/M codebook; m &lt; M/2 belong to half 0
   */
  public float[][] trainSubquantizers(float[][] rotatedHalves, int n, int dimension) {
    params.validate(dimension);
    int perHalf = params.subquantizers() / 2;
    int sub = dimension / params.subquantizers();
    int half = dimension / 2;
    List<KMeansResult> results = Parallel.map(params.subquantizers(), params.parallelism(), m -> {
      float[] y = rotatedHalves[m / perHalf];
      int offset = (m % perHalf) * sub;
      float[] chunk = new float[n * sub];
      for (int i = 0; i < n; i++) {
        System.arraycopy(y, i * half + offset, chunk, i * sub, sub);
      }
      return trainSubquantizer(chunk, n, sub, m);
    });
    float[][] codebooks = new float[params.subquantizers()][];
    for (int m = 0; m < codebooks.length; m++) {
      codebooks[m] = results.get(m).centroids();
    }
    return codebooks;
  }

  /**
   * k-means with K clusters on subquantizer m's chunk rows ({@code n x D/M}), on a seeded sample of
   * at most {@code maxSubquantizerSamples} rows. The result's assignments refer to the sample.
   */
  public KMeansResult trainSubquantizer(float[] chunkRows, int n, int subDimension, int m) {
    return subquantizerKMeans(m).fit(sample(chunkRows, n, subDimension, m), sampleSize(n), subDimension);
  }

  /** Like {@link #trainSubquantizer} but warm-started from an existing K x D/M codebook. */
  public KMeansResult retrainSubquantizer(float[] chunkRows, int n, int subDimension, int m, float[] codebook) {
    return subquantizerKMeans(m).fit(sample(chunkRows, n, subDimension, m), sampleSize(n), subDimension, codebook);
  }

  private KMeans subquantizerKMeans(int m) {
    return KMeans.withClusters(params.subquantizerClusters())
        .withMaxIterations(params.subquantizerIterations())
        .withTolerance(params.tolerance())
        .withSeed(Seeds.derive(params.seed(), SUBQUANTIZER_STREAM, m))
        .describedAs("K", "chunk " + m + " of the rotated residuals");
  }

  private int sampleSize(int n) {
    return Math.min(n, params.maxSubquantizerSamples());
  }

  private float[] sample(float[] rows, int n, int d, int m) {
    if (n <= params.maxSubquantizerSamples()) {
      return rows;
    }
    int[] indices = Sampling.sampleIndices(n, params.maxSubquantizerSamples(),
        Seeds.derive(params.seed(), SAMPLE_STREAM, m));
    return Sampling.gatherRows(rows, d, indices);
  }

  // ---------------------------------------------------------------------------------------------
  // Step 6: refinement

  /**
   * Refines a trained model on {@code n} row-major vectors for {@code refineIterations} rounds
   * (at least one): each round re-fits every large enough cell's rotation by Procrustes and its
   * mean to the current codes, re-encodes, and retrains the subquantizers warm-started from their
   * codebooks. A subquantizer keeps its new codebook only if it lowers the error, and a round that
   * would raise the distortion is undone, so the returned model is never worse on these vectors.
   */
  public LopqModel refine(LopqModel model, float[] data, int n) {
    int dimension = model.dimension();
    if ((!params.autoCoarseClusters() && model.coarseClusters() != params.coarseClusters())
        || model.subquantizers() != params.subquantizers()
        || model.subquantizerClusters() != params.subquantizerClusters()) {
      throw new IllegalArgumentException("model has V=" + model.coarseClusters() + ", M=" + model.subquantizers()
          + ", K=" + model.subquantizerClusters() + " but the parameters say V=" + params.coarseClusters()
          + ", M=" + params.subquantizers() + ", K=" + params.subquantizerClusters());
    }
    KMeans.checkData(data, n, dimension, "the training vectors");
    int half = dimension / 2;
    int minSize = params.minRotationClusterSize(dimension);
    TrainingState state = new TrainingState(n, dimension, model.coarseClusters(), model.subquantizers());
    for (int h = 0; h < LopqModel.HALVES; h++) {
      float[] halfRows = half(data, n, dimension, h);
      float[] centroids = model.coarseCentroids(h);
      int[] assignments = KMeans.assign(centroids, model.coarseClusters(), halfRows, n, half);
      subtractCentroids(halfRows, n, half, centroids, assignments);
      state.setCoarse(h, centroids, assignments, halfRows);
      state.means[h] = model.residualMeans(h).clone();
      state.rotations[h] = model.rotations(h).clone();
      state.sources[h] = new LocalRotation.Source[model.coarseClusters()];
      Arrays.fill(state.sources[h], LocalRotation.Source.LOCAL);
      state.rotate(h);
    }
    for (int m = 0; m < model.subquantizers(); m++) {
      state.setCodebook(m, model.codebook(m).clone(), model.subquantizerClusters());
    }
    state.encodeAll();
    Map<String, Object> stats = new LinkedHashMap<>(model.metadata().statistics());
    stats.put("distortionBeforeRefinement", state.distortion());
    refineState(state, minSize, stats);
    ModelMetadata metadata = new ModelMetadata(model.metadata().seed(), model.metadata().parameters(), stats);
    if (!model.hasLocalCodebooks() && params.codebooks() == CodebookScope.GLOBAL) {
      stats.put("distortion", state.distortion());
      return state.toModel(model.subquantizerClusters(), metadata.withStatistic("distortion", state.distortion()));
    }
    // Local codebooks: refit them from the refined shared ones; keep the given model if that is not better.
    float[][][] local = localCodebooks(state, stats);
    LopqModel refined = state.toModel(model.subquantizerClusters(),
        new ModelMetadata(model.metadata().seed(), model.metadata().parameters(), stats)).withLocalCodebooks(local);
    return distortion(refined, data, n) <= distortion(model, data, n) ? refined : model;
  }

  /** Mean squared reconstruction error of {@code model} on {@code n} row-major vectors (batched encoder). */
  static double distortion(LopqModel model, float[] data, int n) {
    BatchEncoder encoder = new BatchEncoder(model);
    float[] decoded = encoder.decode(encoder.encode(data, n));
    double total = 0;
    for (int i = 0; i < decoded.length; i++) {
      double diff = data[i] - decoded[i];
      total += diff * diff;
    }
    return n == 0 ? 0 : total / n;
  }

  private void refineState(TrainingState state, int minSize, Map<String, Object> stats) {
    List<Object> history = new ArrayList<>();
    int rounds = Math.max(1, params.refineIterations());
    boolean undone = false;
    for (int round = 0; round < rounds; round++) {
      double before = state.distortion();
      TrainingState.Snapshot snapshot = state.snapshot();
      if (params.useRotations()) {
        for (int h = 0; h < LopqModel.HALVES; h++) {
          refitRotations(state, h, minSize);
          state.rotate(h);
        }
        state.encodeAll();
      }
      for (int m = 0; m < state.subquantizers; m++) {
        float[] chunk = state.chunk(m);
        float[] previousCodebook = state.codebooks[m];
        int[] previousCodes = state.codes[m].clone();
        double previousError = state.fineErrors[m];
        KMeansResult retrained = retrainSubquantizer(chunk, state.n, state.sub, m, previousCodebook);
        state.setCodebook(m, retrained.centroids(), params.subquantizerClusters());
        if (state.encode(m, chunk) > previousError) {
          state.setCodebook(m, previousCodebook, params.subquantizerClusters());
          state.codes[m] = previousCodes;
          state.fineErrors[m] = previousError;
        }
      }
      double after = state.distortion();
      if (after > before) {
        snapshot.restore(state);
        undone = true;
        break;
      }
      history.add(after);
    }
    stats.put("refineDistortions", history);
    stats.put("refineRoundUndone", undone);
  }

  /**
   * Re-fits, for every cluster of half h with at least {@code minSize} members, the rotation to the
   * current codes (Procrustes on {@code r - mu} against the concatenated codewords) and then the
   * mean given that rotation: {@code mu = mean(r) - R^T mean(yhat)}.
   */
  private void refitRotations(TrainingState state, int h, int minSize) {
    int half = state.half;
    List<float[][]> refits = Parallel.map(state.clusters, params.parallelism(), c -> {
      int size = state.clusterSize(h, c);
      if (size < minSize || size == 0) {
        return null;
      }
      float[] sources = new float[size * half];
      float[] targets = new float[size * half];
      state.gatherCentered(h, c, sources);
      state.gatherReconstruction(h, c, targets);
      double[] r = Procrustes.fit(sources, targets, size, half);
      double[] meanResidual = new double[half];
      double[] meanTarget = new double[half];
      for (int t = 0; t < size; t++) {
        int i = state.member(h, c, t);
        for (int j = 0; j < half; j++) {
          meanResidual[j] += state.residuals[h][i * half + j];
          meanTarget[j] += targets[t * half + j];
        }
      }
      float[] mean = new float[half];
      float[] rotation = new float[half * half];
      for (int j = 0; j < half; j++) {
        double back = 0;
        for (int a = 0; a < half; a++) {
          back += r[a * half + j] * meanTarget[a];
        }
        mean[j] = (float) ((meanResidual[j] - back) / size);
      }
      for (int t = 0; t < half * half; t++) {
        rotation[t] = (float) r[t];
      }
      return new float[][] {mean, rotation};
    });
    for (int c = 0; c < state.clusters; c++) {
      float[][] refit = refits.get(c);
      if (refit != null) {
        System.arraycopy(refit[0], 0, state.means[h], c * half, half);
        System.arraycopy(refit[1], 0, state.rotations[h], c * half * half, half * half);
      }
    }
  }

  // ---------------------------------------------------------------------------------------------

  private ModelMetadata metadata(int dimension, Map<String, Object> stats) {
    Map<String, Object> parameters = new LinkedHashMap<>();
    parameters.put("D", dimension);
    parameters.putAll(params.toMap());
    parameters.put("trainer", LocalTrainer.class.getSimpleName());
    return new ModelMetadata(params.seed(), parameters, stats);
  }

  private static List<Object> toList(double[] values) {
    List<Object> list = new ArrayList<>(values.length);
    for (double v : values) {
      list.add(v);
    }
    return list;
  }
}
