package io.lopq.project;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lopq.cli.ExitCodes;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code scripts/lopq} as users run it (a separate process, after {@code mvn package}): the JVM's
 * start-up line "WARNING: Using incubator modules: jdk.incubator.vector" (caused by
 * {@code --add-modules=jdk.incubator.vector} of conf/jvm-flags, which stays) does not reach the
 * terminal, while the command's own output, its error messages on stderr and its exit status do.
 */
class LauncherIT {
  /** The line the JVM prints for the incubator module. */
  static final String INCUBATOR_WARNING = "WARNING: Using incubator modules: jdk.incubator.vector";
  private static final long TIMEOUT_SECONDS = 300;

  @TempDir Path dir;

  /** How a process ended: exit code, stdout and stderr apart. */
  private record Run(int exitCode, String out, String err) {
    boolean warned() {
      return err.lines().anyMatch(INCUBATOR_WARNING::equals) || out.lines().anyMatch(INCUBATOR_WARNING::equals);
    }

    String describe() {
      return "exit " + exitCode + "\n--- stdout:\n" + out + "\n--- stderr:\n" + err;
    }
  }

  private Run run(String... command) throws IOException, InterruptedException {
    Path out = Files.createTempFile(dir, "out", ".txt");
    Path err = Files.createTempFile(dir, "err", ".txt");
    Process process = new ProcessBuilder(command)
        .directory(ProjectDir.root().toFile())
        .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
        .redirectOutput(out.toFile())
        .redirectError(err.toFile())
        .start();
    if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
      process.descendants().forEach(ProcessHandle::destroyForcibly);
      process.destroyForcibly();
      throw new AssertionError("timed out: " + String.join(" ", command));
    }
    return new Run(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
        Files.readString(err, StandardCharsets.UTF_8));
  }

  private Run lopq(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(ProjectDir.root().resolve("scripts").resolve("lopq").toString());
    command.addAll(List.of(args));
    return run(command.toArray(String[]::new));
  }

  @Test
  void theJvmItselfWouldPrintTheWarning() throws Exception {
    // The control: without the launcher the line is there, so its absence below means something.
    Run java = run("java", "--add-modules=jdk.incubator.vector", "-version");
    assertTrue(java.warned(), java.describe());
    assertTrue(ConfTest.jvmFlags().contains("--add-modules=jdk.incubator.vector"));
  }

  @Test
  void versionPrintsNoWarningAndExitsZero() throws Exception {
    Run version = lopq("--version");
    assertEquals(0, version.exitCode(), version.describe());
    assertTrue(version.out().startsWith("lopq-spark "), version.describe());
    assertFalse(version.warned(), version.describe());
  }

  @Test
  void usageErrorKeepsItsExitCodeAndStderrWithoutTheWarning() throws Exception {
    Run train = lopq("train");
    assertEquals(ExitCodes.USAGE, train.exitCode(), train.describe());
    assertTrue(train.err().contains("Missing required option"), train.describe());
    assertFalse(train.warned(), train.describe());
    assertEquals("", train.out(), "a usage error goes to stderr only: " + train.describe());
  }

  @Test
  void failingCommandKeepsItsExitCodeAndMessage() throws Exception {
    Path output = dir.resolve("never.fvecs");
    Run generate = lopq("generate", "--output", output.toString(), "--rows", "0");
    assertEquals(ExitCodes.FAILED, generate.exitCode(), generate.describe());
    assertTrue(generate.err().contains("--rows must be"), generate.describe());
    assertFalse(generate.warned(), generate.describe());
    assertFalse(Files.exists(output));
  }

  @Test
  void withoutLopqDriverMemoryTheLauncherPicksAHeapFromTheMachineAndSaysSo() throws Exception {
    Path output = dir.resolve("small.fvecs");
    List<String> command = List.of(ProjectDir.root().resolve("scripts").resolve("lopq").toString(), "generate",
        "--output", output.toString(), "--rows", "10");
    ProcessBuilder builder = new ProcessBuilder(command).directory(ProjectDir.root().toFile());
    builder.environment().remove("LOPQ_DRIVER_MEMORY");
    Path err = Files.createTempFile(dir, "err", ".txt");
    Process process = builder.redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(err.toFile()).start();
    assertTrue(process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS), "timed out");
    String stderr = Files.readString(err, StandardCharsets.UTF_8);
    assertEquals(0, process.exitValue(), stderr);
    java.util.regex.Matcher line = java.util.regex.Pattern
        .compile("lopq: local Spark with a (\\d+)m heap \\(.+; LOPQ_DRIVER_MEMORY overrides\\), spilling to .+")
        .matcher(stderr);
    assertTrue(line.find(), stderr);
    int mb = Integer.parseInt(line.group(1));
    assertTrue(mb >= 1024 && mb <= 16384 && mb % 256 == 0, "heap " + mb + "m");
    assertEquals(1, stderr.lines().filter(l -> l.startsWith("lopq: local Spark")).count(), stderr);
  }

  /**
   * The launcher's JIT: C1 only for train, encode and search on native BLAS; the JVM's default for the
   * other commands, under {@code LOPQ_BLAS=java} (netlib's Vector API code needs C2) and under
   * {@code LOPQ_JIT=full}. Read from the JVM's own final flags ({@code -XX:+PrintFlagsFinal}, printed before
   * the command's {@code --help}).
   */
  @Test
  void c1OnlyForTrainEncodeAndSearchOnNativeBlas() throws Exception {
    assertEquals(1, tieredStopAtLevel("train", Map.of()));
    assertEquals(1, tieredStopAtLevel("encode", Map.of()));
    assertEquals(1, tieredStopAtLevel("search", Map.of()));
    assertEquals(4, tieredStopAtLevel("eval", Map.of()));
    assertEquals(4, tieredStopAtLevel("encode", Map.of("LOPQ_JIT", "full")));
    assertEquals(4, tieredStopAtLevel("search", Map.of("LOPQ_BLAS", "java")));
  }

  /**
   * For heaps of 2 GiB and more the launcher caps the young generation at a quarter of the heap, at most
   * 1 GiB, and gives G1 regions of 8 MiB (lopq_gc_flags in scripts/lib/jvm.sh), so that the resident size
   * follows the live data and not the run's length (docs/MEMORY.md); smaller heaps and heaps it cannot read
   * keep G1's defaults, and the flags in LOPQ_JAVA_OPTS win.
   */
  @Test
  void largeHeapsGetACappedYoungGenerationAndLargerRegions() throws Exception {
    long mib = 1L << 20;
    assertEquals(1024 * mib, finalFlag("MaxNewSize", Map.of("LOPQ_DRIVER_MEMORY", "8g")));
    assertEquals(8 * mib, finalFlag("G1HeapRegionSize", Map.of("LOPQ_DRIVER_MEMORY", "8g")));
    assertEquals(1024 * mib, finalFlag("MaxNewSize", Map.of("LOPQ_DRIVER_MEMORY", "7936m")));
    assertEquals(768 * mib, finalFlag("MaxNewSize", Map.of("LOPQ_DRIVER_MEMORY", "3072M")));
    long small = finalFlag("MaxNewSize", Map.of("LOPQ_DRIVER_MEMORY", "1g"));
    assertTrue(small > 256 * mib, "1g heap: G1's default young generation, got MaxNewSize " + small);
    assertTrue(finalFlag("G1HeapRegionSize", Map.of("LOPQ_DRIVER_MEMORY", "1g")) < 8 * mib, "1g heap: G1's regions");
    assertEquals(512 * mib, finalFlag("MaxNewSize", Map.of("LOPQ_DRIVER_MEMORY", "8g",
        "LOPQ_JAVA_OPTS", "-XX:MaxNewSize=512m -XX:+PrintFlagsFinal")));
  }

  /**
   * {@code scripts/submit} gives the driver and the executors the same G1 settings as the launcher, each
   * for its own heap (executors of 2 GiB and more; the 512 MB executors of the test clusters keep G1's
   * defaults). Read from the command it prints with {@code --dry-run}.
   */
  @Test
  void submitGivesTheDriverAndLargeExecutorsTheGcSettings() throws Exception {
    String large = submitDryRun(Map.of("LOPQ_DRIVER_MEMORY", "3g", "LOPQ_EXECUTOR_MEMORY", "4g"));
    assertTrue(large.contains("java -Xmx3g ") && large.contains(" -XX:MaxNewSize=768m -XX:G1HeapRegionSize=8m "),
        large);
    assertTrue(large.contains("spark.executor.extraJavaOptions=-XX:MaxNewSize=1024m\\ -XX:G1HeapRegionSize=8m\\ "
        + "-Djava.io.tmpdir="), large);
    String small = submitDryRun(Map.of("LOPQ_DRIVER_MEMORY", "1g", "LOPQ_EXECUTOR_MEMORY", "512m"));
    assertFalse(small.contains("MaxNewSize") || small.contains("G1HeapRegionSize"), small);
    assertTrue(small.contains("spark.executor.extraJavaOptions=-Djava.io.tmpdir="), small);
  }

  private String submitDryRun(Map<String, String> env) throws Exception {
    return stdoutOf(List.of(ProjectDir.root().resolve("scripts").resolve("submit").toString(), "--dry-run", "search"),
        env);
  }

  /** The standard output of {@code line} run in the project's root with {@code env} added; it must exit 0. */
  private String stdoutOf(List<String> line, Map<String, String> env) throws Exception {
    ProcessBuilder builder = new ProcessBuilder(line).directory(ProjectDir.root().toFile());
    builder.environment().putAll(env);
    Path out = Files.createTempFile(dir, "stdout", ".txt");
    Process process = builder.redirectOutput(out.toFile()).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    assertTrue(process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS), "timed out");
    String stdout = Files.readString(out, StandardCharsets.UTF_8);
    assertEquals(0, process.exitValue(), stdout);
    return stdout;
  }

  private long finalFlag(String name, Map<String, String> env) throws Exception {
    Map<String, String> withFlags = new java.util.HashMap<>(Map.of("LOPQ_JAVA_OPTS", "-XX:+PrintFlagsFinal"));
    withFlags.putAll(env);
    String flags = stdoutOf(List.of(ProjectDir.root().resolve("scripts").resolve("lopq").toString(), "train",
        "--help"), withFlags);
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("\\b" + name + "\\s+=\\s+(\\d+)").matcher(flags);
    assertTrue(m.find(), env + ": no " + name + " in\n" + flags);
    return Long.parseLong(m.group(1));
  }

  private int tieredStopAtLevel(String command, Map<String, String> env) throws Exception {
    List<String> line = List.of(ProjectDir.root().resolve("scripts").resolve("lopq").toString(), command, "--help");
    ProcessBuilder builder = new ProcessBuilder(line).directory(ProjectDir.root().toFile());
    builder.environment().remove("LOPQ_JIT");
    builder.environment().remove("LOPQ_BLAS");
    builder.environment().putAll(env);
    builder.environment().put("LOPQ_JAVA_OPTS", "-XX:+PrintFlagsFinal");
    Path out = Files.createTempFile(dir, "flags", ".txt");
    Process process = builder.redirectOutput(out.toFile()).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    assertTrue(process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS), "timed out");
    String flags = Files.readString(out, StandardCharsets.UTF_8);
    assertEquals(0, process.exitValue(), flags);
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("\\bTieredStopAtLevel\\s+=\\s+(\\d+)").matcher(flags);
    assertTrue(m.find(), command + " " + env + ": no TieredStopAtLevel in\n" + flags);
    return Integer.parseInt(m.group(1));
  }

  /**
   * Ctrl-C or a SIGTERM while a file is being written leaves nothing: neither the output nor its
   * hidden temporary sibling (AtomicCommit's shutdown hook), and the command exits non-zero.
   */
  @Test
  void aSignalWhileWritingLeavesNoPartialFileBehind() throws Exception {
    Path output = dir.resolve("out").resolve("base.fvecs");
    Files.createDirectories(output.getParent());
    List<String> command = List.of(ProjectDir.root().resolve("scripts").resolve("lopq").toString(), "generate",
        "--output", output.toString(), "--rows", "50000000", "--dimension", "256", "--clusters", "8");
    Process process = new ProcessBuilder(command).directory(ProjectDir.root().toFile())
        .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    try {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS);
      while (hiddenSiblings(output).isEmpty()) {
        assertTrue(process.isAlive() && System.nanoTime() < deadline, "no temporary file appeared in " + dir);
        Thread.sleep(200);
      }
      ProcessHandle jvm = process.descendants().filter(p -> p.info().command().orElse("").endsWith("java"))
          .findFirst().orElseThrow(() -> new AssertionError("no java process under scripts/lopq"));
      assertTrue(jvm.destroy(), "SIGTERM not sent");
      assertTrue(process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS), "did not end after SIGTERM");
    } finally {
      process.descendants().forEach(ProcessHandle::destroyForcibly);
      process.destroyForcibly();
    }
    assertTrue(process.exitValue() != 0, "exit " + process.exitValue());
    assertFalse(Files.exists(output), output + " exists");
    assertEquals(List.of(), hiddenSiblings(output), "left behind");
  }

  private static List<String> hiddenSiblings(Path output) throws IOException {
    try (var files = Files.list(output.getParent())) {
      return files.map(p -> p.getFileName().toString()).filter(n -> n.startsWith(".")).sorted().toList();
    }
  }
}
