package io.lopq.spark.train;

import io.lopq.math.KMeans;
import io.lopq.math.LocalRotation;
import io.lopq.math.Moments;
import io.lopq.model.LopqModel;
import io.lopq.spark.common.ContiguousCoalescer;
import io.lopq.spark.common.OrderedReduction;
import io.lopq.spark.common.VectorBlock;
import io.lopq.train.LocalTrainer;
import io.lopq.train.TrainingParams;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.PairFlatMapFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.storage.StorageLevel;
import org.apache.spark.util.LongAccumulator;
import scala.Tuple2;

/**
 * Steps 2-3, residuals and local rotations, in one pass over every input row plus one task per
 * group of clusters:
 *
 * <pre>
 *   map (per partition): c = argmin ||x_h - C_h[c]||^2 (one gemm per block), r = x_h - C_h[c];
 *                        rows buffered per (h, c), then Moments(h, c) += (n, sum r, sum r r^T)
 *                        with one dsyrk per full buffer ({@link MomentsAccumulator}); emits one
 *                        partial Moments per (h, c)
 *                        (and one per half over all clusters); the input is coalesced to one
 *                        partition per core, which bounds the partial moments shuffled
 *   reduceByKey          Moments(h, c) summed over partitions in partition order (OrderedReduction:
 *                        the same sums on any cluster), shuffled as upper triangles
 *                        ({@link PackedMoments}): no row ever reaches the driver
 *   fallback (GLOBAL)    per half, the moments of all its residuals eigen-decomposed in an
 *                        executor task (the rotation of clusters under minRotationClusterSize)
 *   shrinkage            with rotationPriorRows &gt; 0, the half's moments are collected and broadcast:
 *                        each cluster's covariance is shrunk toward the half's by that many pseudo-rows
 *   map (executors)      LocalRotation.fromMoments per cluster: eigen-decomposition + eigenvalue
 *                        allocation (LocalTrainer.clusterRotation), in parallel tasks
 *   collect              only the finished rotations (and per-cluster sizes and energies)
 * </pre>
 *
 * The energies give exact distortions over all rows for free: {@code sum ||r||^2} (after the
 * coarse step) and {@code sum ||r - mu||^2 = sum ||r||^2 - ||sum r||^2 / n} (after the means).
 */
final class RotationStep {
  private RotationStep() {}

  /** What the step found. */
  static final class Result {
    final LocalRotation[][] rotations;
    final int[][] sizes;
    final double residualEnergy;
    final double centeredEnergy;
    final long rows;

    Result(LocalRotation[][] rotations, int[][] sizes, double residualEnergy, double centeredEnergy, long rows) {
      this.rotations = rotations;
      this.sizes = sizes;
      this.residualEnergy = residualEnergy;
      this.centeredEnergy = centeredEnergy;
      this.rows = rows;
    }
  }

  /** A cluster's fitted rotation and statistics, as a task returns it. */
  static final class FittedCluster implements Serializable {
    private static final long serialVersionUID = 1L;
    final int key;
    final LocalRotation rotation;
    final long count;
    final double residualEnergy;
    final double centeredEnergy;

    FittedCluster(int key, LocalRotation rotation, long count, double residualEnergy, double centeredEnergy) {
      this.key = key;
      this.rotation = rotation;
      this.count = count;
      this.residualEnergy = residualEnergy;
      this.centeredEnergy = centeredEnergy;
    }
  }

  static Result run(JavaSparkContext jsc, JavaRDD<VectorBlock> blocks, float[][] centroids, int dimension,
      LocalTrainer trainer, int reducePartitions, LongAccumulator fittedInTasks, StepLog log) {
    TrainingParams params = trainer.params();
    int v = params.coarseClusters();
    int half = dimension / 2;
    int halfKeys = LopqModel.HALVES * v;
    int minSize = params.minRotationClusterSize(dimension);
    int mapPartitions = Math.max(1, Math.min(blocks.getNumPartitions(), jsc.defaultParallelism()));
    Broadcast<float[][]> coarse = jsc.broadcast(centroids);
    JavaPairRDD<Integer, PackedMoments> moments = OrderedReduction.reduceByKey(
            ContiguousCoalescer.coalesce(blocks, mapPartitions).mapPartitionsToPair(new PartialMoments(coarse, v, half)),
            reducePartitions, (a, b) -> a.merge(b))
        .persist(StorageLevel.MEMORY_AND_DISK());
    try {
      LocalRotation[] fallback = new LocalRotation[LopqModel.HALVES];
      boolean global = params.useRotations() && params.rotationFallback() == TrainingParams.RotationFallback.GLOBAL;
      if (global) {
        log.progress("rotations", "fitting the fallback rotation of each half (for clusters under " + minSize
            + " rows) on executors");
        Map<Integer, LocalRotation> fitted = moments.filter(kv -> kv._1() >= halfKeys)
            .mapValues(packed -> trainer.fallbackRotation(packed.unpack()))
            .collectAsMap();
        for (int h = 0; h < LopqModel.HALVES; h++) {
          fallback[h] = fitted.get(halfKeys + h);
        }
      } else {
        for (int h = 0; h < LopqModel.HALVES; h++) {
          fallback[h] = trainer.fallbackRotation(new Moments(half));
        }
      }
      Moments[] halfMoments = new Moments[LopqModel.HALVES];
      boolean shrink = params.useRotations() && params.rotationPriorRows(dimension) > 0;
      if (shrink) {
        Map<Integer, PackedMoments> halves = moments.filter(kv -> kv._1() >= halfKeys).collectAsMap();
        for (int h = 0; h < LopqModel.HALVES; h++) {
          PackedMoments packed = halves.get(halfKeys + h);
          halfMoments[h] = packed == null ? null : packed.unpack();
        }
      }
      log.progress("rotations", "fitting " + halfKeys + " local rotations in " + reducePartitions
          + " executor tasks" + (shrink ? ", shrunk toward the half's by " + params.rotationPriorRows(dimension)
          + " pseudo-rows" : ""));
      Broadcast<LocalRotation[]> fallbacks = jsc.broadcast(fallback);
      Broadcast<Moments[]> priors = jsc.broadcast(halfMoments);
      List<FittedCluster> fitted = moments.filter(kv -> kv._1() < halfKeys).map(kv -> {
        int key = kv._1();
        Moments m = kv._2().unpack();
        LocalRotation rotation;
        try {
          rotation = trainer.clusterRotation(m, fallbacks.value()[key / v], priors.value()[key / v]);
        } catch (IllegalArgumentException | IllegalStateException e) {
          throw new IllegalStateException("local rotation of half " + (key / v) + ", cluster " + (key % v) + " ("
              + m.count() + " rows): " + e.getMessage(), e);
        }
        if (TaskContext.get() != null) {
          fittedInTasks.add(1);
        }
        double energy = trace(m.outerProducts(), half);
        double[] sum = m.sum();
        double sumSquared = 0;
        for (double s : sum) {
          sumSquared += s * s;
        }
        double centered = m.count() == 0 ? 0 : energy - sumSquared / m.count();
        return new FittedCluster(key, rotation, m.count(), energy, centered);
      }).collect();
      fallbacks.destroy();
      priors.destroy();
      log.progress("rotations", "local rotations received");
      return assemble(fitted, fallback, trainer, v, half);
    } finally {
      moments.unpersist(false);
      coarse.destroy();
    }
  }

  private static Result assemble(List<FittedCluster> fitted, LocalRotation[] fallback, LocalTrainer trainer, int v,
      int half) {
    LocalRotation[][] rotations = new LocalRotation[LopqModel.HALVES][v];
    int[][] sizes = new int[LopqModel.HALVES][v];
    double residualEnergy = 0;
    double centeredEnergy = 0;
    for (FittedCluster f : fitted) {
      int h = f.key / v;
      int c = f.key % v;
      rotations[h][c] = f.rotation;
      sizes[h][c] = Math.toIntExact(f.count);
      residualEnergy += f.residualEnergy;
      centeredEnergy += f.centeredEnergy;
    }
    for (int h = 0; h < LopqModel.HALVES; h++) {
      for (int c = 0; c < v; c++) {
        if (rotations[h][c] == null) {
          // An empty cluster: no moments reached the reducers; it takes the fallback (no decomposition).
          rotations[h][c] = trainer.clusterRotation(new Moments(half), fallback[h]);
        }
      }
    }
    long rows = 0;
    for (int size : sizes[0]) {
      rows += size;
    }
    return new Result(rotations, sizes, residualEnergy, centeredEnergy, rows);
  }

  private static double trace(double[] matrix, int d) {
    double t = 0;
    for (int i = 0; i < d; i++) {
      t += matrix[i * d + i];
    }
    return t;
  }

  /**
   * One partition's residual moments per (half, cluster), key {@code h * V + c}, and per half
   * over all its clusters, key {@code 2V + h} (for the fallback rotation).
   */
  static final class PartialMoments implements PairFlatMapFunction<Iterator<VectorBlock>, Integer, PackedMoments> {
    private static final long serialVersionUID = 1L;
    private final Broadcast<float[][]> coarse;
    private final int clusters;
    private final int half;

    PartialMoments(Broadcast<float[][]> coarse, int clusters, int half) {
      this.coarse = coarse;
      this.clusters = clusters;
      this.half = half;
    }

    @Override
    public Iterator<Tuple2<Integer, PackedMoments>> call(Iterator<VectorBlock> blocks) {
      float[][] centroids = coarse.value();
      MomentsAccumulator[] moments = new MomentsAccumulator[LopqModel.HALVES * clusters];
      // One batch is added at a time: a single double copy of it serves every accumulator of the task.
      MomentsAccumulator.Scratch scratch = new MomentsAccumulator.Scratch();
      ClusterBuffers[] buffers = new ClusterBuffers[LopqModel.HALVES];
      for (int h = 0; h < LopqModel.HALVES; h++) {
        int base = h * clusters;
        buffers[h] = new ClusterBuffers(clusters, half, (c, rows, count) -> {
          if (moments[base + c] == null) {
            moments[base + c] = new MomentsAccumulator(half, scratch);
          }
          moments[base + c].add(rows, count);
        });
      }
      while (blocks.hasNext()) {
        VectorBlock block = blocks.next();
        int n = block.size();
        for (int h = 0; h < LopqModel.HALVES; h++) {
          float[] rows = block.half(h);
          float[] c = centroids[h];
          int[] assignments = KMeans.assign(c, clusters, rows, n, half);
          for (int i = 0; i < n; i++) {
            int a = assignments[i] * half;
            int r = i * half;
            for (int j = 0; j < half; j++) {
              rows[r + j] -= c[a + j];
            }
            buffers[h].add(assignments[i], rows, r);
          }
        }
      }
      List<Tuple2<Integer, PackedMoments>> out = new ArrayList<>();
      for (int h = 0; h < LopqModel.HALVES; h++) {
        buffers[h].flush();
      }
      for (int h = 0; h < LopqModel.HALVES; h++) {
        PackedMoments total = PackedMoments.zero(half);
        for (int c = 0; c < clusters; c++) {
          MomentsAccumulator m = moments[h * clusters + c];
          if (m != null) {
            PackedMoments packed = m.packed();
            out.add(new Tuple2<>(h * clusters + c, packed));
            total.merge(packed);
            moments[h * clusters + c] = null;
          }
        }
        out.add(new Tuple2<>(LopqModel.HALVES * clusters + h, total));
      }
      return out.iterator();
    }
  }
}
