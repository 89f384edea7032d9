package io.lopq.spark.search;

import io.lopq.spark.common.TaskTimes;

/**
 * Times the stages of a search into its {@link SearchReport}: wall-clock seconds measured on the
 * driver, and the executors' CPU seconds of the Spark stages run meanwhile ({@link TaskTimes}).
 *
 * <pre>
 *   clock.begin("search");  ...actions...;  clock.end();
 * </pre>
 */
public final class StageClock {
  private final TaskTimes times;
  private final SearchReport report;
  private String stage;
  private TaskTimes.Label label;
  private long start;

  /** A clock writing into {@code report}. */
  public StageClock(TaskTimes times, SearchReport report) {
    this.times = times;
    this.report = report;
  }

  /** Starts timing {@code name} (ending the stage in progress, if any). */
  public void begin(String name) {
    end();
    stage = name;
    label = times.label(name);
    start = System.nanoTime();
  }

  /** Ends the stage in progress and records its times. */
  public void end() {
    if (stage == null) {
      return;
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    label.close();
    report.stage(stage, seconds).stageCpu(stage, times.cpuSeconds(stage));
    stage = null;
    label = null;
  }
}
