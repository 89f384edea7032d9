package io.lopq.spark.common;

import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.spark.SparkConf;
import org.apache.spark.scheduler.AccumulableInfo;
import org.apache.spark.util.AccumulatorV2;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerExecutorMetricsUpdate;
import org.apache.spark.scheduler.SparkListenerStageCompleted;
import org.apache.spark.scheduler.SparkListenerStageSubmitted;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.scheduler.StageInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Progress of long Spark stages in the log (logger {@code io.lopq.progress}, INFO), for people
 * watching a job on millions of rows: at most every {@value #DEFAULT_INTERVAL_SECONDS} s
 * ({@value #INTERVAL_KEY}; 0 turns it off) per stage that has run that long, one line
 *
 * <pre>
 *   lopq progress: lopq train: rotations - ... [stage 7]: 3,456,789 of 10,000,000 records (35%), 41,200/s, 2m39s left; 1/2 tasks
 * </pre>
 *
 * and one when such a stage ends. Records are what the stage's tasks read (input rows of a file, or
 * blocks of a cached RDD, and shuffled records), counted in finished tasks and, from the executors'
 * heartbeats (every {@code spark.executor.heartbeatInterval}, 10 s), in running ones. The total is
 * the {@value #ROWS_PROPERTY} local property when the job set it ({@link #expectRows}, for a stage
 * that reads rows of a file), else estimated from the finished tasks (records per task times
 * tasks); the time left follows from the rate, or from the share of finished tasks. Short stages
 * print nothing. Installed by {@link Sessions} as a
 * {@code spark.extraListeners} entry.
 */
public final class StageProgress extends SparkListener {
  /** Spark setting: seconds between progress lines of one stage (0: none). */
  public static final String INTERVAL_KEY = "spark.lopq.progress.intervalSeconds";
  /** Default of {@link #INTERVAL_KEY}. */
  public static final int DEFAULT_INTERVAL_SECONDS = 10;
  /** Local property: the rows the stages submitted from now on will read (for the total and the time left). */
  public static final String ROWS_PROPERTY = "lopq.progress.rows";
  private static final String RECORDS_READ = "internal.metrics.input.recordsRead";
  private static final String SHUFFLE_RECORDS_READ = "internal.metrics.shuffle.read.recordsRead";
  private static final String DESCRIPTION_PROPERTY = "spark.job.description";
  private static final Logger LOG = LoggerFactory.getLogger("io.lopq.progress");
  private static final double MILLIS_PER_SECOND = 1000.0;

  private final long intervalMillis;
  private final Map<Integer, StageState> stages = new ConcurrentHashMap<>();

  /** A listener with the interval of {@code conf} (Spark calls this for {@code spark.extraListeners}). */
  public StageProgress(SparkConf conf) {
    this(conf.getLong(INTERVAL_KEY, DEFAULT_INTERVAL_SECONDS) * (long) MILLIS_PER_SECOND);
  }

  StageProgress(long intervalMillis) {
    this.intervalMillis = intervalMillis;
  }

  /** Tells the listener that the stages {@code context}'s calling thread submits next read {@code rows} rows. */
  public static void expectRows(org.apache.spark.SparkContext context, long rows) {
    context.setLocalProperty(ROWS_PROPERTY, rows > 0 ? Long.toString(rows) : null);
  }

  /** One running stage. */
  private static final class StageState {
    final String name;
    final int tasks;
    final long expectedRows;
    final long started = System.currentTimeMillis();
    final Map<Long, Long> running = new ConcurrentHashMap<>();
    /** Ids of the stage's record-count accumulators (heartbeats name them by id only). */
    final java.util.Set<Long> recordAccumulators = ConcurrentHashMap.newKeySet();
    long finishedRows;
    int finishedTasks;
    long lastLine;
    boolean reported;

    StageState(String name, int tasks, long expectedRows) {
      this.name = name;
      this.tasks = tasks;
      this.expectedRows = expectedRows;
      this.lastLine = started;
    }

    long rows() {
      long sum = finishedRows;
      for (long r : running.values()) {
        sum += r;
      }
      return sum;
    }
  }

  @Override
  public void onStageSubmitted(SparkListenerStageSubmitted event) {
    if (intervalMillis <= 0) {
      return;
    }
    StageInfo info = event.stageInfo();
    Properties properties = event.properties();
    String description = properties == null ? null : properties.getProperty(DESCRIPTION_PROPERTY);
    long expected = 0;
    String rows = properties == null ? null : properties.getProperty(ROWS_PROPERTY);
    if (rows != null) {
      try {
        expected = Long.parseLong(rows);
      } catch (NumberFormatException e) {
        expected = 0;
      }
    }
    String name = (description == null ? info.name() : description) + " [stage " + info.stageId() + "]";
    StageState state = new StageState(name, info.numTasks(), expected);
    if (info.taskMetrics() != null) {
      // The stage's tasks update copies of these accumulators, with the same ids.
      for (AccumulatorV2<?, ?> acc : scala.jdk.javaapi.CollectionConverters.asJava(info.taskMetrics().accumulators())) {
        String accName = acc.name().isDefined() ? acc.name().get() : "";
        if (RECORDS_READ.equals(accName) || SHUFFLE_RECORDS_READ.equals(accName)) {
          state.recordAccumulators.add(acc.id());
        }
      }
    }
    stages.put(info.stageId(), state);
  }

  @Override
  public void onTaskEnd(SparkListenerTaskEnd event) {
    StageState stage = stages.get(event.stageId());
    if (stage == null) {
      return;
    }
    synchronized (stage) {
      stage.running.remove(event.taskInfo().taskId());
      if (event.taskInfo().successful()) {
        stage.finishedTasks++;
        if (event.taskMetrics() != null) {
          stage.finishedRows += event.taskMetrics().inputMetrics().recordsRead()
              + event.taskMetrics().shuffleReadMetrics().recordsRead();
        }
      }
      maybeReport(stage, System.currentTimeMillis());
    }
  }

  @Override
  public void onExecutorMetricsUpdate(SparkListenerExecutorMetricsUpdate event) {
    long now = System.currentTimeMillis();
    for (var update : scala.jdk.javaapi.CollectionConverters.asJava(event.accumUpdates())) {
      StageState stage = stages.get((Integer) update._2());
      if (stage == null) {
        continue;
      }
      long records = 0;
      for (AccumulableInfo info : scala.jdk.javaapi.CollectionConverters.asJava(update._4())) {
        String name = info.name().isDefined() ? info.name().get() : "";
        boolean counted = stage.recordAccumulators.contains(info.id()) || RECORDS_READ.equals(name)
            || SHUFFLE_RECORDS_READ.equals(name);
        if (counted && info.update().isDefined()
            && info.update().get() instanceof Long value) {
          records += value;
        }
      }
      synchronized (stage) {
        stage.running.put((Long) update._1(), records);
        maybeReport(stage, now);
      }
    }
  }

  @Override
  public void onStageCompleted(SparkListenerStageCompleted event) {
    StageState stage = stages.remove(event.stageInfo().stageId());
    if (stage == null) {
      return;
    }
    synchronized (stage) {
      if (stage.reported) {
        double seconds = Math.max(1e-3, (System.currentTimeMillis() - stage.started) / MILLIS_PER_SECOND);
        String failure = event.stageInfo().failureReason().isDefined() ? " (failed)" : "";
        LOG.info(String.format(Locale.ROOT, "lopq progress: %s: done%s, %,d records in %s (%,.0f/s)", stage.name,
            failure, stage.finishedRows, duration(seconds), stage.finishedRows / seconds));
      }
    }
  }

  private void maybeReport(StageState stage, long now) {
    if (now - stage.lastLine < intervalMillis) {
      return;
    }
    stage.lastLine = now;
    stage.reported = true;
    LOG.info("lopq progress: " + line(stage.name, stage.rows(), stage.expectedRows, stage.finishedTasks, stage.tasks,
        (now - stage.started) / MILLIS_PER_SECOND));
  }

  /**
   * The progress line of a stage that read {@code rows} in {@code seconds}, with {@code done} of
   * {@code tasks} tasks finished; {@code expectedRows} 0 when unknown.
   */
  static String line(String name, long rows, long expectedRows, int done, int tasks, double seconds) {
    double rate = rows / Math.max(seconds, 1e-3);
    long total = expectedRows > 0 ? expectedRows : done > 0 ? Math.round((double) rows / done * tasks) : 0;
    StringBuilder s = new StringBuilder(name).append(": ").append(String.format(Locale.ROOT, "%,d", rows));
    if (total > 0) {
      s.append(String.format(Locale.ROOT, " of %s%,d records (%d%%)", expectedRows > 0 ? "" : "~", total,
          Math.min(100, Math.round(100.0 * rows / total))));
    } else {
      s.append(" records");
    }
    s.append(String.format(Locale.ROOT, ", %,.0f/s", rate));
    double left = -1;
    if (total > 0 && rate > 0) {
      left = Math.max(0, total - rows) / rate;
    } else if (done > 0) {
      left = seconds * (tasks - done) / done;
    }
    if (left >= 0) {
      s.append(", ").append(duration(left)).append(" left");
    }
    return s.append("; ").append(done).append('/').append(tasks).append(" tasks").toString();
  }

  /** {@code 75} as "1m15s", {@code 8} as "8s", {@code 3725} as "1h02m". */
  static String duration(double seconds) {
    long s = Math.round(seconds);
    if (s < 60) {
      return s + "s";
    }
    if (s < 3600) {
      return (s / 60) + "m" + String.format(Locale.ROOT, "%02d", s % 60) + "s";
    }
    return (s / 3600) + "h" + String.format(Locale.ROOT, "%02d", (s % 3600) / 60) + "m";
  }
}
