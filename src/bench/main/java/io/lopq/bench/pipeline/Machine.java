package io.lopq.bench.pipeline;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A one-line description of the machine a benchmark ran on, e.g. {@code 2 cores AMD EPYC, 24 GiB,
 * openjdk version 17.0.15 2025-04-15, OpenBLAS}: cores, CPU model ({@code /proc/cpuinfo}), memory
 * ({@code /proc/meminfo}), the Java version (as {@code java -version} names it) and whether a native
 * OpenBLAS is installed (what netlib's JNI BLAS then uses).
 */
public final class Machine {
  private static final Path CPU_INFO = Path.of("/proc/cpuinfo");
  private static final Path MEM_INFO = Path.of("/proc/meminfo");
  private static final double KIB_PER_GIB = 1024.0 * 1024.0;
  private static final long LDCONFIG_TIMEOUT_SECONDS = 10;

  private Machine() {}

  /** The description of this machine. */
  public static String describe() {
    StringBuilder line = new StringBuilder();
    line.append(Runtime.getRuntime().availableProcessors()).append(" cores");
    cpuModel(readLines(CPU_INFO)).ifPresent(model -> line.append(' ').append(model));
    memoryGib(readLines(MEM_INFO)).ifPresent(gib -> line.append(", ").append(String.format(Locale.ROOT, "%.0f GiB", gib)));
    line.append(", ").append(javaVersion());
    line.append(", ").append(hasOpenBlas() ? "OpenBLAS" : "no native BLAS");
    return line.toString();
  }

  /** The first "model name" of {@code /proc/cpuinfo} lines, runs of spaces collapsed. */
  static Optional<String> cpuModel(List<String> cpuInfo) {
    return cpuInfo.stream()
        .filter(l -> l.startsWith("model name"))
        .map(l -> l.substring(l.indexOf(':') + 1).trim().replaceAll(" +", " "))
        .filter(s -> !s.isEmpty())
        .findFirst();
  }

  /** MemTotal of {@code /proc/meminfo} lines, in GiB. */
  static Optional<Double> memoryGib(List<String> memInfo) {
    return memInfo.stream()
        .filter(l -> l.startsWith("MemTotal:"))
        .map(l -> l.replaceAll("[^0-9]", ""))
        .filter(s -> !s.isEmpty())
        .map(kib -> Long.parseLong(kib) / KIB_PER_GIB)
        .findFirst();
  }

  /** As the first line of {@code java -version}, without quotes: "openjdk version 17.0.15 2025-04-15". */
  static String javaVersion() {
    String launcher = System.getProperty("java.runtime.name", "").startsWith("OpenJDK") ? "openjdk" : "java";
    String date = System.getProperty("java.version.date", "");
    return (launcher + " version " + System.getProperty("java.version") + " " + date).trim();
  }

  /** Whether the dynamic linker knows a libopenblas ({@code ldconfig -p}). */
  static boolean hasOpenBlas() {
    for (String ldconfig : List.of("ldconfig", "/sbin/ldconfig", "/usr/sbin/ldconfig")) {
      try {
        Process process = new ProcessBuilder(ldconfig, "-p").redirectErrorStream(true).start();
        String libraries;
        try (InputStream out = process.getInputStream()) {
          libraries = new String(out.readAllBytes(), StandardCharsets.UTF_8);
        }
        if (process.waitFor(LDCONFIG_TIMEOUT_SECONDS, TimeUnit.SECONDS) && process.exitValue() == 0) {
          return libraries.contains("libopenblas");
        }
      } catch (IOException e) {
        // not on PATH under this name: try the next
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
    return false;
  }

  private static List<String> readLines(Path file) {
    try {
      return Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return List.of();
    }
  }
}
