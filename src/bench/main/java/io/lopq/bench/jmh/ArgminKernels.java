package io.lopq.bench.jmh;

import io.lopq.math.Argmin;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The scans after each distance product ({@link Argmin}), plain Java against the Vector API: one
 * operation scans {@value #ROWS} rows of {@code k} scores (the k-means assignment and the encoder's
 * near-tie search, for the coarse V=64 and the subquantizer K=256 products). Run with
 * <pre>
 *   java $(grep -v '^#' conf/jvm-flags) -cp "target/bench/lopq-bench-*.jar:$(cat target/bench/classpath.txt)" \
 *     org.openjdk.jmh.Main ArgminKernels
 * </pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class ArgminKernels {
  static final int ROWS = 256;

  @Param({"64", "256"})
  int k;

  float[] dots;
  float[] norms;
  int[] out;

  @Setup
  public void data() {
    Random random = new Random(7);
    dots = new float[ROWS * k];
    norms = new float[k];
    for (int i = 0; i < dots.length; i++) {
      dots[i] = (float) random.nextGaussian();
    }
    for (int j = 0; j < k; j++) {
      norms[j] = 4f + (float) random.nextGaussian();
    }
    out = new int[k];
  }

  @Benchmark
  public int firstScalar() {
    int sum = 0;
    for (int r = 0; r < ROWS; r++) {
      sum += Argmin.scalarFirst(dots, r * k, -2f, norms, k);
    }
    return sum;
  }

  @Benchmark
  public int firstVector() {
    int sum = 0;
    for (int r = 0; r < ROWS; r++) {
      sum += Argmin.first(dots, r * k, -2f, norms, k);
    }
    return sum;
  }

  @Benchmark
  public int nearTiesScalar() {
    int sum = 0;
    for (int r = 0; r < ROWS; r++) {
      float best = Argmin.scalarMin(dots, r * k, 1f, norms, k);
      sum += Argmin.scalarWithin(dots, r * k, 1f, norms, k, best + 1e-3, out);
    }
    return sum;
  }

  @Benchmark
  public int nearTiesVector() {
    int sum = 0;
    for (int r = 0; r < ROWS; r++) {
      float best = Argmin.min(dots, r * k, 1f, norms, k);
      sum += Argmin.within(dots, r * k, 1f, norms, k, best + 1e-3, out);
    }
    return sum;
  }
}
