package io.lopq.spark.encode;

import java.io.Serializable;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import org.apache.spark.SparkContext;
import org.apache.spark.util.LongAccumulator;

/**
 * CPU time the encode job's tasks spend, by part, summed over tasks with Spark accumulators: the
 * per-core throughput of a part is its rows divided by its CPU seconds, which stays meaningful
 * on a shared machine where wall time also counts waiting for a core.
 *
 * <pre>
 *   encoder      inside BatchEncoder.encode
 *   encodeStage  the whole encode task: reading and checking input rows, batching, encoding
 *   writeStage   the whole write task: gathering, sorting, writing Parquet
 * </pre>
 *
 * Thread CPU time comes from {@link ThreadMXBean}; where the JVM cannot measure it, the parts
 * stay 0.
 */
final class CpuTimes implements Serializable {
  private static final long serialVersionUID = 1L;

  final LongAccumulator encoder;
  final LongAccumulator encodeStage;
  final LongAccumulator writeStage;

  CpuTimes(SparkContext sc) {
    this.encoder = sc.longAccumulator("lopq encoder CPU nanoseconds");
    this.encodeStage = sc.longAccumulator("lopq encode stage CPU nanoseconds");
    this.writeStage = sc.longAccumulator("lopq write stage CPU nanoseconds");
  }

  /** The current thread's CPU time in nanoseconds, or 0 if the JVM cannot tell. */
  static long threadNanos() {
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    return threads.isCurrentThreadCpuTimeSupported() ? threads.getCurrentThreadCpuTime() : 0L;
  }
}
