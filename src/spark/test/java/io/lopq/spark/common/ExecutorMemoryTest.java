package io.lopq.spark.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.apache.spark.SparkContext;
import org.junit.jupiter.api.Test;

class ExecutorMemoryTest {
  private static final long MIB = 1L << 20;

  @Test
  void usableAndPerTaskBytesFollowSparksUnifiedRegion() {
    ExecutorMemory memory = new ExecutorMemory(812 * MIB, 0.5, 4, "spark.executor.memory");
    // (812 - 300) MiB x 0.5 = 256 MiB, 64 MiB for each of 4 tasks.
    assertEquals(256 * MIB, memory.usableBytes());
    assertEquals(64 * MIB, memory.perTaskBytes());
    assertEquals(0, new ExecutorMemory(200 * MIB, 0.6, 1, "x").usableBytes(), "a heap under the reserve");
    assertThrows(IllegalArgumentException.class, () -> new ExecutorMemory(MIB, 0.6, 0, "x"));
    assertThrows(IllegalArgumentException.class, () -> new ExecutorMemory(MIB, 1.5, 1, "x"));
  }

  @Test
  void theLocalSessionIsOneExecutorWithTheMastersThreads() {
    SparkContext sc = SharedSpark.session().sparkContext();
    ExecutorMemory memory = ExecutorMemory.of(sc);
    assertEquals(Runtime.getRuntime().maxMemory(), memory.heap());
    assertEquals(Sessions.localThreads(sc.master()), memory.concurrentTasks());
    assertTrue(memory.heapSetting().contains("LOPQ_DRIVER_MEMORY"), memory.heapSetting());
  }
}
