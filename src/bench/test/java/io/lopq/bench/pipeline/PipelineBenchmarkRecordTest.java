package io.lopq.bench.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lopq.format.model.NativeModelFormat;
import io.lopq.model.LopqModel;
import io.lopq.model.ModelMetadata;
import io.lopq.model.TestModels;
import io.lopq.spark.encode.EncodeJob;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class PipelineBenchmarkRecordTest {
  private static final String DATE = "2026-11-25 05:54";
  private static final String MASTER = "local cluster (2 workers x 1 core, 2g)";
  private static final String MACHINE = "2 cores AMD EPYC, 24 GiB, openjdk version 17.0.15 2025-04-15, OpenBLAS";
  /** V=64 (one byte per coarse index), M=4: 2 + 4 code bytes. */
  private static final int V = 64;
  private static final int M = 4;
  private static final int K = 16;
  private static final String ROW_4000 = "| " + DATE + " | " + MASTER + " | V=64 M=4 K=16 seed=7 refine=1 | 4000 | no | 100"
      + " | 0.460 | 0.936 | 0.998 | 6 / 10.9 | 77.5 | 30.5 | 42.5 | 27.5 | " + MACHINE + " |";

  @TempDir Path dir;
  private Path model;
  private Path encoded;

  @BeforeEach
  void writeRunOutputs() throws IOException {
    model = Files.createDirectories(dir.resolve("model"));
    LopqModel trained = TestModels.random(3, 8, V, M, K,
        new ModelMetadata(7, Map.of("refineIterations", 1, "seed", 7), Map.of()));
    NativeModelFormat.prepare(trained).writeTo(name -> Files.newOutputStream(model.resolve(name)));
    encoded = Files.createDirectories(dir.resolve("encoded"));
    // 654,000 bytes for 60,000 rows: 10.9 bytes per vector.
    Files.writeString(encoded.resolve(EncodeJob.DEFAULT_REPORT_NAME),
        "{ \"rowsEncoded\" : 60000, \"datasetRows\" : 60000, \"datasetBytes\" : 654000,"
            + " \"bytesPerVector\" : 99.0 }");
  }

  private Path evalReport(String name, String recall) throws IOException {
    Path report = Files.createDirectories(dir.resolve(name));
    Files.writeString(report.resolve(EvalRecall.FILE),
        "{\n  \"results\" : \"file:///x/results\",\n  \"queries\" : 10000,\n  \"recall\" : {" + recall + "},\n"
            + "  \"k\" : 100,\n  \"kRecallAtK\" : 0.9\n}");
    return report;
  }

  /** Runs the command; returns its exit code and output. */
  private static Run execute(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine line = PipelineBenchmarkRecord.commandLine();
    line.setOut(new PrintWriter(out));
    line.setErr(new PrintWriter(err));
    int code = line.execute(args);
    return new Run(code, out.toString(), err.toString());
  }

  private record Run(int code, String out, String err) {}

  private List<String> rowArgs(Path report, String candidates, String... more) {
    List<String> args = new ArrayList<>(List.of("row", "--model", model.toString(), "--encoded", encoded.toString(),
        "--report", report.toString(), "--candidates", candidates, "--master", MASTER,
        "--train-micros", "77451234", "--encode-micros", "30500001", "--search-micros", "42459999",
        "--eval-micros", "27500000", "--date", DATE, "--machine", MACHINE));
    args.addAll(List.of(more));
    return args;
  }

  @Test
  void rowComesFromTheModelTheEncodeReportAndTheEvalReport() throws IOException {
    Path report = evalReport("report-4000", "\"R@1\" : 0.4596, \"R@10\" : 0.9361, \"R@100\" : 0.998");
    Run run = execute(rowArgs(report, "4000").toArray(String[]::new));
    assertEquals(0, run.code(), run.err());
    assertEquals(ROW_4000 + System.lineSeparator(), run.out());
  }

  @Test
  void rerankedRowSaysSoAndAMissingCutoffShowsNotAvailable() throws IOException {
    Path report = evalReport("report-6000-rerank", "\"R@1\" : 1.0, \"R@10\" : 1.0");
    Run run = execute(rowArgs(report, "6000", "--rerank").toArray(String[]::new));
    assertEquals(0, run.code(), run.err());
    assertTrue(run.out().contains(" | 6000 | rerank | 100 | 1.000 | 1.000 | n/a | 6 / 10.9 |"), run.out());
  }

  @Test
  void missingEvalReportFailsNamingTheFile() {
    Run run = execute(rowArgs(dir.resolve("no-report"), "2000").toArray(String[]::new));
    assertNotEquals(0, run.code());
    assertTrue(run.err().contains(dir.resolve("no-report").resolve(EvalRecall.FILE).toString()), run.err());
  }

  @Test
  void appendPutsRowsAfterTheLastTableLineOfTheSectionOnly() throws IOException {
    Path document = dir.resolve("BENCHMARKS.md");
    List<String> before = List.of("# Benchmarks", "", PipelineBenchmarkRecord.SECTION, "", "intro", "",
        BenchmarkRow.HEADER, BenchmarkRow.RULE, "| old row |", "", "A note under the table.", "",
        "## Later section", "", "| other table |");
    Files.write(document, before);
    Path rows = dir.resolve("rows.md");
    Files.write(rows, List.of("| new 1 |", "", "| new 2 |"));

    Run run = execute("append", "--document", document.toString(), rows.toString());

    assertEquals(0, run.code(), run.err());
    List<String> expected = new ArrayList<>(before);
    expected.addAll(9, List.of("| new 1 |", "| new 2 |"));
    assertEquals(expected, Files.readAllLines(document));
    assertTrue(run.out().contains("appended 2 row(s)"), run.out());
  }

  @Test
  void appendCreatesTheSectionAtTheEndWhenMissing() throws IOException {
    Path document = dir.resolve("BENCHMARKS.md");
    Files.write(document, List.of("# Benchmarks", "", "## Other", "| x |"));
    Path rows = dir.resolve("rows.md");
    Files.write(rows, List.of(ROW_4000));

    assertEquals(0, execute("append", "--document", document.toString(), rows.toString()).code());

    List<String> lines = Files.readAllLines(document);
    assertEquals(List.of("# Benchmarks", "", "## Other", "| x |", "", PipelineBenchmarkRecord.SECTION, ""),
        lines.subList(0, 7));
    assertEquals(List.of("", BenchmarkRow.HEADER, BenchmarkRow.RULE, ROW_4000), lines.subList(lines.size() - 4, lines.size()));
    assertTrue(lines.containsAll(PipelineBenchmarkRecord.INTRODUCTION), String.join("\n", lines));
  }

  @Test
  void appendToASectionWithoutTableStartsOne() {
    BenchmarksDocument document = PipelineBenchmarkRecord.document();
    List<String> lines = document.withRows(
        List.of(PipelineBenchmarkRecord.SECTION, "", "Text only.", "## Next"), List.of("| r |"));
    assertEquals(List.of(PipelineBenchmarkRecord.SECTION, "", BenchmarkRow.HEADER, BenchmarkRow.RULE, "| r |", "",
        "Text only.", "## Next"), lines);
  }

  @Test
  void machineDescriptionReadsCpuModelAndMemory() {
    assertEquals(Optional.of("AMD EPYC 7B13"),
        Machine.cpuModel(List.of("processor\t: 0", "model name\t: AMD  EPYC   7B13", "model name\t: other")));
    assertEquals(24.0, Machine.memoryGib(List.of("MemFree: 1 kB", "MemTotal:       25165824 kB")).orElseThrow(), 1e-9);
    assertTrue(Machine.describe().matches("\\d+ cores.*, (openjdk|java) version .*"), Machine.describe());
  }
}
