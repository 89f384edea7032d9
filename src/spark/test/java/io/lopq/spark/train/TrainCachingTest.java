package io.lopq.spark.train;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lopq.spark.common.SharedSpark;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.spark.SparkContext;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerBlockUpdated;
import org.apache.spark.scheduler.SparkListenerStageSubmitted;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.BlockId;
import org.apache.spark.storage.RDDBlockId;
import org.apache.spark.storage.RDDInfo;
import org.apache.spark.storage.StorageLevel;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What training caches (docs/MEMORY.md: memory flat in N): with a sample, the input is never
 * cached, only the sample; without one, the input once; and both serialized, so that Spark counts
 * them exactly and spills them (a deserialized cache of blocks made a 4 GB heap run out of memory
 * on a 5 GB input).
 */
class TrainCachingTest {
  private static final float[] DATA = TrainTesting.corpus(TrainTesting.ROWS, 3);
  /** Bytes of the input's floats. */
  private static final long INPUT_BYTES = 4L * TrainTesting.ROWS * TrainTesting.DIMENSION;
  private static SparkSession spark;

  @BeforeAll
  static void session() {
    spark = SharedSpark.session();
  }

  /** Per cached RDD of the run: its name, storage level and the largest bytes it held (memory + disk). */
  private static final class Caches extends SparkListener {
    final Map<Integer, RDDInfo> rdds = new ConcurrentHashMap<>();
    final Map<BlockId, Long> blockBytes = new ConcurrentHashMap<>();

    @Override
    public void onStageSubmitted(SparkListenerStageSubmitted stage) {
      for (RDDInfo info : scala.jdk.javaapi.CollectionConverters.asJava(stage.stageInfo().rddInfos())) {
        rdds.put(info.id(), info);
      }
    }

    @Override
    public void onBlockUpdated(SparkListenerBlockUpdated update) {
      BlockId id = update.blockUpdatedInfo().blockId();
      if (id instanceof RDDBlockId) {
        blockBytes.merge(id, update.blockUpdatedInfo().memSize() + update.blockUpdatedInfo().diskSize(), Math::max);
      }
    }

    /** The largest total bytes held by the RDDs whose name starts with {@code prefix}. */
    long bytes(String prefix) {
      long sum = 0;
      for (Map.Entry<BlockId, Long> e : blockBytes.entrySet()) {
        RDDInfo info = rdds.get(((RDDBlockId) e.getKey()).rddId());
        if (info != null && info.name() != null && info.name().startsWith(prefix)) {
          sum += e.getValue();
        }
      }
      return sum;
    }

    boolean cached(String name) {
      return rdds.values().stream().anyMatch(i -> name.equals(i.name()) && i.storageLevel().isValid());
    }

    /**
     * Every cached lopq RDD of blocks (training vectors, sample, the coarse k-means|| sub-sample) is
     * serialized; Spark MLlib's own input (at most coarseSparkRowsPerCluster x V rows) may not be.
     */
    void assertSerialized() {
      for (RDDInfo info : rdds.values()) {
        StorageLevel level = info.storageLevel();
        if (info.name() != null && (info.name().startsWith("lopq training") || info.name().startsWith("lopq coarse k-means||"))
            && level.isValid()) {
          assertFalse(level.deserialized(), info.name() + " is cached deserialized: " + level);
        }
      }
    }
  }

  private static Caches train(TrainPlan plan) throws Exception {
    SparkContext sc = spark.sparkContext();
    Caches caches = new Caches();
    sc.addSparkListener(caches);
    try {
      new DistributedTrainer(spark, plan).train(TrainTesting.blocks(DATA, TrainTesting.ROWS, TrainTesting.DIMENSION),
          TrainTesting.DIMENSION, null);
      sc.listenerBus().waitUntilEmpty();
      return caches;
    } finally {
      sc.removeSparkListener(caches);
    }
  }

  @Test
  void withASampleOnlyTheSampleIsCachedAndSerialized() throws Exception {
    Caches caches = train(TrainPlan.builder(TrainTesting.smallParams(5).build()).sampleFraction(0.25).build());
    assertFalse(caches.cached("lopq training vectors"), "the whole input was cached: " + caches.rdds.values());
    assertTrue(caches.cached("lopq training sample"), "the sample is cached: " + caches.rdds.values());
    caches.assertSerialized();
    long sample = caches.bytes("lopq training sample");
    // A quarter of the rows, serialized (floats plus ids and Kryo's framing): well under half the input.
    assertTrue(sample > 0 && sample < INPUT_BYTES / 2, "sample cache " + sample + " B of an input of "
        + INPUT_BYTES + " B");
    assertTrue(caches.bytes("lopq") < INPUT_BYTES, "everything cached " + caches.bytes("lopq") + " B");
  }

  @Test
  void withoutASampleTheInputIsCachedOnceSerialized() throws Exception {
    Caches caches = train(TrainPlan.builder(TrainTesting.smallParams(5).build()).build());
    assertTrue(caches.cached("lopq training vectors"), caches.rdds.values().toString());
    caches.assertSerialized();
    long input = caches.bytes("lopq training vectors");
    assertTrue(input >= INPUT_BYTES && input < 2 * INPUT_BYTES, "input cache " + input + " B for " + INPUT_BYTES
        + " B of floats");
    // No second copy of the sample (the coarse step reads the cached input).
    assertTrue(caches.bytes("lopq") < 2 * INPUT_BYTES, "everything cached " + caches.bytes("lopq") + " B");
  }
}
