package io.lopq.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What a finished application did, from its Spark event log (JSON lines, uncompressed): how many
 * tasks each stage ran and on which executors. Lets a test show that a step really ran as several
 * tasks spread over the cluster's executors, not as one task on one.
 */
final class EventLog {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Successful task ends per stage id. */
  final Map<Integer, Integer> tasksPerStage = new TreeMap<>();
  /** Executors that ran at least one task. */
  final Set<String> executors = new TreeSet<>();
  /** Tasks that failed (e.g. lost with their executor), resubmitted by Spark. */
  int failedTasks;
  /** Bytes spilled to disk by successful tasks (shuffles, sorts, aggregations that did not fit). */
  long spilledBytes;
  /**
   * Stages that ran again ("stage.attempt", attempt 1 or later): how Spark recomputes shuffle output
   * lost with an executor when no running task failed (the next stage had not started yet).
   */
  final Set<String> stageRetries = new TreeSet<>();

  private EventLog() {}

  /** The Spark settings that make an application write an event log under {@code dir}. */
  static String[] settings(Path dir) {
    return new String[] {"spark.eventLog.enabled=true", "spark.eventLog.dir=" + dir.toUri(),
        "spark.eventLog.compress=false", "spark.eventLog.rolling.enabled=false"};
  }

  /** Reads the log of application {@code appId} from {@code dir}. */
  static EventLog read(Path dir, String appId) {
    Path file = dir.resolve(appId);
    if (!Files.isRegularFile(file)) {
      throw new AssertionError("no event log " + file + "; the folder holds " + FileTrees.list(dir));
    }
    EventLog log = new EventLog();
    try (BufferedReader reader = Files.newBufferedReader(file)) {
      String line;
      while ((line = reader.readLine()) != null) {
        if (!line.contains("\"SparkListenerTaskEnd\"")) {
          continue;
        }
        JsonNode event = JSON.readTree(line);
        int attempt = event.path("Stage Attempt ID").asInt();
        if (attempt > 0) {
          log.stageRetries.add(event.path("Stage ID").asInt() + "." + attempt);
        }
        String reason = event.path("Task End Reason").path("Reason").asText();
        if (!reason.equals("Success")) {
          log.failedTasks++;
          continue;
        }
        log.tasksPerStage.merge(event.path("Stage ID").asInt(), 1, Integer::sum);
        log.spilledBytes += event.path("Task Metrics").path("Disk Bytes Spilled").asLong();
        log.executors.add(event.path("Task Info").path("Executor ID").asText());
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
    return log;
  }

  /** Whether work lost with an executor was done again: a task failed, or a stage ran a second attempt. */
  boolean lostWorkWasRedone() {
    return failedTasks > 0 || !stageRetries.isEmpty();
  }

  /** The most tasks any one stage ran. */
  int widestStage() {
    return tasksPerStage.values().stream().mapToInt(Integer::intValue).max().orElse(0);
  }

  @Override
  public String toString() {
    return "tasks per stage " + tasksPerStage + ", executors " + executors + ", failed tasks " + failedTasks
        + ", stage retries " + stageRetries + ", spilled " + spilledBytes + " bytes";
  }
}
