package io.lopq.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lopq.format.vectors.TexmexLayout;
import io.lopq.io.vectors.IvecsReader;
import io.lopq.search.ExactSearcher;
import io.lopq.search.SearchResult;
import io.lopq.spark.common.SharedSpark;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.zip.GZIPOutputStream;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code lopq synth} and {@code lopq ground-truth} through the real command line, on small IDX images it writes. */
class SynthCommandTest {
  private static final int SIDE = 12;
  private static final int PIXELS = SIDE * SIDE;

  @TempDir static Path dir;
  private static String train;
  private static String test;

  @BeforeAll
  static void images() throws IOException {
    train = writeIdx(dir.resolve("train-images-idx3-ubyte.gz"), 60, 1);
    test = writeIdx(dir.resolve("t10k-images-idx3-ubyte"), 20, 2);
  }

  /** Random blobs as an IDX file of unsigned bytes (gzip when the name ends in .gz). */
  private static String writeIdx(Path file, int count, long seed) throws IOException {
    SplittableRandom random = new SplittableRandom(seed);
    try (OutputStream raw = Files.newOutputStream(file);
        DataOutputStream out = new DataOutputStream(file.toString().endsWith(".gz") ? new GZIPOutputStream(raw) : raw)) {
      out.writeInt(0x00000803);
      out.writeInt(count);
      out.writeInt(SIDE);
      out.writeInt(SIDE);
      for (int n = 0; n < count; n++) {
        double cx = 3 + random.nextDouble() * 6;
        double cy = 3 + random.nextDouble() * 6;
        double r = 2 + random.nextDouble() * 3;
        int level = 100 + random.nextInt(156);
        for (int y = 0; y < SIDE; y++) {
          for (int x = 0; x < SIDE; x++) {
            out.writeByte(Math.hypot(x - cx, y - cy) <= r ? level : 0);
          }
        }
      }
    }
    return file.toString();
  }

  private record Run(int code, String out, String err) {}

  private static Run lopq(String... args) {
    CommandLine commandLine = LopqCli.commandLine();
    java.io.StringWriter out = new java.io.StringWriter();
    java.io.StringWriter err = new java.io.StringWriter();
    commandLine.setOut(new java.io.PrintWriter(out));
    commandLine.setErr(new java.io.PrintWriter(err));
    int code = commandLine.execute(args);
    return new Run(code, out.toString(), err.toString());
  }

  private static float[] readVectors(Path file, TexmexLayout layout, int d) throws IOException {
    ByteBuffer bytes = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
    int rows = (int) (bytes.capacity() / layout.recordLength(d));
    float[] out = new float[rows * d];
    for (int r = 0; r < rows; r++) {
      assertEquals(d, bytes.getInt(), "record " + r);
      for (int j = 0; j < d; j++) {
        out[r * d + j] = layout == TexmexLayout.BVECS ? bytes.get() & 0xFF : bytes.getFloat();
      }
    }
    return out;
  }

  @Test
  void writesTheSameRowsWhateverTheThreadsAndCountAndBytesEqualFloats() throws IOException {
    Path a = dir.resolve("a.fvecs");
    Path b = dir.resolve("b.bvecs");
    Path c = dir.resolve("c.fvecs");
    Run one = lopq("synth", "--source", train, "--rows", "700", "--output", a.toString(), "--seed", "3",
        "--threads", "1");
    assertEquals(ExitCodes.OK, one.code(), one.err());
    assertTrue(one.out().contains("wrote 700 vectors of dimension 144"), one.out());
    Run three = lopq("synth", "--source", train, "--rows", "300", "--output", b.toString(), "--seed", "3",
        "--threads", "3");
    assertEquals(ExitCodes.OK, three.code(), three.err());
    float[] floats = readVectors(a, TexmexLayout.FVECS, PIXELS);
    assertEquals(700 * PIXELS, floats.length);
    assertArrayEquals(Arrays.copyOf(floats, 300 * PIXELS), readVectors(b, TexmexLayout.BVECS, PIXELS));
    Run other = lopq("synth", "--source", train, "--rows", "300", "--output", c.toString(), "--seed", "4");
    assertEquals(ExitCodes.OK, other.code(), other.err());
    assertFalse(Arrays.equals(Arrays.copyOf(floats, 300 * PIXELS), readVectors(c, TexmexLayout.FVECS, PIXELS)));

    Run again = lopq("synth", "--source", train, "--rows", "10", "--output", a.toString());
    assertEquals(ExitCodes.FAILED, again.code());
    assertTrue(again.err().contains("already exists"), again.err());
    Run bytesOfPca = lopq("synth", "--source", train, "--rows", "10", "--dimension", "8", "--output",
        dir.resolve("x.bvecs").toString());
    assertEquals(ExitCodes.USAGE, bytesOfPca.code());
    assertTrue(bytesOfPca.err().contains(".bvecs holds raw pixels only"), bytesOfPca.err());
  }

  @Test
  void projectedBaseQueriesAndTheirGroundTruth() throws IOException {
    Path base = dir.resolve("base16.fvecs");
    Path queries = dir.resolve("q16.fvecs");
    Path truth = dir.resolve("gt.ivecs");
    Run synth = lopq("synth", "--source", train, "--query-source", test, "--rows", "1000", "--output",
        base.toString(), "--queries", "30", "--queries-output", queries.toString(), "--dimension", "16");
    assertEquals(ExitCodes.OK, synth.code(), synth.err());
    assertTrue(synth.out().contains("fitted a PCA to 16 dimensions on 60 images"), synth.out());
    float[] b = readVectors(base, TexmexLayout.FVECS, 16);
    float[] q = readVectors(queries, TexmexLayout.FVECS, 16);
    assertEquals(1000 * 16, b.length);
    assertEquals(30 * 16, q.length);

    SharedSpark.session();
    Run gt = lopq("ground-truth", "--master", "local[" + SharedSpark.THREADS + "]", "--base", base.toString(),
        "--queries", queries.toString(), "--output", truth.toString(), "--k", "20", "--query-count", "25",
        "--min-partitions", "3");
    assertEquals(ExitCodes.OK, gt.code(), gt.err());
    assertTrue(gt.out().contains("exact 20 nearest of 25 queries among 1000 base vectors (D=16)"), gt.out());
    List<int[]> rows = IvecsReader.readAll(truth.toUri().toString(), new Configuration());
    SearchResult[] expected = new ExactSearcher(b, 1000, 16).search(q, 25, 20);
    assertEquals(25, rows.size());
    for (int i = 0; i < 25; i++) {
      long[] got = new long[20];
      for (int j = 0; j < 20; j++) {
        got[j] = rows.get(i)[j];
      }
      assertArrayEquals(expected[i].ids(), got, "query " + i);
    }
  }
}
