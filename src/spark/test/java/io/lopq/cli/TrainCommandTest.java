package io.lopq.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lopq.io.vectors.FvecsWriter;
import io.lopq.io.model.ModelStore;
import io.lopq.format.vectors.SyntheticCorpus;
import io.lopq.model.LopqModel;
import io.lopq.spark.common.SharedSpark;
import io.lopq.spark.train.TrainJob;
import io.lopq.train.TrainingParams;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code lopq train} through the real command line, on local Spark. */
class TrainCommandTest {
  private static final int DIMENSION = 16;
  private static final int ROWS = 2000;
  private static final String[] SMALL = {"--coarse-clusters", "4", "--subquantizer-clusters", "16", "--iterations", "5", "--master", "local[2]"};
  private static SparkSession spark;

  @TempDir Path dir;

  @BeforeAll
  static void session() {
    spark = SharedSpark.session();
  }

  /** Exit code, stdout and stderr of one command. */
  private record Run(int code, String out, String err) {}

  private static Run run(String... args) {
    CommandLine commandLine = LopqCli.commandLine();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    commandLine.setOut(new PrintWriter(out));
    commandLine.setErr(new PrintWriter(err));
    int code = commandLine.execute(args);
    return new Run(code, out.toString(), err.toString());
  }

  private static Run train(String input, String output, String... extra) {
    List<String> args = new ArrayList<>(List.of("train", "--input", input, "--output", output));
    args.addAll(Arrays.asList(SMALL));
    if (!Arrays.asList(extra).contains("--subquantizers")) {
      args.addAll(List.of("--subquantizers", "4"));
    }
    args.addAll(Arrays.asList(extra));
    return run(args.toArray(new String[0]));
  }

  private String corpus() {
    String path = dir.resolve("train.fvecs").toString();
    float[] data = new SyntheticCorpus(DIMENSION, 8, 5).rows(0, ROWS);
    List<float[]> rows = new ArrayList<>();
    for (int i = 0; i < ROWS; i++) {
      rows.add(Arrays.copyOfRange(data, i * DIMENSION, (i + 1) * DIMENSION));
    }
    FvecsWriter.writeFvecs(path, spark.sparkContext().hadoopConfiguration(), rows);
    return path;
  }

  /** Asserts exit code 1, a message containing {@code expected}, and nothing (not even a temporary) at the output. */
  private void assertFailsCleanly(Run run, String output, String expected) throws IOException {
    assertEquals(ExitCodes.FAILED, run.code(), run.err());
    assertTrue(run.err().startsWith("train: error: "), run.err());
    assertTrue(run.err().contains(expected), "expected '" + expected + "' in: " + run.err());
    assertFalse(Files.exists(Path.of(output)), "no model may be left at " + output);
    try (Stream<Path> files = Files.list(Path.of(output).getParent())) {
      List<String> leftovers = files.map(p -> p.getFileName().toString())
          .filter(name -> name.startsWith("." + Path.of(output).getFileName())).collect(Collectors.toList());
      assertTrue(leftovers.isEmpty(), "temporary files left: " + leftovers);
    }
  }

  @Test
  void trainsAModelWithItsReportAndTheSameSeedGivesTheSameModel() throws IOException {
    String input = corpus();
    String first = dir.resolve("model").toString();
    String copy = dir.resolve("report.json").toString();
    Run run = train(input, first, "--seed", "3", "--report", copy);
    assertEquals(ExitCodes.OK, run.code(), run.err());
    assertTrue(run.out().contains("distortion"), run.out());

    LopqModel model = ModelStore.load(first);
    JsonNode report = new ObjectMapper().readTree(Path.of(first, TrainJob.REPORT_FILE).toFile());
    assertEquals(model.fingerprint(), report.get("fingerprint").asText());
    assertEquals(3, report.get("seed").asLong());
    assertEquals(ROWS, report.get("rows").asLong());
    List<String> steps = new ArrayList<>();
    report.get("steps").forEach(step -> {
      steps.add(step.get("step").asText());
      assertTrue(step.get("seconds").asDouble() >= 0, step.toString());
    });
    assertEquals(List.of("read", "coarse", "rotations", "subquantizers", "distortion"), steps);
    JsonNode stats = report.get("statistics");
    assertEquals(2, stats.get("clusterSizes").size(), "one cluster size summary per half");
    assertTrue(stats.get("clusterSizes").get(0).has("histogram"), stats.toString());
    assertTrue(stats.has("smallClusterHandling") && stats.has("emptyClusters"), stats.toString());
    assertTrue(report.get("distortion").asDouble() < stats.get("distortionAfterRotations").asDouble());
    assertEquals(report, new ObjectMapper().readTree(Path.of(copy).toFile()), "the --report copy");

    String second = dir.resolve("again").toString();
    assertEquals(ExitCodes.OK, train(input, second, "--seed", "3").code());
    assertEquals(model.fingerprint(), ModelStore.load(second).fingerprint(), "same input, parameters and seed");
  }

  @Test
  void localCodebooksAreTrainedSavedAndRefusedByTheYahooExport() throws IOException {
    String input = corpus();
    String output = dir.resolve("local").toString();
    Run run = train(input, output, "--seed", "3", "--codebooks", "local", "--codebook-prior-rows", "2",
        "--local-codebook-iterations", "3");
    assertEquals(ExitCodes.OK, run.code(), run.err());
    LopqModel model = ModelStore.load(output);
    assertTrue(model.hasLocalCodebooks());
    assertEquals(2, model.metadata().parameters().get("codebookPriorRows"));
    assertEquals(3, model.metadata().parameters().get("localCodebookIterations"));
    JsonNode report = new ObjectMapper().readTree(Path.of(output, TrainJob.REPORT_FILE).toFile());
    List<String> steps = new ArrayList<>();
    report.get("steps").forEach(step -> steps.add(step.get("step").asText()));
    assertEquals(List.of("read", "coarse", "rotations", "subquantizers", "distortion", "localCodebooks"), steps);
    assertEquals(2, new ObjectMapper().readTree(Path.of(output, "model.json").toFile()).get("formatVersion").asInt());

    String pb = dir.resolve("local.pb").toString();
    Run export = run("model", "export", "--input", output, "--output", pb);
    assertEquals(ExitCodes.FAILED, export.code(), export.out());
    assertTrue(export.err().contains("local codebooks") && export.err().contains("--codebooks global"), export.err());
    assertFalse(Files.exists(Path.of(pb)), "nothing is written");

    String retrained = dir.resolve("retrained").toString();
    Run again = run("train", "--input", input, "--output", retrained, "--init-model", output, "--steps", "subquantizers");
    assertEquals(ExitCodes.OK, again.code(), again.err());
    assertTrue(ModelStore.load(retrained).hasLocalCodebooks(), "an initial model's codebooks are the default");

    Run bad = train(input, dir.resolve("bad").toString(), "--codebooks", "per-cell");
    assertEquals(ExitCodes.USAGE, bad.code());
    assertTrue(bad.err().contains("--codebooks must be one of global, local"), bad.err());
  }

  @Test
  void retrainsOnlyTheNamedStepsOfAnInitialModel() throws IOException {
    String input = corpus();
    String initial = dir.resolve("initial").toString();
    assertEquals(ExitCodes.OK, train(input, initial, "--seed", "1").code());
    String retrained = dir.resolve("retrained").toString();
    Run run = run("train", "--input", input, "--output", retrained, "--init-model", initial, "--steps",
        "subquantizers", "--seed", "2", "--iterations", "5", "--master", "local[2]");
    assertEquals(ExitCodes.OK, run.code(), run.err());
    LopqModel before = ModelStore.load(initial);
    LopqModel after = ModelStore.load(retrained);
    assertTrue(Arrays.equals(before.rotations(1), after.rotations(1)), "rotations kept");
    assertFalse(Arrays.equals(before.codebook(0), after.codebook(0)), "subquantizers retrained");
  }

  @Test
  void refusesAnExistingOutputWithoutOverwriteAndLeavesItAlone() throws IOException {
    String input = corpus();
    Path existing = Files.createDirectories(dir.resolve("taken"));
    Files.writeString(existing.resolve("notes.txt"), "keep me");
    Run run = train(input, existing.toString());
    assertEquals(ExitCodes.FAILED, run.code(), run.err());
    assertTrue(run.err().contains("already exists") && run.err().contains("--overwrite"), run.err());
    assertEquals("keep me", Files.readString(existing.resolve("notes.txt")));

    Run overwrite = train(input, existing.toString(), "--overwrite");
    assertEquals(ExitCodes.FAILED, overwrite.code(), overwrite.err());
    assertTrue(overwrite.err().contains("refusing to overwrite"), overwrite.err());
    assertEquals("keep me", Files.readString(existing.resolve("notes.txt")));
  }

  @Test
  void helpListsTheOptions() {
    Run help = run("train", "--help");
    assertEquals(ExitCodes.OK, help.code(), help.err());
    for (String option : List.of("--coarse-clusters", "--subquantizers", "--sample", "--sample-fraction", "--steps",
        "--init-model", "--refine-iterations", "--report", "--overwrite")) {
      assertTrue(help.out().contains(option), option + " in: " + help.out());
    }
  }

  @Test
  void emptyInputFails() throws IOException {
    Path empty = Files.createFile(dir.resolve("empty.fvecs"));
    String output = dir.resolve("model").toString();
    assertFailsCleanly(train(empty.toString(), output), output, "has no rows");
  }

  @Test
  void aRowOfTheWrongDimensionFailsNamingTheFileAndRow() throws IOException {
    Path csv = Files.writeString(dir.resolve("bad.csv"), "1,2,3,4\n5,6,7,8\n1,2,3\n");
    String output = dir.resolve("model").toString();
    assertFailsCleanly(train(csv.toString(), output, "--subquantizers", "2"), output, "row 2 of");
    assertTrue(train(csv.toString(), output, "--subquantizers", "2").err().contains("bad.csv"));
  }

  @Test
  void aNonFiniteValueFailsNamingTheRow() throws IOException {
    Path csv = Files.writeString(dir.resolve("nan.csv"), "1,2,3,4\n5,NaN,7,8\n");
    String output = dir.resolve("model").toString();
    assertFailsCleanly(train(csv.toString(), output, "--subquantizers", "2"), output, "row 1 of");
    assertTrue(train(csv.toString(), output, "--subquantizers", "2").err().contains("non-finite"));
  }

  @Test
  void moreCoarseClustersThanDistinctPointsFails() throws IOException {
    List<float[]> rows = new ArrayList<>();
    for (int i = 0; i < 60; i++) {
      rows.add(new float[] {i % 3, 1, 2, 3});
    }
    String input = dir.resolve("three.fvecs").toString();
    FvecsWriter.writeFvecs(input, spark.sparkContext().hadoopConfiguration(), rows);
    String output = dir.resolve("model").toString();
    assertFailsCleanly(train(input, output, "--subquantizers", "2"), output, "V=4 is larger than the number of distinct points (3)");
  }

  @Test
  void aMissingVectorColumnFails() throws IOException {
    StructType schema = new StructType().add("features", DataTypes.createArrayType(DataTypes.FloatType), false);
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      rows.add(RowFactory.create((Object) new float[] {i, 1, 2, 3}));
    }
    String parquet = dir.resolve("vectors.parquet").toString();
    spark.createDataFrame(rows, schema).write().parquet(parquet);
    String output = dir.resolve("model").toString();
    assertFailsCleanly(train(parquet, output, "--subquantizers", "2"), output, "'vector'");
  }

  @Test
  void anUnreadablePathFailsNamingIt() throws IOException {
    String output = dir.resolve("model").toString();
    assertFailsCleanly(train(dir.resolve("nowhere.fvecs").toString(), output), output, "nowhere.fvecs");
  }

  @Test
  void parametersThatDoNotFitTheDataFail() throws IOException {
    String output = dir.resolve("model").toString();
    assertFailsCleanly(train(corpus(), output, "--subquantizers", "6"), output, "D=16 must be divisible by subquantizers M=6");
  }

  @Test
  void leftOutParametersTakeTheirDeclaredDefaults() throws IOException {
    String input = corpus();
    String output = dir.resolve("defaults").toString();
    Run run = run("train", "--input", input, "--output", output, "--iterations", "3", "--master", "local[2]");
    assertEquals(ExitCodes.OK, run.code(), run.err());
    LopqModel model = ModelStore.load(output);
    long rows = ((Number) model.metadata().statistics().get("trainingVectors")).longValue();
    assertEquals(io.lopq.train.CoarseClusterRule.choose(rows, model.dimension()), model.coarseClusters(),
        "V is chosen from N and D when not given");
    assertEquals(model.coarseClusters(), model.metadata().statistics().get("coarseClustersChosen"));
    assertEquals(model.coarseClusters(), model.metadata().parameters().get("V"));
    assertTrue(run.out().contains("coarse clusters: V=" + model.coarseClusters() + " per half, chosen for " + rows),
        run.out());
    assertEquals(TrainingParams.SUBQUANTIZERS.defaultValue(), model.subquantizers());
    assertEquals(TrainingParams.SUBQUANTIZER_CLUSTERS.defaultValue(), model.subquantizerClusters());
    assertEquals(TrainingParams.SEED.defaultValue(), model.metadata().seed());
  }

  @Test
  void theOldNameOfMinPartitionsStillWorksButNotBesideTheNewOne() throws IOException {
    String input = corpus();
    assertEquals(ExitCodes.OK, train(input, dir.resolve("old").toString(), "--partitions", "3").code());
    assertEquals(ExitCodes.OK, train(input, dir.resolve("new").toString(), "--min-partitions", "3").code());
    Run both = train(input, dir.resolve("both").toString(), "--partitions", "3", "--min-partitions", "3");
    assertEquals(ExitCodes.USAGE, both.code(), both.err());
    assertTrue(both.err().contains("--min-partitions"), both.err());
  }
}
