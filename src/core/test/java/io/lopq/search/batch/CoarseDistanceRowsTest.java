package io.lopq.search.batch;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.lopq.model.LopqModel;
import io.lopq.model.RandomModels;
import io.lopq.search.CoarseDistances;
import java.util.Random;
import org.junit.jupiter.api.Test;

class CoarseDistanceRowsTest {
  @Test
  void equalsCoarseDistancesBitForBitForEveryV() {
    for (int v : new int[] {1, 3, 4, 7, 9}) {
      LopqModel model = RandomModels.create(new Random(v), 20, v, 4, 8, 3.0, 1.0);
      float[] queries = RandomModels.clusteredVectors(new Random(100 + v), model, 6, 2.0);
      float[] expected = new float[v];
      float[] actual = new float[v];
      for (int q = 0; q < 6; q++) {
        for (int h = 0; h < 2; h++) {
          CoarseDistances.compute(model, queries, q * 20, h, expected);
          CoarseDistanceRows.compute(model, queries, q * 20, h, actual);
          for (int i = 0; i < v; i++) {
            assertEquals(Float.floatToIntBits(expected[i]), Float.floatToIntBits(actual[i]),
                "V=" + v + " query " + q + " half " + h + " centroid " + i);
          }
        }
      }
    }
  }
}
