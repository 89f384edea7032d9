package io.lopq.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lopq.format.vectors.SyntheticCorpus;
import io.lopq.io.model.ModelStore;
import io.lopq.io.vectors.FvecsWriter;
import io.lopq.model.LopqModel;
import io.lopq.train.LocalTrainer;
import io.lopq.train.TrainingParams;
import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code lopq query} and {@code lopq index pack} through the real command line: the online index
 * answers exactly what {@code lopq search} answers for the same model, index, k and candidates
 * (with and without re-ranking), from an encoded dataset or its packed file, from a file or
 * standard input, and bad input fails naming the file and row.
 */
class QueryCommandTest {
  private static final int D = 8;
  private static final int ROWS = 900;
  private static final int QUERIES = 30;
  private static final String MASTER = "local[2]";
  private static final String CSV_HEADER = "query_id,rank,neighbor_id,distance";

  @TempDir static Path dir;
  private static String model;
  private static String otherModel;
  private static String base;
  private static String queries;
  private static String encoded;
  private static float[] queryData;

  @BeforeAll
  static void encode() throws Exception {
    model = model("model", 1);
    otherModel = model("other", 2);
    base = fvecs("base.fvecs", new SyntheticCorpus(D, 6, 3).rows(0, ROWS), ROWS, D);
    queryData = new SyntheticCorpus(D, 6, 3).rows(ROWS, QUERIES);
    queries = fvecs("queries.fvecs", queryData, QUERIES, D);
    encoded = dir.resolve("encoded").toString();
    Result r = run(true, null, "encode", "--model", model, "--input", base, "--output", encoded);
    assertEquals(ExitCodes.OK, r.code, r.err);
  }

  private static String model(String name, long seed) throws Exception {
    float[] data = new SyntheticCorpus(D, 6, seed).rows(0, ROWS);
    LopqModel trained = new LocalTrainer(TrainingParams.builder(4, 4).subquantizerClusters(16).seed(seed).build())
        .train(data, ROWS, D);
    String path = dir.resolve(name).toString();
    ModelStore.save(trained, path, false);
    return path;
  }

  private static String fvecs(String name, float[] data, int n, int d) {
    List<float[]> rows = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      rows.add(Arrays.copyOfRange(data, i * d, (i + 1) * d));
    }
    String path = dir.resolve(name).toString();
    FvecsWriter.writeFvecs(path, new Configuration(), rows);
    return path;
  }

  private record Result(int code, String out, String err) {}

  /** Runs {@code lopq ARGS} (with a local master for Spark commands), {@code stdin} feeding {@code lopq query}. */
  private static Result run(boolean spark, String stdin, String... args) {
    String[] all = spark ? Stream.concat(Stream.of(args), Stream.of("--master", MASTER)).toArray(String[]::new) : args;
    CommandLine cli = LopqCli.commandLine();
    if (stdin != null) {
      QueryCommand query = cli.getSubcommands().get("query").getCommand();
      query.stdin = new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8));
    }
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(err));
    int code = cli.execute(all);
    return new Result(code, out.toString(), err.toString());
  }

  /** The rows of {@code lopq search}'s CSV results, sorted by (query, rank), as "q,rank,id,distance" with parsed numbers. */
  private static List<String> searchRows(String output) throws Exception {
    List<String> rows = new ArrayList<>();
    try (Stream<Path> files = Files.list(Path.of(output))) {
      for (Path part : files.filter(p -> p.getFileName().toString().endsWith(".csv")).sorted().toList()) {
        List<String> lines = Files.readAllLines(part);
        assertEquals(CSV_HEADER, lines.get(0), part.toString());
        lines.subList(1, lines.size()).forEach(line -> rows.add(normalized(line)));
      }
    }
    return sortedRows(rows);
  }

  /** The rows {@code lopq query} printed (CSV), normalized as {@link #searchRows}. */
  private static List<String> queryRows(String out) {
    List<String> lines = out.lines().toList();
    assertEquals(CSV_HEADER, lines.get(0), out);
    return sortedRows(lines.subList(1, lines.size()).stream().map(QueryCommandTest::normalized).toList());
  }

  private static String normalized(String line) {
    String[] f = line.split(",");
    return Long.parseLong(f[0]) + "," + Integer.parseInt(f[1]) + "," + Long.parseLong(f[2]) + ","
        + Double.parseDouble(f[3]);
  }

  private static List<String> sortedRows(List<String> rows) {
    return rows.stream().sorted((a, b) -> {
      String[] x = a.split(",");
      String[] y = b.split(",");
      int c = Long.compare(Long.parseLong(x[0]), Long.parseLong(y[0]));
      return c != 0 ? c : Integer.compare(Integer.parseInt(x[1]), Integer.parseInt(y[1]));
    }).collect(Collectors.toList());
  }

  @Test
  void answersWhatLopqSearchAnswersForTheSameSettingsFromTheDatasetAndItsPackedFile() throws Exception {
    String packed = dir.resolve("index.lopqidx").toString();
    Result pack = run(false, null, "index", "pack", "--model", model, "--index", encoded, "--output", packed);
    assertEquals(ExitCodes.OK, pack.code, pack.err);
    assertTrue(pack.out.contains("packed " + ROWS + " rows"), pack.out);
    Result again = run(false, null, "index", "pack", "--model", model, "--index", encoded, "--output", packed);
    assertEquals(ExitCodes.FAILED, again.code);
    assertTrue(again.err.contains("--overwrite"), again.err);

    String[][] settings = {
      {"--k", "5", "--candidates", "100"},
      {"--k", "10", "--candidates", "400"},
      {"--k", "3", "--cells", "2"},
      {"--k", "5", "--candidates", "150", "--rerank", base, "--rerank-depth", "40"}};
    int s = 0;
    for (String[] setting : settings) {
      String output = dir.resolve("search-" + s++).toString();
      List<String> searchArgs = new ArrayList<>(List.of("search", "--model", model, "--index", encoded, "--queries",
          queries, "--output", output, "--output-format", "csv", "--exact-tables"));
      searchArgs.addAll(List.of(setting));
      Result search = run(true, null, searchArgs.toArray(String[]::new));
      assertEquals(ExitCodes.OK, search.code, search.err);
      List<String> expected = searchRows(output);
      int k = Integer.parseInt(setting[1]);
      assertEquals(QUERIES * k, expected.size(), Arrays.toString(setting));

      for (String index : List.of(encoded, packed)) {
        List<String> queryArgs = new ArrayList<>(List.of("query", "--model", model, "--index", index, "--queries",
            queries));
        queryArgs.addAll(List.of(setting));
        Result query = run(false, null, queryArgs.toArray(String[]::new));
        assertEquals(ExitCodes.OK, query.code, query.err);
        assertEquals(expected, queryRows(query.out), Arrays.toString(setting) + " on " + index);
        assertTrue(query.err.contains("loaded " + ROWS + " rows") && query.err.contains("answered " + QUERIES
            + " queries: latency p50"), query.err);
      }
    }
  }

  @Test
  void readsStandardInputAndPrintsJson() {
    StringBuilder lines = new StringBuilder();
    for (int q = 0; q < 3; q++) {
      StringBuilder line = new StringBuilder();
      for (int j = 0; j < D; j++) {
        line.append(j == 0 ? "" : q == 1 ? " " : ", ").append(queryData[q * D + j]);
      }
      lines.append(line).append(q == 0 ? "\n\n" : "\n");
    }
    Result csv = run(false, lines.toString(), "query", "--model", model, "--index", encoded, "--k", "4",
        "--candidates", "100");
    assertEquals(ExitCodes.OK, csv.code, csv.err);
    Result fromFile = run(false, null, "query", "--model", model, "--index", encoded, "--k", "4", "--candidates",
        "100", "--queries", queries);
    List<String> first3 = queryRows(fromFile.out).subList(0, 3 * 4);
    assertEquals(first3, queryRows(csv.out), "stdin vectors give the file's rows 0..2 (blank lines skipped)");

    Result json = run(false, lines.toString(), "query", "--model", model, "--index", encoded, "--k", "4",
        "--candidates", "100", "--output-format", "JSON");
    assertEquals(ExitCodes.OK, json.code, json.err);
    List<String> objects = json.out.lines().toList();
    assertEquals(3, objects.size(), json.out);
    String[] top = first3.get(0).split(",");
    assertTrue(objects.get(0).startsWith("{\"query_id\":0,\"neighbors\":[{\"id\":" + top[2] + ",\"distance\":"),
        objects.get(0));
    assertEquals(4, objects.get(2).split("\"id\"").length - 1, objects.get(2));
  }

  @Test
  void badInputFailsNamingTheFileOrLine() throws Exception {
    Result shortLine = run(false, "1,2,3,4,5,6,7,8\n1 2 3 4 5 6 7\n", "query", "--model", model, "--index", encoded);
    assertEquals(ExitCodes.FAILED, shortLine.code);
    assertTrue(shortLine.err.contains("stdin line 2 has 7 values, the model expects D=8"), shortLine.err);
    assertEquals(1 + 10, shortLine.out.lines().count(), "the first query was answered: " + shortLine.out);

    Result word = run(false, "1,2,3,x,5,6,7,8\n", "query", "--model", model, "--index", encoded);
    assertEquals(ExitCodes.FAILED, word.code);
    assertTrue(word.err.contains("stdin line 1 value 4 'x' is not a number"), word.err);

    String wide = fvecs("wide.fvecs", new float[2 * (D + 1)], 2, D + 1);
    Result dimension = run(false, null, "query", "--model", model, "--index", encoded, "--queries", wide);
    assertEquals(ExitCodes.FAILED, dimension.code);
    assertTrue(dimension.err.contains(wide + " row 0 has dimension 9, the model expects D=8"), dimension.err);

    String missing = dir.resolve("nothing-here").toString();
    Result noIndex = run(false, "", "query", "--model", model, "--index", missing);
    assertEquals(ExitCodes.FAILED, noIndex.code);
    assertTrue(noIndex.err.contains("nothing-here") && noIndex.err.contains("does not exist"), noIndex.err);

    Result notIndex = run(false, "", "query", "--model", model, "--index", base);
    assertEquals(ExitCodes.FAILED, notIndex.code);
    assertTrue(notIndex.err.contains(base + " is a file but not a packed index"), notIndex.err);

    Result otherModelsIndex = run(false, "", "query", "--model", otherModel, "--index", encoded);
    assertEquals(ExitCodes.FAILED, otherModelsIndex.code);
    assertTrue(otherModelsIndex.err.contains("was written by model"), otherModelsIndex.err);

    StringBuilder csv = new StringBuilder("key,a,b,c,d,e,f,g,h\n");
    for (int i = 0; i < 20; i++) {
      csv.append("item-").append(i);
      for (int j = 0; j < D; j++) {
        csv.append(',').append(queryData[(i % QUERIES) * D + j]);
      }
      csv.append('\n');
    }
    Path named = dir.resolve("named.csv");
    Files.writeString(named, csv);
    String namedEncoded = dir.resolve("named-encoded").toString();
    Result encodeNamed = run(true, null, "encode", "--model", model, "--input", named.toString(), "--header",
        "--id-col", "key", "--output", namedEncoded);
    assertEquals(ExitCodes.OK, encodeNamed.code, encodeNamed.err);
    Result stringIds = run(false, "", "query", "--model", model, "--index", namedEncoded);
    assertEquals(ExitCodes.FAILED, stringIds.code);
    assertTrue(stringIds.err.contains("named-encoded has string ids"), stringIds.err);

    Result noQueries = run(false, null, "query", "--model", model, "--index", encoded, "--queries",
        dir.resolve("none.fvecs").toString());
    assertEquals(ExitCodes.FAILED, noQueries.code);
    assertTrue(noQueries.err.contains("none.fvecs") && noQueries.err.contains("does not exist"), noQueries.err);

    Result format = run(false, "", "query", "--model", model, "--index", encoded, "--output-format", "xml");
    assertEquals(ExitCodes.USAGE, format.code);
    assertTrue(format.err.toLowerCase(Locale.ROOT).contains("csv or json"), format.err);
  }
}
