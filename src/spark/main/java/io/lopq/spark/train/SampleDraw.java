package io.lopq.spark.train;

import io.lopq.spark.common.Storage;
import io.lopq.spark.common.VectorBlock;
import java.io.Serializable;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;

/**
 * Counts the input rows and draws both seeded samples of the trainer (the training sample and the
 * distortion sample) in one pass over the input, when its row count is known before reading it
 * (fvecs and bvecs from their file lengths, Parquet from its footers). Without it the trainer reads
 * the input once to count it and once more to draw the sample at the fraction the count gives, and
 * the distortion estimate reads it a third time for its few thousand rows.
 *
 * <pre>
 *   h        = the known row count (an upper bound: rows dropped as invalid are not in n)
 *   f_t      = rows asked / (h (1 - SLACK)),   f_d = distortion rows / (h (1 - SLACK))   (capped at 1)
 *   one pass: n = every row counted; cached = the rows with u_t &lt; f_t or u_d &lt; f_d
 *   then:     training sample   = cached rows with u_t &lt; f(n) = rows asked / n
 *             distortion sample = cached rows with u_d &lt; distortion rows / n   (DistortionStep)
 * </pre>
 *
 * Since {@link RowKeys#sampled} is {@code u < f}, the rows kept are exactly those a pass at the final
 * fraction would draw, in the same blocks and order, whenever the final fractions do not exceed the
 * drawn ones: the model is the same as with the separate passes. When they do (more than
 * {@link #SLACK} of the rows were dropped as invalid), {@link #draw} returns null and the trainer
 * falls back to the separate passes.
 */
final class SampleDraw {
  /** Share of the known rows that may turn out invalid before the drawn fractions are too small. */
  static final double SLACK = 0.05;

  /** The counted rows, and the cached rows that hold both samples. */
  final long rows;
  final JavaRDD<Drawn> drawn;
  private final long trainingStream;
  private final double trainingFraction;

  private SampleDraw(long rows, JavaRDD<Drawn> drawn, long trainingStream, double trainingFraction) {
    this.rows = rows;
    this.drawn = drawn;
    this.trainingStream = trainingStream;
    this.trainingFraction = trainingFraction;
  }

  /** One block's row count before sampling, and its rows in either sample. */
  static final class Drawn implements Serializable {
    private static final long serialVersionUID = 1L;
    final int rows;
    final VectorBlock kept;

    Drawn(int rows, VectorBlock kept) {
      this.rows = rows;
      this.kept = kept;
    }
  }

  /**
   * Reads {@code keyed} once (blocks with their {@link RowKeys#keyed keys}), or returns null when the
   * samples must be drawn by separate passes: the row count is unknown ({@code knownRows <= 0}), the
   * fractions for it would not be below 1, the input has no rows, or the counted rows need larger
   * fractions than those drawn. The caller unpersists {@link #drawn}.
   */
  static SampleDraw draw(JavaRDD<VectorBlock> keyed, long knownRows, TrainPlan plan, long seed) {
    if (knownRows <= 0) {
      return null;
    }
    long lowest = (long) Math.floor(knownRows * (1 - SLACK));
    double training = plan.sampleFraction(Math.max(1, lowest));
    double distortion = fraction(plan.distortionSampleRows(), lowest);
    if (training >= 1 || distortion >= 1) {
      return null;
    }
    long trainingStream = Streams.trainingSample(seed);
    long distortionStream = Streams.distortionSample(seed);
    JavaRDD<Drawn> drawn = keyed.map(b -> new Drawn(b.size(),
        keep(b, trainingStream, training, distortionStream, distortion)))
        .persist(Storage.SPILLABLE).setName("lopq training and distortion samples");
    long rows = 0;
    for (Long count : drawn.mapPartitions(it -> {
      long n = 0;
      while (it.hasNext()) {
        n += it.next().rows;
      }
      return List.of(n).iterator();
    }).collect()) {
      rows += count;
    }
    double needed = plan.sampleFraction(rows);
    if (rows == 0 || needed > training || fraction(plan.distortionSampleRows(), rows) > distortion) {
      drawn.unpersist(false);
      return null;
    }
    return new SampleDraw(rows, drawn, trainingStream, needed);
  }

  /**
   * The training sample: the drawn rows with {@code u_t < f(n)}, in non-empty blocks. Not cached
   * itself: each pass over it filters the cached draw again (hashing the keys costs little beside
   * deserializing the rows), so that the sample is not held twice.
   */
  JavaRDD<VectorBlock> training() {
    long stream = trainingStream;
    double fraction = trainingFraction;
    return drawn.map(d -> RowKeys.sample(d.kept, stream, fraction)).filter(b -> b.size() > 0);
  }

  /** Blocks holding every row of the distortion sample, for {@link DistortionStep} with the counted rows. */
  JavaRDD<VectorBlock> distortionRows() {
    return drawn.map(d -> d.kept);
  }

  /** The fraction of {@code total} rows that {@code asked} rows are (1 when they are all). */
  static double fraction(long asked, long total) {
    return total <= asked ? 1.0 : (double) asked / total;
  }

  /** The rows of {@code block} in either sample. */
  static VectorBlock keep(VectorBlock block, long trainingStream, double training, long distortionStream,
      double distortion) {
    int size = block.size();
    int[] kept = new int[size];
    int count = 0;
    for (int i = 0; i < size; i++) {
      long key = block.id(i);
      if (RowKeys.sampled(key, trainingStream, training) || RowKeys.sampled(key, distortionStream, distortion)) {
        kept[count++] = i;
      }
    }
    return count == size ? block : block.select(kept, count);
  }
}
