package io.lopq.spark.train;

import io.lopq.math.Seeds;
import io.lopq.model.LopqModel;
import io.lopq.spark.common.ContiguousCoalescer;
import io.lopq.spark.common.Storage;
import io.lopq.spark.common.VectorBlock;
import io.lopq.train.LocalTrainer;
import io.lopq.train.TrainingParams;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntFunction;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.mllib.clustering.KMeans;
import org.apache.spark.mllib.clustering.KMeansModel;
import org.apache.spark.mllib.linalg.Vector;
import org.apache.spark.mllib.linalg.Vectors;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;

/**
 * Step 1, the coarse quantizer, on the training sample coalesced to one partition per core (each
 * iteration is a Spark job, and fewer tasks per job cut its fixed cost):
 *
 * <pre>
 *   1. C_h = mllib.KMeans(k = V, seed = derive(seed, COARSE_STREAM, h), k-means|| with initSteps
 *            rounds, maxIterations = coarseSparkIterations, epsilon = coarseTolerance).run(x_h)
 *      Spark MLlib's distributed k-means with k-means|| initialisation (Bahmani et al., VLDB 2012),
 *      on a seeded sub-sample of at most coarseSparkRowsPerCluster x V rows of the training sample
 *      (all of it if the sub-sample has fewer than V distinct points); the two halves are
 *      independent and run at the same time, from two driver threads. A sub-sample of at most
 *      coarseDriverSeedingRows rows (the default for V up to 2,048) is instead collected and
 *      clustered on the driver (core k-means: k-means++ seeding, batched Lloyd iterations), which
 *      costs a fraction of k-means|| for a large V.
 *   2. the remaining coarseIterations - coarseSparkIterations Lloyd iterations of both halves at
 *      once with batched matrix products ({@link LloydStep}), stopping early when the distortion
 *      falls by less than the relative tolerance.
 * </pre>
 *
 * Spark MLlib's row-by-row Lloyd iterations cost several times more than the batched ones (each
 * distance is a separate dot product), hence the split; with coarseSparkIterations =
 * coarseIterations the whole k-means is Spark's.
 *
 * <p>Spark's k-means|| returns fewer than V centres when the data has fewer than V distinct points,
 * so a first pass counts distinct half-vectors, up to V per half, and refuses such a V with a
 * message that names the count.
 */
final class CoarseStep {
  private CoarseStep() {}

  /** Both halves' centroids (each V x D/2, row-major) and the distortions of the BLAS iterations. */
  static final class Result {
    final float[][] centroids;
    final int sparkIterations;
    final long sparkRows;
    final double[] lloydDistortions;

    Result(float[][] centroids, int sparkIterations, long sparkRows, double[] lloydDistortions) {
      this.centroids = centroids;
      this.sparkIterations = sparkIterations;
      this.sparkRows = sparkRows;
      this.lloydDistortions = lloydDistortions;
    }
  }

  /**
   * Trains both halves' coarse centroids.
   *
   * @param sample the training sample
   * @param sampleRows its number of rows
   * @param sampled whether it is a sample of the input (for messages)
   */
  static Result train(SparkSession spark, JavaRDD<VectorBlock> sample, long sampleRows, boolean sampled,
      int dimension, TrainPlan plan, StepLog log) {
    TrainingParams params = plan.training();
    int v = params.coarseClusters();
    int partitions = Math.max(1, Math.min(sample.getNumPartitions(), spark.sparkContext().defaultParallelism()));
    // The sample is cached already (serialized): coalescing it reads those blocks, no second copy.
    // Contiguous groups: the Lloyd sums and the sub-sample's row order must not depend on cache locations.
    JavaRDD<VectorBlock> local = ContiguousCoalescer.coalesce(sample, partitions);
    JavaRDD<VectorBlock> sparkInput = local;
    long sparkRows = sampleRows;
    try {
      long cap = (long) plan.coarseSparkRowsPerCluster() * v;
      if (sampleRows > cap) {
        double fraction = cap / (double) sampleRows;
        long stream = Streams.coarseSparkSample(params.seed());
        // Small enough for one task: each of Spark's k-means jobs then runs one task per half.
        JavaRDD<VectorBlock> subsample = ContiguousCoalescer.coalesce(
            local.map(b -> RowKeys.sample(b, stream, fraction)).filter(b -> b.size() > 0), 1)
            .persist(Storage.SPILLABLE).setName("lopq coarse k-means|| sample");
        long[] distinct = countDistinct(subsample, v);
        if (Math.min(distinct[0], distinct[1]) >= v) {
          sparkInput = subsample;
          sparkRows = distinct[LopqModel.HALVES];
        } else {
          subsample.unpersist(false);
        }
      }
      if (sparkInput == local) {
        long[] distinct = countDistinct(local, v);
        for (int h = 0; h < LopqModel.HALVES; h++) {
          if (distinct[h] < v) {
            throw new IllegalArgumentException("V=" + v + " is larger than the number of distinct points ("
                + distinct[h] + ") in half " + h + " of the " + (sampled ? "training sample (" + sampleRows
                + " rows); use a larger sample or a smaller V" : "input (" + sampleRows + " rows); use a smaller V"));
          }
        }
      }
      int sparkIterations = Math.min(plan.coarseSparkIterations(), params.coarseIterations());
      float[][] centroids;
      if (sparkRows <= plan.coarseDriverSeedingRows()) {
        log.progress("coarse", "k-means++ and " + sparkIterations + " Lloyd iteration(s) of both halves of "
            + sparkRows + " rows on the driver");
        centroids = driverKMeans(sparkInput, dimension, plan, sparkIterations);
      } else {
        log.progress("coarse", "Spark MLlib k-means (k-means||, " + sparkIterations + " Lloyd iteration(s)) of both "
            + "halves of " + sparkRows + " rows at once");
        centroids = sparkKMeans(spark, sparkInput, dimension, plan, sparkIterations, log);
      }
      int rest = params.coarseIterations() - sparkIterations;
      double[] history = new double[0];
      if (rest > 0) {
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        StepLog.setJobGroup(jsc, "coarse", "Lloyd iterations of both halves");
        LloydStep.Result lloyd = LloydStep.iterate(jsc, local, sampleRows, centroids, v, dimension / 2, rest,
            params.tolerance(), log);
        centroids = lloyd.centroids;
        history = lloyd.distortions;
      }
      return new Result(centroids, sparkIterations, sparkRows, history);
    } finally {
      if (sparkInput != local) {
        sparkInput.unpersist(false);
      }
    }
  }

  /**
   * Both halves' first centroids from the (small) sub-sample collected to the driver: core k-means
   * with k-means++ seeding and {@code iterations} batched Lloyd iterations, one thread per half.
   * Far cheaper than Spark MLlib's k-means|| for a large V, whose local k-means++ over the
   * candidates runs row by row.
   */
  private static float[][] driverKMeans(JavaRDD<VectorBlock> sample, int dimension, TrainPlan plan,
      int iterations) {
    TrainingParams params = plan.training();
    int v = params.coarseClusters();
    int half = dimension / 2;
    List<VectorBlock> blocks = sample.collect();
    int n = 0;
    for (VectorBlock block : blocks) {
      n += block.size();
    }
    float[][] halves = new float[LopqModel.HALVES][Math.multiplyExact(n, half)];
    int row = 0;
    for (VectorBlock block : blocks) {
      float[] x = block.vectors();
      for (int i = 0; i < block.size(); i++, row++) {
        for (int h = 0; h < LopqModel.HALVES; h++) {
          System.arraycopy(x, i * dimension + h * half, halves[h], row * half, half);
        }
      }
    }
    int rows = n;
    return perHalf(which -> () -> io.lopq.math.KMeans.withClusters(v)
        .withMaxIterations(iterations)
        .withTolerance(params.tolerance())
        .withSeedingTrials(1)
        .withSeed(Seeds.derive(params.seed(), LocalTrainer.COARSE_STREAM, which))
        .describedAs("V", "half " + which + " of the coarse k-means sub-sample")
        .fit(halves[which], rows, half).centroids());
  }

  private static float[][] sparkKMeans(SparkSession spark, JavaRDD<VectorBlock> sample, int dimension,
      TrainPlan plan, int iterations, StepLog log) {
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    return perHalf(half -> () -> {
      StepLog.setJobGroup(jsc, "coarse", "Spark MLlib k-means of half " + half);
      float[] centroids = trainHalf(sample, dimension, half, plan, iterations);
      log.progress("coarse", "Spark MLlib k-means of half " + half + " done");
      return centroids;
    });
  }

  /** Runs {@code task(h)} for both halves at once, on two daemon threads; failures pass through. */
  private static float[][] perHalf(IntFunction<Callable<float[]>> task) {
    ExecutorService pool = Executors.newFixedThreadPool(LopqModel.HALVES, runnable -> {
      Thread thread = new Thread(runnable, "lopq-train-coarse");
      thread.setDaemon(true);
      return thread;
    });
    try {
      List<Future<float[]>> futures = new ArrayList<>();
      for (int h = 0; h < LopqModel.HALVES; h++) {
        futures.add(pool.submit(task.apply(h)));
      }
      float[][] centroids = new float[LopqModel.HALVES][];
      for (int h = 0; h < LopqModel.HALVES; h++) {
        centroids[h] = futures.get(h).get();
      }
      return centroids;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("coarse k-means was interrupted", e);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof RuntimeException runtime) {
        throw runtime;
      }
      if (cause instanceof Error error) {
        throw error;
      }
      throw new IllegalStateException("coarse k-means failed: " + cause, cause);
    } finally {
      pool.shutdownNow();
    }
  }

  private static float[] trainHalf(JavaRDD<VectorBlock> sample, int dimension, int h, TrainPlan plan,
      int iterations) {
    TrainingParams params = plan.training();
    int v = params.coarseClusters();
    int half = dimension / 2;
    JavaRDD<Vector> vectors = sample.flatMap(new HalfVectors(h))
        .persist(StorageLevel.MEMORY_AND_DISK()).setName("lopq coarse k-means input, half " + h);
    try {
      KMeansModel model = new KMeans()
          .setK(v)
          .setInitializationMode(KMeans.K_MEANS_PARALLEL())
          .setInitializationSteps(plan.coarseInitSteps())
          .setMaxIterations(iterations)
          .setEpsilon(plan.coarseTolerance())
          .setSeed(Seeds.derive(params.seed(), LocalTrainer.COARSE_STREAM, h))
          .run(vectors.rdd());
      Vector[] centers = model.clusterCenters();
      if (centers.length != v) {
        throw new IllegalStateException("Spark's k-means|| found only " + centers.length + " distinct candidate "
            + "centres for V=" + v + " in half " + h + " of the training sample; use a larger sample, more "
            + "k-means|| steps or a smaller V");
      }
      float[] out = new float[v * half];
      for (int c = 0; c < v; c++) {
        double[] values = centers[c].toArray();
        for (int j = 0; j < half; j++) {
          out[c * half + j] = (float) values[j];
        }
      }
      return out;
    } finally {
      vectors.unpersist(false);
    }
  }

  /**
   * Per half, the number of distinct half-vectors in the sample, counted up to {@code limit};
   * then (at index 2) the number of rows.
   */
  static long[] countDistinct(JavaRDD<VectorBlock> sample, int limit) {
    List<DistinctSets> perPartition = sample.mapPartitions(new DistinctHalves(limit)).collect();
    long[] counts = new long[LopqModel.HALVES + 1];
    for (DistinctSets sets : perPartition) {
      counts[LopqModel.HALVES] += sets.rows;
    }
    for (int h = 0; h < LopqModel.HALVES; h++) {
      Set<HalfKey> union = new HashSet<>();
      for (DistinctSets sets : perPartition) {
        for (HalfKey key : sets.halves.get(h)) {
          if (union.size() >= limit) {
            break;
          }
          union.add(key);
        }
      }
      counts[h] = union.size();
    }
    return counts;
  }

  /** The rows of half h as Spark MLlib dense vectors. */
  private static final class HalfVectors implements FlatMapFunction<VectorBlock, Vector> {
    private static final long serialVersionUID = 1L;
    private final int h;

    HalfVectors(int h) {
      this.h = h;
    }

    @Override
    public Iterator<Vector> call(VectorBlock block) {
      int d = block.dimension();
      int half = d / 2;
      float[] x = block.vectors();
      List<Vector> rows = new ArrayList<>(block.size());
      for (int i = 0; i < block.size(); i++) {
        double[] values = new double[half];
        int base = i * d + h * half;
        for (int j = 0; j < half; j++) {
          values[j] = x[base + j];
        }
        rows.add(Vectors.dense(values));
      }
      return rows.iterator();
    }
  }

  /** One partition's distinct half-vectors (up to a limit per half) and its number of rows. */
  static final class DistinctSets implements Serializable {
    private static final long serialVersionUID = 1L;
    final List<Set<HalfKey>> halves = new ArrayList<>();
    long rows;
  }

  /** Up to {@code limit} distinct half-vectors per half of one partition, and its row count. */
  private static final class DistinctHalves implements FlatMapFunction<Iterator<VectorBlock>, DistinctSets> {
    private static final long serialVersionUID = 1L;
    private final int limit;

    DistinctHalves(int limit) {
      this.limit = limit;
    }

    @Override
    public Iterator<DistinctSets> call(Iterator<VectorBlock> blocks) {
      DistinctSets result = new DistinctSets();
      List<Set<HalfKey>> sets = result.halves;
      for (int h = 0; h < LopqModel.HALVES; h++) {
        sets.add(new HashSet<>());
      }
      while (blocks.hasNext()) {
        VectorBlock block = blocks.next();
        result.rows += block.size();
        if (sets.get(0).size() >= limit && sets.get(1).size() >= limit) {
          continue;
        }
        int half = block.dimension() / 2;
        for (int h = 0; h < LopqModel.HALVES; h++) {
          Set<HalfKey> set = sets.get(h);
          float[] x = block.vectors();
          for (int i = 0; i < block.size() && set.size() < limit; i++) {
            int from = i * block.dimension() + h * half;
            set.add(new HalfKey(Arrays.copyOfRange(x, from, from + half)));
          }
        }
      }
      return Collections.singletonList(result).iterator();
    }
  }

  /** A half-vector compared by value. */
  static final class HalfKey implements Serializable {
    private static final long serialVersionUID = 1L;
    private final float[] values;
    private final int hash;

    HalfKey(float[] values) {
      this.values = values;
      this.hash = Arrays.hashCode(values);
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof HalfKey other && hash == other.hash && Arrays.equals(values, other.values);
    }

    @Override
    public int hashCode() {
      return hash;
    }
  }
}
