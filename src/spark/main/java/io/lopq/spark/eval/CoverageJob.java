package io.lopq.spark.eval;

import io.lopq.eval.CandidateCoverage;
import io.lopq.io.vectors.VectorDataset;
import io.lopq.io.vectors.VectorSchema;
import io.lopq.model.LopqModel;
import io.lopq.search.MultiSequence;
import io.lopq.search.batch.CellCounts;
import io.lopq.spark.common.SerializableModel;
import io.lopq.spark.search.SearchIndex;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.Optional;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import scala.Tuple2;

/**
 * Measures {@link CandidateCoverage} of an index for a set of queries: where each query's true
 * nearest neighbour falls in the multi-sequence order the search job visits cells in.
 *
 * <pre>
 *   cells    = rows per (coarse0, coarse1) of the index           (collected: at most V^2 counts)
 *   nn cell  = (coarse0, coarse1) of the neighbour's index row     (join on the neighbour's id)
 *   before   = CandidateCoverage.rowsBefore(query, nn cell)        per query, in Spark, model broadcast
 * </pre>
 *
 * Only the queries that are both in the query set and in the ground truth count; a neighbour id
 * absent from the index counts as never reached.
 */
final class CoverageJob {
  private CoverageJob() {}

  /**
   * The coverage, or null when the index's ids are not integers (the ground truth's are).
   *
   * @param nearest query id to the base id of its true nearest neighbour
   */
  static CandidateCoverage measure(SparkSession spark, LopqModel model, SearchIndex index, VectorDataset queries,
      JavaPairRDD<Long, Long> nearest) {
    Dataset<Row> rows = index.rows();
    if (!rows.schema().apply(SearchIndex.ID).dataType().equals(DataTypes.LongType)
        || !queries.idType().equals(DataTypes.LongType)) {
      return null;
    }
    CellCounts counts = cellCounts(rows, model.coarseClusters());
    JavaPairRDD<Long, int[]> cellOfId = rows.select(SearchIndex.ID, SearchIndex.COARSE0, SearchIndex.COARSE1)
        .javaRDD().mapToPair(r -> new Tuple2<>(r.getLong(0), new int[] {r.getInt(1), r.getInt(2)}));
    JavaPairRDD<Long, float[]> vectors = queries.rows().select(VectorSchema.ID, VectorSchema.VECTOR).javaRDD()
        .mapToPair(r -> new Tuple2<>(r.getLong(0), floats(r.getList(1))));
    // (neighbour id, (query id, query vector)), then the neighbour's cell, if it is in the index.
    JavaPairRDD<Long, Tuple2<Long, float[]>> byNeighbor = vectors.join(nearest)
        .mapToPair(t -> new Tuple2<>(t._2()._2(), new Tuple2<>(t._1(), t._2()._1())));
    JavaPairRDD<Long, Tuple2<Tuple2<Long, float[]>, Optional<int[]>>> located = byNeighbor.leftOuterJoin(cellOfId);
    JavaSparkContext context = JavaSparkContext.fromSparkContext(spark.sparkContext());
    Broadcast<SerializableModel> sharedModel = context.broadcast(new SerializableModel(model));
    Broadcast<CellCounts> sharedCounts = context.broadcast(counts);
    try {
      List<Long> before = located.values().mapPartitions(
          part -> rowsBefore(sharedModel.value().model(), sharedCounts.value(), part)).collect();
      long[] values = new long[before.size()];
      for (int i = 0; i < values.length; i++) {
        values[i] = before.get(i);
      }
      return new CandidateCoverage(values, counts.totalRows());
    } finally {
      sharedModel.destroy();
      sharedCounts.destroy();
    }
  }

  private static Iterator<Long> rowsBefore(LopqModel model, CellCounts counts,
      Iterator<Tuple2<Tuple2<Long, float[]>, Optional<int[]>>> located) {
    int v = model.coarseClusters();
    MultiSequence sequence = new MultiSequence(v);
    float[] d0 = new float[v];
    float[] d1 = new float[v];
    List<Long> out = new ArrayList<>();
    while (located.hasNext()) {
      Tuple2<Tuple2<Long, float[]>, Optional<int[]>> next = located.next();
      float[] query = next._1()._2();
      if (query.length != model.dimension()) {
        throw new IllegalArgumentException("query " + next._1()._1() + " has dimension " + query.length
            + ", the model's is " + model.dimension());
      }
      int[] cell = next._2().orNull();
      out.add(cell == null ? CandidateCoverage.NEVER
          : CandidateCoverage.rowsBefore(model, counts, sequence, query, 0, cell[0], cell[1], d0, d1));
    }
    return out.iterator();
  }

  private static CellCounts cellCounts(Dataset<Row> rows, int coarseClusters) {
    List<Row> cells = rows.groupBy(SearchIndex.COARSE0, SearchIndex.COARSE1).count().collectAsList();
    int[] c0 = new int[cells.size()];
    int[] c1 = new int[cells.size()];
    long[] n = new long[cells.size()];
    for (int i = 0; i < c0.length; i++) {
      c0[i] = cells.get(i).getInt(0);
      c1[i] = cells.get(i).getInt(1);
      n[i] = cells.get(i).getLong(2);
    }
    return new CellCounts(coarseClusters, c0, c1, n);
  }

  private static float[] floats(List<Float> values) {
    float[] out = new float[values.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = values.get(i);
    }
    return out;
  }
}
