package io.lopq.spark;

import io.lopq.bench.RandomModels;
import io.lopq.encode.BatchEncoder;
import io.lopq.encode.EncodedBatch;
import io.lopq.io.VectorDataset;
import io.lopq.io.VectorSchema;
import io.lopq.model.LopqModel;
import io.lopq.search.InMemorySearcher;
import io.lopq.spark.search.SearchIndex;
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
final class SearchFixtures {
  static final int D = 16;
  static final int V = 8;
  static final int M = 4;
  static final int K = 32;

  final LopqModel model;
  final int n;
  final float[] vectors;
  final long[] ids;
  final EncodedBatch codes;
  final int queryCount;
  final float[] queries;

  /**
   * {@code n} clustered vectors with scattered long ids and {@code queryCount} queries; with
   * {@code skew}, most vectors sit in one cell.
   */
  SearchFixtures(long seed, int n, int queryCount, boolean skew) {
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

  InMemorySearcher searcher() {
    return new InMemorySearcher(model, ids, codes, vectors);
  }

  /** The encoded rows as the search reads them. */
  SearchIndex index(SparkSession spark) {
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

  /** The raw vectors with their ids. */
  VectorDataset raw(SparkSession spark) {
    return vectors(spark, vectors, ids, n, D);
  }

  /** The raw vectors sorted by id, so that each partition holds one range of ids. */
  VectorDataset rawSortedById(SparkSession spark) {
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
  VectorDataset queries(SparkSession spark) {
    long[] queryIds = new long[queryCount];
    for (int q = 0; q < queryCount; q++) {
      queryIds[q] = q;
    }
    return vectors(spark, queries, queryIds, queryCount, D);
  }

  /** The query at {@code q}. */
  float[] query(int q) {
    return Arrays.copyOfRange(queries, q * D, (q + 1) * D);
  }

  static VectorDataset vectors(SparkSession spark, float[] data, long[] rowIds, int count, int dimension) {
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      rows.add(RowFactory.create(rowIds[i], Arrays.copyOfRange(data, i * dimension, (i + 1) * dimension)));
    }
    return new VectorDataset(spark.createDataFrame(rows, VectorSchema.withLongIds()), dimension, null);
  }
}
