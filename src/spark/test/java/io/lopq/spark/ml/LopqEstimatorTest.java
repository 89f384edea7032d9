package io.lopq.spark.ml;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lopq.encode.BatchEncoder;
import io.lopq.encode.EncodedBatch;
import io.lopq.io.model.ModelStore;
import io.lopq.format.vectors.SyntheticCorpus;
import io.lopq.model.LopqModel;
import io.lopq.spark.common.SharedSpark;
import io.lopq.spark.train.TrainPlan;
import io.lopq.train.TrainingParams;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LopqEstimatorTest {
  private static final int DIMENSION = 8;
  private static final int ROWS = 1500;
  private static SparkSession spark;
  private static float[] data;
  private static Dataset<Row> frame;

  @TempDir Path dir;

  @BeforeAll
  static void setUp() {
    spark = SharedSpark.session();
    data = new SyntheticCorpus(DIMENSION, 6, 9).rows(0, ROWS);
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < ROWS; i++) {
      rows.add(RowFactory.create((long) i, Arrays.copyOfRange(data, i * DIMENSION, (i + 1) * DIMENSION)));
    }
    StructType schema = new StructType().add("key", DataTypes.LongType, false)
        .add("features", DataTypes.createArrayType(DataTypes.FloatType, false), false);
    frame = spark.createDataFrame(rows, schema).repartition(3);
  }

  private static LopqEstimator estimator() {
    return new LopqEstimator().setInputCol("features").setIdCol("key").setCoarseClusters(3).setSubquantizers(4)
        .setSubquantizerClusters(8).setCoarseIterations(5).setSubquantizerIterations(5).setSeed(4);
  }

  @Test
  void fitThenTransformAddsTheCodesTheBatchEncoderGives() {
    LopqSparkModel model = estimator().fit(frame);
    LopqModel lopq = model.lopqModel();
    assertEquals(DIMENSION, lopq.dimension());
    assertEquals(3, lopq.coarseClusters());
    assertEquals("features", model.getInputCol(), "column params are copied to the model");

    Dataset<Row> coded = model.transform(frame);
    assertEquals(List.of("key", "features", "coarse0", "coarse1", "codes"), Arrays.asList(coded.columns()));
    EncodedBatch expected = new BatchEncoder(lopq).encode(data, ROWS);
    List<Row> rows = coded.collectAsList();
    assertEquals(ROWS, rows.size());
    for (Row row : rows) {
      int i = (int) row.getLong(0);
      assertEquals(expected.coarse(0, i), row.getInt(2), "coarse0 of row " + i);
      assertEquals(expected.coarse(1, i), row.getInt(3), "coarse1 of row " + i);
      byte[] codes = (byte[]) row.get(4);
      assertArrayEquals(Arrays.copyOfRange(expected.fineArray(), expected.fineOffset(i), expected.fineOffset(i) + 4),
          codes, "codes of row " + i);
    }
  }

  @Test
  void theModelSavesAndLoadsThroughSparkMlAndTheModelStore() throws Exception {
    LopqSparkModel model = estimator().fit(frame).setCodesCol("pq");
    String path = dir.resolve("ml-model").toString();
    model.write().save(path);
    assertTrue(Files.isDirectory(dir.resolve("ml-model").resolve("metadata")), "Spark ML metadata");
    assertEquals(model.lopqModel().fingerprint(),
        ModelStore.load(dir.resolve("ml-model").resolve(LopqSparkModel.MODEL_DIR).toString()).fingerprint(),
        "the LOPQ model is a ModelStore model inside the ML path");

    LopqSparkModel loaded = LopqSparkModel.load(path);
    assertEquals(model.uid(), loaded.uid());
    assertEquals("pq", loaded.getCodesCol());
    assertEquals(model.lopqModel().fingerprint(), loaded.lopqModel().fingerprint());
    List<Row> before = model.transform(frame).orderBy("key").select("pq").collectAsList();
    List<Row> after = loaded.transform(frame).orderBy("key").select("pq").collectAsList();
    for (int i = 0; i < ROWS; i++) {
      assertArrayEquals((byte[]) before.get(i).get(0), (byte[]) after.get(i).get(0));
    }

    String estimatorPath = dir.resolve("estimator").toString();
    estimator().write().save(estimatorPath);
    LopqEstimator back = LopqEstimator.load(estimatorPath);
    assertEquals(3, back.getCoarseClusters());
    assertEquals(4L, back.getSeed());
  }

  @Test
  void worksAsAPipelineStageThatSavesAndLoads() throws Exception {
    PipelineModel fitted = new Pipeline().setStages(new PipelineStage[] {estimator()}).fit(frame);
    String path = dir.resolve("pipeline").toString();
    fitted.write().save(path);
    PipelineModel loaded = PipelineModel.load(path);
    LopqSparkModel stage = (LopqSparkModel) loaded.stages()[0];
    assertEquals(((LopqSparkModel) fitted.stages()[0]).lopqModel().fingerprint(), stage.lopqModel().fingerprint());
    Row first = loaded.transform(frame).orderBy("key").first();
    assertEquals(4, ((byte[]) first.getAs("codes")).length);
  }

  @Test
  void paramsAreValidatedAndDocumented() {
    LopqEstimator estimator = new LopqEstimator();
    assertThrows(IllegalArgumentException.class, () -> estimator.setSubquantizers(3));
    assertThrows(IllegalArgumentException.class, () -> estimator.setSubquantizerClusters(257));
    assertThrows(IllegalArgumentException.class, () -> estimator.setSampleFraction(0));
    assertThrows(IllegalArgumentException.class, () -> estimator.setRotationFallback("sideways"));
    String explained = estimator.explainParams();
    assertTrue(explained.contains("coarseClusters: V, coarse clusters per half"), explained);
    IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
        () -> new LopqEstimator().setInputCol("nope").fit(frame));
    assertTrue(missing.getMessage().contains("'nope' not found"), missing.getMessage());
  }

  @Test
  void everyLopqParamIsTheSparkMlFormOfItsOneDeclaration() {
    LopqEstimator estimator = new LopqEstimator();
    List<io.lopq.param.Param<?>> declared = List.of(TrainingParams.COARSE_CLUSTERS, TrainingParams.SUBQUANTIZERS,
        TrainingParams.SUBQUANTIZER_CLUSTERS, TrainingParams.SEED, TrainingParams.COARSE_ITERATIONS,
        TrainingParams.SUBQUANTIZER_ITERATIONS, TrainingParams.MAX_SUBQUANTIZER_SAMPLES,
        TrainingParams.REFINE_ITERATIONS, TrainingParams.MIN_ROTATION_CLUSTER_SIZE, TrainingParams.ROTATION_FALLBACK,
        TrainingParams.CODEBOOKS, TrainingParams.CODEBOOK_PRIOR_ROWS, TrainingParams.LOCAL_CODEBOOK_ITERATIONS,
        TrainPlan.SAMPLE_FRACTION, TrainPlan.DISTORTION_SAMPLE_ROWS);
    for (io.lopq.param.Param<?> param : declared) {
      org.apache.spark.ml.param.Param<Object> ml = estimator.getParam(param.name());
      assertTrue(ml.doc().startsWith(param.doc()), param + ": " + ml.doc());
      assertEquals(param.defaultValue(), MlParams.value(param, estimator.getDefault(ml).get()), param.toString());
    }
    assertEquals(TrainingParams.builder().build(), estimator.plan().training(),
        "the estimator's defaults are the declared ones");
    assertEquals(TrainPlan.builder(TrainingParams.builder().build()).build().toMap(), estimator.plan().toMap());
    assertEquals(LopqColumns.INPUT_COL.defaultValue(), estimator.getInputCol());
    assertEquals(LopqColumns.CODES_COL.defaultValue(), estimator.getCodesCol());
    TrainingParams local = new LopqEstimator().setCodebooks("local").setCodebookPriorRows(2)
        .setLocalCodebookIterations(3).plan().training();
    assertEquals(io.lopq.model.CodebookScope.LOCAL, local.codebooks());
    assertEquals(2, local.codebookPriorRows());
    assertEquals(3, local.localCodebookIterations());
    assertThrows(IllegalArgumentException.class, () -> new LopqEstimator().setCodebooks("per-cell"));
  }
}
