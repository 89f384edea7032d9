package io.lopq.encode;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lopq.model.RandomModels;
import io.lopq.model.LopqCode;
import io.lopq.model.LopqModel;
import java.util.Random;
import org.junit.jupiter.api.Test;

class BatchEncoderTest {
  private static final int ROWS = 1500;

  @Test
  void batchCodesEqualReferenceCodesOnClusteredData() {
    LopqModel model = RandomModels.create(new Random(1), 64, 16, 8, 256, 3.0, 1.0);
    float[] rows = RandomModels.clusteredVectors(new Random(2), model, ROWS, 1.0);
    assertSameCodesAsReference(model, rows, ROWS, BatchEncoder.DEFAULT_BLOCK_ROWS);
  }

  @Test
  void localCodebooksGiveTheReferenceCodesAndDecodes() {
    LopqModel model = RandomModels.withLocalCodebooks(new Random(11),
        RandomModels.create(new Random(12), 32, 8, 4, 64, 3.0, 1.0), 0.7);
    float[] rows = RandomModels.clusteredVectors(new Random(13), model, 900, 1.0);
    assertSameCodesAsReference(model, rows, 900, 128);
    assertSameCodesAsReference(model, rows, 50, 1);
    LopqEncoder reference = new LopqEncoder(model);
    BatchEncoder encoder = new BatchEncoder(model, 64);
    EncodedBatch codes = encoder.encode(rows, 900);
    float[] decoded = encoder.decode(codes);
    LopqModel shared = model.withLocalCodebooks(null);
    float[] sharedDecoded = new BatchEncoder(shared, 64).decode(codes);
    boolean differs = false;
    for (int i = 0; i < 900; i++) {
      float[] xhat = reference.decode(codes.code(i));
      for (int j = 0; j < 32; j++) {
        assertEquals(xhat[j], decoded[i * 32 + j], 1e-4 * (1 + Math.abs(xhat[j])), "row " + i + " index " + j);
        differs |= Math.abs(xhat[j] - sharedDecoded[i * 32 + j]) > 1e-3;
      }
    }
    assertTrue(differs, "decoding must use the cells' own codebooks, not the shared ones");
  }

  @Test
  void batchCodesEqualReferenceCodesAcrossSmallBlocks() {
    LopqModel model = RandomModels.create(new Random(3), 32, 8, 4, 16, 1.0, 1.0);
    float[] rows = RandomModels.gaussian(new Random(4), 700 * 32, 1.5);
    assertSameCodesAsReference(model, rows, 700, 37);
    assertSameCodesAsReference(model, rows, 200, 1);
  }

  @Test
  void nearTiesAreSettledAsTheReferenceSettlesThem() {
    // Rows halfway between two coarse centroids, and data far from the origin (where the expanded
    // distance cancels badly): both force near ties that the fast path alone could get wrong.
    LopqModel model = RandomModels.create(new Random(5), 32, 8, 4, 64, 2.0, 1.0);
    int half = model.halfDimension();
    int n = 600;
    Random random = new Random(6);
    float[] rows = new float[n * 32];
    for (int r = 0; r < n; r++) {
      for (int h = 0; h < LopqModel.HALVES; h++) {
        int a = random.nextInt(8);
        int b = random.nextInt(8);
        float[] c = model.coarseCentroids(h);
        for (int j = 0; j < half; j++) {
          float jitter = r % 2 == 0 ? 0f : (float) (1e-6 * random.nextGaussian());
          rows[r * 32 + h * half + j] = 0.5f * (c[a * half + j] + c[b * half + j]) + jitter;
        }
      }
    }
    BatchEncoder encoder = assertSameCodesAsReference(model, rows, n, BatchEncoder.DEFAULT_BLOCK_ROWS);
    assertTrue(encoder.nearTiesResolved() > 0, "midpoint rows must exercise the near-tie path");

    float[] far = RandomModels.gaussian(new Random(7), n * 32, 1.0);
    for (int i = 0; i < far.length; i++) {
      far[i] += 300f;
    }
    assertSameCodesAsReference(model, far, n, BatchEncoder.DEFAULT_BLOCK_ROWS);
  }

  @Test
  void batchDecodeEqualsReferenceDecode() {
    LopqModel model = RandomModels.create(new Random(8), 48, 6, 6, 32, 2.0, 1.0);
    LopqEncoder reference = new LopqEncoder(model);
    EncodedBatch codes = randomCodes(model, new Random(9), 900);
    float[] decoded = new BatchEncoder(model, 100).decode(codes);
    for (int i = 0; i < codes.size(); i++) {
      float[] expected = reference.decode(codes.code(i));
      for (int j = 0; j < expected.length; j++) {
        assertEquals(expected[j], decoded[i * 48 + j], 1e-4 * (1 + Math.abs(expected[j])),
            "row " + i + " coordinate " + j);
      }
    }
  }

  @Test
  void decodingAnEncodingGivesTheReconstruction() {
    LopqModel model = RandomModels.create(new Random(10), 40, 8, 4, 64, 2.0, 1.0);
    LopqEncoder reference = new LopqEncoder(model);
    BatchEncoder encoder = new BatchEncoder(model);
    int n = 400;
    float[] rows = RandomModels.clusteredVectors(new Random(11), model, n, 1.0);
    float[] reconstructed = encoder.decode(encoder.encode(rows, n));
    double distortion = 0;
    float[] x = new float[40];
    for (int i = 0; i < n; i++) {
      System.arraycopy(rows, i * 40, x, 0, 40);
      float[] expected = reference.decode(reference.encode(x));
      for (int j = 0; j < 40; j++) {
        assertEquals(expected[j], reconstructed[i * 40 + j], 1e-4 * (1 + Math.abs(expected[j])));
        double diff = x[j] - reconstructed[i * 40 + j];
        distortion += diff * diff;
      }
    }
    assertEquals(reference.distortion(rows, n), distortion / n, 1e-4 * reference.distortion(rows, n));
  }

  @Test
  void reEncodingAReconstructionGivesTheSameCode() {
    // Centroids far apart next to the residuals: a reconstruction's residual is exactly a codeword,
    // so encoding it must give back its code.
    LopqModel model = RandomModels.create(new Random(12), 32, 8, 4, 256, 20.0, 1.0);
    BatchEncoder encoder = new BatchEncoder(model);
    EncodedBatch codes = randomCodes(model, new Random(13), 1000);
    float[] reconstructions = encoder.decode(codes);
    EncodedBatch again = encoder.encode(reconstructions, codes.size());
    for (int i = 0; i < codes.size(); i++) {
      assertEquals(codes.code(i), again.code(i), "row " + i);
    }
  }

  @Test
  void appendAndArrayOfRowsAgreeWithEncode() {
    LopqModel model = RandomModels.create(new Random(14), 16, 4, 4, 16, 2.0, 1.0);
    BatchEncoder encoder = new BatchEncoder(model, 8);
    float[] rows = RandomModels.clusteredVectors(new Random(15), model, 50, 1.0);
    EncodedBatch whole = encoder.encode(rows, 50);
    EncodedBatch pieces = new EncodedBatch(4, 0);
    encoder.append(rows, 20, pieces);
    encoder.append(java.util.Arrays.copyOfRange(rows, 20 * 16, 50 * 16), 30, pieces);
    float[][] vectors = new float[50][];
    for (int i = 0; i < 50; i++) {
      vectors[i] = java.util.Arrays.copyOfRange(rows, i * 16, (i + 1) * 16);
    }
    EncodedBatch fromArrays = encoder.encode(vectors);
    assertEquals(50, pieces.size());
    for (int i = 0; i < 50; i++) {
      assertEquals(whole.code(i), pieces.code(i), "appended row " + i);
      assertEquals(whole.code(i), fromArrays.code(i), "array row " + i);
    }
  }

  @Test
  void badInputsNameTheRowAndTheProblem() {
    LopqModel model = RandomModels.create(new Random(16), 16, 4, 4, 16, 2.0, 1.0);
    BatchEncoder encoder = new BatchEncoder(model);
    float[] rows = RandomModels.gaussian(new Random(17), 5 * 16, 1.0);
    rows[3 * 16 + 5] = Float.NaN;
    EncodedBatch out = new EncodedBatch(4, 0);
    IllegalArgumentException nan = assertThrows(IllegalArgumentException.class, () -> encoder.encode(rows, 5, out));
    assertTrue(nan.getMessage().contains("row 3") && nan.getMessage().contains("NaN")
        && nan.getMessage().contains("index 5"), nan.getMessage());
    assertEquals(0, out.size(), "a failed call leaves the batch unchanged");

    rows[3 * 16 + 5] = Float.POSITIVE_INFINITY;
    IllegalArgumentException inf = assertThrows(IllegalArgumentException.class, () -> encoder.encode(rows, 5));
    assertTrue(inf.getMessage().contains("row 3") && inf.getMessage().contains("Infinity"), inf.getMessage());

    IllegalArgumentException shortBuffer = assertThrows(IllegalArgumentException.class,
        () -> encoder.encode(new float[5 * 16 - 1], 5));
    assertTrue(shortBuffer.getMessage().contains("5 x 16"), shortBuffer.getMessage());

    float[][] vectors = {new float[16], new float[16], new float[15]};
    IllegalArgumentException dimension = assertThrows(IllegalArgumentException.class, () -> encoder.encode(vectors));
    assertTrue(dimension.getMessage().contains("row 2") && dimension.getMessage().contains("dimension 15")
        && dimension.getMessage().contains("16"), dimension.getMessage());

    IllegalArgumentException wrongM = assertThrows(IllegalArgumentException.class,
        () -> encoder.encode(new float[16], 1, new EncodedBatch(6, 1)));
    assertTrue(wrongM.getMessage().contains("M=4"), wrongM.getMessage());

    EncodedBatch bad = new EncodedBatch(4, 1);
    bad.add(new LopqCode(1, 9, new byte[4]));
    IllegalArgumentException badCode = assertThrows(IllegalArgumentException.class, () -> encoder.decode(bad));
    assertTrue(badCode.getMessage().contains("coarse index 9"), badCode.getMessage());
  }

  private static BatchEncoder assertSameCodesAsReference(LopqModel model, float[] rows, int n, int blockRows) {
    LopqEncoder reference = new LopqEncoder(model);
    BatchEncoder encoder = new BatchEncoder(model, blockRows);
    EncodedBatch codes = encoder.encode(rows, n);
    assertEquals(n, codes.size());
    int d = model.dimension();
    for (int i = 0; i < n; i++) {
      float[] x = java.util.Arrays.copyOfRange(rows, i * d, (i + 1) * d);
      assertEquals(reference.encode(x), codes.code(i), "row " + i);
    }
    // Encoding again with the same (reused) scratch gives the same codes.
    EncodedBatch again = encoder.encode(rows, n, new EncodedBatch(model.subquantizers(), 1));
    assertArrayEquals(java.util.Arrays.copyOf(codes.fineArray(), n * model.subquantizers()),
        java.util.Arrays.copyOf(again.fineArray(), n * model.subquantizers()));
    return encoder;
  }

  static EncodedBatch randomCodes(LopqModel model, Random random, int n) {
    EncodedBatch codes = new EncodedBatch(model.subquantizers(), n);
    byte[] fine = new byte[model.subquantizers()];
    for (int i = 0; i < n; i++) {
      for (int m = 0; m < fine.length; m++) {
        fine[m] = (byte) random.nextInt(model.subquantizerClusters());
      }
      codes.add(new LopqCode(random.nextInt(model.coarseClusters()), random.nextInt(model.coarseClusters()), fine));
    }
    return codes;
  }
}
