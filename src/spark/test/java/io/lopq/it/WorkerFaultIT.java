package io.lopq.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A worker (with its executor) SIGKILLed in the middle of an encode and in the middle of a search:
 * Spark reruns the lost tasks on the other worker, the job finishes (exit 0, application FINISHED)
 * and its output equals the fault-free run row for row: no row lost, none written twice.
 *
 * <p>"The middle" is observed, not guessed: the driver's REST API must show a stage of several
 * tasks with some done, some running and some still waiting when the worker is killed, and the
 * event log must show work redone after the loss (tasks that failed with the lost executor, or a
 * stage run again to recompute the shuffle output that went with it).
 */
@ExtendWith(ClusterExtension.class)
class WorkerFaultIT {
  /** Smaller input splits than the fault-free run (same rows), so stages have more, shorter tasks. */
  static final String SMALL_SPLITS = "spark.hadoop.fs.local.block.size=" + (128 * 1024);
  private static final Duration TO_THE_MIDDLE = Duration.ofMinutes(5);
  private static final int KILLED_WORKER = 1;
  /** Runs tried before concluding that the kill cannot hit the job. */
  private static final int ATTEMPTS = 3;

  private static PipelineRun baseline;
  private LocalCluster cluster;

  @BeforeAll
  static void faultFreeRun(LocalCluster cluster) {
    baseline = PipelineRun.clusterBaseline(cluster);
  }

  @AfterEach
  void restoreWorkers() {
    if (cluster != null) {
      cluster.ensureAllWorkers();
    }
  }

  /**
   * An active stage of at least {@code minTasks} tasks with some done, some waiting, and a task
   * running on every executor (one core per worker): whichever worker is killed then takes a running
   * task with it. (With only "some running", the one running task may sit on the other worker.)
   */
  static Predicate<JsonNode> middleOfStage(int minTasks) {
    return stage -> {
      int total = stage.path("numTasks").asInt();
      int done = stage.path("numCompleteTasks").asInt();
      int running = stage.path("numActiveTasks").asInt();
      return total >= minTasks && done >= 1 && running >= LocalCluster.WORKERS && done + running < total;
    };
  }

  /**
   * An active stage of at least {@code minTasks} tasks with a task running on every executor. The
   * search's stages on the test corpus are short (most tasks well under a second, shorter than the
   * time between seeing a stage and the SIGKILL landing), so the search test waits for any stage
   * that keeps both executors busy rather than for one with tasks done and waiting too.
   */
  static Predicate<JsonNode> everyExecutorBusy(int minTasks) {
    return stage -> stage.path("numTasks").asInt() >= minTasks
        && stage.path("numActiveTasks").asInt() >= LocalCluster.WORKERS
        && stage.path("numCompleteTasks").asInt() < stage.path("numTasks").asInt();
  }

  @Test
  void encodeFinishesWithTheSameRowsAfterAWorkerIsKilled(LocalCluster cluster) {
    this.cluster = cluster;
    Path output = Project.workDir("fault-worker-encode").resolve("encoded");
    killWorkerDuring("encode-worker-killed", () -> baseline.encode(cluster, output, false),
        output, middleOfStage(PipelineRun.BASE_FILES));

    List<String> rows = Outputs.encodedRows(output);
    RowTexts.assertUnique(rows, "id", "encoded rows after the worker was killed");
    RowTexts.assertSameRows(Outputs.encodedRows(baseline.encoded), rows, "encoded rows, worker killed vs fault-free");
  }

  @Test
  void searchFinishesWithTheSameResultsAfterAWorkerIsKilled(LocalCluster cluster) {
    this.cluster = cluster;
    Path output = Project.workDir("fault-worker-search").resolve("results");
    killWorkerDuring("search-worker-killed", () -> baseline.search(cluster, output, false),
        output, everyExecutorBusy(LocalCluster.WORKERS));

    List<String> rows = Outputs.resultRows(output);
    assertEquals(PipelineRun.QUERIES * PipelineRun.K, rows.size(), "result rows (queries x k)");
    RowTexts.assertSameRows(Outputs.resultRows(baseline.results), rows, "search results, worker killed vs fault-free");
  }

  /**
   * Starts the job, kills worker {@value #KILLED_WORKER} once a stage passes {@code when}, and
   * requires the job to succeed. The kill races the job's tasks (the SIGKILL lands a few hundred ms
   * after the stage is seen, and a short stage may be over by then, its shuffle output no longer
   * needed), so a run the kill missed — nothing lost, nothing redone — is tried again with the worker
   * restored, up to {@value #ATTEMPTS} runs; the test fails if none of them was hit.
   */
  private void killWorkerDuring(String label, Supplier<SparkJob> job, Path output, Predicate<JsonNode> when) {
    List<String> missed = new ArrayList<>();
    for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
      cluster.ensureAllWorkers();
      FileTrees.deleteRecursively(output);
      SparkJob.Running run = job.get().label(label + "-" + attempt).withDriverUi().sparkConf(SMALL_SPLITS).start();
      JsonNode stage = run.awaitStage(when, TO_THE_MIDDLE);
      cluster.killWorker(KILLED_WORKER);
      System.out.println("[it] attempt " + attempt + ": killed worker " + KILLED_WORKER + " during "
          + SparkJob.describeStage(stage));
      EventLog log = run.await().assertSucceeded().eventLog();
      if (log.lostWorkWasRedone()) {
        return;
      }
      missed.add("attempt " + attempt + ": " + log);
    }
    fail("no run lost work with the killed worker, so the kill never hit the job: " + missed);
  }
}
