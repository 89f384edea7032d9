package io.lopq.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class TrainingParamsTest {

  private static void assertRejected(String expectedInMessage, Runnable action) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, action::run);
    assertTrue(e.getMessage().contains(expectedInMessage), "message '" + e.getMessage() + "' should name "
        + expectedInMessage);
  }

  @Test
  void defaultsAreDocumentedValues() {
    TrainingParams p = TrainingParams.builder(16, 8).build();
    assertEquals(256, p.subquantizerClusters());
    assertEquals(0, p.refineIterations());
    assertEquals(TrainingParams.RotationFallback.GLOBAL, p.rotationFallback());
    assertTrue(p.useRotations());
    assertEquals(33, p.minRotationClusterSize(64), "auto minimum is D/2 + 1");
    assertEquals(5, TrainingParams.builder(16, 8).minRotationClusterSize(5).build().minRotationClusterSize(64));
    assertEquals(p, p.toBuilder().build());
  }

  @Test
  void badValuesAreNamed() {
    assertRejected("got 3", () -> TrainingParams.builder(4, 3).build());
    assertRejected("M must be even", () -> TrainingParams.builder(4, 3).build());
    assertRejected("got 300", () -> TrainingParams.builder(4, 4).subquantizerClusters(300).build());
    assertRejected("K must be in [1, 256]", () -> TrainingParams.builder(4, 4).subquantizerClusters(300).build());
    assertRejected("V must be >= 1, got 0", () -> TrainingParams.builder(0, 4).build());
    assertRejected("coarseIterations must be >= 1, got 0",
        () -> TrainingParams.builder(4, 4).coarseIterations(0).build());
    assertRejected("refineIterations must be >= 0, got -1",
        () -> TrainingParams.builder(4, 4).refineIterations(-1).build());
    assertRejected("tolerance", () -> TrainingParams.builder(4, 4).tolerance(Double.NaN).build());
    TrainingParams p = TrainingParams.builder(4, 4).build();
    assertRejected("D=18 must be divisible by subquantizers M=4", () -> p.validate(18));
  }

  @Test
  void trainerNamesTheDimensionThatDoesNotFit() {
    LocalTrainer trainer = new LocalTrainer(TrainingParams.builder(2, 4).subquantizerClusters(4).build());
    float[] data = AnisotropicClusters.generate(50, 18, 2, 1);
    assertRejected("D=18", () -> trainer.train(data, 50, 18));
  }
}
