package io.lopq.spark.common;

import java.io.Serializable;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.apache.spark.SparkContext;
import org.apache.spark.executor.TaskMetrics;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerStageCompleted;
import org.apache.spark.scheduler.SparkListenerStageSubmitted;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.util.LongAccumulator;

/**
 * The task-time meter of every job's report: how much CPU the executors' tasks spent, per named
 * part of a job, so that reports can give throughput per core-second, which a busy shared machine
 * distorts far less than wall-clock time.
 *
 * <pre>
 *   TaskTimes times = TaskTimes.register(sc);
 *   try (TaskTimes.Label l = times.label("search")) { ...actions... }    tags the Spark stages run meanwhile
 *   times.cpuSeconds("search")          sum of TaskMetrics.executorCpuTime of their tasks
 *   Span s = times.start("rotations"); ...; Timing t = s.end();           label + wall clock: (seconds, task CPU)
 *   Stages st = times.stages(sink); st.begin("plan"); st.begin("search"); st.end();   consecutive spans
 *   Section encoder = times.section("encoder");                           a part of a task, in the task:
 *     long t0 = encoder.start(); ...; encoder.stop(t0);                   thread CPU time, summed over tasks
 * </pre>
 *
 * Both measure the same clock: Spark's {@code executorCpuTime} is the task thread's CPU time
 * ({@link ThreadMXBean}), and a {@link Section} reads that clock around one part of the task.
 * Stages are tagged through a local property of the calling thread (inherited by threads it
 * starts); listener events arrive asynchronously, so reading a label's totals waits (briefly)
 * until every tagged stage has been reported complete. {@link #processCpuNanos()} is the whole
 * JVM's CPU clock, for logs of the driver.
 */
public final class TaskTimes extends SparkListener {
  /** The local property that carries the label to the stages. */
  public static final String PROPERTY = "lopq.task.label";
  private static final long WAIT_MILLIS = 10_000;
  private static final long POLL_MILLIS = 5;
  private static final double NANOS_PER_SECOND = 1e9;

  private final SparkContext context;
  private final Map<Integer, String> labelOfStage = new ConcurrentHashMap<>();
  private final Map<String, AtomicLong> cpuNanos = new ConcurrentHashMap<>();
  private final Set<Integer> open = ConcurrentHashMap.newKeySet();

  private TaskTimes(SparkContext context) {
    this.context = context;
  }

  /** A meter listening to {@code context}; {@link #close()} removes it. */
  public static TaskTimes register(SparkContext context) {
    TaskTimes times = new TaskTimes(context);
    context.addSparkListener(times);
    return times;
  }

  /**
   * Stops listening, once the tagged stages in progress have been reported complete (so the
   * totals read afterwards are final).
   */
  public void close() {
    awaitTaggedStages();
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

  /** CPU nanoseconds of the tasks of {@code label}'s stages so far (0 if none ran). */
  public long cpuNanos(String label) {
    awaitTaggedStages();
    AtomicLong nanos = cpuNanos.get(label);
    return nanos == null ? 0 : nanos.get();
  }

  /** Waits (at most {@value #WAIT_MILLIS} ms) until no tagged stage is still running or unreported. */
  private void awaitTaggedStages() {
    long deadline = System.currentTimeMillis() + WAIT_MILLIS;
    while (!open.isEmpty() && System.currentTimeMillis() < deadline) {
      try {
        Thread.sleep(POLL_MILLIS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
  }

  /** CPU seconds of the tasks of {@code label}'s stages so far (0 if none ran). */
  public double cpuSeconds(String label) {
    return cpuNanos(label) / NANOS_PER_SECOND;
  }

  /** Wall-clock seconds and the tasks' CPU seconds of one {@link Span}. */
  public record Timing(String label, double seconds, double taskCpuSeconds) {}

  /** Starts a span: tags the calling thread's stages with {@code label} and starts the wall clock. */
  public Span start(String label) {
    return new Span(label);
  }

  /** A labelled stretch of the driver's work, timed in wall-clock seconds and task CPU seconds. */
  public final class Span implements AutoCloseable {
    private final String label;
    private final long cpuBefore;
    private final Label tag;
    private final long start;
    private Timing timing;

    private Span(String label) {
      this.label = label;
      this.cpuBefore = cpuNanos(label);
      this.tag = label(label);
      this.start = System.nanoTime();
    }

    /** Ends the span (once; later calls return the same timing) and restores the previous label. */
    public Timing end() {
      if (timing == null) {
        double seconds = (System.nanoTime() - start) / NANOS_PER_SECOND;
        tag.close();
        timing = new Timing(label, seconds, (cpuNanos(label) - cpuBefore) / NANOS_PER_SECOND);
      }
      return timing;
    }

    @Override
    public void close() {
      end();
    }
  }

  /** Consecutive spans, each handed to {@code sink} as it ends. */
  public Stages stages(Consumer<Timing> sink) {
    return new Stages(sink);
  }

  /** Times consecutive stages of a job: beginning one ends the one in progress. */
  public final class Stages {
    private final Consumer<Timing> sink;
    private Span current;

    private Stages(Consumer<Timing> sink) {
      this.sink = sink;
    }

    /** Starts timing {@code name} (ending the stage in progress, if any). */
    public void begin(String name) {
      end();
      current = start(name);
    }

    /** Ends the stage in progress, if any, and hands its timing to the sink. */
    public void end() {
      if (current != null) {
        Span span = current;
        current = null;
        sink.accept(span.end());
      }
    }
  }

  /** A part of many tasks whose CPU time is summed (an accumulator named after {@code name}). */
  public Section section(String name) {
    return new Section(context.longAccumulator("lopq " + name + " CPU nanoseconds"));
  }

  /**
   * The CPU time of one part of a task (e.g. the encoder inside the encode tasks), read on the task
   * thread around that part and summed over tasks. Serializable: ships with the task.
   */
  public static final class Section implements Serializable {
    private static final long serialVersionUID = 1L;
    private final LongAccumulator nanos;

    private Section(LongAccumulator nanos) {
      this.nanos = nanos;
    }

    /** The calling thread's CPU clock, to pass to {@link #stop}. */
    public long start() {
      return threadCpuNanos();
    }

    /** Adds the calling thread's CPU time since {@code start}. */
    public void stop(long start) {
      nanos.add(threadCpuNanos() - start);
    }

    /** CPU nanoseconds summed so far (on the driver, once the tasks' actions have run). */
    public long cpuNanos() {
      return nanos.value();
    }
  }

  /** The calling thread's CPU time in nanoseconds, or 0 if the JVM cannot tell. */
  public static long threadCpuNanos() {
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    return threads.isCurrentThreadCpuTimeSupported() ? threads.getCurrentThreadCpuTime() : 0L;
  }

  /**
   * CPU time of this whole JVM in nanoseconds (all threads: in local mode the executors too), or
   * -1 where the JVM does not tell.
   */
  public static long processCpuNanos() {
    java.lang.management.OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
    if (os instanceof com.sun.management.OperatingSystemMXBean sun) {
      return sun.getProcessCpuTime();
    }
    return -1;
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
      cpuNanos.computeIfAbsent(label, l -> new AtomicLong()).addAndGet(metrics.executorCpuTime());
    }
  }

  @Override
  public void onStageCompleted(SparkListenerStageCompleted event) {
    open.remove(event.stageInfo().stageId());
  }
}
