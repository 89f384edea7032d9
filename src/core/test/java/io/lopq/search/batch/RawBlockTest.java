package io.lopq.search.batch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lopq.format.vectors.InvalidInputException;
import java.util.Random;
import org.junit.jupiter.api.Test;

class RawBlockTest {
  private static final int D = 13;

  private static float[] vector(Random random) {
    float[] v = new float[D];
    for (int j = 0; j < D; j++) {
      v[j] = (float) random.nextGaussian();
    }
    return v;
  }

  @Test
  void batchedDistancesAreTheSequentialSumsBitForBit() {
    Random random = new Random(1);
    RawBlock.Builder builder = new RawBlock.Builder(D);
    float[][] vectors = new float[11][];
    for (int i = 0; i < vectors.length; i++) {
      vectors[i] = vector(random);
      builder.add(100 - 7L * i, vectors[i]);
    }
    RawBlock block = builder.build();
    float[] query = vector(random);
    long[] ids = {100, 37, 93, 51, 86, 30, 100};
    double[] out = new double[ids.length];
    block.distances(query, ids, out);
    for (int i = 0; i < ids.length; i++) {
      int row = (int) ((100 - ids[i]) / 7);
      double expected = 0;
      for (int j = 0; j < D; j++) {
        double diff = (double) query[j] - vectors[row][j];
        expected += diff * diff;
      }
      assertEquals(Double.doubleToLongBits(expected), Double.doubleToLongBits(out[i]), "id " + ids[i]);
      assertEquals(expected, block.distance(query, ids[i]));
    }
  }

  @Test
  void aMissingOrRepeatedIdIsAnInputError() {
    RawBlock block = new RawBlock.Builder(D).add(1, new float[D]).build();
    InvalidInputException missing = assertThrows(InvalidInputException.class,
        () -> block.distances(new float[D], new long[] {1, 2}, new double[2]));
    assertTrue(missing.getMessage().contains("id 2"), missing.getMessage());
    RawBlock.Builder twice = new RawBlock.Builder(D).add(5, new float[D]).add(5, new float[D]);
    InvalidInputException repeated = assertThrows(InvalidInputException.class, twice::build);
    assertTrue(repeated.getMessage().contains("id 5 more than once"), repeated.getMessage());
    assertThrows(InvalidInputException.class, () -> new RawBlock.Builder(D).add(1, new float[D + 1]));
  }
}
