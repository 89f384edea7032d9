package io.lopq.spark.ml;

import io.lopq.io.model.ModelStore;
import io.lopq.model.LopqModel;
import io.lopq.spark.common.SerializableModel;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Objects;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.ml.Model;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.DefaultParamsReader$;
import org.apache.spark.ml.util.DefaultParamsWriter$;
import org.apache.spark.ml.util.Identifiable$;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.ml.util.MLWritable;
import org.apache.spark.ml.util.MLWriter;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructType;

/**
 * A trained LOPQ model as a Spark ML {@link org.apache.spark.ml.Transformer}: adds each row's code
 * (coarse0, coarse1 and the M fine codes as binary) computed with
 * {@link io.lopq.encode.BatchEncoder} in {@code mapPartitions}, one encoder per task, batches of
 * {@value EncodeRows#BATCH_ROWS} rows.
 *
 * <p>Persistence ({@link MLWritable}, and {@link #read()}/{@link #load(String)}): Spark ML's
 * metadata (class, uid, params) in {@code PATH/metadata}, the model itself in this project's
 * native format ({@link ModelStore}, checked on load) in {@code PATH/}{@value #MODEL_DIR}.
 */
public final class LopqSparkModel extends Model<LopqSparkModel>
    implements LopqColumnParams<LopqSparkModel>, MLWritable {
  private static final long serialVersionUID = 1L;
  /** The model directory inside a saved Spark ML model. */
  public static final String MODEL_DIR = "lopq-model";

  private final String uid;
  private final transient LopqModel model;
  private final LopqColumns.Set columns;

  /** A transformer for {@code model} with the given uid. */
  public LopqSparkModel(String uid, LopqModel model) {
    this.uid = Objects.requireNonNull(uid, "uid");
    this.model = Objects.requireNonNull(model, "model");
    this.columns = LopqColumns.declare(this);
  }

  /** A transformer for {@code model} with a fresh uid. */
  public LopqSparkModel(LopqModel model) {
    this(Identifiable$.MODULE$.randomUID("lopqModel"), model);
  }

  @Override
  public String uid() {
    return uid;
  }

  /** The LOPQ model. */
  public LopqModel lopqModel() {
    return model;
  }

  @Override
  public LopqColumns.Set lopqColumns() {
    return columns;
  }

  @Override
  public StructType transformSchema(StructType schema) {
    return lopqOutputSchema(schema);
  }

  @Override
  public Dataset<Row> transform(Dataset<?> dataset) {
    StructType out = transformSchema(dataset.schema());
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(dataset.sparkSession().sparkContext());
    Broadcast<SerializableModel> broadcast = jsc.broadcast(new SerializableModel(model));
    int vectorField = dataset.schema().fieldIndex(getInputCol());
    return dataset.toDF().mapPartitions(new EncodeRows(broadcast, vectorField, getInputCol()), Encoders.row(out));
  }

  @Override
  public LopqSparkModel copy(ParamMap extra) {
    LopqSparkModel copy = copyValues(new LopqSparkModel(uid, model), extra);
    return copy.setParent(parent());
  }

  @Override
  public MLWriter write() {
    return new Writer(this);
  }

  /** Reads a saved model. */
  public static MLReader<LopqSparkModel> read() {
    return new Reader();
  }

  /** Loads a saved model. */
  public static LopqSparkModel load(String path) {
    return read().load(path);
  }

  @Override
  public String toString() {
    return "LopqSparkModel{uid=" + uid + ", " + model + "}";
  }

  /** Writes Spark ML's metadata, then the model through {@link ModelStore}. */
  private static final class Writer extends MLWriter {
    private final LopqSparkModel instance;

    Writer(LopqSparkModel instance) {
      this.instance = instance;
    }

    @Override
    public void saveImpl(String path) {
      DefaultParamsWriter$.MODULE$.saveMetadata(instance, path, sparkSession());
      try {
        ModelStore.save(instance.model, new Path(path, MODEL_DIR), false, sparkSession().sparkContext()
            .hadoopConfiguration());
      } catch (IOException e) {
        throw new UncheckedIOException("could not write the LOPQ model under " + path + ": " + e.getMessage(), e);
      }
    }
  }

  /** Reads Spark ML's metadata and the model, checking both. */
  private static final class Reader extends MLReader<LopqSparkModel> {
    @Override
    public LopqSparkModel load(String path) {
      DefaultParamsReader.Metadata metadata = DefaultParamsReader$.MODULE$.loadMetadata(path, sparkSession(),
          LopqSparkModel.class.getName());
      LopqModel model;
      try {
        model = ModelStore.load(new Path(path, MODEL_DIR), sparkSession().sparkContext().hadoopConfiguration());
      } catch (IOException e) {
        throw new UncheckedIOException("could not read the LOPQ model under " + path + ": " + e.getMessage(), e);
      }
      LopqSparkModel instance = new LopqSparkModel(metadata.uid(), model);
      metadata.getAndSetParams(instance, scala.Option.empty());
      return instance;
    }
  }
}
