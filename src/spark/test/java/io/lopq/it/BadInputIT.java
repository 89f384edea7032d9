package io.lopq.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import io.lopq.cli.ExitCodes;
import io.lopq.spark.common.SharedSpark;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Every bad input the jobs recognise, end to end through the real command line: the command must
 * exit non-zero with one clear error line naming the bad value and what was expected, and leave
 * its output folder exactly as it was (no output, no temporary leftovers; an existing output
 * untouched). The cases are the rows of {@code docs/BAD-INPUT.md}; a test checks the table and the
 * cases agree. Most run in-process on {@code local[2]}; a few run {@code scripts/lopq} as a real
 * process, where the exit code is the JVM's.
 */
class BadInputIT {
  private static final int D = 16;
  private static final int ROWS = 2_000;
  private static final int BAD_ROW = 100;
  private static Path dir;
  private static Path base;
  private static Path queries;
  private static Path model;
  private static Path otherModel;
  private static Path encoded;
  private static Path results;
  private static Path groundTruth;
  private static List<BadInputCase> cases;

  @BeforeAll
  static void goodInputsAndOutputs() {
    dir = Project.cleanDir("bad-input");
    Corpus corpus = new Corpus(D, 4, 21);
    base = corpus.writeFvecs(dir.resolve("base.fvecs"), 0, ROWS);
    queries = corpus.writeFvecs(dir.resolve("queries.fvecs"), 500_000, 20);
    model = dir.resolve("model");
    otherModel = dir.resolve("other-model");
    encoded = dir.resolve("encoded");
    results = dir.resolve("results");
    groundTruth = dir.resolve("truth.ivecs");
    Cli.run("train", "--input", base.toString(), "--output", model.toString(), "--coarse-clusters", "4",
        "--subquantizers", "4", "--subquantizer-clusters", "16", "--seed", "1").assertOk();
    Cli.run("train", "--input", base.toString(), "--output", otherModel.toString(), "--coarse-clusters", "4",
        "--subquantizers", "4", "--subquantizer-clusters", "16", "--seed", "2").assertOk();
    Cli.run("encode", "--model", model.toString(), "--input", base.toString(), "--output", encoded.toString()).assertOk();
    Cli.run("search", "--model", model.toString(), "--index", encoded.toString(), "--queries", queries.toString(),
        "--k", "5", "--candidates", "200", "--output", results.toString()).assertOk();
    Cli.run("eval", "--results", results.toString(), "--base", base.toString(), "--queries", queries.toString(),
        "--k", "5", "--save-ground-truth", groundTruth.toString()).assertOk();
    cases = makeCases();
  }

  private static Path out(String id) {
    return dir.resolve("out").resolve(id);
  }

  /** The table: one case per bad input (see docs/BAD-INPUT.md). */
  static List<BadInputCase> cases() {
    return cases;
  }

  private static List<BadInputCase> makeCases() {
    Path bad = dir.resolve("bad");
    List<BadInputCase> cases = new ArrayList<>();
    String m = model.toString();

    // --- input vectors ---
    // Row BAD_ROW has D - 4 values and the next D + 4, so the file size is still a whole number of
    // D-records and the reader meets the bad record header itself.
    List<float[]> mixed = rows(BAD_ROW + 5);
    mixed.set(BAD_ROW, new float[D - 4]);
    mixed.set(BAD_ROW + 1, new float[D + 4]);
    Path mixedFile = BadFiles.fvecs(bad.resolve("mixed-dimension.fvecs"), mixed);
    cases.add(BadInputCase.of("wrong-dimension", out("wrong-dimension"))
        .args("train", "--input", mixedFile, "--output", out("wrong-dimension").resolve("model"),
            "--coarse-clusters", 4, "--subquantizers", 4)
        .fails(ExitCodes.FAILED, "row " + BAD_ROW, "dimension " + (D - 4), "expected " + D));

    List<float[]> oneShort = rows(BAD_ROW + 5);
    oneShort.set(BAD_ROW, new float[D - 4]);
    Path sizeMismatch = BadFiles.fvecs(bad.resolve("one-short-row.fvecs"), oneShort);
    cases.add(BadInputCase.of("fvecs-record-length", out("fvecs-record-length"))
        .args("train", "--input", sizeMismatch, "--output", out("fvecs-record-length").resolve("model"),
            "--coarse-clusters", 4, "--subquantizers", 4)
        .fails(ExitCodes.FAILED, sizeMismatch.getFileName().toString(), "not a multiple of the record length"));

    StringBuilder csvRows = new StringBuilder();
    List<float[]> csvVectors = rows(BAD_ROW + 5);
    for (int i = 0; i < csvVectors.size(); i++) {
      float[] values = i == BAD_ROW ? java.util.Arrays.copyOf(csvVectors.get(i), D - 4) : csvVectors.get(i);
      for (int j = 0; j < values.length; j++) {
        csvRows.append(j == 0 ? "" : ",").append(values[j]);
      }
      csvRows.append('\n');
    }
    Path shortCsv = BadFiles.text(bad.resolve("short-row.csv"), csvRows.toString());
    cases.add(BadInputCase.of("csv-wrong-dimension", out("csv-wrong-dimension"))
        .args("encode", "--model", m, "--input", shortCsv, "--output", out("csv-wrong-dimension").resolve("encoded"))
        .fails(ExitCodes.FAILED, "row " + BAD_ROW, "dimension " + (D - 4), "expected " + D));

    List<float[]> withNan = rows(BAD_ROW + 5);
    withNan.get(BAD_ROW)[3] = Float.NaN;
    Path nanFile = BadFiles.fvecs(bad.resolve("nan.fvecs"), withNan);
    cases.add(BadInputCase.of("nan", out("nan"))
        .args("encode", "--model", m, "--input", nanFile, "--output", out("nan").resolve("encoded"))
        .fails(ExitCodes.FAILED, "row " + BAD_ROW, "NaN", "index 3"));

    List<float[]> withInf = rows(BAD_ROW + 5);
    withInf.get(BAD_ROW)[0] = Float.POSITIVE_INFINITY;
    Path infFile = BadFiles.fvecs(bad.resolve("inf.fvecs"), withInf);
    cases.add(BadInputCase.of("infinity", out("infinity"))
        .args("train", "--input", infFile, "--output", out("infinity").resolve("model"),
            "--coarse-clusters", 4, "--subquantizers", 4)
        .fails(ExitCodes.FAILED, "row " + BAD_ROW, "Infinity", "index 0"));

    Path empty = BadFiles.fvecs(bad.resolve("empty.fvecs"), List.of());
    cases.add(BadInputCase.of("empty-input", out("empty-input"))
        .args("train", "--input", empty, "--output", out("empty-input").resolve("model"),
            "--coarse-clusters", 4, "--subquantizers", 4)
        .fails(ExitCodes.FAILED, empty.toString(), "no rows"));

    Path missing = bad.resolve("no-such-file.fvecs");
    cases.add(BadInputCase.of("missing-input", out("missing-input"))
        .args("encode", "--model", m, "--input", missing, "--output", out("missing-input").resolve("encoded"))
        .fails(ExitCodes.FAILED, missing.toString(), "does not exist"));

    Path noVector = parquet(bad.resolve("no-vector.parquet"), "features", false);
    cases.add(BadInputCase.of("missing-column", out("missing-column"))
        .args("encode", "--model", m, "--input", noVector, "--output", out("missing-column").resolve("encoded"))
        .fails(ExitCodes.FAILED, "vector column 'vector'"));

    Path stringVector = parquet(bad.resolve("string-vector.parquet"), "vector", true);
    cases.add(BadInputCase.of("wrong-type", out("wrong-type"))
        .args("encode", "--model", m, "--input", stringVector, "--output", out("wrong-type").resolve("encoded"))
        .fails(ExitCodes.FAILED, "vector column 'vector'", "string"));

    Path csv = BadFiles.text(bad.resolve("not-a-number.csv"), "1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16\n"
        + "1,2,3,4,5,6,7,oops,9,10,11,12,13,14,15,16\n");
    cases.add(BadInputCase.of("not-a-number", out("not-a-number"))
        .args("encode", "--model", m, "--input", csv, "--output", out("not-a-number").resolve("encoded"))
        .fails(ExitCodes.FAILED, "oops"));

    Path truncated = BadFiles.truncatedCopy(base, bad.resolve("truncated.fvecs"), 10);
    cases.add(BadInputCase.of("truncated-fvecs", out("truncated-fvecs"))
        .args("encode", "--model", m, "--input", truncated, "--output", out("truncated-fvecs").resolve("encoded"))
        .fails(ExitCodes.FAILED, "truncated", truncated.toString()));

    Path narrow = new Corpus(D - 4, 4, 21).writeFvecs(bad.resolve("queries-12d.fvecs"), 0, 10);
    cases.add(BadInputCase.of("queries-wrong-dimension", out("queries-wrong-dimension"))
        .args("search", "--model", m, "--index", encoded, "--queries", narrow, "--k", 5, "--candidates", 200,
            "--output", out("queries-wrong-dimension").resolve("results"))
        .fails(ExitCodes.FAILED, "dimension " + (D - 4), "D=" + D));

    cases.add(BadInputCase.of("input-wrong-dimension", out("input-wrong-dimension"))
        .args("encode", "--model", m, "--input", narrow, "--output", out("input-wrong-dimension").resolve("encoded"))
        .fails(ExitCodes.FAILED, narrow.toString(), "dimension " + (D - 4), "D=" + D));

    // --- models and encoded data ---
    Path noModel = bad.resolve("no-model");
    cases.add(BadInputCase.of("missing-model", out("missing-model"))
        .args("encode", "--model", noModel, "--input", base, "--output", out("missing-model").resolve("encoded"))
        .fails(ExitCodes.FAILED, noModel.toString(), "no model"));

    // One byte of the arrays flipped, without the local file system's .crc files (as on HDFS, S3 or
    // after a copy by another tool), so the model format's own checksum has to catch it.
    Path corrupt = BadFiles.copyTree(model, bad.resolve("corrupt-model"));
    BadFiles.flipByte(corrupt.resolve("arrays.bin"), -100);
    FileTrees.list(corrupt).stream().filter(n -> n.endsWith(".crc"))
        .forEach(n -> FileTrees.deleteRecursively(corrupt.resolve(n)));
    cases.add(BadInputCase.of("corrupt-model", out("corrupt-model"))
        .args("encode", "--model", corrupt, "--input", base, "--output", out("corrupt-model").resolve("encoded"))
        .fails(ExitCodes.FAILED, corrupt.resolve("arrays.bin").toString(), "checksum mismatch"));

    cases.add(BadInputCase.of("foreign-model", out("foreign-model"))
        .args("search", "--model", encoded, "--index", encoded, "--queries", queries, "--k", 5, "--candidates", 200,
            "--output", out("foreign-model").resolve("results"))
        .fails(ExitCodes.FAILED, encoded.toString(), "a model directory holds model.json and arrays.bin"));

    Path junk = BadFiles.junk(bad.resolve("junk.bin"), 64);
    cases.add(BadInputCase.of("foreign-model-file", out("foreign-model-file"))
        .args("encode", "--model", junk, "--input", base, "--output", out("foreign-model-file").resolve("encoded"))
        .fails(ExitCodes.FAILED, junk.toString(), "not a model directory"));

    cases.add(BadInputCase.of("model-index-mismatch", out("model-index-mismatch"))
        .args("search", "--model", otherModel, "--index", encoded, "--queries", queries, "--k", 5, "--candidates", 200,
            "--output", out("model-index-mismatch").resolve("results"))
        .fails(ExitCodes.FAILED, Outputs.model(otherModel).fingerprint(), Outputs.model(model).fingerprint()));

    Path notIndex = base;
    cases.add(BadInputCase.of("not-an-index", out("not-an-index"))
        .args("search", "--model", m, "--index", notIndex, "--queries", queries, "--k", 5, "--candidates", 200,
            "--output", out("not-an-index").resolve("results"))
        .fails(ExitCodes.FAILED, notIndex.toString(), "not an encoded dataset"));

    // --- outputs ---
    cases.add(BadInputCase.of("train-output-exists", out("train-output-exists"))
        .args("train", "--input", base, "--output", existing("train-output-exists", "model"),
            "--coarse-clusters", 4, "--subquantizers", 4)
        .fails(ExitCodes.FAILED, "already exists"));
    cases.add(BadInputCase.of("encode-output-foreign", out("encode-output-foreign"))
        .args("encode", "--model", m, "--input", base, "--output", existing("encode-output-foreign", "encoded"))
        .fails(ExitCodes.FAILED, "is not an encoded dataset"));
    Path otherModelsIndex = BadFiles.copyTree(encoded, out("encode-output-other-model").resolve("encoded"));
    cases.add(BadInputCase.of("encode-output-other-model", out("encode-output-other-model"))
        .args("encode", "--model", otherModel, "--input", base, "--output", otherModelsIndex)
        .fails(ExitCodes.FAILED, Outputs.model(otherModel).fingerprint(), Outputs.model(model).fingerprint()));
    cases.add(BadInputCase.of("search-output-exists", out("search-output-exists"))
        .args("search", "--model", m, "--index", encoded, "--queries", queries, "--k", 5, "--candidates", 200,
            "--output", existing("search-output-exists", "results"))
        .fails(ExitCodes.FAILED, "already exists"));
    cases.add(BadInputCase.of("eval-report-exists", out("eval-report-exists"))
        .args("eval", "--results", results, "--ground-truth", groundTruth, "--k", 5,
            "--report", existing("eval-report-exists", "report"))
        .fails(ExitCodes.FAILED, "already exists"));

    // --- parameters ---
    cases.add(BadInputCase.of("coarse-clusters-zero", out("coarse-clusters-zero"))
        .args("train", "--input", base, "--output", out("coarse-clusters-zero").resolve("model"),
            "--coarse-clusters", 0, "--subquantizers", 4)
        .fails(ExitCodes.FAILED, "coarse clusters V must be >= 1, got 0"));
    cases.add(BadInputCase.of("subquantizers-not-dividing", out("subquantizers-not-dividing"))
        .args("train", "--input", base, "--output", out("subquantizers-not-dividing").resolve("model"),
            "--coarse-clusters", 4, "--subquantizers", 6)
        .fails(ExitCodes.FAILED, "D=" + D, "M=6"));
    cases.add(BadInputCase.of("subquantizer-clusters-too-many", out("subquantizer-clusters-too-many"))
        .args("train", "--input", base, "--output", out("subquantizer-clusters-too-many").resolve("model"),
            "--coarse-clusters", 4, "--subquantizers", 4, "--subquantizer-clusters", 300)
        .fails(ExitCodes.FAILED, "[1, 256]", "got 300"));
    cases.add(BadInputCase.of("more-clusters-than-rows", out("more-clusters-than-rows"))
        .args("train", "--input", truncatedRows(bad, 50), "--output", out("more-clusters-than-rows").resolve("model"),
            "--coarse-clusters", 64, "--subquantizers", 4)
        .fails(ExitCodes.FAILED, "V=64", "(50)"));
    cases.add(BadInputCase.of("k-zero", out("k-zero"))
        .args("search", "--model", m, "--index", encoded, "--queries", queries, "--k", 0, "--candidates", 200,
            "--output", out("k-zero").resolve("results"))
        .fails(ExitCodes.FAILED, "k must be >= 1, got 0"));
    cases.add(BadInputCase.of("unknown-output-format", out("unknown-output-format"))
        .args("search", "--model", m, "--index", encoded, "--queries", queries, "--k", 5, "--candidates", 200,
            "--output", out("unknown-output-format").resolve("results"), "--output-format", "xml")
        .fails(ExitCodes.FAILED, "'xml'", "parquet or csv"));
    cases.add(BadInputCase.of("eval-k-zero", out("eval-k-zero"))
        .args("eval", "--results", results, "--ground-truth", groundTruth, "--k", 0,
            "--report", out("eval-k-zero").resolve("report"))
        .fails(ExitCodes.USAGE, "--k must be >= 1, got 0"));
    cases.add(BadInputCase.of("missing-option", out("missing-option"))
        .args("train", "--input", base, "--coarse-clusters", 4, "--subquantizers", 4)
        .fails(ExitCodes.USAGE, "Missing required option", "--output"));
    return cases;
  }

  /** An output that exists already: a folder holding one file. */
  private static Path existing(String id, String name) {
    Path target = out(id).resolve(name);
    BadFiles.text(target.resolve("keep.txt"), "an earlier output of " + id + "\n");
    return target;
  }

  /** The first {@code n} rows of the base, as their own file. */
  private static Path truncatedRows(Path bad, int n) {
    return new Corpus(D, 4, 21).writeFvecs(bad.resolve("rows-" + n + ".fvecs"), 0, n);
  }

  private static List<float[]> rows(int n) {
    float[] all = new Corpus(D, 4, 21).rows(0, n);
    List<float[]> rows = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      rows.add(java.util.Arrays.copyOfRange(all, i * D, (i + 1) * D));
    }
    return rows;
  }

  /** A Parquet file of ids and vectors, the vector column named {@code vectorCol}, as text if asked. */
  private static Path parquet(Path path, String vectorCol, boolean asText) {
    List<Row> rows = new ArrayList<>();
    List<float[]> vectors = rows(50);
    for (int i = 0; i < vectors.size(); i++) {
      float[] v = vectors.get(i);
      Object value;
      if (asText) {
        value = java.util.Arrays.toString(v);
      } else {
        Float[] boxed = new Float[v.length];
        for (int j = 0; j < v.length; j++) {
          boxed[j] = v[j];
        }
        value = boxed;
      }
      rows.add(RowFactory.create((long) i, value));
    }
    StructType schema = new StructType()
        .add("id", DataTypes.LongType)
        .add(vectorCol, asText ? DataTypes.StringType : DataTypes.createArrayType(DataTypes.FloatType));
    SharedSpark.session().createDataFrame(rows, schema).coalesce(1).write().mode("overwrite").parquet(path.toString());
    return path;
  }

  /** The files below {@code dir} with their sizes: what "unchanged" is judged by. */
  private static Map<String, Long> snapshot(Path folder) {
    Map<String, Long> files = new TreeMap<>();
    for (String entry : FileTrees.listTree(folder)) {
      Path p = folder.resolve(entry);
      try {
        files.put(entry, Files.isDirectory(p) ? -1L : Files.size(p));
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }
    return files;
  }

  private static void check(BadInputCase c, int exitCode, String errors, Map<String, Long> before) {
    System.out.printf("[it] bad input %-32s exit %d: %s%n", c.id(), exitCode, errors.strip().replace("\n", " | "));
    assertEquals(c.exitCode(), exitCode, c.id() + ": exit code; error output:\n" + errors);
    for (String fragment : c.mentions()) {
      assertTrue(errors.contains(fragment), c.id() + ": expected '" + fragment + "' in the error:\n" + errors);
    }
    if (c.exitCode() == ExitCodes.FAILED) {
      String command = c.args().get(0);
      assertTrue(errors.contains(command + ": error: "), c.id() + ": expected one '" + command + ": error: ...' line:\n" + errors);
      assertTrue(errors.strip().lines().count() <= 2, c.id() + ": expected a short error, got:\n" + errors);
    }
    assertEquals(before, snapshot(c.outputDir()), c.id() + ": the output folder changed");
  }

  @TestFactory
  Stream<DynamicTest> everyBadInputFailsCleanlyInProcess() {
    return cases().stream().map(c -> dynamicTest(c.id(), () -> {
      Files.createDirectories(c.outputDir());
      Map<String, Long> before = snapshot(c.outputDir());
      Cli.Run run = Cli.run(c.args().toArray(String[]::new));
      check(c, run.exitCode(), run.err(), before);
    }));
  }

  /** A few cases through {@code scripts/lopq}: a real JVM, its real exit code and stderr. */
  @TestFactory
  Stream<DynamicTest> someBadInputsThroughTheLauncher() {
    List<String> throughLauncher = List.of("wrong-dimension", "corrupt-model", "model-index-mismatch",
        "search-output-exists", "subquantizers-not-dividing");
    return cases().stream().filter(c -> throughLauncher.contains(c.id())).map(c -> dynamicTest(c.id(), () -> {
      Files.createDirectories(c.outputDir());
      Map<String, Long> before = snapshot(c.outputDir());
      List<String> args = new ArrayList<>(c.args());
      args.addAll(List.of("--master", "local[2]"));
      ExternalProcess.Result result = ExternalProcess.script("lopq", args.toArray(String[]::new))
          .env("LOPQ_DRIVER_MEMORY", "1g")
          .log(Project.workDir("logs").resolve("lopq-" + c.id() + ".log"))
          .timeout(Duration.ofMinutes(3))
          .run();
      // The launcher's output also holds Spark's warnings; the error line is what counts.
      String errors = result.output().lines().filter(l -> l.startsWith(c.args().get(0) + ": error: ")
          || c.exitCode() == ExitCodes.USAGE).reduce("", (a, b) -> a + b + "\n");
      check(c, result.exitCode(), errors, before);
    }));
  }

  @Test
  void theDocumentedTableListsEveryCase() throws java.io.IOException {
    String doc = Files.readString(Project.root().resolve("docs").resolve("BAD-INPUT.md"));
    List<String> undocumented = cases().stream().map(BadInputCase::id)
        .filter(id -> !doc.contains("`" + id + "`")).toList();
    assertEquals(List.of(), undocumented, "cases missing from docs/BAD-INPUT.md");
  }
}
