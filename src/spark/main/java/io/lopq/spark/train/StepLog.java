package io.lopq.spark.train;

import io.lopq.spark.common.TaskTimes;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.api.java.JavaSparkContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Progress of a training run: logs what each step runs, how far it got and how long it took
 * (logger {@code io.lopq.spark.train}, INFO), names the Spark jobs of each step (job group
 * {@value #JOB_GROUP_PREFIX}&lt;step&gt;, visible in the Spark UI and to listeners), and keeps the
 * per-step records for the training report: wall seconds, the driver JVM's CPU seconds (in local
 * mode the executors' too) and the executors' task CPU seconds of the step's Spark stages, all
 * from the one meter {@link TaskTimes}. {@link #close()} when the run ends.
 */
final class StepLog {
  /** Prefix of the Spark job group of each step: e.g. {@code lopq-train:rotations}. */
  static final String JOB_GROUP_PREFIX = "lopq-train:";
  private static final Logger LOG = LoggerFactory.getLogger("io.lopq.spark.train");
  private static final double NANOS_PER_SECOND = 1e9;

  private final JavaSparkContext jsc;
  private final TaskTimes times;
  private final long start = System.nanoTime();
  private final long cpuStart = TaskTimes.processCpuNanos();
  private final List<Map<String, Object>> steps = new ArrayList<>();

  StepLog(JavaSparkContext jsc) {
    this.jsc = jsc;
    this.times = TaskTimes.register(jsc.sc());
  }

  /** Stops measuring. */
  void close() {
    times.close();
  }

  /** The job group of step {@code name}. */
  static String jobGroup(String name) {
    return JOB_GROUP_PREFIX + name;
  }

  /** Starts step {@code name}: logs it and names the Spark jobs the calling thread submits. */
  Step begin(String name, String description) {
    setJobGroup(jsc, name, description);
    LOG.info(String.format(Locale.ROOT, "lopq train [%5.1fs, cpu %5.1fs] %s: %s", elapsed(), cpuSeconds(), name,
        description));
    return new Step(name);
  }

  /** Names the Spark jobs the calling thread submits from now on (also for helper threads). */
  static void setJobGroup(JavaSparkContext jsc, String name, String description) {
    jsc.setJobGroup(jobGroup(name), "lopq train: " + name + " - " + description, false);
  }

  /** Logs progress inside a step. */
  void progress(String name, String message) {
    LOG.info(String.format(Locale.ROOT, "lopq train [%5.1fs, cpu %5.1fs] %s: %s", elapsed(), cpuSeconds(), name,
        message));
  }

  /** CPU seconds of this JVM since the run started (NaN if unknown). */
  double cpuSeconds() {
    long now = TaskTimes.processCpuNanos();
    return now < 0 || cpuStart < 0 ? Double.NaN : (now - cpuStart) / NANOS_PER_SECOND;
  }

  /** Seconds since the run started. */
  double elapsed() {
    return (System.nanoTime() - start) / NANOS_PER_SECOND;
  }

  /** The records of the finished steps, in order. */
  List<Map<String, Object>> records() {
    return steps;
  }

  /** One running step; {@link #end} records and logs it. */
  final class Step {
    private final String name;
    private final TaskTimes.Span span;
    private final long cpuBegun = TaskTimes.processCpuNanos();
    private final Map<String, Object> record = new LinkedHashMap<>();

    private Step(String name) {
      this.name = name;
      this.span = times.start(name);
      record.put("step", name);
    }

    /** Adds a value to the step's record. */
    Step put(String key, Object value) {
      record.put(key, value);
      return this;
    }

    /** Adds every entry of {@code values} to the step's record. */
    Step putAll(Map<String, Object> values) {
      record.putAll(values);
      return this;
    }

    /** Ends the step: records its time and logs {@code summary}. */
    Map<String, Object> end(String summary) {
      TaskTimes.Timing timing = span.end();
      double seconds = timing.seconds();
      long cpuNow = TaskTimes.processCpuNanos();
      double cpu = cpuNow < 0 || cpuBegun < 0 ? Double.NaN : (cpuNow - cpuBegun) / NANOS_PER_SECOND;
      Map<String, Object> out = new LinkedHashMap<>();
      out.put("step", name);
      out.put("seconds", Math.round(seconds * 1000) / 1000.0);
      out.put("driverJvmCpuSeconds", Math.round(cpu * 1000) / 1000.0);
      out.put("taskCpuSeconds", Math.round(timing.taskCpuSeconds() * 1000) / 1000.0);
      record.remove("step");
      out.putAll(record);
      steps.add(out);
      LOG.info(String.format(Locale.ROOT, "lopq train [%5.1fs, cpu %5.1fs] %s: done in %.2fs (cpu %.2fs, tasks %.2fs)%s",
          elapsed(), cpuSeconds(), name, seconds, cpu, timing.taskCpuSeconds(),
          summary == null || summary.isEmpty() ? "" : " - " + summary));
      jsc.clearJobGroup();
      return out;
    }
  }
}
