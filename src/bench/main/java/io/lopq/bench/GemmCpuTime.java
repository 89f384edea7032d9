package io.lopq.bench;

import io.lopq.math.Blas;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Locale;
import java.util.Random;

/**
 * The float distance product {@code C = A B^T} on pure Java, netlib's {@code VectorBLAS} against the
 * project's {@code GemmVector}, timed in <em>thread CPU time</em> (robust on a busy machine, where
 * JMH's wall-clock {@code GemmKernels} is not): per shape "m x n x k", rounds of about 2 GFlop each,
 * the two alternating in one JVM. Run with
 * <pre>
 *   java $(grep -v '^#' conf/jvm-flags) -Dlopq.blas=java -cp "target/bench/lopq-bench-*.jar:$(cat target/bench/classpath.txt)" \
 *     io.lopq.bench.GemmCpuTime [rounds]
 * </pre>
 */
public final class GemmCpuTime {
  private static final int[][] SHAPES = {
    {2048, 64, 392}, {32, 392, 392}, {128, 392, 392}, {2048, 256, 98}, {1024, 64, 784}, {8, 392, 392}, {3, 256, 98}
  };
  private static final double FLOPS_PER_ROUND = 2e9;

  private GemmCpuTime() {}

  public static void main(String[] args) {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 4;
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    Random random = new Random(1);
    System.out.println("netlib BLAS: " + Blas.implementation());
    for (int round = 0; round < rounds; round++) {
      for (int[] shape : SHAPES) {
        int m = shape[0];
        int n = shape[1];
        int k = shape[2];
        float[] a = new float[m * k];
        float[] b = new float[n * k];
        float[] c = new float[m * n];
        for (int i = 0; i < a.length; i++) {
          a[i] = (float) random.nextGaussian();
        }
        for (int i = 0; i < b.length; i++) {
          b[i] = (float) random.nextGaussian();
        }
        long flops = 2L * m * n * k;
        int reps = (int) Math.max(1, FLOPS_PER_ROUND / flops);
        long t0 = threads.getCurrentThreadCpuTime();
        for (int r = 0; r < reps; r++) {
          Blas.netlibGemmNT(m, n, k, 1f, a, 0, b, 0, 0f, c, 0);
        }
        long t1 = threads.getCurrentThreadCpuTime();
        for (int r = 0; r < reps; r++) {
          Blas.vectorGemmNT(m, n, k, 1f, a, 0, b, 0, 0f, c, 0);
        }
        long t2 = threads.getCurrentThreadCpuTime();
        System.out.println(String.format(Locale.ROOT, "round %d %5dx%3dx%3d  netlib %6.1f GFlop/CPU-s  GemmVector %6.1f  (%.2fx)",
            round + 1, m, n, k, flops * (double) reps / (t1 - t0), flops * (double) reps / (t2 - t1),
            (t1 - t0) / (double) (t2 - t1)));
      }
    }
  }
}
