package io.lopq.spark.sql;

import io.lopq.io.model.ModelStore;
import io.lopq.io.vectors.FvecsWriter;
import io.lopq.model.LopqModel;
import io.lopq.model.RandomModels;
import io.lopq.spark.encode.EncodeJob;
import java.io.File;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.apache.spark.sql.SparkSession;

/**
 * A small world on disk for the SQL tests: a random model (D=16, V=8, M=4, K=32) saved as a model
 * directory, {@code n} clustered base vectors as {@code base.fvecs} encoded into {@code encoded},
 * and {@code queryCount} queries as {@code queries.fvecs}.
 */
final class SqlFixtures {
  static final int D = 16;
  static final int V = 8;
  static final int M = 4;
  static final int K = 32;

  final File dir;
  final LopqModel model;
  final float[][] base;
  final float[][] queries;

  SqlFixtures(SparkSession spark, File dir, long seed, int n, int queryCount) throws IOException {
    this.dir = dir;
    Random random = new Random(seed);
    this.model = RandomModels.create(random, D, V, M, K, 2.0, 1.0);
    this.base = rows(RandomModels.clusteredVectors(random, model, n, 1.0), n);
    this.queries = rows(RandomModels.clusteredVectors(random, model, queryCount, 1.0), queryCount);
    org.apache.hadoop.conf.Configuration conf = spark.sparkContext().hadoopConfiguration();
    FvecsWriter.writeFvecs(path("base.fvecs"), conf, Arrays.asList(base));
    FvecsWriter.writeFvecs(path("queries.fvecs"), conf, Arrays.asList(queries));
    ModelStore.save(model, path("model"), false);
    EncodeJob.run(spark, EncodeJob.Params.builder().model(model).input(path("base.fvecs")).output(path("encoded"))
        .build());
  }

  String path(String name) {
    return new File(dir, name).getAbsolutePath();
  }

  /** The options of a lopq table over {@code base.fvecs} with its model and index. */
  String corpusOptions() {
    return "path '" + path("base.fvecs") + "', model '" + path("model") + "', index '" + path("encoded") + "'";
  }

  /** Temporary views: {@code corpus} (with the index) and {@code queries} (none if null). */
  void createViews(SparkSession spark, String corpus, String queries) {
    spark.sql("CREATE OR REPLACE TEMPORARY VIEW " + corpus + " USING lopq OPTIONS (" + corpusOptions() + ")");
    if (queries != null) {
      spark.sql("CREATE OR REPLACE TEMPORARY VIEW " + queries + " USING lopq OPTIONS (path '"
          + path("queries.fvecs") + "')");
    }
  }

  private static float[][] rows(float[] flat, int n) {
    float[][] rows = new float[n][];
    for (int i = 0; i < n; i++) {
      rows[i] = Arrays.copyOfRange(flat, i * D, (i + 1) * D);
    }
    return rows;
  }

  /** The Euclidean distance, as Spark's {@code vector_l2_distance} computes it (not squared). */
  static double l2(float[] a, float[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      double d = a[i] - b[i];
      s += d * d;
    }
    return Math.sqrt(s);
  }

  /** The ids (row numbers) of the {@code k} nearest base rows to {@code q}, exactly. */
  List<Integer> exact(float[] q, int k) {
    List<Integer> ids = new ArrayList<>();
    for (int i = 0; i < base.length; i++) {
      ids.add(i);
    }
    ids.sort((a, b) -> Double.compare(l2(q, base[a]), l2(q, base[b])));
    return ids.subList(0, Math.min(k, ids.size()));
  }
}
