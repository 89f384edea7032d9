package io.lopq.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.lopq.io.encoded.EncodedDataset;
import io.lopq.format.encoded.EncodedPartition;
import io.lopq.spark.common.SharedSpark;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The driver of an encode (the spark-submit JVM, client mode) SIGKILLed after it committed some
 * but not all input partitions, then the very same command run again. Readers (the project's
 * {@link EncodedDataset}) must see, right after the crash, only whole partitions, each exactly as
 * a fault-free run writes it; after the re-run, every row exactly once, equal to the fault-free run,
 * and no work-in-progress folder left.
 */
@ExtendWith(ClusterExtension.class)
class DriverKillIT {
  private static final int PARTITIONS = 6;
  private static final int ROWS_PER_PARTITION = 6_000;
  private static final String PARTITION_COL = "part";
  private static final Duration TO_THE_MIDDLE = Duration.ofMinutes(5);
  private static final Duration POLL = Duration.ofMillis(100);

  private static Path dir;
  private static Path input;
  private static Path model;
  /** Fault-free rows per partition value, from an in-process run of the same command. */
  private static Map<String, List<String>> expected;

  @BeforeAll
  static void partitionedInputAndFaultFreeRun(LocalCluster cluster) {
    model = PipelineRun.clusterBaseline(cluster).model;
    dir = Project.cleanDir("fault-driver");
    input = dir.resolve("input");
    writePartitionedInput();
    Path reference = dir.resolve("fault-free");
    Cli.run("encode", "--model", model.toString(), "--input", input.toString(), "--output", reference.toString(),
        "--partition-col", PARTITION_COL).assertOk();
    expected = byPartition(Outputs.encodedRows(reference));
    assertEquals(PARTITIONS, expected.size(), "partitions of the fault-free run");
  }

  /** input/part=P/ folders of Parquet rows (id, vector), each with _SUCCESS, ids unique overall. */
  private static void writePartitionedInput() {
    Corpus corpus = PipelineRun.corpus();
    StructType schema = new StructType()
        .add("id", DataTypes.LongType)
        .add("vector", DataTypes.createArrayType(DataTypes.FloatType));
    for (int p = 0; p < PARTITIONS; p++) {
      List<Row> rows = new ArrayList<>();
      long first = 50_000_000L + (long) p * ROWS_PER_PARTITION;
      float[] data = corpus.rows(first, ROWS_PER_PARTITION);
      for (int i = 0; i < ROWS_PER_PARTITION; i++) {
        Float[] v = new Float[corpus.dimension()];
        for (int j = 0; j < v.length; j++) {
          v[j] = data[i * v.length + j];
        }
        rows.add(RowFactory.create(first + i, v));
      }
      SharedSpark.session().createDataFrame(rows, schema).repartition(2).write()
          .parquet(input.resolve(PARTITION_COL + "=" + p).toString());
    }
  }

  private static Map<String, List<String>> byPartition(List<String> rows) {
    Map<String, List<String>> parts = new TreeMap<>();
    for (String row : rows) {
      parts.computeIfAbsent(RowTexts.field(row, PARTITION_COL), k -> new ArrayList<>()).add(row);
    }
    return parts;
  }

  private SparkJob encode(LocalCluster cluster, Path output, String label) {
    return cluster.job("encode").label(label)
        .env("LOPQ_MODEL", model).env("LOPQ_BASE", input).env("LOPQ_ENCODED", output)
        .args("--partition-col", PARTITION_COL);
  }

  /** Committed partitions of the dataset at {@code output}, or none while it has no manifest yet. */
  private static List<EncodedPartition> committed(Path output) {
    try {
      return EncodedDataset.open(SharedSpark.session(), output.toString()).partitions();
    } catch (IllegalArgumentException notYet) {
      return List.of();
    }
  }

  @Test
  void killedDriverThenTheSameCommandAgainGivesEveryRowOnce(LocalCluster cluster) {
    Path output = dir.resolve("encoded");
    SparkJob.Running run = encode(cluster, output, "encode-driver-killed").start();
    List<EncodedPartition> atKill = List.of();
    long deadline = System.nanoTime() + TO_THE_MIDDLE.toNanos();
    while (atKill.isEmpty()) {
      if (System.nanoTime() > deadline || !run.process().isAlive()) {
        fail("never saw some but not all partitions committed (driver alive: " + run.process().isAlive() + ")\n"
            + ExternalProcess.tail(run.process().output()));
      }
      List<EncodedPartition> now = committed(output);
      if (!now.isEmpty() && now.size() < PARTITIONS) {
        ProcessHandle driver = run.driverJvm().orElseGet(() -> fail("no spark-submit JVM under scripts/submit"));
        driver.destroyForcibly();
        atKill = now;
      } else {
        SparkJob.sleep(POLL);
      }
    }
    SparkJob.Outcome killed = run.await();
    assertNotEquals(0, killed.exitCode(), "exit code of the killed run");
    System.out.printf("[it] killed the driver with %d of %d partitions committed%n", atKill.size(), PARTITIONS);

    // What a reader sees after the crash: whole partitions, exactly as the fault-free run wrote them.
    List<EncodedPartition> visible = committed(output);
    assertTrue(visible.size() >= atKill.size() && visible.size() < PARTITIONS,
        "partitions visible after the crash: " + visible.size());
    Map<String, List<String>> seen = byPartition(Outputs.encodedRows(output));
    assertEquals(visible.stream().map(EncodedPartition::value).collect(java.util.stream.Collectors.toCollection(TreeSet::new)),
        seen.keySet(), "partition values readable after the crash vs the manifest");
    for (Map.Entry<String, List<String>> part : seen.entrySet()) {
      RowTexts.assertSameRows(expected.get(part.getKey()), part.getValue(),
          "partition " + part.getKey() + " as readers see it after the crash");
    }

    // The same command again: finishes the rest, nothing twice.
    encode(cluster, output, "encode-after-driver-kill").runSuccessfully();
    List<String> rows = Outputs.encodedRows(output);
    RowTexts.assertUnique(rows, "id", "encoded rows after the re-run");
    List<String> all = new ArrayList<>();
    expected.values().forEach(all::addAll);
    all.sort(null);
    RowTexts.assertSameRows(all, rows, "encoded rows after kill + re-run vs fault-free");
    assertEquals(PARTITIONS, committed(output).size(), "partitions committed after the re-run");
    assertTrue(FileTrees.list(output).stream().noneMatch(n -> n.equals("_temporary")),
        "work in progress left after the re-run: " + FileTrees.list(output));
  }
}
