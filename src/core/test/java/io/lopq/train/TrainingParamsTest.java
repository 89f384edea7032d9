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
    assertEquals(8, p.rotationPriorRows(64), "auto shrinkage is D/8 pseudo-rows");
    assertEquals(1, p.minRotationClusterSize(64), "with shrinkage every non-empty cluster is fitted");
    assertEquals(33, p.toBuilder().rotationPriorRows(0).build().minRotationClusterSize(64),
        "without shrinkage the auto minimum is D/2 + 1");
    assertTrue(TrainingParams.builder().build().autoCoarseClusters(), "V is auto by default");
    assertEquals("auto", TrainingParams.builder().build().toMap().get("V"));
    assertEquals(5, TrainingParams.builder(16, 8).minRotationClusterSize(5).build().minRotationClusterSize(64));
    assertEquals(p, p.toBuilder().build());
  }

  @Test
  void badValuesAreNamed() {
    assertRejected("got 3", () -> TrainingParams.builder(4, 3).build());
    assertRejected("M must be even", () -> TrainingParams.builder(4, 3).build());
    assertRejected("got 300", () -> TrainingParams.builder(4, 4).subquantizerClusters(300).build());
    assertRejected("K must be in [1, 256]", () -> TrainingParams.builder(4, 4).subquantizerClusters(300).build());
    assertRejected("V must be >= 0, got -1", () -> TrainingParams.builder(-1, 4).build());
    assertRejected("rotationPriorRows must be >= -1, got -2",
        () -> TrainingParams.builder(4, 4).rotationPriorRows(-2).build());
    assertRejected("coarseIterations must be >= 1, got 0",
        () -> TrainingParams.builder(4, 4).coarseIterations(0).build());
    assertRejected("refineIterations must be >= 0, got -1",
        () -> TrainingParams.builder(4, 4).refineIterations(-1).build());
    assertRejected("tolerance", () -> TrainingParams.builder(4, 4).tolerance(Double.NaN).build());
    TrainingParams p = TrainingParams.builder(4, 4).build();
    assertRejected("D=18 must be divisible by subquantizers M=4", () -> p.validate(18));
  }

  @Test
  void resolveChoosesVOnlyWhenAuto() {
    TrainingParams auto = TrainingParams.builder().build();
    TrainingParams resolved = auto.resolve(60_000, 784);
    assertEquals(CoarseClusterRule.choose(60_000, 784), resolved.coarseClusters());
    assertTrue(resolved.coarseClustersChosen());
    assertEquals(CoarseClusterRule.DESCRIPTION, resolved.toMap().get("coarseClustersRule"));
    TrainingParams given = TrainingParams.builder(32, 8).build();
    assertTrue(given == given.resolve(60_000, 784), "a given V is kept");
    assertTrue(!given.coarseClustersChosen());
    assertTrue(!resolved.toBuilder().coarseClusters(8).build().coarseClustersChosen());
  }

  @Test
  void trainerNamesTheDimensionThatDoesNotFit() {
    LocalTrainer trainer = new LocalTrainer(TrainingParams.builder(2, 4).subquantizerClusters(4).build());
    float[] data = AnisotropicClusters.generate(50, 18, 2, 1);
    assertRejected("D=18", () -> trainer.train(data, 50, 18));
  }
}
