package io.lopq.spark.search;

import io.lopq.encode.BatchEncoder;
import io.lopq.encode.EncodedBatch;
import io.lopq.io.vectors.VectorDataset;
import io.lopq.io.vectors.VectorSchema;
import io.lopq.model.LopqModel;
import io.lopq.model.RandomModels;
import io.lopq.search.InMemorySearcher;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/** A small corpus, its codes and queries, as the search job's inputs and as in-memory searchers. */
public final class SearchFixtures {
  public static final int D = 16;
  public static final int V = 8;
  public static final int M = 4;
  public static final int K = 32;

  public final LopqModel model;
  public final int n;
  public final float[] vectors;
  public final long[] ids;
  public final EncodedBatch codes;
  public final int queryCount;
  public final float[] queries;

  /**
   * {@code n} clustered vectors with scattered long ids and {@code queryCount} queries; with
   * {@code skew}, most vectors sit in one cell.
   */
  public SearchFixtures(long seed, int n, int queryCount, boolean skew) {
    Random random = new Random(seed);
    this.model = RandomModels.create(random, D, V, M, K, 2.0, 1.0);
    this.n = n;
    float[] data = RandomModels.clusteredVectors(random, model, n, 1.0);
    if (skew) {
      float[] center = Arrays.copyOf(data, D);
      for (int i = 0; i < n * 4 / 5; i++) {
        for (int j = 0; j < D; j++) {
          data[i * D + j] = center[j] + 0.05f * data[i * D + j];
        }
      }
    }
    this.vectors = data;
    this.ids = new long[n];
    for (int i = 0; i < n; i++) {
      ids[i] = 5_000L + 3L * ((i * 7919L) % n);
    }
    this.codes = new BatchEncoder(model).encode(vectors, n);
    this.queryCount = queryCount;
    this.queries = RandomModels.clusteredVectors(random, model, queryCount, 1.0);
  }

  public InMemorySearcher searcher() {
    return new InMemorySearcher(model, ids, codes, vectors);
  }

  /** The encoded rows as the search reads them. */
  public SearchIndex index(SparkSession spark) {
    StructType schema = DataTypes.createStructType(List.of(
        DataTypes.createStructField("id", DataTypes.LongType, false),
        DataTypes.createStructField("coarse0", DataTypes.IntegerType, false),
        DataTypes.createStructField("coarse1", DataTypes.IntegerType, false),
        DataTypes.createStructField("codes", DataTypes.BinaryType, false)));
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      byte[] fine = Arrays.copyOfRange(codes.fineArray(), codes.fineOffset(i), codes.fineOffset(i) + M);
      rows.add(RowFactory.create(ids[i], codes.coarse(0, i), codes.coarse(1, i), fine));
    }
    return new SearchIndex(spark.createDataFrame(rows, schema).repartition(3), model.fingerprint(), "test-index");
  }

  /** The string id of row {@code i}: its order differs from the order of {@link #ids}. */
  public static String name(long id) {
    return "item-" + new StringBuilder(Long.toString(id)).reverse();
  }

  /** The encoded rows with string ids ({@link #name}). */
  public SearchIndex indexWithStringIds(SparkSession spark) {
    StructType schema = DataTypes.createStructType(List.of(
        DataTypes.createStructField("id", DataTypes.StringType, false),
        DataTypes.createStructField("coarse0", DataTypes.IntegerType, false),
        DataTypes.createStructField("coarse1", DataTypes.IntegerType, false),
        DataTypes.createStructField("codes", DataTypes.BinaryType, false)));
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      byte[] fine = Arrays.copyOfRange(codes.fineArray(), codes.fineOffset(i), codes.fineOffset(i) + M);
      rows.add(RowFactory.create(name(ids[i]), codes.coarse(0, i), codes.coarse(1, i), fine));
    }
    return new SearchIndex(spark.createDataFrame(rows, schema).repartition(3), model.fingerprint(), "string-index");
  }

  /** Vectors with string ids. */
  public static VectorDataset namedVectors(SparkSession spark, float[] data, String[] rowIds, int count, int dimension) {
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      rows.add(RowFactory.create(rowIds[i], Arrays.copyOfRange(data, i * dimension, (i + 1) * dimension)));
    }
    return new VectorDataset(spark.createDataFrame(rows, VectorSchema.of(DataTypes.StringType, List.of())),
        dimension, null);
  }

  /** The raw vectors with their ids. */
  public VectorDataset raw(SparkSession spark) {
    return vectors(spark, vectors, ids, n, D);
  }

  /** The raw vectors sorted by id, so that each partition holds one range of ids. */
  public VectorDataset rawSortedById(SparkSession spark) {
    Integer[] order = new Integer[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    Arrays.sort(order, (a, b) -> Long.compare(ids[a], ids[b]));
    float[] sorted = new float[vectors.length];
    long[] sortedIds = new long[n];
    for (int p = 0; p < n; p++) {
      System.arraycopy(vectors, order[p] * D, sorted, p * D, D);
      sortedIds[p] = ids[order[p]];
    }
    return vectors(spark, sorted, sortedIds, n, D);
  }

  /** The queries, ids 0..Q-1. */
  public VectorDataset queries(SparkSession spark) {
    long[] queryIds = new long[queryCount];
    for (int q = 0; q < queryCount; q++) {
      queryIds[q] = q;
    }
    return vectors(spark, queries, queryIds, queryCount, D);
  }

  /** The query at {@code q}. */
  public float[] query(int q) {
    return Arrays.copyOfRange(queries, q * D, (q + 1) * D);
  }

  public static VectorDataset vectors(SparkSession spark, float[] data, long[] rowIds, int count, int dimension) {
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      rows.add(RowFactory.create(rowIds[i], Arrays.copyOfRange(data, i * dimension, (i + 1) * dimension)));
    }
    return new VectorDataset(spark.createDataFrame(rows, VectorSchema.withLongIds()), dimension, null);
  }
}
