package io.lopq.bench.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class ScaleRecordTest {
  @TempDir Path dir;

  private static String taskEnd(long written, long remote, long local, long memory, long disk, long cpu) {
    return "{\"Event\":\"SparkListenerTaskEnd\",\"Stage ID\":0,\"Task Metrics\":{\"Executor CPU Time\":" + cpu
        + ",\"Memory Bytes Spilled\":" + memory + ",\"Disk Bytes Spilled\":" + disk
        + ",\"Shuffle Read Metrics\":{\"Remote Bytes Read\":" + remote + ",\"Local Bytes Read\":" + local + "},"
        + "\"Shuffle Write Metrics\":{\"Shuffle Bytes Written\":" + written + "}}}";
  }

  @Test
  void sumsTheTaskMetricsOfEveryEventLogFile() throws Exception {
    Path events = dir.resolve("events/eventlog_v2_local-1");
    Files.createDirectories(events);
    Files.write(events.resolve("events_1_local-1"), List.of("{\"Event\":\"SparkListenerApplicationStart\"}",
        taskEnd(100, 5, 7, 1000, 300, 9), taskEnd(50, 0, 0, 0, 0, 1)));
    Files.write(events.resolve("events_2_local-1"), List.of(taskEnd(1, 2, 3, 4, 5, 6)));
    Files.write(events.resolve(".events_2_local-1.crc"), new byte[] {(byte) 0xff, 0, 1});
    SparkEventLog log = SparkEventLog.read(dir.resolve("events"));
    assertEquals(new SparkEventLog(3, 151, 17, 1004, 305, 16), log);

    Files.write(events.resolve("events_3_local-1.zstd"), new byte[] {1});
    IllegalArgumentException compressed = assertThrows(IllegalArgumentException.class,
        () -> SparkEventLog.read(dir.resolve("events")));
    assertTrue(compressed.getMessage().contains("spark.eventLog.compress=false"), compressed.getMessage());
  }

  @Test
  void readsGnuTimeAndRefusesOtherText() throws Exception {
    Path time = dir.resolve("t.time");
    Files.write(time, List.of("Command exited with non-zero status 1", "12.50 20.25 1.75 2048"));
    assertEquals(new ProcessTime(12.5, 22.0, 2048L * 1024), ProcessTime.read(time));
    Files.write(time, List.of("oops"));
    assertThrows(IllegalArgumentException.class, () -> ProcessTime.read(time));
  }

  @Test
  void recordsStepsAndWritesTablesAndCharts() throws Exception {
    Path log = dir.resolve("scale.jsonl");
    Path time = dir.resolve("t.time");
    for (long n : new long[] {1_000_000, 3_000_000}) {
      Files.write(time, List.of((n / 10_000) + " " + (n / 5_000) + " 1 " + n));
      assertEquals(0, ScaleRecord.commandLine().execute("step", "--log", log.toString(), "--rows", "" + n,
          "--step", "encode", "--bits", "64", "--time", time.toString()));
      assertEquals(0, ScaleRecord.commandLine().execute("step", "--log", log.toString(), "--rows", "" + n,
          "--step", "synth", "--time", time.toString()));
    }
    Path timeChart = dir.resolve("time.png");
    Path memoryChart = dir.resolve("memory.png");
    CommandLine report = ScaleRecord.commandLine();
    StringWriter out = new StringWriter();
    report.setOut(new PrintWriter(out));
    assertEquals(0, report.execute("report", "--log", log.toString(), "--time-chart", timeChart.toString(),
        "--memory-chart", memoryChart.toString()));
    String tables = out.toString();
    // 3,000,000 rows: wall 300 s = 100 µs per row, CPU 600 + 1 s, RSS 3,000,000 KiB = 3.07 GB.
    assertTrue(tables.contains("| 3,000,000 | encode 64-bit | 300.0 | 601.0 | 100.00 | 3.07 | 0.0 | 0.0 | 0.0 / 0.0 |"),
        tables);
    assertTrue(tables.contains("| 1,000,000 | synth | 100.0 |"), tables);
    // CPU 201 s at 1M, 601 s at 3M: 200 µs per extra row, 1 s fixed; RSS 3x.
    assertTrue(tables.contains("| encode 64-bit | 1,000,000 | 3,000,000 | 200.0 | 1.0 | 3.00 |"), tables);
    assertTrue(Files.size(timeChart) > 1000 && Files.size(memoryChart) > 1000);
  }
}
