package io.lopq.spark.common;

import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLongArray;
import org.apache.spark.SparkContext;
import org.apache.spark.executor.TaskMetrics;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerStageCompleted;
import org.apache.spark.scheduler.SparkListenerStageSubmitted;
import org.apache.spark.scheduler.SparkListenerTaskEnd;

/**
 * Sums the executors' CPU time of the tasks run under a label (the stages of one search), so the
 * report can give throughput per core-second, which a busy shared machine distorts far less than
 * wall-clock time.
 *
 * <pre>
 *   try (TaskTimes.Label l = times.label("search")) { ...actions... }   // tags the Spark stages
 *   times.cpuSeconds("search")     sum of TaskMetrics.executorCpuTime of their tasks
 * </pre>
 *
 * Stages are tagged through a local property of the calling thread; listener events arrive
 * asynchronously, so reading a label's totals waits (briefly) until every tagged stage has been
 * reported complete.
 */
public final class TaskTimes extends SparkListener {
  /** The local property that carries the label to the stages. */
  public static final String PROPERTY = "lopq.search.label";
  private static final long WAIT_MILLIS = 10_000;
  private static final long POLL_MILLIS = 5;
  private static final int CPU_NANOS = 0;
  private static final int RUN_MILLIS = 1;
  private static final int TASKS = 2;

  private final SparkContext context;
  private final Map<Integer, String> labelOfStage = new ConcurrentHashMap<>();
  private final Map<String, AtomicLongArray> totals = new ConcurrentHashMap<>();
  private final Set<Integer> open = ConcurrentHashMap.newKeySet();

  private TaskTimes(SparkContext context) {
    this.context = context;
  }

  /** A listener registered with {@code context}; {@link #close()} removes it. */
  public static TaskTimes register(SparkContext context) {
    TaskTimes times = new TaskTimes(context);
    context.addSparkListener(times);
    return times;
  }

  /** Removes the listener. */
  public void close() {
    context.removeSparkListener(this);
  }

  /** Tags the stages the calling thread runs until {@link Label#close()} with {@code label}. */
  public Label label(String label) {
    String previous = context.getLocalProperty(PROPERTY);
    context.setLocalProperty(PROPERTY, label);
    return () -> context.setLocalProperty(PROPERTY, previous);
  }

  /** An open label; closing it restores the previous one. */
  @FunctionalInterface
  public interface Label extends AutoCloseable {
    @Override
    void close();
  }

  /** CPU seconds of the tasks of {@code label}'s stages (0 if none ran). */
  public double cpuSeconds(String label) {
    return value(label, CPU_NANOS) / 1e9;
  }

  /** Run-time seconds (wall clock inside the tasks) of {@code label}'s tasks. */
  public double taskSeconds(String label) {
    return value(label, RUN_MILLIS) / 1e3;
  }

  /** Tasks run under {@code label}. */
  public long tasks(String label) {
    return value(label, TASKS);
  }

  private long value(String label, int field) {
    long deadline = System.currentTimeMillis() + WAIT_MILLIS;
    while (!open.isEmpty() && System.currentTimeMillis() < deadline) {
      try {
        Thread.sleep(POLL_MILLIS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    AtomicLongArray t = totals.get(label);
    return t == null ? 0 : t.get(field);
  }

  @Override
  public void onStageSubmitted(SparkListenerStageSubmitted event) {
    Properties properties = event.properties();
    String label = properties == null ? null : properties.getProperty(PROPERTY);
    if (label != null) {
      labelOfStage.put(event.stageInfo().stageId(), label);
      open.add(event.stageInfo().stageId());
    }
  }

  @Override
  public void onTaskEnd(SparkListenerTaskEnd event) {
    String label = labelOfStage.get(event.stageId());
    TaskMetrics metrics = event.taskMetrics();
    if (label != null && metrics != null) {
      AtomicLongArray t = totals.computeIfAbsent(label, l -> new AtomicLongArray(3));
      t.addAndGet(CPU_NANOS, metrics.executorCpuTime());
      t.addAndGet(RUN_MILLIS, metrics.executorRunTime());
      t.incrementAndGet(TASKS);
    }
  }

  @Override
  public void onStageCompleted(SparkListenerStageCompleted event) {
    open.remove(event.stageInfo().stageId());
  }
}
