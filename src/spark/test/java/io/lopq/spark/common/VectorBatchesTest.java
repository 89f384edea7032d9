package io.lopq.spark.common;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.lopq.io.vectors.FvecsWriter;
import io.lopq.io.vectors.VectorInput;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VectorBatchesTest {
  private static final int D = 3;

  @TempDir
  Path dir;

  private static float[] vectorOf(int i) {
    return new float[] {i, i + 0.5f, -i};
  }

  private Dataset<Row> sparkRows(int n) {
    List<float[]> vectors = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      vectors.add(vectorOf(i));
    }
    String path = dir.resolve("x.fvecs").toString();
    FvecsWriter.writeFvecs(path, SharedSpark.session().sparkContext().hadoopConfiguration(), vectors);
    return VectorInput.of(path).read(SharedSpark.session());
  }

  @Test
  void batchesHoldRowMajorVectorsAndIdsInOrder() {
    List<Row> rows = sparkRows(10).orderBy("id").collectAsList();
    VectorBatches batches = new VectorBatches(rows.iterator(), D, 4);
    List<Integer> sizes = new ArrayList<>();
    VectorBatch first = null;
    int seen = 0;
    while (batches.hasNext()) {
      VectorBatch batch = batches.next();
      if (first == null) {
        first = batch;
      }
      assertSame(first, batch, "one batch object is reused");
      sizes.add(batch.size());
      for (int i = 0; i < batch.size(); i++, seen++) {
        assertEquals(seen, batch.longId(i));
        assertEquals((long) seen, batch.id(i));
        assertNull(batch.stringId(i));
        assertArrayEquals(vectorOf(seen),
            Arrays.copyOfRange(batch.vectors(), batch.offset(i), batch.offset(i) + D), "row " + seen);
        assertSame(rows.get(seen), batch.row(i));
      }
    }
    assertEquals(List.of(4, 4, 2), sizes);
    assertThrows(NoSuchElementException.class, batches::next);
  }

  @Test
  void batchesWorkInsideMapPartitions() {
    Dataset<Row> rows = sparkRows(25).repartition(3);
    MapPartitionsFunction<Row, Double> sums = it -> {
      double sum = 0;
      VectorBatches batches = new VectorBatches(it, D, 4);
      while (batches.hasNext()) {
        VectorBatch batch = batches.next();
        for (int i = 0; i < batch.size(); i++) {
          sum += batch.vectors()[batch.offset(i)] - batch.longId(i);
        }
        sum += batch.size() * 1000.0;
      }
      return List.of(sum).iterator();
    };
    double total = rows.mapPartitions(sums, Encoders.DOUBLE()).collectAsList().stream()
        .mapToDouble(Double::doubleValue).sum();
    assertEquals(25 * 1000.0, total, "each row counted once, vector value 0 equals its id");
  }

  @Test
  void stringIdsAndOtherVectorForms() {
    List<Row> rows = List.of(
        RowFactory.create("a", new float[] {1, 2, 3}, "kept-a"),
        RowFactory.create("b", List.of(4.0, 5.0, 6.0), "kept-b"),
        RowFactory.create("c", Vectors.sparse(D, new int[] {2}, new double[] {9}), "kept-c"),
        RowFactory.create("d", scala.jdk.javaapi.CollectionConverters.asScala(List.of(7f, 8f, 9f)).toSeq(), "kept-d"));
    VectorBatch batch = new VectorBatches(rows.iterator(), D).next();
    assertEquals(4, batch.size());
    assertEquals("c", batch.stringId(2));
    assertEquals("c", batch.id(2));
    assertEquals("kept-b", batch.row(1).getString(2));
    assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6, 0, 0, 9, 7, 8, 9}, Arrays.copyOf(batch.vectors(), 4 * D));
  }

  @Test
  void wrongDimensionAndBadIdsAreNamed() {
    Iterator<Row> rows = List.of(RowFactory.create(7L, new float[] {1, 2})).iterator();
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new VectorBatches(rows, D, 2).next());
    assertEquals("row with id 7 has dimension 2, expected 3", e.getMessage());
    Iterator<Row> nullId = List.of(RowFactory.create(null, new float[] {1, 2, 3})).iterator();
    e = assertThrows(IllegalArgumentException.class, () -> new VectorBatches(nullId, D, 2).next());
    assertEquals("row has an id of unsupported type null; expected a long or a string", e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> new VectorBatches(rows, 0, 2));
    assertFalse(new VectorBatches(List.<Row>of().iterator(), D).hasNext());
  }
}
