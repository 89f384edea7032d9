package io.lopq.spark.sql;

import io.lopq.io.vectors.VectorDataset;
import io.lopq.io.vectors.VectorInput;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.spark.sql.SQLContext;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.sources.BaseRelation;
import org.apache.spark.sql.sources.DataSourceRegister;
import org.apache.spark.sql.sources.RelationProvider;
import scala.jdk.javaapi.CollectionConverters;

/**
 * The data source {@code lopq}: vectors read as the command line reads them (fvecs, bvecs, CSV/TSV,
 * Parquet; {@link VectorInput}) as a table {@code (id, vector array<float>, kept columns...)}; with
 * the options {@code model} and {@code index}, the table carries the LOPQ model and the dataset
 * {@code lopq encode} wrote from it, and {@code APPROX NEAREST BY} joins against it are answered by
 * the index ({@link PlanNearestBy}).
 *
 * <pre>
 *   CREATE TEMPORARY VIEW corpus USING lopq
 *     OPTIONS (path 'base.fvecs', model 'model', index 'encoded', candidates '6000', rerankDepth '100')
 * </pre>
 *
 * Options (names case-insensitive): {@code path} (required), {@code format}, {@code idCol},
 * {@code vectorCol}, {@code keepCols} (comma-separated), {@code header}, {@code dimension};
 * {@code model}, {@code index} (both or neither); {@code candidates}, {@code rerankDepth},
 * {@code allowStaleIndex}, {@code maxTableBytes} (else the SQL settings {@code spark.lopq.*}, see
 * {@link JoinSettings}).
 */
public final class LopqSource implements RelationProvider, DataSourceRegister {
  /** The short name: {@code USING lopq}, {@code spark.read.format("lopq")}. */
  public static final String NAME = "lopq";
  /** Option: the vectors (file or folder, any Hadoop file system). */
  public static final String PATH = "path";
  /** Option: the model directory ({@code lopq train}). */
  public static final String MODEL = "model";
  /** Option: the encoded dataset ({@code lopq encode}). */
  public static final String INDEX = "index";
  /** Option: the vector format (else from the path's name). */
  public static final String FORMAT = "format";
  /** Option: the id column (Parquet, CSV with header). */
  public static final String ID_COL = "idcol";
  /** Option: the vector column. */
  public static final String VECTOR_COL = "vectorcol";
  /** Option: columns kept beside id and vector, comma-separated. */
  public static final String KEEP_COLS = "keepcols";
  /** Option: CSV/TSV files have a header line. */
  public static final String HEADER = "header";
  /** Option: the expected dimension. */
  public static final String DIMENSION = "dimension";

  private static final Set<String> KNOWN = new TreeSet<>(Arrays.asList(PATH, MODEL, INDEX, FORMAT, ID_COL,
      VECTOR_COL, KEEP_COLS, HEADER, DIMENSION, JoinSettings.CANDIDATES_OPTION, JoinSettings.RERANK_DEPTH_OPTION,
      JoinSettings.ALLOW_STALE_OPTION, JoinSettings.MAX_TABLE_BYTES_OPTION));

  /** Spark's instance (found through {@code META-INF/services}). */
  public LopqSource() {}

  @Override
  public String shortName() {
    return NAME;
  }

  @Override
  public BaseRelation createRelation(SQLContext sqlContext, scala.collection.immutable.Map<String, String> parameters) {
    Map<String, String> options = lowerCase(CollectionConverters.asJava(parameters));
    for (String key : options.keySet()) {
      if (!KNOWN.contains(key)) {
        throw new IllegalArgumentException("lopq data source: unknown option '" + key + "'; known options: "
            + KNOWN);
      }
    }
    String path = options.get(PATH);
    if (path == null || path.isBlank()) {
      throw new IllegalArgumentException("lopq data source: the option 'path' (the vectors) is required");
    }
    SparkSession spark = sqlContext.sparkSession();
    VectorDataset vectors = input(path, options).load(spark);
    String model = options.get(MODEL);
    String index = options.get(INDEX);
    IndexBinding binding = null;
    if (model != null || index != null) {
      if (model == null || index == null) {
        throw new IllegalArgumentException("lopq table " + path + ": the options 'model' and 'index' go together ("
            + (model == null ? "'index' given without 'model'" : "'model' given without 'index'") + ")");
      }
      binding = bind(spark, path, vectors, model, index, JoinSettings.fromOptions(path, options));
    }
    return new LopqRelation(sqlContext, path, vectors, binding);
  }

  private static VectorInput input(String path, Map<String, String> options) {
    // An input without rows is an empty table, as Spark reads an empty Parquet file.
    VectorInput in = VectorInput.of(path).withAllowEmpty(true);
    if (options.containsKey(FORMAT)) {
      in = in.withFormat(options.get(FORMAT));
    }
    if (options.containsKey(ID_COL)) {
      in = in.withIdCol(options.get(ID_COL));
    }
    if (options.containsKey(VECTOR_COL)) {
      in = in.withVectorCol(options.get(VECTOR_COL));
    }
    if (options.containsKey(KEEP_COLS)) {
      in = in.withKeepCols(Arrays.stream(options.get(KEEP_COLS).split(",")).map(String::strip)
          .filter(s -> !s.isEmpty()).toList());
    }
    if (options.containsKey(HEADER)) {
      in = in.withHeader(Boolean.parseBoolean(options.get(HEADER).strip()));
    }
    if (options.containsKey(DIMENSION)) {
      in = in.withDimension(Integer.valueOf(options.get(DIMENSION).strip()));
    }
    return in;
  }

  private static IndexBinding bind(SparkSession spark, String table, VectorDataset vectors, String modelPath,
      String indexPath, JoinSettings settings) {
    return IndexBinding.open(spark, "lopq table " + table, modelPath, indexPath, settings, vectors.idType(),
        vectors.dimension());
  }

  private static Map<String, String> lowerCase(Map<String, String> options) {
    Map<String, String> lower = new HashMap<>();
    options.forEach((k, v) -> lower.put(k.toLowerCase(Locale.ROOT), v));
    return lower;
  }
}
