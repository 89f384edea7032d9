package io.lopq.bench.jmh;

import io.lopq.encode.BatchEncoder;
import io.lopq.encode.EncodedBatch;
import io.lopq.encode.LopqEncoder;
import io.lopq.model.LopqModel;
import io.lopq.model.RandomModels;
import java.util.Locale;
import java.util.Random;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;
import java.util.concurrent.TimeUnit;

/**
 * Single-thread encoding throughput on the reference setting ({@link ModelShape#REFERENCE}): the batched
 * BLAS encoder on blocks of clustered and of Gaussian data, and single vectors through the reference
 * {@link LopqEncoder} and through {@link BatchEncoder} with n=1. Scores: {@code vectors} per second
 * (and {@code cpuSeconds} per second, see {@link Counted}).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class EncodeThroughput {
  /** Vectors encoded one by one per invocation of the single-vector benchmarks. */
  static final int SINGLE_RUN = 200;

  /** Clustered vectors generated (the batch benchmarks cycle through them in blocks). */
  @Param("16384")
  public int vectors;

  /** Rows per batch (capped at {@link #vectors}). */
  @Param("2048")
  public int block;

  @Param("42")
  public long seed;

  /** The model's shape (smaller in tests). */
  ModelShape shape = ModelShape.REFERENCE;
  private int rowsPerBlock;
  private float[][] blocks;
  private float[] gaussian;
  private float[][] singles;
  private BatchEncoder encoder;
  private EncodedBatch out;
  private LopqEncoder reference;
  private BatchEncoder one;
  private EncodedBatch single;
  private int run;

  /** The model, the data and the encoders (outside the timings); prints the near ties of one pass. */
  @Setup(Level.Trial)
  public void setUp() {
    Random random = new Random(seed);
    LopqModel model = shape.model(random);
    float[] rows = ModelShape.clustered(random, model, vectors);
    rowsPerBlock = Math.min(vectors, block);
    blocks = shape.slices(rows, Math.max(1, vectors / rowsPerBlock), rowsPerBlock);
    gaussian = RandomModels.gaussian(random, rowsPerBlock * shape.dimension(), 1.0);
    singles = shape.slices(rows, Math.min(vectors, SINGLE_RUN), 1);
    encoder = new BatchEncoder(model, rowsPerBlock);
    out = new EncodedBatch(shape.subquantizers(), rowsPerBlock);
    reference = new LopqEncoder(model);
    one = new BatchEncoder(model, 1);
    single = new EncodedBatch(shape.subquantizers(), 1);
    BatchEncoder counting = new BatchEncoder(model, rowsPerBlock);
    counting.encode(rows, vectors, new EncodedBatch(shape.subquantizers(), vectors));
    System.out.printf(Locale.ROOT, "near ties settled exactly in one pass: %d of %d assignments%n",
        counting.nearTiesResolved(), (long) vectors * (LopqModel.HALVES + shape.subquantizers()));
  }

  /** Batch encoding of clustered data, one block per invocation. */
  @Benchmark
  public EncodedBatch batchClustered(Counted.Vectors count) {
    long cpu = Counted.cpuNanos();
    EncodedBatch codes = encoder.encode(blocks[run++ % blocks.length], rowsPerBlock, out);
    count.add(rowsPerBlock, cpu);
    return codes;
  }

  /** Batch encoding of Gaussian N(0, 1) data (far from every cell), one block per invocation. */
  @Benchmark
  public EncodedBatch batchGaussian(Counted.Vectors count) {
    long cpu = Counted.cpuNanos();
    EncodedBatch codes = encoder.encode(gaussian, rowsPerBlock, out);
    count.add(rowsPerBlock, cpu);
    return codes;
  }

  /** The reference encoder (plain loops), {@value #SINGLE_RUN} vectors one by one per invocation. */
  @Benchmark
  public void singleLopqEncoder(Counted.Vectors count, Blackhole sink) {
    long cpu = Counted.cpuNanos();
    for (float[] x : singles) {
      sink.consume(reference.encode(x));
    }
    count.add(singles.length, cpu);
  }

  /** The batch encoder with n=1, {@value #SINGLE_RUN} vectors one by one per invocation. */
  @Benchmark
  public void singleBatchEncoder(Counted.Vectors count, Blackhole sink) {
    long cpu = Counted.cpuNanos();
    for (float[] x : singles) {
      sink.consume(one.encode(x, 1, single));
    }
    count.add(singles.length, cpu);
  }
}
