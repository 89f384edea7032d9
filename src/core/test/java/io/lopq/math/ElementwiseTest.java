package io.lopq.math;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The Vector API loops give exactly the plain-Java ones' bits, at every length (tails shorter than a
 * vector included) and offset; checked whichever JIT the test JVM runs, by calling the vector class directly.
 */
class ElementwiseTest {
  private static final int[] LENGTHS = {0, 1, 3, 7, 8, 9, 15, 16, 17, 31, 33, 64, 98, 255, 256, 392, 393};

  @Test
  void residualVectorEqualsScalar() {
    Random random = new Random(5);
    for (int n : LENGTHS) {
      int xOffset = random.nextInt(9);
      int cOffset = random.nextInt(9);
      int muOffset = random.nextInt(9);
      int outOffset = random.nextInt(9);
      float[] x = gaussian(random, xOffset + n, 100);
      float[] c = gaussian(random, cOffset + n, 100);
      float[] mu = gaussian(random, muOffset + n, 1);
      float[] scalar = gaussian(random, outOffset + n + 3, 1);
      float[] vector = scalar.clone();
      Elementwise.scalarResidual(x, xOffset, c, cOffset, mu, muOffset, scalar, outOffset, n);
      ElementwiseVector.residual(x, xOffset, c, cOffset, mu, muOffset, vector, outOffset, n);
      assertArrayEquals(scalar, vector, "n=" + n); // bits: assertArrayEquals(float[]) compares floatToIntBits
      float[] chosen = vector.clone();
      Elementwise.residual(x, xOffset, c, cOffset, mu, muOffset, chosen, outOffset, n);
      assertArrayEquals(scalar, chosen, "n=" + n);
      for (int j = 0; j < n; j++) {
        assertEquals(x[xOffset + j] - c[cOffset + j] - mu[muOffset + j], scalar[outOffset + j]);
      }
    }
  }

  @Test
  void offsetSumVectorEqualsScalarAlsoInPlace() {
    Random random = new Random(6);
    for (int n : LENGTHS) {
      int sOffset = random.nextInt(9);
      int outOffset = random.nextInt(9);
      float y = (float) Math.abs(random.nextGaussian() * 50);
      float[] s = gaussian(random, sOffset + n, 1000);
      float[] norms = gaussian(random, n, 30);
      float[] scalar = new float[outOffset + n + 2];
      float[] vector = new float[outOffset + n + 2];
      Elementwise.scalarOffsetSum(s, sOffset, y, norms, scalar, outOffset, n);
      ElementwiseVector.offsetSum(s, sOffset, y, norms, vector, outOffset, n);
      assertArrayEquals(scalar, vector, "n=" + n);
      for (int k = 0; k < n; k++) {
        assertEquals(s[sOffset + k] + (y + norms[k]), scalar[outOffset + k]);
      }
      // In place, as io.lopq.search.AdcTables adds the norms to the product it holds.
      float[] inPlace = s.clone();
      ElementwiseVector.offsetSum(inPlace, sOffset, y, norms, inPlace, sOffset, n);
      float[] inPlaceScalar = s.clone();
      Elementwise.scalarOffsetSum(inPlaceScalar, sOffset, y, norms, inPlaceScalar, sOffset, n);
      assertArrayEquals(inPlaceScalar, inPlace, "in place, n=" + n);
    }
  }

  private static float[] gaussian(Random random, int n, double scale) {
    float[] a = new float[n];
    for (int i = 0; i < n; i++) {
      a[i] = (float) (random.nextGaussian() * scale);
    }
    return a;
  }
}
