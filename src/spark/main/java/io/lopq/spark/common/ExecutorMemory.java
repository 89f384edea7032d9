package io.lopq.spark.common;

import org.apache.spark.SparkConf;
import org.apache.spark.SparkContext;

/**
 * The memory one executor gives Spark, and one running task's share of it, as a job sees them
 * before it starts: what a job sizes its per-task structures against (a bucket of the search's
 * shuffle plan) and what a broadcast must fit ({@link ModelFit}).
 *
 * <pre>
 *   usable   = (executor heap - 300 MiB) x spark.memory.fraction      (Spark's unified region)
 *   per task = usable / (executor cores / spark.task.cpus)              (tasks running at once)
 * </pre>
 *
 * The executor heap is this JVM's maximum heap in local mode (driver and executor are one JVM, its
 * tasks the master's threads), else {@code spark.executor.memory} (Spark's default 1g) with
 * {@code spark.executor.cores} (1 unless set, as this project's {@code conf/spark-defaults.conf}
 * sets it).
 */
public final class ExecutorMemory {
  /** The heap Spark reserves for itself before its memory regions (Spark's {@code RESERVED_SYSTEM_MEMORY_BYTES}). */
  static final long RESERVED_BYTES = 300L << 20;
  /** Spark's default {@code spark.memory.fraction}. */
  static final double DEFAULT_MEMORY_FRACTION = 0.6;
  private static final String LOCAL_HEAP_SETTING =
      "the driver's heap (local mode; LOPQ_DRIVER_MEMORY or --driver-memory)";
  private static final String EXECUTOR_HEAP_SETTING = "spark.executor.memory";

  private final long heap;
  private final double fraction;
  private final int concurrentTasks;
  private final String heapSetting;

  /**
   * An executor of {@code heap} bytes running {@code concurrentTasks} tasks at once;
   * {@code heapSetting} names what sizes the heap (for messages).
   */
  public ExecutorMemory(long heap, double fraction, int concurrentTasks, String heapSetting) {
    if (heap < 1 || !(fraction > 0 && fraction <= 1) || concurrentTasks < 1) {
      throw new IllegalArgumentException("executor heap " + heap + ", memory fraction " + fraction + " and tasks "
          + concurrentTasks + " must be positive (the fraction at most 1)");
    }
    this.heap = heap;
    this.fraction = fraction;
    this.concurrentTasks = concurrentTasks;
    this.heapSetting = heapSetting;
  }

  /** The executors of {@code sc}. */
  public static ExecutorMemory of(SparkContext sc) {
    SparkConf conf = sc.conf();
    double fraction = conf.getDouble("spark.memory.fraction", DEFAULT_MEMORY_FRACTION);
    int taskCpus = Math.max(1, conf.getInt("spark.task.cpus", 1));
    if (sc.isLocal()) {
      int threads = Sessions.localThreads(sc.master());
      return new ExecutorMemory(Runtime.getRuntime().maxMemory(), fraction, Math.max(1, threads / taskCpus),
          LOCAL_HEAP_SETTING);
    }
    int cores = Math.max(1, conf.getInt("spark.executor.cores", 1));
    return new ExecutorMemory(conf.getSizeAsBytes(EXECUTOR_HEAP_SETTING, "1g"), fraction,
        Math.max(1, cores / taskCpus), EXECUTOR_HEAP_SETTING);
  }

  /** An executor's heap in bytes. */
  public long heap() {
    return heap;
  }

  /** {@code spark.memory.fraction}. */
  public double fraction() {
    return fraction;
  }

  /** Tasks one executor runs at once. */
  public int concurrentTasks() {
    return concurrentTasks;
  }

  /** The setting that sizes the executor heap, for messages. */
  public String heapSetting() {
    return heapSetting;
  }

  /** Spark's unified memory region of one executor, in bytes (0 for a heap under the reserve). */
  public long usableBytes() {
    return Math.max(0, (long) ((heap - RESERVED_BYTES) * fraction));
  }

  /** One running task's share of {@link #usableBytes()}. */
  public long perTaskBytes() {
    return usableBytes() / concurrentTasks;
  }
}
