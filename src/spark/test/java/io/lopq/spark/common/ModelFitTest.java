package io.lopq.spark.common;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lopq.model.LopqModel;
import io.lopq.model.ModelMetadata;
import io.lopq.model.TestModels;
import org.junit.jupiter.api.Test;

class ModelFitTest {
  // D = 8 (h = 4), V = 3, M = 4, K = 5 (s = 2).
  private static final LopqModel MODEL = TestModels.random(3, 8, 3, 4, 5, ModelMetadata.EMPTY);

  @Test
  void modelBytesFollowTheFormula() {
    // 4 (2 V h^2 + 2 V D + K D) = 4 (96 + 48 + 40)
    assertEquals(4 * (2 * 3 * 16 + 2 * 3 * 8 + 5 * 8), ModelFit.modelBytes(MODEL));
  }

  @Test
  void aModelLargerThanTheExecutorsSparkMemoryIsRefusedWithTheNumbers() {
    long bytes = ModelFit.modelBytes(MODEL);
    // Usable = (heap - 300 MiB) x 0.5: just enough, and one byte short.
    long enough = ExecutorMemory.RESERVED_BYTES + 2 * bytes;
    assertDoesNotThrow(() -> ModelFit.check(bytes, executor(enough), MODEL, "m"));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ModelFit.check(bytes, executor(enough - 2), MODEL, "hdfs:/models/m"));
    String message = e.getMessage();
    assertTrue(message.contains("hdfs:/models/m") && message.contains("D=8, V=3, M=4, K=5")
        && message.contains("raise spark.executor.memory") && message.contains("spark.memory.fraction 0.50"), message);
  }

  private static ExecutorMemory executor(long heap) {
    return new ExecutorMemory(heap, 0.5, 1, "spark.executor.memory");
  }

  @Test
  void aSmallModelFitsTheLocalSession() {
    assertDoesNotThrow(() -> ModelFit.check(SharedSpark.session().sparkContext(), MODEL, "m"));
  }
}
