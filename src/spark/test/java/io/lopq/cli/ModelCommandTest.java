package io.lopq.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lopq.io.model.ModelStore;
import io.lopq.format.vectors.SyntheticCorpus;
import io.lopq.model.LopqModel;
import io.lopq.train.LocalTrainer;
import io.lopq.train.TrainingParams;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelCommandTest {
  private static final int DIMENSION = 16;
  private static final int ROWS = 600;

  /** Exit code, stdout and stderr of one command. */
  private record Run(int code, String out, String err) {}

  private static Run run(String... args) {
    picocli.CommandLine commandLine = LopqCli.commandLine();
    java.io.StringWriter out = new java.io.StringWriter();
    java.io.StringWriter err = new java.io.StringWriter();
    commandLine.setOut(new java.io.PrintWriter(out));
    commandLine.setErr(new java.io.PrintWriter(err));
    int code = commandLine.execute(args);
    return new Run(code, out.toString(), err.toString());
  }

  /** A small trained model saved under {@code dir}; its URI. */
  private static String saved(Path dir) throws java.io.IOException {
    float[] data = new SyntheticCorpus(DIMENSION, 4, 3).rows(0, ROWS);
    LopqModel model = new LocalTrainer(TrainingParams.builder(4, 4).subquantizerClusters(16).seed(5).build())
        .train(data, ROWS, DIMENSION);
    String uri = dir.resolve("model").toUri().toString();
    ModelStore.save(model, uri, false);
    return uri;
  }

  @Test
  void exportThenImportGivesTheSameModel(@TempDir Path dir) throws Exception {
    float[] data = new SyntheticCorpus(DIMENSION, 4, 3).rows(0, ROWS);
    LopqModel model = new LocalTrainer(TrainingParams.builder(4, 4).subquantizerClusters(16).seed(5).build())
        .train(data, ROWS, DIMENSION);
    String original = dir.resolve("model").toUri().toString();
    ModelStore.save(model, original, false);
    String pb = dir.resolve("model.pb").toUri().toString();
    String imported = dir.resolve("imported").toUri().toString();

    Run export = run("model", "export", "--input", original, "--output", pb);
    assertEquals(ExitCodes.OK, export.code(), export.err());
    long pbBytes = Files.size(dir.resolve("model.pb"));
    assertEquals("wrote " + pb + " (Yahoo LOPQ protobuf): D=16 V=4 M=4 K=16, " + pbBytes + " bytes\n", export.out());
    Run imports = run("model", "import", "--input", pb, "--output", imported);
    assertEquals(ExitCodes.OK, imports.code(), imports.err());
    assertTrue(imports.out().startsWith("wrote " + imported + " (model directory): D=16 V=4 M=4 K=16, "),
        imports.out());
    LopqModel back = ModelStore.load(imported);
    assertEquals(model.fingerprint(), back.fingerprint());
    for (int h = 0; h < LopqModel.HALVES; h++) {
      assertArrayEquals(model.rotations(h), back.rotations(h));
    }
  }

  @Test
  void thePositionalPathsOfEarlierVersionsStillWork(@TempDir Path dir) throws Exception {
    String original = saved(dir);
    String pb = dir.resolve("model.pb").toUri().toString();
    assertEquals(ExitCodes.OK, LopqCli.run("model", "export", original, pb));
    assertEquals(ExitCodes.OK, LopqCli.run("model", "import", pb, dir.resolve("imported").toUri().toString()));
    Run info = run("model", "info", original);
    assertEquals(ExitCodes.OK, info.code(), info.err());
    Run both = run("model", "export", "--input", original, "--output", pb, "extra.pb");
    assertEquals(ExitCodes.USAGE, both.code());
    assertTrue(both.err().contains("unexpected argument 'extra.pb'"), both.err());
    Run none = run("model", "export", "--input", original);
    assertEquals(ExitCodes.USAGE, none.code());
    assertTrue(none.err().contains("Missing required option: '--output=PATH'"), none.err());
  }

  @Test
  void anExistingOutputIsRefusedNamingOverwrite(@TempDir Path dir) throws Exception {
    String original = saved(dir);
    Path pb = Files.writeString(dir.resolve("taken.pb"), "keep me");
    Run refused = run("model", "export", "--input", original, "--output", pb.toString());
    assertEquals(ExitCodes.FAILED, refused.code());
    assertTrue(refused.err().contains("already exists") && refused.err().contains("--overwrite"), refused.err());
    assertEquals("keep me", Files.readString(pb));
    Run replaced = run("model", "export", "--input", original, "--output", pb.toString(), "--overwrite");
    assertEquals(ExitCodes.OK, replaced.code(), replaced.err());
    Run intoModel = run("model", "import", "--input", pb.toString(), "--output", original);
    assertEquals(ExitCodes.FAILED, intoModel.code());
    assertTrue(intoModel.err().contains("already exists") && intoModel.err().contains("--overwrite"),
        intoModel.err());
  }

  @Test
  void infoPrintsShapeAndFingerprint(@TempDir Path dir) throws Exception {
    float[] data = new SyntheticCorpus(DIMENSION, 4, 3).rows(0, ROWS);
    LopqModel model = new LocalTrainer(TrainingParams.builder(4, 4).subquantizerClusters(16).seed(5).build())
        .train(data, ROWS, DIMENSION);
    String uri = dir.resolve("model").toUri().toString();
    ModelStore.save(model, uri, false);
    picocli.CommandLine commandLine = LopqCli.commandLine();
    java.io.StringWriter out = new java.io.StringWriter();
    commandLine.setOut(new java.io.PrintWriter(out));
    assertEquals(ExitCodes.OK, commandLine.execute("model", "info", "--model", uri));
    assertTrue(out.toString().contains("fingerprint  " + model.fingerprint()), out.toString());
    assertTrue(out.toString().contains("D=16"), out.toString());
    assertTrue(out.toString().contains("codebooks    global"), out.toString());
  }

  @Test
  void aModelWithLocalCodebooksSaysSoAndIsNotExported(@TempDir Path dir) throws Exception {
    float[] data = new SyntheticCorpus(DIMENSION, 4, 3).rows(0, ROWS);
    LopqModel model = new LocalTrainer(TrainingParams.builder(4, 4).subquantizerClusters(16).seed(5)
        .codebooks(io.lopq.model.CodebookScope.LOCAL).build()).train(data, ROWS, DIMENSION);
    String uri = dir.resolve("model").toUri().toString();
    ModelStore.save(model, uri, false);
    Run info = run("model", "info", "--model", uri);
    assertEquals(ExitCodes.OK, info.code(), info.err());
    assertTrue(info.out().contains("codebooks    local"), info.out());
    Run export = run("model", "export", "--input", uri, "--output", dir.resolve("out.pb").toString());
    assertEquals(ExitCodes.FAILED, export.code());
    assertTrue(export.err().contains("has local codebooks"), export.err());
    assertFalse(Files.exists(dir.resolve("out.pb")));
  }

  @Test
  void missingModelFailsWithThePathAndLeavesNoOutput(@TempDir Path dir) {
    java.io.StringWriter err = new java.io.StringWriter();
    picocli.CommandLine commandLine = LopqCli.commandLine();
    commandLine.setErr(new java.io.PrintWriter(err));
    String missing = dir.resolve("nope").toUri().toString();
    int code = commandLine.execute("model", "export", "--input", missing, "--output", dir.resolve("out.pb").toString());
    assertEquals(ExitCodes.FAILED, code);
    assertTrue(err.toString().contains("nope"), err.toString());
    assertFalse(Files.exists(dir.resolve("out.pb")));
  }
}
