package io.lopq.bench.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * What a job's tasks moved and spilled, summed from Spark's event log (written when a job runs with
 * {@code spark.eventLog.enabled=true} and {@code spark.eventLog.dir=DIR}): one JSON event per line;
 * every {@code SparkListenerTaskEnd} carries the task's metrics. The log must be uncompressed
 * ({@code spark.eventLog.compress=false}; Spark 4 compresses it by default).
 *
 * <pre>
 *   shuffle write = sum "Shuffle Write Metrics"."Shuffle Bytes Written"
 *   shuffle read  = sum "Shuffle Read Metrics"."Remote Bytes Read" + "Local Bytes Read"
 *   spill         = sum "Memory Bytes Spilled" (in memory, deserialized) and "Disk Bytes Spilled" (on disk)
 *   executor CPU  = sum "Executor CPU Time" (ns)
 * </pre>
 *
 * @param tasks tasks that ended
 * @param shuffleWriteBytes bytes written by shuffle map tasks
 * @param shuffleReadBytes bytes read by shuffle reads, local and remote
 * @param memorySpillBytes bytes spilled, as sized in memory
 * @param diskSpillBytes bytes spilled, as written to disk
 * @param executorCpuNanos CPU time of the tasks
 */
public record SparkEventLog(long tasks, long shuffleWriteBytes, long shuffleReadBytes, long memorySpillBytes,
    long diskSpillBytes, long executorCpuNanos) {
  private static final String TASK_END = "SparkListenerTaskEnd";

  /** Nothing moved (a step that ran no Spark job). */
  public static SparkEventLog none() {
    return new SparkEventLog(0, 0, 0, 0, 0, 0);
  }

  /**
   * Sums the task metrics of every event log file under {@code dir} (every application that logged there).
   *
   * @throws IOException if a file cannot be read
   */
  public static SparkEventLog read(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      throw new IllegalArgumentException("no event log folder at " + dir);
    }
    List<Path> files;
    try (Stream<Path> walk = Files.walk(dir)) {
      files = walk.filter(Files::isRegularFile)
          .filter(f -> !f.getFileName().toString().startsWith(".") && !f.getFileName().toString().startsWith("appstatus"))
          .sorted().toList();
    }
    for (Path file : files) {
      String name = file.getFileName().toString();
      if (name.endsWith(".zstd") || name.endsWith(".lz4") || name.endsWith(".snappy") || name.endsWith(".lzf")) {
        throw new IllegalArgumentException(file + " is compressed; run the job with spark.eventLog.compress=false");
      }
    }
    ObjectMapper json = new ObjectMapper();
    long tasks = 0;
    long write = 0;
    long read = 0;
    long memory = 0;
    long disk = 0;
    long cpu = 0;
    for (Path file : files) {
      try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
        String line;
        while ((line = in.readLine()) != null) {
          if (!line.contains(TASK_END)) {
            continue;
          }
          JsonNode event = json.readTree(line);
          if (!TASK_END.equals(event.path("Event").asText())) {
            continue;
          }
          JsonNode m = event.path("Task Metrics");
          tasks++;
          write += m.path("Shuffle Write Metrics").path("Shuffle Bytes Written").asLong();
          read += m.path("Shuffle Read Metrics").path("Remote Bytes Read").asLong()
              + m.path("Shuffle Read Metrics").path("Local Bytes Read").asLong();
          memory += m.path("Memory Bytes Spilled").asLong();
          disk += m.path("Disk Bytes Spilled").asLong();
          cpu += m.path("Executor CPU Time").asLong();
        }
      }
    }
    return new SparkEventLog(tasks, write, read, memory, disk, cpu);
  }
}
