package io.lopq.bench.pipeline;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.lopq.eval.ScalingChart;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The bookkeeping of {@code scripts/dev/bench-scale}, which only runs the processes: {@code step}
 * records one step of one size (its GNU time figures and the shuffle and spill bytes of its Spark
 * event log), {@code recall} the recall and size on disk of one code size, and {@code report} turns
 * the records of a run into Markdown tables and two charts (time per step and peak memory against N,
 * {@link ScalingChart}). Records are JSON lines in one file, so a run can be resumed or extended.
 */
@Command(name = "scale-record", mixinStandardHelpOptions = true,
    description = "Records and tables of the scale benchmark (scripts/dev/bench-scale).",
    subcommands = {ScaleRecord.Step.class, ScaleRecord.Recall.class, ScaleRecord.Report.class})
public final class ScaleRecord {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final double MB = 1e6;
  private static final double GB = 1e9;

  private ScaleRecord() {}

  /** One step at one size: what the process took and what its tasks moved. */
  public record StepRecord(String kind, long rows, String step, int bits, double wallSeconds, double cpuSeconds,
      long peakRssBytes, long shuffleWriteBytes, long shuffleReadBytes, long memorySpillBytes, long diskSpillBytes) {
    /** The label of its line in the charts, e.g. "train 64-bit". */
    String label() {
      return bits > 0 ? step + " " + bits + "-bit" : step;
    }
  }

  /** Recall of 1,000 queries and bytes on disk at one size and code size. */
  public record RecallRecord(String kind, long rows, int bits, double bytesPerVector, double recallAt1,
      double recallAt10, double recallAt100, int k, double kRecallAtK) {}

  /** The command line (for tests and {@link #main}). */
  public static CommandLine commandLine() {
    return new CommandLine(new ScaleRecord());
  }

  /** Runs the command and exits with its status. */
  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  static void append(Path log, Object record) throws IOException {
    Files.writeString(log, JSON.writeValueAsString(record) + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE,
        StandardOpenOption.APPEND);
  }

  /** {@code step}: appends one step record. */
  @Command(name = "step", mixinStandardHelpOptions = true, description = "Record one step of one size.")
  static final class Step implements Callable<Integer> {
    @Option(names = "--log", required = true, paramLabel = "FILE", description = "Records file (JSON lines).")
    Path log;

    @Option(names = "--rows", required = true, paramLabel = "N", description = "Base rows of the run.")
    long rows;

    @Option(names = "--step", required = true, paramLabel = "NAME", description = "Step name (synth, truth, train, ...).")
    String step;

    @Option(names = "--bits", defaultValue = "0", paramLabel = "B", description = "Code size of the step (0: none).")
    int bits;

    @Option(names = "--time", required = true, paramLabel = "FILE", description = "GNU time output (%e %U %S %M).")
    Path time;

    @Option(names = "--events", paramLabel = "DIR", description = "Spark event log folder of the step (none: no Spark job).")
    Path events;

    @Option(names = "--kind", defaultValue = "fashion-mnist-128", paramLabel = "TEXT", description = "Data kind.")
    String kind;

    @Override
    public Integer call() throws IOException {
      ProcessTime t = ProcessTime.read(time);
      SparkEventLog e = events == null ? SparkEventLog.none() : SparkEventLog.read(events);
      append(log, new StepRecord(kind, rows, step, bits, t.wallSeconds(), t.cpuSeconds(), t.peakRssBytes(),
          e.shuffleWriteBytes(), e.shuffleReadBytes(), e.memorySpillBytes(), e.diskSpillBytes()));
      return 0;
    }
  }

  /** {@code recall}: appends the recall record of one code size. */
  @Command(name = "recall", mixinStandardHelpOptions = true, description = "Record recall and bytes on disk.")
  static final class Recall implements Callable<Integer> {
    @Option(names = "--log", required = true, paramLabel = "FILE", description = "Records file (JSON lines).")
    Path log;

    @Option(names = "--rows", required = true, paramLabel = "N", description = "Base rows of the run.")
    long rows;

    @Option(names = "--bits", required = true, paramLabel = "B", description = "Code size.")
    int bits;

    @Option(names = "--report", required = true, paramLabel = "DIR", description = "Eval report folder (recall.json).")
    Path report;

    @Option(names = "--encoded", required = true, paramLabel = "DIR", description = "Encoded dataset (its encode report).")
    Path encoded;

    @Option(names = "--kind", defaultValue = "fashion-mnist-128", paramLabel = "TEXT", description = "Data kind.")
    String kind;

    @Override
    public Integer call() throws IOException {
      EvalRecall recall = EvalRecall.read(report);
      double kRecall = JSON.readTree(report.resolve(EvalRecall.FILE).toFile()).path("kRecallAtK").asDouble(Double.NaN);
      append(log, new RecallRecord(kind, rows, bits, EncodedSize.read(encoded).bytesPerVector(),
          recall.at(1).orElse(Double.NaN), recall.at(10).orElse(Double.NaN), recall.at(100).orElse(Double.NaN),
          recall.k(), kRecall));
      return 0;
    }
  }

  /** {@code report}: Markdown tables of a run, and the charts. */
  @Command(name = "report", mixinStandardHelpOptions = true, description = "Tables and charts of the records.")
  static final class Report implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = "--log", required = true, paramLabel = "FILE", description = "Records file (JSON lines).")
    Path log;

    @Option(names = "--time-chart", paramLabel = "PNG", description = "Write wall time per step against N here.")
    Path timeChart;

    @Option(names = "--memory-chart", paramLabel = "PNG", description = "Write peak RSS per step against N here.")
    Path memoryChart;

    @Override
    public Integer call() throws IOException {
      List<StepRecord> steps = new ArrayList<>();
      List<RecallRecord> recalls = new ArrayList<>();
      read(log, steps, recalls);
      PrintWriter out = spec.commandLine().getOut();
      out.print(markdown(steps, recalls));
      out.flush();
      if (timeChart != null) {
        ScalingChart.write("Wall time per step vs N", "N (base vectors, log scale)", "wall seconds (log scale)",
            series(steps, StepRecord::wallSeconds), true, timeChart.toFile());
      }
      if (memoryChart != null) {
        ScalingChart.write("Peak RSS per step vs N", "N (base vectors, log scale)", "peak RSS, GB (log scale)",
            series(steps, s -> s.peakRssBytes() / GB), true, memoryChart.toFile());
      }
      return 0;
    }
  }

  static void read(Path log, List<StepRecord> steps, List<RecallRecord> recalls) throws IOException {
    for (String line : Files.readAllLines(log, StandardCharsets.UTF_8)) {
      if (line.isBlank()) {
        continue;
      }
      if (JSON.readTree(line).has("step")) {
        steps.add(JSON.readValue(line, StepRecord.class));
      } else {
        recalls.add(JSON.readValue(line, RecallRecord.class));
      }
    }
  }

  static Map<String, List<ScalingChart.Point>> series(List<StepRecord> steps,
      java.util.function.ToDoubleFunction<StepRecord> measure) {
    Map<String, List<ScalingChart.Point>> out = new LinkedHashMap<>();
    for (StepRecord s : steps) {
      out.computeIfAbsent(s.label(), l -> new ArrayList<>()).add(new ScalingChart.Point(s.rows(), measure.applyAsDouble(s)));
    }
    return out;
  }

  /**
   * Per step, between consecutive measured sizes: the marginal CPU time per row (what one more row
   * costs, without the fixed start-up) and the ratio of peak RSS.
   *
   * <pre>
   *   marginal CPU us per row = (cpu(N2) - cpu(N1)) / (N2 - N1) * 1e6,    RSS ratio = rss(N2) / rss(N1)
   * </pre>
   */
  static String marginal(List<StepRecord> sortedByRows) {
    Map<String, List<StepRecord>> byStep = new LinkedHashMap<>();
    for (StepRecord s : sortedByRows) {
      byStep.computeIfAbsent(s.label(), l -> new ArrayList<>()).add(s);
    }
    StringBuilder b = new StringBuilder();
    for (Map.Entry<String, List<StepRecord>> e : byStep.entrySet()) {
      List<StepRecord> runs = e.getValue();
      for (int i = 1; i < runs.size(); i++) {
        StepRecord a = runs.get(i - 1);
        StepRecord c = runs.get(i);
        if (c.rows() == a.rows()) {
          continue;
        }
        if (b.length() == 0) {
          b.append("\n| step | from N | to N | marginal CPU µs per row | fixed CPU s (intercept) | peak RSS ratio |\n"
              + "|---|---|---|---|---|---|\n");
        }
        double perRow = (c.cpuSeconds() - a.cpuSeconds()) / (c.rows() - a.rows());
        b.append(String.format(Locale.ROOT, "| %s | %,d | %,d | %.1f | %.1f | %.2f |%n", e.getKey(), a.rows(), c.rows(),
            perRow * 1e6, a.cpuSeconds() - perRow * a.rows(), (double) c.peakRssBytes() / a.peakRssBytes()));
      }
    }
    return b.toString();
  }

  /** The two tables: per step and size, then recall per size and code size. */
  static String markdown(List<StepRecord> steps, List<RecallRecord> recalls) {
    StringBuilder b = new StringBuilder();
    b.append("| N | step | wall s | CPU s | µs per row (wall) | peak RSS GB | shuffle write MB | shuffle read MB "
        + "| spill memory / disk MB |\n|---|---|---|---|---|---|---|---|---|\n");
    List<StepRecord> sorted = new ArrayList<>(steps);
    sorted.sort(Comparator.comparingLong(StepRecord::rows));
    for (StepRecord s : sorted) {
      b.append(String.format(Locale.ROOT, "| %,d | %s | %.1f | %.1f | %.2f | %.2f | %.1f | %.1f | %.1f / %.1f |%n",
          s.rows(), s.label(), s.wallSeconds(), s.cpuSeconds(), s.wallSeconds() * 1e6 / s.rows(),
          s.peakRssBytes() / GB, s.shuffleWriteBytes() / MB, s.shuffleReadBytes() / MB, s.memorySpillBytes() / MB,
          s.diskSpillBytes() / MB));
    }
    b.append(marginal(sorted));
    b.append("\n| N | bits | bytes/vector on disk | R@1 | R@10 | R@100 | k-recall@k |\n|---|---|---|---|---|---|---|\n");
    List<RecallRecord> sortedRecalls = new ArrayList<>(recalls);
    sortedRecalls.sort(Comparator.comparingLong(RecallRecord::rows).thenComparingInt(RecallRecord::bits));
    for (RecallRecord r : sortedRecalls) {
      b.append(String.format(Locale.ROOT, "| %,d | %d | %.2f | %.3f | %.3f | %.3f | %d-recall@%d %.3f |%n", r.rows(),
          r.bits(), r.bytesPerVector(), r.recallAt1(), r.recallAt10(), r.recallAt100(), r.k(), r.k(), r.kRecallAtK()));
    }
    return b.toString();
  }
}
