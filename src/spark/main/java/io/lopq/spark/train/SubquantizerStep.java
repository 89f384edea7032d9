package io.lopq.spark.train;

import io.lopq.math.KMeans;
import io.lopq.math.KMeansPlusPlus;
import io.lopq.math.KMeansResult;
import io.lopq.math.Sampling;
import io.lopq.math.Seeds;
import io.lopq.model.LopqModel;
import io.lopq.spark.common.VectorBlock;
import io.lopq.train.ClusterIndex;
import io.lopq.train.LocalTrainer;
import io.lopq.train.TrainingParams;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.HashPartitioner;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.Function2;
import org.apache.spark.api.java.function.PairFlatMapFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.util.LongAccumulator;
import scala.Tuple2;

/**
 * Step 4-5, rotated residuals and subquantizers: one pass over the training sample computes the
 * rotated residuals and cuts them into the M chunks, each subquantizer keeping its own seeded
 * sample of rows; the chunks are shuffled to M partitions, one per subquantizer, and each task runs
 * the single-machine k-means of {@link LocalTrainer#trainSubquantizer} on its rows.
 *
 * <pre>
 *   map:     y_h = R_h[c] (x_h - C_h[c] - mu_h[c])      (one gemm per cluster present in a block)
 *            chunk m of y, for rows with sampled(key, derive(seed, 12, m), f),
 *            f = min(1, OVERDRAW * maxSubquantizerSamples / sample rows)
 *   shuffle: by m to M partitions; a task sorts its chunks by (partition, block) so that its rows
 *            come in input order whatever the fetch order
 *   task m:  P_m = k-means(K) on at most maxSubquantizerSamples of the rows (exact cap: the
 *            trainer's own seeded sample), seeded by k-means++ on 16 K of them; with a warm start
 *            (refinement), the new codebook is kept only if it lowers the error on these rows
 * </pre>
 */
final class SubquantizerStep {
  /** Draw a little more than the cap, so the trainer's exact cap rarely lacks rows. */
  static final double OVERDRAW = 1.05;
  /** Rows per centroid the k-means++ seeding of a subquantizer looks at. */
  static final int SEEDING_ROWS_PER_CENTROID = 16;

  private SubquantizerStep() {}

  /** A subquantizer's result, as its task returns it. */
  static final class Trained implements Serializable {
    private static final long serialVersionUID = 1L;
    final int m;
    final float[] codebook;
    final int rows;
    final double[] history;
    final boolean kept;
    final double errorBefore;
    final double errorAfter;

    Trained(int m, float[] codebook, int rows, double[] history, boolean kept, double errorBefore, double errorAfter) {
      this.m = m;
      this.codebook = codebook;
      this.rows = rows;
      this.history = history;
      this.kept = kept;
      this.errorBefore = errorBefore;
      this.errorAfter = errorAfter;
    }
  }

  /** A piece of one subquantizer's chunk rows, tagged with where it came from (for a stable order). */
  static final class Chunk implements Serializable {
    private static final long serialVersionUID = 1L;
    final int partition;
    final int block;
    final int rows;
    final float[] values;

    Chunk(int partition, int block, int rows, float[] values) {
      this.partition = partition;
      this.block = block;
      this.rows = rows;
      this.values = values;
    }
  }

  /** The coarse quantizer and rotations the residuals are computed with (broadcast). */
  static final class Rotator implements Serializable {
    private static final long serialVersionUID = 1L;
    final float[][] centroids;
    final float[][] means;
    final float[][] rotations;

    Rotator(float[][] centroids, float[][] means, float[][] rotations) {
      this.centroids = centroids;
      this.means = means;
      this.rotations = rotations;
    }
  }

  /**
   * Trains (or, with {@code warmStart}, retrains) the M codebooks.
   *
   * @param sampleRows rows in {@code sample}
   * @param warmStart per subquantizer the codebook to start from, or null to train from scratch
   */
  static Trained[] run(JavaSparkContext jsc, JavaRDD<VectorBlock> sample, long sampleRows, Rotator rotator,
      float[][] warmStart, int dimension, LocalTrainer trainer, LongAccumulator trainedInTasks) {
    TrainingParams params = trainer.params();
    int subquantizers = params.subquantizers();
    double fraction = Math.min(1.0, OVERDRAW * params.maxSubquantizerSamples() / (double) sampleRows);
    Broadcast<Rotator> broadcast = jsc.broadcast(rotator);
    Broadcast<float[][]> warm = warmStart == null ? null : jsc.broadcast(warmStart);
    try {
      List<Trained> trained = sample
          .mapPartitionsToPair(new ChunkCutter(broadcast, params.coarseClusters(), subquantizers, dimension,
              params.seed(), fraction))
          .partitionBy(new HashPartitioner(subquantizers))
          .mapPartitionsWithIndex(new ChunkTrainer(trainer, warm, dimension / subquantizers, trainedInTasks), false)
          .collect();
      Trained[] out = new Trained[subquantizers];
      for (Trained t : trained) {
        out[t.m] = t;
      }
      for (int m = 0; m < subquantizers; m++) {
        if (out[m] == null) {
          throw new IllegalArgumentException("subquantizer " + m + " received no training rows (sample of "
              + sampleRows + " rows); use a larger sample");
        }
      }
      return out;
    } finally {
      broadcast.destroy();
      if (warm != null) {
        warm.destroy();
      }
    }
  }

  /** Rotated residuals of one partition, cut into sampled chunks keyed by subquantizer. */
  static final class ChunkCutter implements PairFlatMapFunction<Iterator<VectorBlock>, Integer, Chunk> {
    private static final long serialVersionUID = 1L;
    private final Broadcast<Rotator> rotator;
    private final int clusters;
    private final int subquantizers;
    private final int dimension;
    private final long seed;
    private final double fraction;

    ChunkCutter(Broadcast<Rotator> rotator, int clusters, int subquantizers, int dimension, long seed,
        double fraction) {
      this.rotator = rotator;
      this.clusters = clusters;
      this.subquantizers = subquantizers;
      this.dimension = dimension;
      this.seed = seed;
      this.fraction = fraction;
    }

    @Override
    public Iterator<Tuple2<Integer, Chunk>> call(Iterator<VectorBlock> blocks) {
      Rotator r = rotator.value();
      int partition = TaskContext.get() == null ? 0 : TaskContext.get().partitionId();
      int half = dimension / 2;
      int perHalf = subquantizers / 2;
      int sub = dimension / subquantizers;
      long[] streams = new long[subquantizers];
      for (int m = 0; m < subquantizers; m++) {
        streams[m] = Streams.subquantizerSample(seed, m);
      }
      List<Tuple2<Integer, Chunk>> out = new ArrayList<>();
      int blockIndex = 0;
      while (blocks.hasNext()) {
        VectorBlock block = blocks.next();
        int n = block.size();
        for (int h = 0; h < LopqModel.HALVES; h++) {
          float[] rotated = rotate(block, h, r, clusters, half);
          for (int s = 0; s < perHalf; s++) {
            int m = h * perHalf + s;
            float[] values = new float[n * sub];
            int count = 0;
            for (int i = 0; i < n; i++) {
              if (RowKeys.sampled(block.id(i), streams[m], fraction)) {
                System.arraycopy(rotated, i * half + s * sub, values, count * sub, sub);
                count++;
              }
            }
            if (count > 0) {
              out.add(new Tuple2<>(m, new Chunk(partition, blockIndex, count, Arrays.copyOf(values, count * sub))));
            }
          }
        }
        blockIndex++;
      }
      return out.iterator();
    }
  }

  /** {@code y = R_c (x_h - C_c - mu_c)} for every row of half h of a block (n x D/2). */
  static float[] rotate(VectorBlock block, int h, Rotator r, int clusters, int half) {
    int n = block.size();
    float[] rows = block.half(h);
    float[] c = r.centroids[h];
    int[] assignments = KMeans.assign(c, clusters, rows, n, half);
    return rotate(rows, assignments, n, h, r, clusters, half);
  }

  /**
   * {@code y = R_c (x_h - C_c - mu_c)} for {@code n} rows of half h ({@code rows}, n x D/2, turned
   * into the residuals in place) in clusters {@code assignments}.
   */
  static float[] rotate(float[] rows, int[] assignments, int n, int h, Rotator r, int clusters, int half) {
    float[] c = r.centroids[h];
    for (int i = 0; i < n; i++) {
      int a = assignments[i] * half;
      for (int j = 0; j < half; j++) {
        rows[i * half + j] -= c[a + j];
      }
    }
    float[] rotated = new float[n * half];
    ClusterIndex.of(assignments, clusters).rotate(rows, half, r.means[h], r.rotations[h], rotated);
    return rotated;
  }

  /** Trains one subquantizer per partition (partition index = m). */
  static final class ChunkTrainer implements Function2<Integer, Iterator<Tuple2<Integer, Chunk>>, Iterator<Trained>> {
    private static final long serialVersionUID = 1L;
    private final LocalTrainer trainer;
    private final Broadcast<float[][]> warm;
    private final int sub;
    private final LongAccumulator trainedInTasks;

    ChunkTrainer(LocalTrainer trainer, Broadcast<float[][]> warm, int sub, LongAccumulator trainedInTasks) {
      this.trainer = trainer;
      this.warm = warm;
      this.sub = sub;
      this.trainedInTasks = trainedInTasks;
    }

    @Override
    public Iterator<Trained> call(Integer m, Iterator<Tuple2<Integer, Chunk>> chunks) {
      List<Chunk> pieces = new ArrayList<>();
      long total = 0;
      while (chunks.hasNext()) {
        Tuple2<Integer, Chunk> next = chunks.next();
        if (next._1() != m.intValue()) {
          throw new IllegalStateException("chunk of subquantizer " + next._1() + " reached the task of " + m);
        }
        pieces.add(next._2());
        total += next._2().rows;
      }
      if (pieces.isEmpty()) {
        return List.<Trained>of().iterator();
      }
      pieces.sort(Comparator.<Chunk>comparingInt(c -> c.partition).thenComparingInt(c -> c.block));
      int n = Math.toIntExact(total);
      float[] rows = new float[Math.multiplyExact(n, sub)];
      int offset = 0;
      for (Chunk c : pieces) {
        System.arraycopy(c.values, 0, rows, offset, c.values.length);
        offset += c.values.length;
      }
      pieces.clear();
      Trained result;
      if (warm == null) {
        KMeansResult fit = fitFromScratch(rows, n, m);
        double[] history = fit.distortions();
        double error = history.length == 0 ? Double.NaN : history[history.length - 1];
        result = new Trained(m, fit.centroids(), Math.min(n, trainer.params().maxSubquantizerSamples()), history,
            true, Double.NaN, error);
      } else {
        int k = trainer.params().subquantizerClusters();
        float[] previous = warm.value()[m];
        double before = error(previous, k, rows, n) / n;
        KMeansResult fit = trainer.retrainSubquantizer(rows, n, sub, m, previous);
        double after = error(fit.centroids(), k, rows, n) / n;
        boolean keep = after < before;
        result = new Trained(m, keep ? fit.centroids() : previous, n, fit.distortions(), keep, before,
            keep ? after : before);
      }
      if (TaskContext.get() != null) {
        trainedInTasks.add(1);
      }
      return List.of(result).iterator();
    }

    /**
     * {@link LocalTrainer#trainSubquantizer}'s k-means (same sample cap, seed and settings), but
     * seeded by greedy k-means++ on a seeded subset of {@link #SEEDING_ROWS_PER_CENTROID} rows per
     * centroid: the seeding's exact distances cost {@code O(rows x K x D/M)}, more than all the
     * Lloyd iterations together when it sees every row. Falls back to the trainer's own seeding
     * when the subset has fewer than K distinct rows.
     */
    private KMeansResult fitFromScratch(float[] rows, int n, int m) {
      TrainingParams p = trainer.params();
      int k = p.subquantizerClusters();
      float[] data = rows;
      int count = n;
      if (n > p.maxSubquantizerSamples()) {
        count = p.maxSubquantizerSamples();
        data = Sampling.gatherRows(rows, sub,
            Sampling.sampleIndices(n, count, Seeds.derive(p.seed(), LocalTrainer.SAMPLE_STREAM, m)));
      }
      KMeans kmeans = KMeans.withClusters(k)
          .withMaxIterations(p.subquantizerIterations())
          .withTolerance(p.tolerance())
          .withSeed(Seeds.derive(p.seed(), LocalTrainer.SUBQUANTIZER_STREAM, m))
          .describedAs("K", "chunk " + m + " of the rotated residuals");
      long seedingRows = (long) SEEDING_ROWS_PER_CENTROID * k;
      if (seedingRows < count) {
        int[] subset = Sampling.sampleIndices(count, (int) seedingRows, Streams.subquantizerSeeding(p.seed(), m));
        float[] initial = KMeansPlusPlus.seed(Sampling.gatherRows(data, sub, subset), subset.length, sub, k,
            KMeansPlusPlus.defaultTrials(k), Seeds.derive(Streams.subquantizerSeeding(p.seed(), m), 1));
        if (initial != null) {
          return kmeans.fit(data, count, sub, initial);
        }
      }
      return kmeans.fit(data, count, sub);
    }

    private double error(float[] codebook, int k, float[] rows, int n) {
      int[] assignments = new int[n];
      Arrays.fill(assignments, -1);
      return KMeans.reassign(codebook, k, rows, n, sub, assignments, null);
    }
  }
}
