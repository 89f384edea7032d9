package io.lopq.bench.jmh;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * JMH counters of the units a benchmark processes (vectors or queries) and of the CPU time its
 * thread spent on them. JMH reports both per wall-clock second, so
 *
 * <pre>
 *   units per wall second = vectors (or queries) score
 *   units per CPU second  = units per wall second / cpuSeconds score
 * </pre>
 *
 * the second being what one core gives when the machine is shared (with OPENBLAS_NUM_THREADS=1 BLAS
 * runs on the benchmark thread, so its time is counted).
 */
public final class Counted {
  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
  private static final double NANOS_PER_SECOND = 1e9;

  private Counted() {}

  /** The current thread's CPU time, to pass to {@code add} after the work. */
  static long cpuNanos() {
    return THREADS.getCurrentThreadCpuTime();
  }

  /** Vectors encoded, and the CPU seconds spent encoding them. */
  @State(Scope.Thread)
  @AuxCounters(AuxCounters.Type.OPERATIONS)
  public static class Vectors {
    /** Vectors encoded in this iteration. */
    public long vectors;
    /** CPU seconds of the benchmark thread in this iteration. */
    public double cpuSeconds;

    /** Zero at the start of every iteration. */
    @Setup(Level.Iteration)
    public void reset() {
      vectors = 0;
      cpuSeconds = 0;
    }

    /** Counts {@code n} vectors whose work started at thread CPU time {@code cpuStart}. */
    void add(int n, long cpuStart) {
      vectors += n;
      cpuSeconds += (cpuNanos() - cpuStart) / NANOS_PER_SECOND;
    }
  }

  /** Queries answered, and the CPU seconds spent answering them. */
  @State(Scope.Thread)
  @AuxCounters(AuxCounters.Type.OPERATIONS)
  public static class Queries {
    /** Queries answered in this iteration. */
    public long queries;
    /** CPU seconds of the benchmark thread in this iteration. */
    public double cpuSeconds;

    /** Zero at the start of every iteration. */
    @Setup(Level.Iteration)
    public void reset() {
      queries = 0;
      cpuSeconds = 0;
    }

    /** Counts {@code n} queries whose work started at thread CPU time {@code cpuStart}. */
    void add(int n, long cpuStart) {
      queries += n;
      cpuSeconds += (cpuNanos() - cpuStart) / NANOS_PER_SECOND;
    }
  }
}
