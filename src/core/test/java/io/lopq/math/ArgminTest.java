package io.lopq.math;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The Vector API scans give exactly what the plain-Java ones give (checked under any JIT). */
class ArgminTest {
  @Test
  void vectorCodeOnlyWithTheModuleAndC2() {
    // The build's test JVMs have the module (conf/jvm-flags) but run C1 only (-XX:TieredStopAtLevel=1).
    boolean c1Only = java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments()
        .contains("-XX:TieredStopAtLevel=1");
    assertEquals(!c1Only, Argmin.hasC2());
    assertEquals(Argmin.hasC2() && !Boolean.getBoolean(Argmin.SCALAR_PROPERTY), Argmin.VECTORIZED);
    assertTrue(ArgminVector.lanes() > 1, "the module is present");
  }

  @Test
  void vectorEqualsScalarOnRandomScores() {
    Random random = new Random(11);
    for (int count : new int[] {0, 1, 3, 7, 8, 9, 15, 16, 17, 31, 63, 64, 65, 100, 256}) {
      for (float scale : new float[] {1f, -2f}) {
        int offset = random.nextInt(5);
        float[] values = new float[offset + count];
        float[] norms = new float[count];
        for (int i = 0; i < values.length; i++) {
          values[i] = (float) random.nextGaussian();
        }
        for (int i = 0; i < count; i++) {
          norms[i] = (float) (3 + random.nextGaussian());
        }
        check(values, offset, scale, norms, count);
      }
    }
  }

  @Test
  void tiesGoToTheFirstIndexAndNearTiesAreAllFound() {
    int count = 40;
    float[] values = new float[count];
    float[] norms = new float[count];
    Arrays.fill(values, 1f);
    Arrays.fill(norms, 5f);
    values[13] = 0.5f; // score 5.5 at 13, 29 and 37; 6 elsewhere (scale 1)
    values[29] = 0.5f;
    values[37] = 0.5f;
    values[30] = 0.50001f;
    check(values, 0, 1f, norms, count);
    assertEquals(13, ArgminVector.first(values, 0, 1f, norms, count));
    int[] out = new int[count];
    int n = ArgminVector.within(values, 0, 1f, norms, count, 5.5 + 1e-4, out);
    assertArrayEquals(new int[] {13, 29, 30, 37}, Arrays.copyOf(out, n));
  }

  @Test
  void aDoubleLimitIsComparedExactly() {
    float f = 1.1f;
    assertEquals(f, Argmin.floatAtMost(f));
    assertEquals(Math.nextDown(f), Argmin.floatAtMost((double) f - 1e-12));
    float[] values = {0f, 0f};
    float[] norms = {f, Math.nextUp(f)};
    int[] out = new int[2];
    assertEquals(1, ArgminVector.within(values, 0, 1f, norms, 2, (double) f, out));
    assertEquals(0, ArgminVector.within(values, 0, 1f, norms, 2, (double) f - 1e-12, out));
    assertEquals(2, ArgminVector.within(values, 0, 1f, norms, 2, (double) Math.nextUp(f), out));
  }

  private static void check(float[] values, int offset, float scale, float[] norms, int count) {
    String what = "count " + count + ", scale " + scale;
    int first = Argmin.scalarFirst(values, offset, scale, norms, count);
    assertEquals(first, ArgminVector.first(values, offset, scale, norms, count), what);
    assertEquals(first, Argmin.first(values, offset, scale, norms, count), what);
    float min = Argmin.scalarMin(values, offset, scale, norms, count);
    assertEquals(min, ArgminVector.min(values, offset, scale, norms, count), what);
    for (double margin : new double[] {0, 1e-6, 0.5}) {
      int[] expected = new int[count];
      int[] actual = new int[count];
      int n = Argmin.scalarWithin(values, offset, scale, norms, count, min + margin, expected);
      assertEquals(n, ArgminVector.within(values, offset, scale, norms, count, min + margin, actual), what);
      assertArrayEquals(Arrays.copyOf(expected, n), Arrays.copyOf(actual, n), what);
    }
  }
}
