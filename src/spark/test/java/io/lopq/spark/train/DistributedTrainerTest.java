package io.lopq.spark.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lopq.io.vectors.VectorDataset;
import io.lopq.model.CodebookScope;
import io.lopq.model.LopqModel;
import io.lopq.spark.common.SharedSpark;
import io.lopq.spark.common.VectorBlock;
import io.lopq.train.LocalTrainer;
import io.lopq.train.TrainingParams;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.spark.SparkContext;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerJobStart;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.util.LongAccumulator;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class DistributedTrainerTest {
  /** Spark's local property holding the job group id. */
  private static final String JOB_GROUP_PROPERTY = "spark.jobGroup.id";
  private static final float[] DATA = TrainTesting.corpus(TrainTesting.ROWS, 3);
  private static SparkSession spark;

  @BeforeAll
  static void session() {
    spark = SharedSpark.session();
  }

  private static TrainingOutcome train(TrainPlan plan, LopqModel initial) {
    return new DistributedTrainer(spark, plan)
        .train(TrainTesting.blocks(DATA, TrainTesting.ROWS, TrainTesting.DIMENSION), TrainTesting.DIMENSION, initial);
  }

  @Test
  void distortionIsWithinFivePercentOfTheLocalTrainerOnTheSameData() {
    TrainingParams params = TrainTesting.smallParams(7).build();
    TrainingOutcome outcome = train(TrainPlan.builder(params).build(), null);
    LopqModel local = new LocalTrainer(params).train(DATA, TrainTesting.ROWS, TrainTesting.DIMENSION);

    double distributed = TrainTesting.distortion(outcome.model(), DATA, TrainTesting.ROWS);
    double single = TrainTesting.distortion(local, DATA, TrainTesting.ROWS);
    assertTrue(distributed <= 1.05 * single, "distributed " + distributed + " vs local " + single);
    // The distortion sample (8192 rows by default) holds every row here: the report's number is exact.
    assertEquals(distributed, (double) outcome.report().get("distortion"), 1e-6 * distributed);
    // Coarse quantization alone is far worse than the full code: the steps did their work.
    Map<String, Object> stats = outcome.model().metadata().statistics();
    assertTrue((double) stats.get("distortionAfterCoarse") > 2 * distributed, stats.toString());
  }

  @Test
  void sparkKMeansParallelAndDriverSeedingBothTrainTheCoarseQuantizer() {
    TrainingParams params = TrainTesting.smallParams(9).build();
    TrainingOutcome driver = train(TrainPlan.builder(params).build(), null);
    TrainingOutcome spark = train(TrainPlan.builder(params).coarseDriverSeedingRows(0).build(), null);
    double a = TrainTesting.distortion(driver.model(), DATA, TrainTesting.ROWS);
    double b = TrainTesting.distortion(spark.model(), DATA, TrainTesting.ROWS);
    assertTrue(a <= 1.05 * b, "driver seeding " + a + " should be no worse than Spark's k-means|| " + b);
    assertTrue(b < 2 * a, "Spark's k-means|| " + b + " vs driver seeding " + a);
    assertTrue(driver.model().fingerprint().equals(train(TrainPlan.builder(params).build(), null).model()
        .fingerprint()), "driver seeding is deterministic");
  }

  @Test
  void autoCoarseClustersAreResolvedFromTheRows() {
    TrainingParams auto = TrainTesting.smallParams(9).coarseClusters(TrainingParams.AUTO_COARSE_CLUSTERS).build();
    TrainingOutcome outcome = train(TrainPlan.builder(auto).build(), null);
    int expected = io.lopq.train.CoarseClusterRule.choose(TrainTesting.ROWS, TrainTesting.DIMENSION);
    assertEquals(expected, outcome.model().coarseClusters());
    assertEquals(expected, outcome.model().metadata().statistics().get("coarseClustersChosen"));
  }

  @Test
  void rotationsAreFittedInExecutorTasksOfTheRotationJobs() throws Exception {
    SparkContext sc = spark.sparkContext();
    Set<Integer> rotationStages = java.util.Collections.synchronizedSet(new HashSet<>());
    AtomicInteger rotationTasks = new AtomicInteger();
    SparkListener listener = new SparkListener() {
      @Override
      public void onJobStart(SparkListenerJobStart job) {
        String group = job.properties() == null ? null : job.properties().getProperty(JOB_GROUP_PROPERTY);
        if (StepLog.jobGroup("rotations").equals(group)) {
          for (Object stage : scala.jdk.javaapi.CollectionConverters.asJava(job.stageIds())) {
            rotationStages.add((Integer) stage);
          }
        }
      }

      @Override
      public void onTaskEnd(SparkListenerTaskEnd task) {
        if (rotationStages.contains(task.stageId())) {
          rotationTasks.incrementAndGet();
        }
      }
    };
    sc.addSparkListener(listener);
    try {
      TrainingOutcome outcome = train(TrainPlan.builder(TrainTesting.smallParams(1).build()).build(), null);
      sc.listenerBus().waitUntilEmpty();
      assertEquals(2 * 4, outcome.rotationsFittedInTasks(), "every local rotation is fitted inside a task");
      assertEquals(4, outcome.subquantizersTrainedInTasks(), "every subquantizer is trained inside a task");
      assertTrue(rotationTasks.get() >= DistributedTrainer.TASKS_PER_CORE, "tasks of the rotation jobs: "
          + rotationTasks.get());
    } finally {
      sc.removeSparkListener(listener);
    }
  }

  @Test
  void theSameSeedGivesTheSameModelAndAnotherSeedAnotherOne() {
    TrainPlan plan = TrainPlan.builder(TrainTesting.smallParams(11).build()).sampleRows(2000).build();
    String first = train(plan, null).model().fingerprint();
    String second = train(plan, null).model().fingerprint();
    String other = train(TrainPlan.builder(TrainTesting.smallParams(12).build()).sampleRows(2000).build(), null)
        .model().fingerprint();
    assertEquals(first, second);
    assertNotEquals(first, other);
  }

  @Test
  void aKnownRowCountDrawsBothSamplesInOnePassAndGivesTheSameModel() {
    TrainPlan plan = TrainPlan.builder(TrainTesting.smallParams(17).refineIterations(1).build()).sampleRows(1000)
        .distortionSampleRows(600).build();
    long[] unknown = new long[1];
    TrainingOutcome counted = trainCountingReads(plan, VectorDataset.UNKNOWN_ROWS, unknown);
    long[] exact = new long[1];
    TrainingOutcome drawn = trainCountingReads(plan, TrainTesting.ROWS, exact);
    // A count up to 5% too high (rows dropped as invalid) still draws in one pass; a far larger one
    // would draw too few rows, so the trainer falls back to the separate passes.
    long[] near = new long[1];
    TrainingOutcome nearly = trainCountingReads(plan, TrainTesting.ROWS + TrainTesting.ROWS / 40, near);
    long[] far = new long[1];
    TrainingOutcome overstated = trainCountingReads(plan, 2L * TrainTesting.ROWS, far);

    String model = counted.model().fingerprint();
    assertEquals(model, drawn.model().fingerprint());
    assertEquals(model, nearly.model().fingerprint());
    assertEquals(model, overstated.model().fingerprint());
    assertEquals(counted.report().get("distortion"), drawn.report().get("distortion"));
    assertEquals(counted.model().metadata().statistics().get("sampleRows"),
        drawn.model().metadata().statistics().get("sampleRows"));
    // Passes over the input without the count: count, sample, rotations, distortion, the refined
    // model's distortion (the re-fit runs on the sample). With it: the count and both samples, rotations.
    assertEquals(5L * TrainTesting.ROWS, unknown[0]);
    assertEquals(2L * TrainTesting.ROWS, exact[0]);
    assertEquals(2L * TrainTesting.ROWS, near[0]);
    // The failed draw read the input once for nothing, then took the separate passes.
    assertEquals(6L * TrainTesting.ROWS, far[0]);
  }

  /** Trains on the test corpus with {@code knownRows}, adding the rows the tasks read to {@code reads[0]}. */
  private static TrainingOutcome trainCountingReads(TrainPlan plan, long knownRows, long[] reads) {
    LongAccumulator read = spark.sparkContext().longAccumulator();
    JavaRDD<VectorBlock> blocks = TrainTesting.blocks(DATA, TrainTesting.ROWS, TrainTesting.DIMENSION).map(b -> {
      read.add(b.size());
      return b;
    });
    TrainingOutcome outcome = new DistributedTrainer(spark, plan).train(blocks, TrainTesting.DIMENSION, null, knownRows);
    reads[0] = read.value();
    return outcome;
  }

  @Test
  void aSampleTrainsTheKMeansButRotationsSeeEveryRow() {
    TrainingOutcome outcome = train(TrainPlan.builder(TrainTesting.smallParams(5).build()).sampleFraction(0.25).build(),
        null);
    Map<String, Object> stats = outcome.model().metadata().statistics();
    long sampleRows = ((Number) stats.get("sampleRows")).longValue();
    assertTrue(sampleRows > 500 && sampleRows < 1000, "about a quarter of 3000 rows: " + sampleRows);
    @SuppressWarnings("unchecked")
    Map<String, Object> half0 = (Map<String, Object>) ((List<Object>) stats.get("clusterSizes")).get(0);
    assertEquals((double) TrainTesting.ROWS / 4, ((Number) half0.get("mean")).doubleValue(), 1e-9,
        "cluster sizes count every input row");
  }

  @Test
  void refinementDoesNotRaiseTheDistortion() {
    TrainPlan plan = TrainPlan.builder(TrainTesting.smallParams(3).refineIterations(2).build()).build();
    TrainingOutcome outcome = train(plan, null);
    @SuppressWarnings("unchecked")
    Map<String, Object> refinement = (Map<String, Object>) outcome.model().metadata().statistics().get("refinement");
    double before = (double) refinement.get("distortionBefore");
    double after = (double) refinement.get("distortionAfter");
    assertTrue(after <= before, before + " -> " + after);
    assertEquals(after, TrainTesting.distortion(outcome.model(), DATA, TrainTesting.ROWS), 1e-6 * after);
  }

  @Test
  void localCodebooksAreFittedPerCellOnExecutorsDeterministicallyAndLowerTheDistortion() {
    TrainingParams global = TrainTesting.smallParams(13).build();
    TrainPlan plan = TrainPlan.builder(global.toBuilder().codebooks(CodebookScope.LOCAL).build()).build();
    TrainingOutcome outcome = train(plan, null);
    LopqModel model = outcome.model();
    assertTrue(model.hasLocalCodebooks());
    assertEquals(model.fingerprint(), train(plan, null).model().fingerprint(), "same seed, same model");
    LopqModel shared = train(TrainPlan.builder(global).build(), null).model();
    assertEquals(shared.fingerprint(), model.withLocalCodebooks(null).fingerprint(),
        "the steps before the local codebooks are those of the global model");
    Map<String, Object> stats = model.metadata().statistics();
    assertEquals("LOCAL", stats.get("codebooks"));
    assertEquals("LOCAL", model.metadata().parameters().get("codebooks"));
    assertEquals(List.of(4, 4), stats.get("localCodebookCells"));
    double before = (double) stats.get("distortionBeforeLocalCodebooks");
    double after = (double) stats.get("distortionAfterLocalCodebooks");
    // The distortion sample holds every row here, and the sample is every row: exact numbers.
    assertTrue(after < before, before + " -> " + after);
    assertEquals(after, TrainTesting.distortion(model, DATA, TrainTesting.ROWS), 1e-6 * after);
    assertEquals(before, TrainTesting.distortion(shared, DATA, TrainTesting.ROWS), 1e-6 * before);
    @SuppressWarnings("unchecked")
    List<Object> sampleErrors = (List<Object>) stats.get("localCodebookSampleError");
    assertTrue(((Number) sampleErrors.get(1)).doubleValue() <= ((Number) sampleErrors.get(0)).doubleValue(),
        "no cell's error rises: " + sampleErrors);
  }

  @Test
  void stepsWithAnInitialModelKeepTheOtherParts() {
    LopqModel initial = train(TrainPlan.builder(TrainTesting.smallParams(21).build()).build(), null).model();
    TrainPlan onlySubquantizers = TrainPlan.builder(TrainTesting.smallParams(22).build())
        .steps(EnumSet.of(TrainStep.SUBQUANTIZERS)).build();
    LopqModel retrained = train(onlySubquantizers, initial).model();
    for (int h = 0; h < LopqModel.HALVES; h++) {
      assertArrayEquals(initial.coarseCentroids(h), retrained.coarseCentroids(h));
      assertArrayEquals(initial.rotations(h), retrained.rotations(h));
      assertArrayEquals(initial.residualMeans(h), retrained.residualMeans(h));
    }
    assertFalse(java.util.Arrays.equals(initial.codebook(0), retrained.codebook(0)), "codebooks were retrained");
    assertEquals(initial.fingerprint(), retrained.metadata().parameters().get("initialModel"));

    TrainPlan coarseOnly = TrainPlan.builder(TrainTesting.smallParams(22).build())
        .steps(EnumSet.of(TrainStep.COARSE)).build();
    IllegalArgumentException error = assertThrows(IllegalArgumentException.class, () -> train(coarseOnly, initial));
    assertTrue(error.getMessage().contains("add 'rotations'"), error.getMessage());
    IllegalArgumentException scratch = assertThrows(IllegalArgumentException.class, () -> train(onlySubquantizers,
        null));
    assertTrue(scratch.getMessage().contains("needs every step"), scratch.getMessage());
  }
}
