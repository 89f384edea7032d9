package io.lopq.spark.common;

import static io.lopq.io.vectors.InputTesting.invalidInputMessage;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lopq.format.vectors.InvalidInputException;
import io.lopq.io.vectors.FvecsWriter;
import io.lopq.io.vectors.VectorDataset;
import io.lopq.io.vectors.VectorInput;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import scala.Tuple2;

class VectorBlocksTest {
  private static final int D = 3;

  @TempDir
  Path dir;

  private static float[] vectorOf(int i) {
    return new float[] {i, i + 0.5f, -i};
  }

  private VectorDataset fvecs(int n) {
    List<float[]> vectors = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      vectors.add(vectorOf(i));
    }
    String path = dir.resolve("x.fvecs").toString();
    FvecsWriter.writeFvecs(path, SharedSpark.session().sparkContext().hadoopConfiguration(), vectors);
    return VectorInput.of(path).load(SharedSpark.session());
  }

  private static Dataset<Row> frame(StructType schema, Row... rows) {
    return SharedSpark.session().createDataFrame(Arrays.asList(rows), schema).coalesce(1);
  }

  @Test
  void blocksHoldRowMajorVectorsAndIdsInOrder() {
    VectorDataset data = fvecs(10);
    VectorDataset ordered = new VectorDataset(data.rows().orderBy("id").coalesce(1), D, null);
    List<VectorBlock> blocks = VectorBlocks.of(ordered).blocks(4).collect();
    List<Integer> sizes = new ArrayList<>();
    int seen = 0;
    for (VectorBlock block : blocks) {
      sizes.add(block.size());
      assertEquals(D, block.dimension());
      assertFalse(block.hasStringIds());
      for (int i = 0; i < block.size(); i++, seen++) {
        assertEquals(seen, block.id(i));
        assertEquals((long) seen, block.idObject(i));
        assertArrayEquals(vectorOf(seen), block.vector(i), "row " + seen);
        assertArrayEquals(vectorOf(seen), Arrays.copyOfRange(block.vectors(), i * D, (i + 1) * D));
      }
    }
    assertEquals(List.of(4, 4, 2), sizes);
  }

  @Test
  void everyRowIsReadOnceWhateverThePartitioningOneByOneOrInBlocks() {
    VectorDataset data = fvecs(25);
    VectorDataset spread = new VectorDataset(data.rows().repartition(3), D, null);
    double total = VectorBlocks.of(spread).blocks(4).map(block -> {
      double sum = 0;
      for (int i = 0; i < block.size(); i++) {
        sum += block.vectors()[i * D] - block.id(i);
      }
      return sum + block.size() * 1000.0;
    }).reduce(Double::sum);
    assertEquals(25 * 1000.0, total, "each row counted once, vector value 0 equals its id");
    Map<Long, float[]> single = new TreeMap<>();
    for (Tuple2<Object, float[]> row : VectorBlocks.of(spread).vectors().collect()) {
      assertTrue(single.put((Long) row._1(), row._2()) == null, "id " + row._1() + " once");
    }
    assertEquals(25, single.size());
    single.forEach((id, vector) -> assertArrayEquals(vectorOf(id.intValue()), vector));
  }

  @Test
  void stringAndIntIdsDoubleArraysAndSparkMlVectorsAreRead() {
    StructType doubles = new StructType().add("key", DataTypes.StringType)
        .add("v", DataTypes.createArrayType(DataTypes.DoubleType)).add("kept", DataTypes.StringType);
    List<VectorBlock> blocks = VectorBlocks.of(frame(doubles, RowFactory.create("a", List.of(1.0, 2.0, 3.0), "x"),
        RowFactory.create("b", List.of(4.0, 5.0, 6.0), "y")), "v", "key", D).blocks(8).collect();
    assertEquals(1, blocks.size());
    assertTrue(blocks.get(0).hasStringIds());
    assertEquals("b", blocks.get(0).stringId(1));
    assertEquals("a", blocks.get(0).idObject(0));
    assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6}, blocks.get(0).vectors());

    StructType ml = new StructType().add("n", DataTypes.IntegerType).add("features", SQLDataTypes.VectorType());
    Dataset<Row> mlRows = frame(ml, RowFactory.create(7, Vectors.dense(1, 2, 3)),
        RowFactory.create(9, Vectors.sparse(D, new int[] {2}, new double[] {9})));
    VectorBlock block = VectorBlocks.of(mlRows, "features", "n", D).blocks(8).first();
    assertArrayEquals(new long[] {7, 9}, block.ids());
    assertArrayEquals(new float[] {1, 2, 3, 0, 0, 9}, block.vectors());
    assertEquals(D, VectorBlocks.dimensionOf(mlRows, "features"));

    VectorBlock positional = VectorBlocks.of(mlRows, "features", null, D).blocks(8).first();
    assertArrayEquals(new long[] {0, 1}, positional.ids(), "row i of partition 0 gets id i");
    List<Tuple2<Object, float[]>> single = VectorBlocks.of(mlRows.repartition(2), "features", null, D).vectors()
        .collect();
    assertEquals(2, single.size());
    assertTrue(!single.get(0)._1().equals(single.get(1)._1()), "distinct ids");
    for (Tuple2<Object, float[]> row : single) {
      long id = (Long) row._1();
      assertTrue(id >> VectorReader.PARTITION_SHIFT < 2 && id % (1L << VectorReader.PARTITION_SHIFT) < 2,
          "partition * 2^40 + position: " + id);
    }
  }

  @Test
  void badRowsAreNamedByIdOrPosition() {
    StructType schema = new StructType().add("id", DataTypes.LongType)
        .add("vector", DataTypes.createArrayType(DataTypes.FloatType, true));
    String dimension = invalidInputMessage(() -> VectorBlocks.of(frame(schema,
        RowFactory.create(7L, new float[] {1, 2})), "vector", "id", D).blocks(2).count());
    assertEquals("row with id 7 (vector column 'vector') has dimension 2, expected 3", dimension);
    String nullId = invalidInputMessage(() -> VectorBlocks.of(frame(schema,
        RowFactory.create(null, new float[] {1, 2, 3})), "vector", "id", D).blocks(2).count());
    assertEquals("row 0 of input partition 0 has a null id (id column 'id')", nullId);
    String nullVector = invalidInputMessage(() -> VectorBlocks.of(frame(schema,
        RowFactory.create(3L, null)), "vector", "id", D).vectors().count());
    assertEquals("row with id 3 (vector column 'vector') has a null vector", nullVector);
    String nullValue = invalidInputMessage(() -> VectorBlocks.of(frame(schema,
        RowFactory.create(4L, Arrays.asList(1f, null, 3f))), "vector", "id", D).blocks(2).count());
    assertEquals("row with id 4 (vector column 'vector') has a null value at index 1", nullValue);
    String nan = invalidInputMessage(() -> VectorBlocks.of(frame(schema,
        RowFactory.create(5L, new float[] {1, 2, Float.NaN})), "vector", null, D).blocks(2).count());
    assertEquals("row 0 of input partition 0 (vector column 'vector') has a non-finite value NaN at index 2", nan);
  }

  @Test
  void missingOrMistypedColumnsAndEmptyInputsAreRejectedOnTheDriver() {
    StructType schema = new StructType().add("id", DataTypes.DoubleType).add("v", DataTypes.StringType);
    Dataset<Row> rows = frame(schema);
    InvalidInputException missing = assertThrows(InvalidInputException.class,
        () -> VectorBlocks.of(rows, "vector", null, D));
    assertTrue(missing.getMessage().startsWith("vector column 'vector' not found"), missing.getMessage());
    InvalidInputException type = assertThrows(InvalidInputException.class, () -> VectorBlocks.of(rows, "v", null, D));
    assertTrue(type.getMessage().contains("has type string"), type.getMessage());
    StructType floats = new StructType().add("id", DataTypes.DoubleType)
        .add("v", DataTypes.createArrayType(DataTypes.FloatType));
    InvalidInputException id = assertThrows(InvalidInputException.class,
        () -> VectorBlocks.of(frame(floats), "v", "id", D));
    assertTrue(id.getMessage().contains("id column 'id' has type double"), id.getMessage());
    InvalidInputException empty = assertThrows(InvalidInputException.class,
        () -> VectorBlocks.dimensionOf(frame(floats), "v"));
    assertEquals("the input has no rows: nothing to train on", empty.getMessage());
    assertThrows(IllegalArgumentException.class, () -> VectorBlocks.of(frame(floats), "v", null, D).blocks(0));
  }

  @Test
  void blocksSelectAndRenumberRows() {
    VectorBlock block = new VectorBlock(new long[] {4, 5, 6}, new String[] {"d", "e", "f"},
        new float[] {0, 1, 2, 3, 4, 5}, 2);
    VectorBlock picked = block.select(new int[] {2, 0}, 2);
    assertArrayEquals(new float[] {4, 5, 0, 1}, picked.vectors());
    assertEquals("f", picked.stringId(0));
    assertArrayEquals(new float[] {0, 2, 4}, block.half(0));
    VectorBlock renumbered = block.withIds(new long[] {1, 2, 3});
    assertFalse(renumbered.hasStringIds());
    assertEquals(3, renumbered.id(2));
    assertThrows(IllegalArgumentException.class, () -> new VectorBlock(new long[2], new float[3], 2));
  }
}
