package io.lopq.math;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The Vector API scans give exactly what the plain-Java ones give. */
class ArgminTest {
  @Test
  void theBuildsJvmHasTheVectorApi() {
    assertTrue(Argmin.VECTORIZED, "the tests run with conf/jvm-flags (--add-modules=jdk.incubator.vector)");
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
    assertEquals(13, Argmin.first(values, 0, 1f, norms, count));
    int[] out = new int[count];
    int n = Argmin.within(values, 0, 1f, norms, count, 5.5 + 1e-4, out);
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
    assertEquals(1, Argmin.within(values, 0, 1f, norms, 2, (double) f, out));
    assertEquals(0, Argmin.within(values, 0, 1f, norms, 2, (double) f - 1e-12, out));
    assertEquals(2, Argmin.within(values, 0, 1f, norms, 2, (double) Math.nextUp(f), out));
  }

  private static void check(float[] values, int offset, float scale, float[] norms, int count) {
    String what = "count " + count + ", scale " + scale;
    assertEquals(Argmin.scalarFirst(values, offset, scale, norms, count), Argmin.first(values, offset, scale, norms, count),
        what);
    float min = Argmin.scalarMin(values, offset, scale, norms, count);
    assertEquals(min, Argmin.min(values, offset, scale, norms, count), what);
    for (double margin : new double[] {0, 1e-6, 0.5}) {
      int[] expected = new int[count];
      int[] actual = new int[count];
      int n = Argmin.scalarWithin(values, offset, scale, norms, count, min + margin, expected);
      assertEquals(n, Argmin.within(values, offset, scale, norms, count, min + margin, actual), what);
      assertArrayEquals(Arrays.copyOf(expected, n), Arrays.copyOf(actual, n), what);
    }
  }
}
