package io.lopq.spark.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.apache.spark.SparkConf;
import org.junit.jupiter.api.Test;

class SessionsTest {
  @Test
  void localMastersAndTheirThreads() {
    assertTrue(Sessions.isLocal("local"));
    assertTrue(Sessions.isLocal("local[*]"));
    assertTrue(Sessions.isLocal("local[3,2]"));
    assertFalse(Sessions.isLocal("spark://127.0.0.1:7077"));
    assertFalse(Sessions.isLocal("local-cluster[2,1,1024]"));
    assertEquals(1, Sessions.localThreads("local"));
    assertEquals(3, Sessions.localThreads("local[3]"));
    assertEquals(4, Sessions.localThreads("local[4, 2]"));
    assertEquals(Runtime.getRuntime().availableProcessors(), Sessions.localThreads("local[*]"));
    assertThrows(IllegalArgumentException.class, () -> Sessions.localThreads("yarn"));
  }

  @Test
  void masterDefaultsToSubmittedThenAllLocalCores() {
    assertEquals("spark://h:7077", Sessions.resolveMaster(" spark://h:7077 "));
    String before = System.getProperty("spark.master");
    try {
      System.clearProperty("spark.master");
      assertEquals(Sessions.DEFAULT_MASTER, Sessions.resolveMaster(null));
      System.setProperty("spark.master", "local[3]");
      assertEquals("local[3]", Sessions.resolveMaster(""));
      assertEquals("local[1]", Sessions.resolveMaster("local[1]"));
    } finally {
      if (before == null) {
        System.clearProperty("spark.master");
      } else {
        System.setProperty("spark.master", before);
      }
    }
  }

  @Test
  void sharedSessionHasTheCliSettings() {
    SparkConf conf = SharedSpark.session().sparkContext().getConf();
    assertEquals(Sessions.KRYO_SERIALIZER, conf.get("spark.serializer"));
    assertEquals(Sessions.LOOPBACK_ADDRESS, conf.get("spark.driver.host"));
    assertEquals(Sessions.LOOPBACK_ADDRESS, conf.get("spark.driver.bindAddress"));
    assertEquals("local[" + SharedSpark.THREADS + "]", conf.get("spark.master"));
    assertEquals("false", conf.get("spark.ui.enabled"));
    assertEquals(String.valueOf(SharedSpark.SHUFFLE_PARTITIONS),
        SharedSpark.session().conf().get("spark.sql.shuffle.partitions"));
  }

  @Test
  void localSettingsBindToLoopbackWithFewShufflePartitions() {
    Map<String, String> local = Sessions.settings("local[3]");
    assertEquals("local[3]", local.get("spark.master"));
    assertEquals(Sessions.KRYO_SERIALIZER, local.get("spark.serializer"));
    assertEquals(Sessions.LOOPBACK_ADDRESS, local.get("spark.driver.host"));
    assertEquals(String.valueOf(3 * Sessions.LOCAL_SHUFFLE_PARTITIONS_PER_THREAD),
        local.get("spark.sql.shuffle.partitions"));

    Map<String, String> cluster = Sessions.settings("spark://127.0.0.1:7077");
    assertEquals(Sessions.KRYO_SERIALIZER, cluster.get("spark.serializer"));
    assertFalse(cluster.containsKey("spark.driver.host"), "a cluster driver must be reachable: " + cluster);
    assertFalse(cluster.containsKey("spark.sql.shuffle.partitions"), cluster.toString());
    assertThrows(IllegalArgumentException.class, () -> Sessions.builder("local", " "));
  }

  @Test
  void cachedBlocksAreMeasuredAfterEveryValueInSmallChunks() {
    for (String master : List.of("local[2]", "spark://127.0.0.1:7077")) {
      Map<String, String> settings = Sessions.settings(master);
      assertEquals("1", settings.get("spark.storage.unrollMemoryCheckPeriod"), master);
      assertEquals("262144", settings.get("spark.storage.unrollMemoryThreshold"), master);
    }
  }
}
