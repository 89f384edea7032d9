package io.lopq.bench.pipeline;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Wall time, CPU time and peak resident memory of one process, as GNU time writes them with
 * {@code /usr/bin/time -f "%e %U %S %M" -o FILE}: elapsed seconds, user seconds, system seconds,
 * maximum resident set size in KiB (of the largest process it waited for: the JVM).
 *
 * @param wallSeconds elapsed wall-clock time
 * @param cpuSeconds user + system time of the process and its children
 * @param peakRssBytes maximum resident set size
 */
public record ProcessTime(double wallSeconds, double cpuSeconds, long peakRssBytes) {
  private static final long KIB = 1024;

  /**
   * Reads the last line of a GNU time output file (earlier lines may hold the command's exit status).
   *
   * @throws IllegalArgumentException naming the file if its last line is not four numbers
   */
  public static ProcessTime read(Path file) throws IOException {
    String last = null;
    for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
      if (!line.isBlank()) {
        last = line.trim();
      }
    }
    String[] fields = last == null ? new String[0] : last.split("\\s+");
    try {
      if (fields.length != 4) {
        throw new NumberFormatException("expected 4 fields");
      }
      return new ProcessTime(Double.parseDouble(fields[0]), Double.parseDouble(fields[1]) + Double.parseDouble(fields[2]),
          Long.parseLong(fields[3]) * KIB);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(file + ": expected \"wall user system maxRssKiB\" (GNU time -f \"%e %U %S %M\"), got '"
          + last + "'");
    }
  }
}
