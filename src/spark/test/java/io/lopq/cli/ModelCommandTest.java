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

  @Test
  void exportThenImportGivesTheSameModel(@TempDir Path dir) throws Exception {
    float[] data = new SyntheticCorpus(DIMENSION, 4, 3).rows(0, ROWS);
    LopqModel model = new LocalTrainer(TrainingParams.builder(4, 4).subquantizerClusters(16).seed(5).build())
        .train(data, ROWS, DIMENSION);
    String original = dir.resolve("model").toUri().toString();
    ModelStore.save(model, original, false);
    String pb = dir.resolve("model.pb").toUri().toString();
    String imported = dir.resolve("imported").toUri().toString();

    assertEquals(ExitCodes.OK, LopqCli.run("model", "export", original, pb));
    assertEquals(ExitCodes.OK, LopqCli.run("model", "import", pb, imported));
    LopqModel back = ModelStore.load(imported);
    assertEquals(model.fingerprint(), back.fingerprint());
    for (int h = 0; h < LopqModel.HALVES; h++) {
      assertArrayEquals(model.rotations(h), back.rotations(h));
    }
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
    assertEquals(ExitCodes.OK, commandLine.execute("model", "info", uri));
    assertTrue(out.toString().contains("fingerprint  " + model.fingerprint()), out.toString());
    assertTrue(out.toString().contains("D=16"), out.toString());
  }

  @Test
  void missingModelFailsWithThePathAndLeavesNoOutput(@TempDir Path dir) {
    java.io.StringWriter err = new java.io.StringWriter();
    picocli.CommandLine commandLine = LopqCli.commandLine();
    commandLine.setErr(new java.io.PrintWriter(err));
    String missing = dir.resolve("nope").toUri().toString();
    int code = commandLine.execute("model", "export", missing, dir.resolve("out.pb").toString());
    assertEquals(ExitCodes.FAILED, code);
    assertTrue(err.toString().contains("nope"), err.toString());
    assertFalse(Files.exists(dir.resolve("out.pb")));
  }
}
