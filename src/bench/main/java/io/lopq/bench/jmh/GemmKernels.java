package io.lopq.bench.jmh;

import io.lopq.math.Blas;
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
 * The float distance product {@code C = A B^T} ({@link Blas#gemmNT}) on pure Java: netlib's
 * {@code VectorBLAS} against the project's Vector API kernel ({@code io.lopq.math.GemmVector}), on the
 * shapes of the project ("m x n x k": the encoder's coarse product 2048 x 64 x 392, its rotation of one
 * cluster's rows 32 x 392 x 392, its subquantizer product 2048 x 256 x 98, a coarse Lloyd block
 * 1024 x 64 x 784). Run with pure-Java netlib:
 * <pre>
 *   java $(grep -v '^#' conf/jvm-flags) -Dlopq.blas=java -cp "target/bench/lopq-bench-*.jar:$(cat target/bench/classpath.txt)" \
 *     org.openjdk.jmh.Main GemmKernels
 * </pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "-Dlopq.blas=java")
public class GemmKernels {
  @Param({"2048x64x392", "32x392x392", "2048x256x98", "1024x64x784"})
  String shape;

  int m;
  int n;
  int k;
  float[] a;
  float[] b;
  float[] c;

  @Setup
  public void data() {
    String[] parts = shape.split("x");
    m = Integer.parseInt(parts[0]);
    n = Integer.parseInt(parts[1]);
    k = Integer.parseInt(parts[2]);
    Random random = new Random(7);
    a = new float[m * k];
    b = new float[n * k];
    c = new float[m * n];
    for (int i = 0; i < a.length; i++) {
      a[i] = (float) random.nextGaussian();
    }
    for (int i = 0; i < b.length; i++) {
      b[i] = (float) random.nextGaussian();
    }
  }

  @Benchmark
  public float[] netlib() {
    Blas.netlibGemmNT(m, n, k, -2f, a, 0, b, 0, 0f, c, 0);
    return c;
  }

  @Benchmark
  public float[] vector() {
    Blas.vectorGemmNT(m, n, k, -2f, a, 0, b, 0, 0f, c, 0);
    return c;
  }
}
