package io.lopq.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A command the integration tests run as a real process (a script of {@code scripts/}), with its
 * environment, its combined stdout/stderr in a log file, and a timeout. {@link #start()} gives a
 * handle to watch or kill it while it runs (fault tests); {@link #run()} waits for it.
 */
final class ExternalProcess {
  /** Default time a process may take before it is killed and the test fails. */
  static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(10);
  /** Lines of the log shown in a failure message. */
  private static final int TAIL_LINES = 60;

  private final List<String> command;
  private final Map<String, String> environment = new LinkedHashMap<>();
  private Path log;
  private Duration timeout = DEFAULT_TIMEOUT;

  private ExternalProcess(List<String> command) {
    this.command = new ArrayList<>(command);
  }

  /** {@code scripts/NAME ARGS...}, run in the project folder. */
  static ExternalProcess script(String name, String... args) {
    List<String> command = new ArrayList<>();
    command.add(Project.script(name).toString());
    command.addAll(List.of(args));
    return new ExternalProcess(command);
  }

  /** Sets an environment variable (null removes it). */
  ExternalProcess env(String name, String value) {
    environment.put(name, value);
    return this;
  }

  /** Sets every variable of {@code values}. */
  ExternalProcess env(Map<String, String> values) {
    environment.putAll(values);
    return this;
  }

  /** Appends arguments. */
  ExternalProcess args(String... args) {
    command.addAll(List.of(args));
    return this;
  }

  /** Where the output goes (default: a file under target/it/logs named after the command). */
  ExternalProcess log(Path file) {
    this.log = file;
    return this;
  }

  ExternalProcess timeout(Duration value) {
    this.timeout = value;
    return this;
  }

  /** Starts the process without waiting. */
  Running start() {
    Path logFile = log != null ? log : defaultLog();
    ProcessBuilder builder = new ProcessBuilder(command)
        .directory(Project.root().toFile())
        .redirectErrorStream(true)
        .redirectOutput(logFile.toFile());
    Map<String, String> env = builder.environment();
    environment.forEach((k, v) -> {
      if (v == null) {
        env.remove(k);
      } else {
        env.put(k, v);
      }
    });
    try {
      Files.createDirectories(logFile.getParent());
      return new Running(String.join(" ", command), builder.start(), logFile, timeout, System.nanoTime());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + command, e);
    }
  }

  /** Runs the process to its end (killing it after the timeout) and returns how it ended. */
  Result run() {
    return start().await();
  }

  private Path defaultLog() {
    String name = Path.of(command.get(0)).getFileName() + "-" + System.nanoTime() + ".log";
    return Project.workDir("logs").resolve(name);
  }

  /** A started process. */
  static final class Running {
    private final String description;
    private final Process process;
    private final Path log;
    private final Duration timeout;
    private final long startNanos;

    private Running(String description, Process process, Path log, Duration timeout, long startNanos) {
      this.description = description;
      this.process = process;
      this.log = log;
      this.timeout = timeout;
      this.startNanos = startNanos;
    }

    ProcessHandle handle() {
      return process.toHandle();
    }

    boolean isAlive() {
      return process.isAlive();
    }

    /** The output written so far. */
    String output() {
      return FileTrees.readOrEmpty(log);
    }

    Path log() {
      return log;
    }

    /** A descendant process (child, grandchild, ...) whose command line contains {@code marker}. */
    Optional<ProcessHandle> descendant(String marker) {
      return process.descendants()
          .filter(p -> commandLine(p).contains(marker))
          .findFirst();
    }

    /** Waits until the process ends; kills it (and its descendants) after the timeout. */
    Result await() {
      try {
        long remaining = timeout.toNanos() - (System.nanoTime() - startNanos);
        if (!process.waitFor(Math.max(0, remaining), TimeUnit.NANOSECONDS)) {
          killTree();
          throw new AssertionError("timed out after " + timeout + ": " + description + "\n" + tail(output()));
        }
      } catch (InterruptedException e) {
        killTree();
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted while waiting for " + description, e);
      }
      return new Result(description, process.exitValue(), output(), log,
          Duration.ofNanos(System.nanoTime() - startNanos));
    }

    /** SIGKILLs the process and every descendant (used on timeouts and test aborts). */
    void killTree() {
      process.descendants().forEach(ProcessHandle::destroyForcibly);
      process.destroyForcibly();
      try {
        process.waitFor(30, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** How a process ended. */
  record Result(String description, int exitCode, String output, Path log, Duration elapsed) {
    /** Fails unless the exit code is 0, showing the end of the output. */
    Result assertSuccess() {
      if (exitCode != 0) {
        throw new AssertionError("exit code " + exitCode + " (expected 0) after " + elapsed.toSeconds() + " s: "
            + description + "\nlog " + log + ":\n" + tail(output));
      }
      return this;
    }
  }

  /** The full command line of a process (from /proc where there is one; "" once it is gone). */
  static String commandLine(ProcessHandle process) {
    Path proc = Path.of("/proc", Long.toString(process.pid()), "cmdline");
    try {
      if (Files.isReadable(proc)) {
        return Files.readString(proc, java.nio.charset.StandardCharsets.ISO_8859_1).replace('\0', ' ');
      }
    } catch (IOException e) {
      return "";
    }
    return process.info().commandLine().orElse(process.info().command().orElse(""));
  }

  /** The last lines of a text. */
  static String tail(String text) {
    String[] lines = text.split("\n");
    int from = Math.max(0, lines.length - TAIL_LINES);
    return String.join("\n", List.of(lines).subList(from, lines.length));
  }
}
