package io.lopq.spark.train;

import io.lopq.encode.BatchEncoder;
import io.lopq.encode.EncodedBatch;
import io.lopq.math.Blas;
import io.lopq.math.Procrustes;
import io.lopq.model.LopqModel;
import io.lopq.model.ModelMetadata;
import io.lopq.spark.common.OrderedReduction;
import io.lopq.spark.common.SerializableModel;
import io.lopq.spark.common.VectorBlock;
import io.lopq.train.LocalTrainer;
import io.lopq.train.TrainingParams;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.PairFlatMapFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.util.LongAccumulator;
import scala.Tuple2;

/**
 * Step 6, optional refinement (the paper's local optimization), distributed. Each round:
 *
 * <pre>
 *   1. pass over the training sample with the current model: per (h, c), aggregated by key,
 *        n, sum r, sum yhat, A = sum yhat r^T      (r = x_h - C_h[c], yhat = [P_m[f_m] ...] of half h)
 *   2. executors, per cluster with n &gt;= minRotationClusterSize:
 *        R = Procrustes(A - (sum yhat) mu^T)      (sources r - mu, targets yhat)
 *        mu' = (sum r - R^T sum yhat) / n
 *   3. subquantizers retrained warm-started on the new rotated residuals (each keeps its new
 *      codebook only if that lowers its error)
 *   4. distortion re-estimated on the distortion sample; a round that raises it is undone and
 *      ends the refinement
 * </pre>
 *
 * So the distortion estimate never rises (LOPQ.md, step 6).
 */
final class RefineStep {
  private RefineStep() {}

  /** The refined model and what happened. */
  static final class Result {
    final LopqModel model;
    final double distortion;
    final Map<String, Object> record;

    Result(LopqModel model, double distortion, Map<String, Object> record) {
      this.model = model;
      this.distortion = distortion;
      this.record = record;
    }
  }

  /** Per-cluster sums for the Procrustes re-fit. */
  static final class RefitSums implements Serializable {
    private static final long serialVersionUID = 1L;
    long count;
    final double[] residualSum;
    final double[] targetSum;
    final double[] cross;

    RefitSums(int d) {
      residualSum = new double[d];
      targetSum = new double[d];
      cross = new double[d * d];
    }

    /** Adds {@code count} rows of {@code [r | yhat]} (width 2d). */
    void add(float[] rows, int n, int d) {
      double[] r = new double[n * d];
      double[] y = new double[n * d];
      for (int i = 0; i < n; i++) {
        for (int j = 0; j < d; j++) {
          double rv = rows[i * 2 * d + j];
          double yv = rows[i * 2 * d + d + j];
          r[i * d + j] = rv;
          y[i * d + j] = yv;
          residualSum[j] += rv;
          targetSum[j] += yv;
        }
      }
      Blas.gemmTN(d, d, n, 1.0, y, 0, r, 0, 1.0, cross, 0);
      count += n;
    }

    RefitSums merge(RefitSums other) {
      count += other.count;
      for (int j = 0; j < residualSum.length; j++) {
        residualSum[j] += other.residualSum[j];
        targetSum[j] += other.targetSum[j];
      }
      for (int t = 0; t < cross.length; t++) {
        cross[t] += other.cross[t];
      }
      return this;
    }
  }

  /** A cluster's re-fitted mean and rotation. */
  static final class Refit implements Serializable {
    private static final long serialVersionUID = 1L;
    final int key;
    final float[] mean;
    final float[] rotation;

    Refit(int key, float[] mean, float[] rotation) {
      this.key = key;
      this.mean = mean;
      this.rotation = rotation;
    }
  }

  static Result run(JavaSparkContext jsc, JavaRDD<VectorBlock> sample, long sampleRows, JavaRDD<VectorBlock> blocks,
      JavaRDD<VectorBlock> distortionRows, long totalRows, LopqModel start, double startDistortion, TrainPlan plan, int reducePartitions,
      LongAccumulator tasks, StepLog log) {
    TrainingParams params = plan.training();
    LocalTrainer trainer = new LocalTrainer(params);
    int v = start.coarseClusters();
    int d = start.halfDimension();
    int minSize = params.minRotationClusterSize(start.dimension());
    LopqModel current = start;
    double distortion = startDistortion;
    List<Object> history = new ArrayList<>();
    boolean undone = false;
    int rounds = 0;
    for (int round = 1; round <= params.refineIterations(); round++) {
      float[][] means = new float[LopqModel.HALVES][];
      float[][] rotations = new float[LopqModel.HALVES][];
      int refitted = 0;
      for (int h = 0; h < LopqModel.HALVES; h++) {
        means[h] = current.residualMeans(h).clone();
        rotations[h] = current.rotations(h).clone();
      }
      if (params.useRotations()) {
        Broadcast<SerializableModel> model = jsc.broadcast(new SerializableModel(current));
        try {
          List<Refit> refits = OrderedReduction.reduceByKey(sample.mapPartitionsToPair(new SumsOfPartition(model)),
                  reducePartitions, (a, b) -> a.merge(b))
              .flatMap(kv -> {
                RefitSums s = kv._2();
                if (s.count < minSize || s.count == 0) {
                  return List.<Refit>of().iterator();
                }
                int key = kv._1();
                float[] oldMean = model.value().model().residualMeans(key / v);
                int base = (key % v) * d;
                double[] a = s.cross.clone();
                for (int i = 0; i < d; i++) {
                  for (int j = 0; j < d; j++) {
                    a[i * d + j] -= s.targetSum[i] * oldMean[base + j];
                  }
                }
                double[] r = Procrustes.fromCrossCovariance(a, d);
                float[] mean = new float[d];
                float[] rotation = new float[d * d];
                for (int j = 0; j < d; j++) {
                  double back = 0;
                  for (int i = 0; i < d; i++) {
                    back += r[i * d + j] * s.targetSum[i];
                  }
                  mean[j] = (float) ((s.residualSum[j] - back) / s.count);
                }
                for (int t = 0; t < d * d; t++) {
                  rotation[t] = (float) r[t];
                }
                if (TaskContext.get() != null) {
                  tasks.add(1);
                }
                return List.of(new Refit(key, mean, rotation)).iterator();
              })
              .collect();
          for (Refit refit : refits) {
            int h = refit.key / v;
            int c = refit.key % v;
            System.arraycopy(refit.mean, 0, means[h], c * d, d);
            System.arraycopy(refit.rotation, 0, rotations[h], c * d * d, d * d);
          }
          refitted = refits.size();
        } finally {
          model.destroy();
        }
      }
      float[][] previousCodebooks = new float[current.subquantizers()][];
      for (int m = 0; m < previousCodebooks.length; m++) {
        previousCodebooks[m] = current.codebook(m);
      }
      float[][] centroids = {current.coarseCentroids(0), current.coarseCentroids(1)};
      SubquantizerStep.Trained[] trained = SubquantizerStep.run(jsc, sample, sampleRows,
          new SubquantizerStep.Rotator(centroids, means, rotations), previousCodebooks, start.dimension(), trainer,
          tasks);
      float[][] codebooks = new float[trained.length][];
      int kept = 0;
      for (SubquantizerStep.Trained t : trained) {
        codebooks[t.m] = t.codebook;
        kept += t.kept ? 1 : 0;
      }
      LopqModel candidate = new LopqModel(start.dimension(), v, start.subquantizers(), start.subquantizerClusters(),
          centroids, means, rotations, codebooks, ModelMetadata.EMPTY);
      DistortionStep.Estimate estimate = DistortionStep.estimate(jsc, distortionRows, totalRows, new SerializableModel(candidate),
          plan.distortionSampleRows(), params.seed());
      rounds = round;
      Map<String, Object> entry = new LinkedHashMap<>();
      entry.put("round", round);
      entry.put("rotationsRefitted", refitted);
      entry.put("codebooksImproved", kept);
      entry.put("distortion", estimate.distortion);
      history.add(entry);
      log.progress("refine", "round " + round + ": " + refitted + " rotations re-fitted, " + kept
          + " codebooks improved, distortion " + distortion + " -> " + estimate.distortion);
      if (!(estimate.distortion <= distortion)) {
        entry.put("undone", true);
        undone = true;
        break;
      }
      current = candidate;
      distortion = estimate.distortion;
    }
    Map<String, Object> record = new LinkedHashMap<>();
    record.put("rounds", rounds);
    record.put("distortionBefore", startDistortion);
    record.put("distortionAfter", distortion);
    record.put("lastRoundUndone", undone);
    record.put("history", history);
    return new Result(current, distortion, record);
  }

  /** One partition's refit sums per (half, cluster); key = h * V + c. */
  private static final class SumsOfPartition implements PairFlatMapFunction<Iterator<VectorBlock>, Integer, RefitSums> {
    private static final long serialVersionUID = 1L;
    private final Broadcast<SerializableModel> model;

    SumsOfPartition(Broadcast<SerializableModel> model) {
      this.model = model;
    }

    @Override
    public Iterator<Tuple2<Integer, RefitSums>> call(Iterator<VectorBlock> blocks) {
      LopqModel lopq = model.value().model();
      BatchEncoder encoder = new BatchEncoder(lopq);
      int v = lopq.coarseClusters();
      int d = lopq.halfDimension();
      int dimension = lopq.dimension();
      int perHalf = lopq.subquantizersPerHalf();
      int sub = lopq.subDimension();
      RefitSums[] sums = new RefitSums[LopqModel.HALVES * v];
      ClusterBuffers[] buffers = new ClusterBuffers[LopqModel.HALVES];
      for (int h = 0; h < LopqModel.HALVES; h++) {
        int base = h * v;
        buffers[h] = new ClusterBuffers(v, 2 * d, (c, rows, count) -> {
          if (sums[base + c] == null) {
            sums[base + c] = new RefitSums(d);
          }
          sums[base + c].add(rows, count, d);
        });
      }
      EncodedBatch codes = null;
      float[] residual = new float[d];
      float[] target = new float[d];
      while (blocks.hasNext()) {
        VectorBlock block = blocks.next();
        int n = block.size();
        codes = codes == null ? encoder.encode(block.vectors(), n) : encoder.encode(block.vectors(), n, codes);
        float[] x = block.vectors();
        for (int i = 0; i < n; i++) {
          for (int h = 0; h < LopqModel.HALVES; h++) {
            int c = codes.coarse(h, i);
            float[] centroids = lopq.coarseCentroids(h);
            for (int j = 0; j < d; j++) {
              residual[j] = x[i * dimension + h * d + j] - centroids[c * d + j];
            }
            for (int s = 0; s < perHalf; s++) {
              int m = h * perHalf + s;
              System.arraycopy(lopq.codebook(m, c), codes.fine(i, m) * sub, target, s * sub, sub);
            }
            buffers[h].add(c, residual, 0, d, target, 0);
          }
        }
      }
      List<Tuple2<Integer, RefitSums>> out = new ArrayList<>();
      for (int h = 0; h < LopqModel.HALVES; h++) {
        buffers[h].flush();
      }
      for (int key = 0; key < sums.length; key++) {
        if (sums[key] != null) {
          out.add(new Tuple2<>(key, sums[key]));
        }
      }
      return out.iterator();
    }
  }
}
