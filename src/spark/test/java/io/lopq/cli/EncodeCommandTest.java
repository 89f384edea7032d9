package io.lopq.cli;

import io.lopq.format.model.NativeModelFormat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lopq.io.vectors.FvecsWriter;
import io.lopq.io.model.ModelStore;
import io.lopq.format.vectors.SyntheticCorpus;
import io.lopq.model.LopqModel;
import io.lopq.train.LocalTrainer;
import io.lopq.train.TrainingParams;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code lopq encode} through the real command line: success, summary and report; refusals with exit 1. */
class EncodeCommandTest {
  private static final int D = 8;
  private static final int ROWS = 400;

  private static String model(Path dir, String name, long seed) throws Exception {
    float[] data = new SyntheticCorpus(D, 4, seed).rows(0, ROWS);
    LopqModel model = new LocalTrainer(TrainingParams.builder(4, 4).subquantizerClusters(16).seed(seed).build())
        .train(data, ROWS, D);
    String path = dir.resolve(name).toString();
    ModelStore.save(model, path, false);
    return path;
  }

  private static String input(Path dir) {
    float[] data = new SyntheticCorpus(D, 4, 3).rows(0, ROWS);
    List<float[]> rows = new ArrayList<>();
    for (int i = 0; i < ROWS; i++) {
      float[] v = new float[D];
      System.arraycopy(data, i * D, v, 0, D);
      rows.add(v);
    }
    String path = dir.resolve("base.fvecs").toString();
    FvecsWriter.writeFvecs(path, new Configuration(), rows);
    return path;
  }

  @Test
  void encodesPrintsASummaryAndRefusesAnotherModel(@TempDir Path dir) throws Exception {
    String model = model(dir, "model", 1);
    String other = model(dir, "other", 2);
    String input = input(dir);
    String output = dir.resolve("encoded").toString();
    String report = dir.resolve("report.json").toString();

    CommandLine cli = LopqCli.commandLine();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(err));
    int code = cli.execute("encode", "--model", model, "--input", input, "--output", output, "--report", report,
        "--master", "local[2]");
    assertEquals(ExitCodes.OK, code, err.toString());
    assertTrue(out.toString().contains(ROWS + " rows"), out.toString());
    assertTrue(err.toString().contains("encode: committed all: " + ROWS + " rows"), err.toString());
    assertTrue(Files.readString(Path.of(report)).contains("\"rowsEncoded\" : " + ROWS));

    CommandLine again = LopqCli.commandLine();
    StringWriter refusal = new StringWriter();
    again.setErr(new PrintWriter(refusal));
    again.setOut(new PrintWriter(new StringWriter()));
    assertEquals(ExitCodes.FAILED, again.execute("encode", "--model", other, "--input", input, "--output", output,
        "--master", "local[2]"));
    assertTrue(refusal.toString().startsWith("encode: error: output "), refusal.toString());
    assertTrue(refusal.toString().contains(ModelStore.load(model).fingerprint())
        && refusal.toString().contains(ModelStore.load(other).fingerprint()), refusal.toString());

    CommandLine corrupt = LopqCli.commandLine();
    StringWriter corruptErr = new StringWriter();
    corrupt.setErr(new PrintWriter(corruptErr));
    Files.writeString(dir.resolve("model").resolve(NativeModelFormat.ARRAY_FILE), "garbage");
    assertEquals(ExitCodes.FAILED, corrupt.execute("encode", "--model", model, "--input", input, "--output",
        dir.resolve("encoded2").toString(), "--master", "local[2]"));
    assertTrue(corruptErr.toString().contains(NativeModelFormat.ARRAY_FILE), corruptErr.toString());
    assertTrue(Files.notExists(dir.resolve("encoded2")));
  }
}
