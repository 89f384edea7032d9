package io.lopq.bench.pipeline;

import io.lopq.format.model.NativeModelFormat;
import io.lopq.model.LopqModel;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * The bookkeeping of {@code scripts/dev/bench-fashion-mnist}, which only runs the jobs: {@code row}
 * turns one search setting's outputs (the model, the encode report, the eval report) and the step
 * times the script measured into a Markdown table row; {@code append} puts the rows of a run into the
 * pipeline section of {@code docs/BENCHMARKS.md}.
 */
@Command(name = "bench-record", mixinStandardHelpOptions = true,
    description = "Rows of the Fashion-MNIST pipeline table of docs/BENCHMARKS.md.",
    subcommands = {PipelineBenchmarkRecord.Row.class, PipelineBenchmarkRecord.Append.class})
public final class PipelineBenchmarkRecord {
  /** The heading of the section the rows go into. */
  public static final String SECTION = "## Pipeline on Fashion-MNIST (scripts/dev/bench-fashion-mnist)";
  /** What a newly created section says before its table. */
  static final List<String> INTRODUCTION = List.of(
      "Each row: one search setting of one run of `scripts/dev/bench-fashion-mnist` (60,000 base vectors, 10,000"
          + " queries,",
      "784-d; Recall@R: the true nearest neighbour is among the first R results; times are wall-clock seconds of",
      "each `scripts/submit` step, JVM start-up included; the first row of a run computes the exact ground",
      "truth in its eval step, later rows read it).");
  /** Format of the date column. */
  static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm").withZone(ZoneOffset.UTC);
  /** Key of the refinement rounds among a model's training parameters (model.json "parameters"). */
  static final String REFINE_PARAMETER = "refineIterations";
  private static final double MICROS_PER_SECOND = 1e6;

  private PipelineBenchmarkRecord() {}

  /** The command line (for tests and {@link #main}). */
  public static CommandLine commandLine() {
    return new CommandLine(new PipelineBenchmarkRecord());
  }

  /** Runs the command and exits with its status. */
  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  /** The pipeline section of the benchmarks document. */
  static BenchmarksDocument document() {
    return new BenchmarksDocument(SECTION, INTRODUCTION, BenchmarkRow.HEADER, BenchmarkRow.RULE);
  }

  /** {@code row}: prints the table row of one search setting. */
  @Command(name = "row", mixinStandardHelpOptions = true,
      description = "Print the table row of one search setting of a run.")
  static final class Row implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = "--model", required = true, paramLabel = "DIR", description = "The run's model (V, M, K, seed, refinement rounds, code size).")
    Path model;

    @Option(names = "--encoded", required = true, paramLabel = "DIR", description = "The run's encoded base (its encode report: bytes on disk).")
    Path encoded;

    @Option(names = "--report", required = true, paramLabel = "DIR", description = "The setting's eval report (recall.json).")
    Path report;

    @Option(names = "--candidates", required = true, paramLabel = "N", description = "Candidates ranked per query.")
    int candidates;

    @Option(names = "--rerank", description = "The candidates were re-ranked exactly.")
    boolean rerank;

    @Option(names = "--master", required = true, paramLabel = "TEXT", description = "Where the jobs ran.")
    String master;

    @Option(names = "--train-micros", required = true, paramLabel = "US", description = "Wall time of the train step.")
    long trainMicros;

    @Option(names = "--encode-micros", required = true, paramLabel = "US", description = "Wall time of the encode step.")
    long encodeMicros;

    @Option(names = "--search-micros", required = true, paramLabel = "US", description = "Wall time of the search step.")
    long searchMicros;

    @Option(names = "--eval-micros", required = true, paramLabel = "US", description = "Wall time of the eval step.")
    long evalMicros;

    @Option(names = "--date", paramLabel = "TEXT", description = "The run's date (default: now, UTC).")
    String date;

    @Option(names = "--machine", paramLabel = "TEXT", description = "The machine (default: this one, described).")
    String machine;

    @Override
    public Integer call() throws IOException {
      LopqModel trained = NativeModelFormat.read(model);
      Object refine = trained.metadata().parameters().get(REFINE_PARAMETER);
      BenchmarkRow.ModelSettings settings = new BenchmarkRow.ModelSettings(trained.coarseClusters(),
          trained.subquantizers(), trained.subquantizerClusters(), trained.metadata().seed(),
          refine instanceof Number n ? OptionalDouble.of(n.doubleValue()) : OptionalDouble.empty());
      BenchmarkRow row = new BenchmarkRow(
          date != null ? date : DATE.format(Instant.now()),
          master,
          settings,
          candidates,
          rerank,
          EvalRecall.read(report),
          trained.codeBytes(),
          EncodedSize.read(encoded).bytesPerVector(),
          new BenchmarkRow.StepSeconds(seconds(trainMicros), seconds(encodeMicros), seconds(searchMicros),
              seconds(evalMicros)),
          machine != null ? machine : Machine.describe());
      PrintWriter out = spec.commandLine().getOut();
      out.println(row.markdown());
      out.flush();
      return 0;
    }

    private static double seconds(long micros) {
      return micros / MICROS_PER_SECOND;
    }
  }

  /** {@code append}: puts rows into the pipeline section of the benchmarks document. */
  @Command(name = "append", mixinStandardHelpOptions = true,
      description = "Put table rows into the pipeline section of the benchmarks document.")
  static final class Append implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = "--document", required = true, paramLabel = "FILE", description = "The document (docs/BENCHMARKS.md).")
    Path document;

    @Parameters(arity = "1..*", paramLabel = "ROWS", description = "Files of rows (one table line each) to put in, in order.")
    List<Path> rowFiles;

    @Override
    public Integer call() throws IOException {
      List<String> rows = new ArrayList<>();
      for (Path file : rowFiles) {
        Files.readAllLines(file, StandardCharsets.UTF_8).stream().filter(l -> !l.isBlank()).forEach(rows::add);
      }
      List<String> lines = document().withRows(Files.readAllLines(document, StandardCharsets.UTF_8), rows);
      Path tmp = Files.createTempFile(document.toAbsolutePath().getParent(), ".benchmarks", ".md");
      try {
        Files.write(tmp, lines, StandardCharsets.UTF_8);
        keepPermissions(tmp);
        Files.move(tmp, document, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      } finally {
        Files.deleteIfExists(tmp);
      }
      PrintWriter out = spec.commandLine().getOut();
      out.printf("appended %d row(s) to %s%n", rows.size(), document);
      out.flush();
      return 0;
    }

    /** Gives the new file the document's permissions (a temporary file is private to its owner). */
    private void keepPermissions(Path tmp) throws IOException {
      try {
        Files.setPosixFilePermissions(tmp, Files.getPosixFilePermissions(document));
      } catch (UnsupportedOperationException e) {
        // not a POSIX file system: the defaults will do
      }
    }
  }
}
