package io.lopq.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lopq.eval.SweepTable;
import io.lopq.io.model.ModelStore;
import io.lopq.model.LopqModel;
import io.lopq.spark.eval.EvalTesting;
import io.lopq.spark.common.SharedSpark;
import io.lopq.train.LocalTrainer;
import io.lopq.train.TrainingParams;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code lopq eval --sweep} end to end: a trained model, an encoded index, the real search job. */
class EvalSweepCommandTest {
  private static final int D = 8;
  private static final int ROWS = 600;
  private static final int QUERIES = 20;
  private static final String MASTER = "local[" + SharedSpark.THREADS + "]";

  @TempDir static Path dir;
  private static String model;
  private static String base;
  private static String queries;
  private static String encoded;

  @BeforeAll
  static void encode() throws Exception {
    SharedSpark.session();
    float[] data = EvalTesting.corpus(D, 9, 0, ROWS);
    base = EvalTesting.writeFvecs(dir.resolve("base.fvecs"), data, D);
    queries = EvalTesting.writeFvecs(dir.resolve("queries.fvecs"), EvalTesting.corpus(D, 9, ROWS, QUERIES), D);
    LopqModel trained = new LocalTrainer(TrainingParams.builder(4, 4).subquantizerClusters(16).seed(3).build())
        .train(data, ROWS, D);
    model = dir.resolve("model").toString();
    ModelStore.save(trained, model, false);
    encoded = dir.resolve("encoded").toString();
    assertEquals(ExitCodes.OK, LopqCli.run("encode", "--model", model, "--input", base, "--output", encoded,
        "--master", MASTER));
  }

  private record Run(int code, String out, String err) {}

  private static Run eval(String... args) {
    CommandLine commandLine = LopqCli.commandLine();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    commandLine.setOut(new PrintWriter(out));
    commandLine.setErr(new PrintWriter(err));
    List<String> all = new ArrayList<>(List.of("eval", "--master", MASTER));
    all.addAll(List.of(args));
    return new Run(commandLine.execute(all.toArray(String[]::new)), out.toString(), err.toString());
  }

  @Test
  void sweepWritesTablesAndChartsAndFullSearchIsExact() throws Exception {
    Path report = dir.resolve("sweep");
    // Re-ranking every candidate exactly: a search that sees all rows is exact, and recall can only
    // grow with the candidates (the cells visited for fewer candidates are a prefix).
    Run run = eval("--base", base, "--queries", queries, "--sweep", "30,100,250," + ROWS, "--model", model,
        "--index", encoded, "--rerank", base, "--rerank-depth", String.valueOf(ROWS), "--report", report.toString());
    assertEquals(ExitCodes.OK, run.code(), run.err());
    assertTrue(run.out().contains("candidate sweep"), run.out());

    List<String> csv = Files.readAllLines(report.resolve(SweepTable.CSV_FILE));
    assertEquals(5, csv.size(), String.join("\n", csv));
    double previousRecall = -1;
    double previousRanked = 0;
    for (int i = 1; i < csv.size(); i++) {
      String[] f = csv.get(i).split(",");
      double ranked = Double.parseDouble(f[1]);
      double r1 = Double.parseDouble(f[3]);
      double among = Double.parseDouble(f[7]);
      assertTrue(Double.parseDouble(f[5]) <= among, "R@100 above NN among candidates: " + csv);
      assertTrue(ranked >= Integer.parseInt(f[0]) || ranked == ROWS, "fewer candidates ranked than asked: " + csv);
      assertTrue(ranked >= previousRanked && r1 >= previousRecall, "less work or recall with more candidates: " + csv);
      previousRanked = ranked;
      previousRecall = r1;
    }
    String[] all = csv.get(csv.size() - 1).split(",");
    for (int c = 3; c <= 7; c++) {
      assertEquals(1.0, Double.parseDouble(all[c]), 1e-9, "exhaustive exact search: " + csv.get(csv.size() - 1));
    }
    assertTrue(Files.size(report.resolve(SweepTable.CANDIDATES_CHART)) > 0);
    assertTrue(Files.size(report.resolve(SweepTable.THROUGHPUT_CHART)) > 0);
    assertTrue(Files.readString(report.resolve("recall.json")).contains("\"sweep\""));
  }

  @Test
  void sweepOptionsAreChecked() {
    Path report = dir.resolve("bad-sweep");
    Run noModel = eval("--base", base, "--queries", queries, "--sweep", "200", "--index", encoded, "--report",
        report.toString());
    assertEquals(ExitCodes.USAGE, noModel.code());
    assertTrue(noModel.err().contains("it needs --model, --index and --queries"), noModel.err());

    Run zero = eval("--base", base, "--queries", queries, "--sweep", "50,0", "--model", model, "--index", encoded,
        "--report", report.toString());
    assertEquals(ExitCodes.USAGE, zero.code());
    assertTrue(zero.err().contains("--sweep value 0 must be >= 1"), zero.err());

    Run modelAlone = eval("--results", "r.csv", "--ground-truth", "gt.ivecs", "--model", model);
    assertEquals(ExitCodes.USAGE, modelAlone.code());
    assertTrue(modelAlone.err().contains("only apply to a --sweep"), modelAlone.err());
    assertFalse(Files.exists(report));
  }
}
