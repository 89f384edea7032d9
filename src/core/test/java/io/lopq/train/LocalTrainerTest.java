package io.lopq.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lopq.encode.LopqEncoder;
import io.lopq.math.KMeans;
import io.lopq.math.LocalRotation;
import io.lopq.math.Moments;
import io.lopq.model.CodebookScope;
import io.lopq.model.LopqModel;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LocalTrainerTest {
  private static final int N = 2000;
  private static final int D = 16;
  private static final int TRUE_CLUSTERS = 4;
  private static final int K = 16;
  private static final float[] DATA = AnisotropicClusters.generate(N, D, TRUE_CLUSTERS, 2024);

  private static TrainingParams.Builder params(int m) {
    return TrainingParams.builder(TRUE_CLUSTERS, m).subquantizerClusters(K).seed(7);
  }

  private static double distortion(LopqModel model) {
    return ((Number) model.metadata().statistics().get("distortion")).doubleValue();
  }

  private static double stat(LopqModel model, String name) {
    return ((Number) model.metadata().statistics().get(name)).doubleValue();
  }

  @Test
  void recordedDistortionMatchesTheReferenceEncoderAndRotationsAreOrthonormal() {
    LopqModel model = new LocalTrainer(params(4).build()).train(DATA, N, D);
    double reference = new LopqEncoder(model).distortion(DATA, N);
    assertEquals(reference, distortion(model), 1e-4 * reference);
    int half = D / 2;
    for (int h = 0; h < 2; h++) {
      for (int c = 0; c < model.coarseClusters(); c++) {
        float[] r = model.rotations(h);
        int offset = model.rotationOffset(c);
        for (int a = 0; a < half; a++) {
          for (int b = 0; b < half; b++) {
            double dot = 0;
            for (int j = 0; j < half; j++) {
              dot += (double) r[offset + a * half + j] * r[offset + b * half + j];
            }
            assertEquals(a == b ? 1 : 0, dot, 1e-5, "R R^T of half " + h + " cluster " + c);
          }
        }
      }
    }
    // Each step lowers the distortion: coarse residuals, then minus the means, then quantized.
    // (up to float rounding in the rotation: the means of converged k-means residuals are ~0)
    assertTrue(stat(model, "distortionAfterRotations") <= stat(model, "distortionAfterCoarse") * (1 + 1e-6),
        model.metadata().statistics().toString());
    assertTrue(stat(model, "distortionAfterSubquantizers") < stat(model, "distortionAfterRotations"));
  }

  @Test
  void distortionFallsAsMGrows() {
    double previous = Double.POSITIVE_INFINITY;
    for (int m : new int[] {2, 4, 8}) {
      double d = distortion(new LocalTrainer(params(m).build()).train(DATA, N, D));
      assertTrue(d < previous, "M=" + m + " gave " + d + ", not below " + previous);
      previous = d;
    }
  }

  @Test
  void localRotationsBeatPlainProductQuantizationOnAnisotropicData() {
    double lopq = distortion(new LocalTrainer(params(4).build()).train(DATA, N, D));
    LopqModel plain = new LocalTrainer(params(4).useRotations(false).build()).train(DATA, N, D);
    double pq = distortion(plain);
    assertTrue(lopq < 0.8 * pq, "LOPQ " + lopq + " should be well below plain PQ " + pq);
    assertEquals(Map.of("LOCAL", 0, "FALLBACK", 0, "IDENTITY", TRUE_CLUSTERS, "SHRUNK", 0),
        ((List<?>) plain.metadata().statistics().get("rotationSources")).get(0));
  }

  @Test
  void sameSeedGivesTheSameModelWhateverTheParallelism() {
    LopqModel a = new LocalTrainer(params(4).build()).train(DATA, N, D);
    LopqModel b = new LocalTrainer(params(4).parallelism(2).build()).train(DATA, N, D);
    assertEquals(a.fingerprint(), b.fingerprint());
    assertEquals(a.metadata().statistics(), b.metadata().statistics());
    assertEquals(7L, a.metadata().seed());
    LopqModel c = new LocalTrainer(params(4).seed(8).build()).train(DATA, N, D);
    assertNotEquals(a.fingerprint(), c.fingerprint());
  }

  @Test
  void refinementNeverRaisesTheDistortion() {
    LopqModel plain = new LocalTrainer(params(4).build()).train(DATA, N, D);
    LopqModel refined = new LocalTrainer(params(4).refineIterations(3).build()).train(DATA, N, D);
    assertTrue(distortion(refined) <= distortion(plain), distortion(refined) + " > " + distortion(plain));
    List<?> history = (List<?>) refined.metadata().statistics().get("refineDistortions");
    assertTrue(!history.isEmpty());
    double previous = stat(refined, "distortionAfterSubquantizers");
    for (Object d : history) {
      double value = ((Number) d).doubleValue();
      assertTrue(value <= previous, "refinement round raised the distortion: " + history);
      previous = value;
    }
    // The public refine on an existing model is never worse on the same data, as measured by the encoder.
    LopqModel again = new LocalTrainer(params(4).refineIterations(2).build()).refine(plain, DATA, N);
    double before = new LopqEncoder(plain).distortion(DATA, N);
    double after = new LopqEncoder(again).distortion(DATA, N);
    assertTrue(after <= before * (1 + 1e-5), after + " > " + before);
  }

  @Test
  void localCodebooksLowerTheDistortionAndTheMetadataSaysSo() {
    LopqModel global = new LocalTrainer(params(4).build()).train(DATA, N, D);
    LopqModel local = new LocalTrainer(params(4).codebooks(CodebookScope.LOCAL).build()).train(DATA, N, D);
    assertTrue(local.hasLocalCodebooks());
    assertEquals(CodebookScope.LOCAL, local.codebookScope());
    assertEquals("LOCAL", local.metadata().parameters().get("codebooks"));
    assertEquals("LOCAL", local.metadata().statistics().get("codebooks"));
    // The steps before the local codebooks are those of the global model.
    assertEquals(global.fingerprint(), local.withLocalCodebooks(null).fingerprint());
    // Recorded distortion = the reference encoder's; never above the shared codebooks', and here clearly below.
    double reference = new LopqEncoder(local).distortion(DATA, N);
    assertTrue(reference <= distortion(local) * (1 + 1e-5), reference + " > " + distortion(local));
    assertEquals(distortion(global), stat(local, "distortionBeforeLocalCodebooks"), 1e-9 * distortion(global));
    assertTrue(distortion(local) < 0.95 * distortion(global), distortion(local) + " vs " + distortion(global));
    // Cells differ from the shared codebook and from each other.
    assertNotEquals(java.util.Arrays.toString(local.codebook(0, 0)), java.util.Arrays.toString(local.codebook(0)));
    assertNotEquals(java.util.Arrays.toString(local.codebook(0, 0)), java.util.Arrays.toString(local.codebook(0, 1)));
  }

  @Test
  void cellsLargerThanTheSampleCapAreFittedOnASampleAndMeasuredOnAllTheirRows() {
    LopqModel local = new LocalTrainer(params(4).codebooks(CodebookScope.LOCAL).maxSubquantizerSamples(200).build())
        .train(DATA, N, D);
    double reference = new LopqEncoder(local).distortion(DATA, N);
    assertTrue(reference <= distortion(local) * (1 + 1e-5), reference + " > " + distortion(local));
    assertTrue(distortion(local) < stat(local, "distortionBeforeLocalCodebooks"), local.metadata().statistics()
        .toString());
  }

  @Test
  void localCodebooksOfTheSameSeedAreTheSameWhateverTheParallelism() {
    TrainingParams.Builder b = params(4).codebooks(CodebookScope.LOCAL);
    LopqModel a = new LocalTrainer(b.build()).train(DATA, N, D);
    LopqModel again = new LocalTrainer(b.parallelism(3).build()).train(DATA, N, D);
    assertEquals(a.fingerprint(), again.fingerprint());
    assertEquals(a.metadata().statistics(), again.metadata().statistics());
    LopqModel other = new LocalTrainer(params(4).seed(8).codebooks(CodebookScope.LOCAL).build()).train(DATA, N, D);
    assertNotEquals(a.fingerprint(), other.fingerprint());
  }

  @Test
  void noShrinkageFitsTheCellsCloserAndMoreShrinkageStaysNearTheSharedCodebooks() {
    double none = distortion(new LocalTrainer(params(4).codebooks(CodebookScope.LOCAL).codebookPriorRows(0).build())
        .train(DATA, N, D));
    double some = distortion(new LocalTrainer(params(4).codebooks(CodebookScope.LOCAL).build()).train(DATA, N, D));
    double heavy = distortion(new LocalTrainer(params(4).codebooks(CodebookScope.LOCAL).codebookPriorRows(10_000)
        .build()).train(DATA, N, D));
    double shared = distortion(new LocalTrainer(params(4).build()).train(DATA, N, D));
    assertTrue(none <= some && some <= heavy && heavy <= shared, none + ", " + some + ", " + heavy + ", " + shared);
  }

  @Test
  void refinementWithLocalCodebooksNeverRaisesTheDistortion() {
    LopqModel local = new LocalTrainer(params(4).codebooks(CodebookScope.LOCAL).build()).train(DATA, N, D);
    LopqModel refined = new LocalTrainer(params(4).codebooks(CodebookScope.LOCAL).refineIterations(2).build())
        .train(DATA, N, D);
    assertTrue(refined.hasLocalCodebooks());
    List<?> history = (List<?>) refined.metadata().statistics().get("refineDistortions");
    double previous = stat(refined, "distortionAfterSubquantizers");
    for (Object d : history) {
      double value = ((Number) d).doubleValue();
      assertTrue(value <= previous, "refinement round raised the distortion: " + history);
      previous = value;
    }
    assertTrue(stat(refined, "distortionAfterLocalCodebooks") <= stat(refined, "distortionBeforeLocalCodebooks"));
    // Refining an existing local model is never worse on the same data.
    LopqModel again = new LocalTrainer(params(4).codebooks(CodebookScope.LOCAL).refineIterations(1).build())
        .refine(local, DATA, N);
    assertTrue(again.hasLocalCodebooks());
    double before = new LopqEncoder(local).distortion(DATA, N);
    double after = new LopqEncoder(again).distortion(DATA, N);
    assertTrue(after <= before * (1 + 1e-5), after + " > " + before);
  }

  @Test
  void smallClustersTakeTheFallbackAndTheMetadataSaysSo() {
    // Four large clusters per half plus a few far-away points that form a tiny fifth cluster.
    int outliers = 5;
    int n = N + outliers;
    float[] data = java.util.Arrays.copyOf(DATA, n * D);
    for (int i = N; i < n; i++) {
      for (int j = 0; j < D; j++) {
        data[i * D + j] = 200f + (i - N) * 0.5f + j;
      }
    }
    for (TrainingParams.RotationFallback fallback : TrainingParams.RotationFallback.values()) {
      LopqModel model = new LocalTrainer(TrainingParams.builder(TRUE_CLUSTERS + 1, 4).subquantizerClusters(K)
          .seed(3).rotationFallback(fallback).rotationPriorRows(0).build()).train(data, n, D);
      Map<String, Object> stats = model.metadata().statistics();
      assertEquals(List.of(1, 1), stats.get("smallClusters"), "stats: " + stats);
      assertEquals(fallback.name(), stats.get("rotationFallback"));
      Map<?, ?> sources = (Map<?, ?>) ((List<?>) stats.get("rotationSources")).get(0);
      String expected = fallback == TrainingParams.RotationFallback.GLOBAL ? "FALLBACK" : "IDENTITY";
      assertEquals(1, sources.get(expected), "sources: " + sources);
      assertEquals(TRUE_CLUSTERS, sources.get("LOCAL"), "sources: " + sources);
      Map<?, ?> sizes = (Map<?, ?>) ((List<?>) stats.get("clusterSizes")).get(0);
      assertEquals(outliers, sizes.get("min"));
      if (fallback == TrainingParams.RotationFallback.IDENTITY) {
        int tiny = tinyCluster(model, data, n);
        int half = D / 2;
        for (int a = 0; a < half; a++) {
          for (int b = 0; b < half; b++) {
            assertEquals(a == b ? 1f : 0f, model.rotations(0)[model.rotationOffset(tiny) + a * half + b]);
          }
        }
      }
    }
  }

  @Test
  void withShrinkageSmallClustersAreFittedOnShrunkMomentsAndTheMetadataSaysSo() {
    int outliers = 5;
    int n = N + outliers;
    float[] data = java.util.Arrays.copyOf(DATA, n * D);
    for (int i = N; i < n; i++) {
      for (int j = 0; j < D; j++) {
        data[i * D + j] = 200f + (i - N) * 0.5f + j;
      }
    }
    TrainingParams params = TrainingParams.builder(TRUE_CLUSTERS + 1, 4).subquantizerClusters(K).seed(3).build();
    assertEquals(D / 8, params.rotationPriorRows(D), "shrinkage is on by default, D/8 pseudo-rows");
    LopqModel model = new LocalTrainer(params).train(data, n, D);
    Map<String, Object> stats = model.metadata().statistics();
    Map<?, ?> sources = (Map<?, ?>) ((List<?>) stats.get("rotationSources")).get(0);
    assertEquals(1, sources.get("SHRUNK"), "sources: " + sources);
    assertEquals(0, sources.get("FALLBACK"), "sources: " + sources);
    assertEquals(TRUE_CLUSTERS, sources.get("LOCAL"), "sources: " + sources);
    assertEquals(D / 8, stats.get("rotationPriorRows"));
    // The tiny cluster's rotation is orthonormal and differs from the hard fallback's (the half's).
    int tiny = tinyCluster(model, data, n);
    int half = D / 2;
    float[] rotation = java.util.Arrays.copyOfRange(model.rotations(0), model.rotationOffset(tiny),
        model.rotationOffset(tiny) + half * half);
    io.lopq.math.TestMatrices.assertOrthonormalRows(rotation, half, 1e-4);
    LopqModel hard = new LocalTrainer(params.toBuilder().rotationPriorRows(0).build()).train(data, n, D);
    assertNotEquals(hard.fingerprint(), model.fingerprint());
  }

  @Test
  void autoCoarseClustersAreChosenFromTheRowsAndRecorded() {
    TrainingParams auto = TrainingParams.builder().subquantizers(4).subquantizerClusters(K).seed(3).build();
    assertTrue(auto.autoCoarseClusters());
    LopqModel model = new LocalTrainer(auto).train(DATA, N, D);
    int chosen = CoarseClusterRule.choose(N, D);
    assertEquals(chosen, model.coarseClusters());
    assertEquals(chosen, model.metadata().parameters().get("V"));
    assertEquals(CoarseClusterRule.DESCRIPTION, model.metadata().parameters().get("coarseClustersRule"));
    LopqModel given = new LocalTrainer(auto.toBuilder().coarseClusters(chosen).build()).train(DATA, N, D);
    assertEquals(given.fingerprint(), model.fingerprint(), "auto V trains the same model as that V given");
  }

  private static int tinyCluster(LopqModel model, float[] data, int n) {
    float[] half0 = LocalTrainer.half(data, n, D, 0);
    int[] assigned = KMeans.assign(model.coarseCentroids(0), model.coarseClusters(), half0, n, D / 2);
    return assigned[n - 1];
  }

  @Test
  void clusterRotationFromMomentsMatchesTheTrainer() {
    LocalTrainer trainer = new LocalTrainer(params(4).build());
    int half = D / 2;
    float[] half0 = LocalTrainer.half(DATA, N, D, 0);
    var coarse = trainer.trainCoarseHalf(half0, N, half, 0);
    float[] residuals = LocalTrainer.residuals(half0, N, half, coarse.centroids(), coarse.assignments());
    LocalRotation[] rotations = trainer.trainRotations(residuals, coarse.assignments(), N, half);
    // What a distributed job does: aggregate moments of one cluster, then fit.
    Moments moments = new Moments(half);
    for (int i = 0; i < N; i++) {
      if (coarse.assignments()[i] == 2) {
        moments.add(residuals, i * half);
      }
    }
    Moments all = Moments.ofRows(residuals, N, half);
    LocalRotation fromMoments = trainer.clusterRotation(moments, null, all);
    assertEquals(LocalRotation.Source.LOCAL, fromMoments.source());
    for (int t = 0; t < half * half; t++) {
      assertEquals(rotations[2].rotation()[t], fromMoments.rotation()[t], 1e-4f);
    }
  }

  @Test
  void thePublicStepsComposeToTheSameModelAsTrain() {
    LocalTrainer trainer = new LocalTrainer(params(4).build());
    LopqModel trained = trainer.train(DATA, N, D);
    int half = D / 2;
    float[][] centroids = new float[2][];
    LocalRotation[][] rotations = new LocalRotation[2][];
    float[][] rotated = new float[2][];
    for (int h = 0; h < 2; h++) {
      float[] rows = LocalTrainer.half(DATA, N, D, h);
      var coarse = trainer.trainCoarseHalf(rows, N, half, h);
      centroids[h] = coarse.centroids();
      float[] residuals = LocalTrainer.residuals(rows, N, half, coarse.centroids(), coarse.assignments());
      rotations[h] = trainer.trainRotations(residuals, coarse.assignments(), N, half);
      rotated[h] = LocalTrainer.rotateResiduals(residuals, coarse.assignments(), N, half, rotations[h]);
    }
    float[][] codebooks = trainer.trainSubquantizers(rotated, N, D);
    LopqModel assembled = LocalTrainer.assemble(D, K, centroids, rotations, codebooks, trained.metadata());
    assertEquals(trained.fingerprint(), assembled.fingerprint());
  }

  @Test
  void tooManyCoarseClustersForTheDataIsAClearError() {
    int n = 10;
    float[] data = new float[n * D];
    for (int i = 0; i < n; i++) {
      data[i * D] = i % 3;
    }
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new LocalTrainer(TrainingParams.builder(4, 2).subquantizerClusters(2).build()).train(data, n, D));
    assertTrue(e.getMessage().contains("V=4") && e.getMessage().contains("distinct points (3)"), e.getMessage());
  }
}
