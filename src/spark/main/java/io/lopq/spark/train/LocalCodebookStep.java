package io.lopq.spark.train;

import io.lopq.math.KMeans;
import io.lopq.math.ShrunkLloyd;
import io.lopq.model.LopqModel;
import io.lopq.spark.common.VectorBlock;
import io.lopq.train.ClusterIndex;
import io.lopq.train.LocalTrainer;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.HashPartitioner;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.api.java.function.PairFlatMapFunction;
import org.apache.spark.broadcast.Broadcast;
import scala.Tuple2;

/**
 * Step 7 (codebooks = LOCAL), the cells' own codebooks: one pass over the training sample computes
 * the rotated residuals and groups them by cell, keyed like the rotations ({@code h V + c}); the
 * groups are shuffled to the executor tasks, and each task fits, for each of its cells, the M/2
 * codebooks of that half with {@link LocalTrainer#trainCellCodebooks} (Lloyd iterations from the
 * shared codebooks, shrunk toward them).
 *
 * <pre>
 *   map:     c = argmin ||x_h - C_h[c]||^2, y_h = R_h[c] (x_h - C_h[c] - mu_h[c]); rows of a block
 *            grouped by (h, c), tagged (partition, block) for a stable order
 *   shuffle: by h V + c to the reduce tasks
 *   task:    per cell, its rows in input order, then P_{m,c} for the M/2 subquantizers of half h
 *   collect: only the codebooks (V K D floats in all: the model's size) and the errors
 * </pre>
 *
 * A cell without rows in the sample gets no result and keeps the shared codebooks.
 */
final class LocalCodebookStep {
  private LocalCodebookStep() {}

  /** One cell's codebooks, as a task returns them. */
  static final class Cell implements Serializable {
    private static final long serialVersionUID = 1L;
    final int key;
    final float[][] codebooks;
    final int rows;
    final double errorBefore;
    final double errorAfter;

    Cell(int key, float[][] codebooks, int rows, double errorBefore, double errorAfter) {
      this.key = key;
      this.codebooks = codebooks;
      this.rows = rows;
      this.errorBefore = errorBefore;
      this.errorAfter = errorAfter;
    }
  }

  /** What the step found. */
  static final class Result {
    /** Per subquantizer m and coarse cluster c of its half, a K x D/M codebook. */
    final float[][][] codebooks;
    /** Per half, the cells that had rows. */
    final int[] cellsWithRows;
    /** Sum over the sample of the fine error with the shared codebooks, and with the local ones. */
    final double errorBefore;
    final double errorAfter;
    final long rows;

    Result(float[][][] codebooks, int[] cellsWithRows, double errorBefore, double errorAfter, long rows) {
      this.codebooks = codebooks;
      this.cellsWithRows = cellsWithRows;
      this.errorBefore = errorBefore;
      this.errorAfter = errorAfter;
      this.rows = rows;
    }
  }

  /** Fits the local codebooks of every cell from {@code model}'s shared ones on {@code sample}. */
  static Result run(JavaSparkContext jsc, JavaRDD<VectorBlock> sample, LopqModel model, LocalTrainer trainer,
      int partitions) {
    int v = model.coarseClusters();
    int m = model.subquantizers();
    int perHalf = m / 2;
    int dimension = model.dimension();
    float[][] shared = new float[m][];
    for (int s = 0; s < m; s++) {
      shared[s] = model.codebook(s);
    }
    SubquantizerStep.Rotator rotator = new SubquantizerStep.Rotator(
        new float[][] {model.coarseCentroids(0), model.coarseCentroids(1)},
        new float[][] {model.residualMeans(0), model.residualMeans(1)},
        new float[][] {model.rotations(0), model.rotations(1)});
    Broadcast<SubquantizerStep.Rotator> rotatorBroadcast = jsc.broadcast(rotator);
    Broadcast<float[][]> sharedBroadcast = jsc.broadcast(shared);
    try {
      List<Cell> cells = sample
          .mapPartitionsToPair(new CellCutter(rotatorBroadcast, v, dimension))
          .partitionBy(new HashPartitioner(Math.max(1, partitions)))
          .mapPartitions(new CellTrainer(trainer, sharedBroadcast, v, dimension / 2), false)
          .collect();
      float[][][] local = new float[m][v][];
      int[] withRows = new int[LopqModel.HALVES];
      double before = 0;
      double after = 0;
      long rows = 0;
      for (Cell cell : cells) {
        int h = cell.key / v;
        int c = cell.key % v;
        for (int s = 0; s < perHalf; s++) {
          local[h * perHalf + s][c] = cell.codebooks[s];
        }
        withRows[h]++;
        before += cell.errorBefore;
        after += cell.errorAfter;
        rows += cell.rows;
      }
      for (int s = 0; s < m; s++) {
        for (int c = 0; c < v; c++) {
          if (local[s][c] == null) {
            local[s][c] = shared[s];
          }
        }
      }
      return new Result(local, withRows, before, after, rows / LopqModel.HALVES);
    } finally {
      rotatorBroadcast.destroy();
      sharedBroadcast.destroy();
    }
  }

  /** Rotated residuals of one partition, grouped by cell ({@code h V + c}). */
  static final class CellCutter implements PairFlatMapFunction<Iterator<VectorBlock>, Integer,
      SubquantizerStep.Chunk> {
    private static final long serialVersionUID = 1L;
    private final Broadcast<SubquantizerStep.Rotator> rotator;
    private final int clusters;
    private final int dimension;

    CellCutter(Broadcast<SubquantizerStep.Rotator> rotator, int clusters, int dimension) {
      this.rotator = rotator;
      this.clusters = clusters;
      this.dimension = dimension;
    }

    @Override
    public Iterator<Tuple2<Integer, SubquantizerStep.Chunk>> call(Iterator<VectorBlock> blocks) {
      SubquantizerStep.Rotator r = rotator.value();
      int partition = TaskContext.get() == null ? 0 : TaskContext.get().partitionId();
      int half = dimension / 2;
      List<Tuple2<Integer, SubquantizerStep.Chunk>> out = new ArrayList<>();
      int blockIndex = 0;
      while (blocks.hasNext()) {
        VectorBlock block = blocks.next();
        int n = block.size();
        for (int h = 0; h < LopqModel.HALVES; h++) {
          float[] rows = block.half(h);
          int[] assignments = KMeans.assign(r.centroids[h], clusters, rows, n, half);
          float[] rotated = SubquantizerStep.rotate(rows, assignments, n, h, r, clusters, half);
          ClusterIndex index = ClusterIndex.of(assignments, clusters);
          for (int c = 0; c < clusters; c++) {
            int size = index.size(c);
            if (size == 0) {
              continue;
            }
            float[] values = new float[size * half];
            for (int t = 0; t < size; t++) {
              System.arraycopy(rotated, index.member(c, t) * half, values, t * half, half);
            }
            out.add(new Tuple2<>(h * clusters + c, new SubquantizerStep.Chunk(partition, blockIndex, size, values)));
          }
        }
        blockIndex++;
      }
      return out.iterator();
    }
  }

  /** Fits the cells of one reduce partition, in key order. */
  static final class CellTrainer implements FlatMapFunction<Iterator<Tuple2<Integer, SubquantizerStep.Chunk>>, Cell> {
    private static final long serialVersionUID = 1L;
    private final LocalTrainer trainer;
    private final Broadcast<float[][]> shared;
    private final int clusters;
    private final int half;

    CellTrainer(LocalTrainer trainer, Broadcast<float[][]> shared, int clusters, int half) {
      this.trainer = trainer;
      this.shared = shared;
      this.clusters = clusters;
      this.half = half;
    }

    @Override
    public Iterator<Cell> call(Iterator<Tuple2<Integer, SubquantizerStep.Chunk>> chunks) {
      Map<Integer, List<SubquantizerStep.Chunk>> byCell = new TreeMap<>();
      while (chunks.hasNext()) {
        Tuple2<Integer, SubquantizerStep.Chunk> next = chunks.next();
        byCell.computeIfAbsent(next._1(), key -> new ArrayList<>()).add(next._2());
      }
      List<Cell> out = new ArrayList<>();
      for (Map.Entry<Integer, List<SubquantizerStep.Chunk>> entry : byCell.entrySet()) {
        List<SubquantizerStep.Chunk> pieces = entry.getValue();
        pieces.sort(Comparator.<SubquantizerStep.Chunk>comparingInt(c -> c.partition).thenComparingInt(c -> c.block));
        int n = 0;
        for (SubquantizerStep.Chunk c : pieces) {
          n += c.rows;
        }
        float[] rows = new float[Math.multiplyExact(n, half)];
        int offset = 0;
        for (SubquantizerStep.Chunk c : pieces) {
          System.arraycopy(c.values, 0, rows, offset, c.values.length);
          offset += c.values.length;
        }
        pieces.clear();
        int key = entry.getKey();
        ShrunkLloyd.Result[] fitted = trainer.trainCellCodebooks(rows, n, half, key / clusters, key % clusters,
            shared.value());
        float[][] codebooks = new float[fitted.length][];
        double before = 0;
        double after = 0;
        for (int s = 0; s < fitted.length; s++) {
          codebooks[s] = fitted[s].codebook();
          before += fitted[s].errorBefore();
          after += fitted[s].errorAfter();
        }
        out.add(new Cell(key, codebooks, n, before, after));
      }
      return out.iterator();
    }
  }
}
