package io.lopq.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lopq.io.vectors.FvecsWriter;
import io.lopq.io.model.ModelStore;
import io.lopq.format.vectors.SyntheticCorpus;
import io.lopq.model.LopqModel;
import io.lopq.train.LocalTrainer;
import io.lopq.train.TrainingParams;
import java.io.File;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code lopq search} through the real command line: CSV results, self-join, and every refusal. */
class SearchCommandTest {
  private static final int D = 8;
  private static final int ROWS = 600;
  private static final int QUERIES = 25;
  private static final String MASTER = "local[2]";

  @TempDir static Path dir;
  private static String model;
  private static String otherModel;
  private static String base;
  private static String queries;
  private static String encoded;

  @BeforeAll
  static void encode() throws Exception {
    model = model("model", 1);
    otherModel = model("other", 2);
    base = fvecs("base.fvecs", new SyntheticCorpus(D, 4, 3).rows(0, ROWS), ROWS, D);
    queries = fvecs("queries.fvecs", new SyntheticCorpus(D, 4, 3).rows(ROWS, QUERIES), QUERIES, D);
    encoded = dir.resolve("encoded").toString();
    Result r = run("encode", "--model", model, "--input", base, "--output", encoded);
    assertEquals(ExitCodes.OK, r.code, r.err);
  }

  private static String model(String name, long seed) throws Exception {
    float[] data = new SyntheticCorpus(D, 4, seed).rows(0, ROWS);
    LopqModel trained = new LocalTrainer(TrainingParams.builder(4, 4).subquantizerClusters(16).seed(seed).build())
        .train(data, ROWS, D);
    String path = dir.resolve(name).toString();
    ModelStore.save(trained, path, false);
    return path;
  }

  private static String fvecs(String name, float[] data, int n, int d) {
    List<float[]> rows = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      float[] v = new float[d];
      System.arraycopy(data, i * d, v, 0, d);
      rows.add(v);
    }
    String path = dir.resolve(name).toString();
    FvecsWriter.writeFvecs(path, new Configuration(), rows);
    return path;
  }

  private record Result(int code, String out, String err) {}

  private static Result run(String... args) {
    String[] withMaster = Stream.concat(Stream.of(args), Stream.of("--master", MASTER)).toArray(String[]::new);
    CommandLine cli = LopqCli.commandLine();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(err));
    int code = cli.execute(withMaster);
    return new Result(code, out.toString(), err.toString());
  }

  private static List<String[]> csvRows(String output) throws Exception {
    List<String[]> rows = new ArrayList<>();
    try (Stream<Path> files = Files.list(Path.of(output))) {
      for (Path part : files.filter(p -> p.getFileName().toString().endsWith(".csv")).sorted()
          .collect(Collectors.toList())) {
        List<String> lines = Files.readAllLines(part);
        assertEquals("query_id,rank,neighbor_id,distance", lines.get(0), part.toString());
        for (String line : lines.subList(1, lines.size())) {
          rows.add(line.split(","));
        }
      }
    }
    return rows;
  }

  @Test
  void searchesToCsvWithReRankingAndReportsItsWork() throws Exception {
    String output = dir.resolve("results").toString();
    Result r = run("search", "--model", model, "--index", encoded, "--queries", queries, "--k", "5",
        "--candidates", "100", "--rerank", base, "--rerank-depth", "20", "--output", output, "--output-format", "csv",
        "--report", dir.resolve("report.json").toString());
    assertEquals(ExitCodes.OK, r.code, r.err);
    assertTrue(r.out.contains("searched " + QUERIES + " queries") && r.out.contains("candidatesMean"), r.out);
    List<String[]> rows = csvRows(output);
    assertEquals(QUERIES * 5, rows.size());
    Set<String> queryIds = rows.stream().map(x -> x[0]).collect(Collectors.toSet());
    assertEquals(QUERIES, queryIds.size());
    assertTrue(queryIds.contains("0") && queryIds.contains(String.valueOf(QUERIES - 1)), "ids are row numbers");
    assertTrue(Files.readString(Path.of(output, "_lopq_search_report.json")).contains("\"queriesPerCoreSecond\""));
    assertTrue(Files.readString(dir.resolve("report.json")).contains("\"candidatesMean\""));

    Result again = run("search", "--model", model, "--index", encoded, "--queries", queries, "--output", output);
    assertEquals(ExitCodes.FAILED, again.code);
    assertTrue(again.err.startsWith("search: error: output ") && again.err.contains("--overwrite"), again.err);
  }

  @Test
  void selfJoinLeavesEveryItemOutOfItsOwnNeighbours() throws Exception {
    String output = dir.resolve("self").toString();
    Result r = run("search", "--model", model, "--index", encoded, "--queries", base, "--k", "3", "--exclude-self",
        "--plan", "shuffle", "--output", output, "--output-format", "csv");
    assertEquals(ExitCodes.OK, r.code, r.err);
    List<String[]> rows = csvRows(output);
    assertEquals(ROWS * 3, rows.size());
    Set<String> pairs = new HashSet<>();
    for (String[] row : rows) {
      assertFalse(row[0].equals(row[2]), "query " + row[0] + " is its own neighbour");
      assertTrue(pairs.add(row[0] + "/" + row[1]), "one row per (query, rank)");
    }
  }

  @Test
  void badInputFailsWithAClearErrorAndLeavesNoResults() {
    String output = dir.resolve("bad").toString();
    String narrow = fvecs("narrow.fvecs", new float[4 * 3], 3, 4);
    assertRefused(output, "dimension 4", "--queries", narrow);
    assertRefused(output, "was written by model", "--queries", queries, "--model-override", otherModel);
    assertRefused(output, "k must be >= 1", "--queries", queries, "--k", "0");
    assertRefused(output, "candidates must be >= k=10", "--queries", queries, "--candidates", "5");
    Result both = run("search", "--model", model, "--index", encoded, "--queries", queries, "--candidates", "50",
        "--cells", "3", "--output", output);
    assertEquals(ExitCodes.USAGE, both.code, both.err);
    assertFalse(new File(output).exists(), "no results left");
  }

  private static void assertRefused(String output, String expected, String... args) {
    List<String> argv = new ArrayList<>(List.of("search", "--index", encoded, "--output", output));
    String modelPath = model;
    for (int i = 0; i < args.length; i++) {
      if (args[i].equals("--model-override")) {
        modelPath = args[++i];
      } else {
        argv.add(args[i]);
      }
    }
    argv.add("--model");
    argv.add(modelPath);
    Result r = run(argv.toArray(String[]::new));
    assertEquals(ExitCodes.FAILED, r.code, r.out + r.err);
    assertTrue(r.err.startsWith("search: error: ") && r.err.contains(expected), r.err);
    assertFalse(new File(output).exists(), "no results left after: " + r.err);
  }
}
