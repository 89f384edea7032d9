package io.lopq.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lopq.model.LopqModel;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The whole pipeline through spark-submit on the standalone cluster (two workers, each its own
 * executor JVM) equals the same steps in local mode with the same seed: the same model bit for bit,
 * the same encoded rows, the same search results (ids, ranks and distances) and the same recall.
 * Every step of the cluster run must end with exit code 0 and its application FINISHED at the master,
 * and must have run as several tasks; what scripts/submit printed must not hold the JVM's
 * incubator-module warning (the launcher filters it).
 */
@ExtendWith(ClusterExtension.class)
class ClusterPipelineIT {
  /** The line the JVM prints for --add-modules=jdk.incubator.vector, which scripts/lib/jvm.sh removes. */
  private static final String INCUBATOR_WARNING = "WARNING: Using incubator modules: jdk.incubator.vector";
  private static PipelineRun onCluster;
  private static PipelineRun local;

  @BeforeAll
  static void runBoth(LocalCluster cluster) {
    onCluster = PipelineRun.clusterBaseline(cluster);
    local = PipelineRun.local(cluster);
  }

  @Test
  void everyClusterStepFinishedAtTheMaster() {
    for (PipelineRun.Step step : PipelineRun.Step.values()) {
      SparkJob.Outcome outcome = onCluster.outcomes.get(step);
      assertEquals(0, outcome.exitCode(), step + " exit code");
      assertEquals("FINISHED", outcome.app().orElseThrow().state(), step + " application state");
    }
  }

  @Test
  void submitShowsNoIncubatorModuleWarning() {
    for (PipelineRun.Step step : PipelineRun.Step.values()) {
      String output = onCluster.outcomes.get(step).result().output();
      assertTrue(output.contains("job "), step + ": expected scripts/submit's own lines in\n" + output);
      assertFalse(output.lines().anyMatch(INCUBATOR_WARNING::equals), step + " printed the warning:\n" + output);
    }
  }

  @Test
  void sameModel() {
    LopqModel a = Outputs.model(onCluster.model);
    LopqModel b = Outputs.model(local.model);
    assertEquals(PipelineRun.DIMENSION, a.dimension());
    assertEquals(PipelineRun.COARSE_CLUSTERS, a.coarseClusters());
    assertEquals(PipelineRun.SUBQUANTIZERS, a.subquantizers());
    assertEquals(b.fingerprint(), a.fingerprint(), "model fingerprint, cluster vs local[2]; " + ModelDiff.describe(b, a));
  }

  @Test
  void sameEncodedRows() {
    List<String> cluster = Outputs.encodedRows(onCluster.encoded);
    List<String> localRows = Outputs.encodedRows(local.encoded);
    assertEquals(PipelineRun.baseRows(), cluster.size(), "encoded rows on the cluster");
    RowTexts.assertUnique(cluster, "id", "encoded rows on the cluster");
    RowTexts.assertSameRows(localRows, cluster, "encoded rows, cluster vs local[2]");
  }

  @Test
  void sameSearchResults() {
    List<String> cluster = Outputs.resultRows(onCluster.results);
    assertEquals(PipelineRun.QUERIES * PipelineRun.K, cluster.size(), "result rows (queries x k)");
    RowTexts.assertSameRows(Outputs.resultRows(local.results), cluster, "search results, cluster vs local[2]");
  }

  @Test
  void sameRecall() {
    String cluster = Outputs.recallReport(onCluster.report).toString().replace(onCluster.dir.toString(), "RUN");
    String localReport = Outputs.recallReport(local.report).toString().replace(local.dir.toString(), "RUN");
    assertEquals(localReport, cluster, "eval report without timings, cluster vs local[2]");
  }

  @Test
  void everyClusterStepRanSeveralTasksOnTheExecutors() {
    for (PipelineRun.Step step : PipelineRun.Step.values()) {
      EventLog log = onCluster.outcomes.get(step).eventLog();
      assertTrue(log.widestStage() >= 2, step + " ran no stage of several tasks: " + log);
      assertTrue(log.executors.stream().noneMatch(e -> e.equals("driver")), step + " ran tasks in the driver: " + log);
    }
    EventLog encode = onCluster.outcomes.get(PipelineRun.Step.ENCODE).eventLog();
    assertTrue(encode.widestStage() >= PipelineRun.BASE_FILES, "encode: one task per input file expected: " + encode);
    assertEquals(LocalCluster.WORKERS, encode.executors.size(), "encode ran on every executor: " + encode);
  }
}
