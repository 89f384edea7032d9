package io.lopq.spark.sql;

import io.lopq.format.vectors.InvalidInputException;
import io.lopq.io.encoded.EncodedDataset;
import io.lopq.io.model.ModelStore;
import io.lopq.model.LopqModel;
import java.io.IOException;
import java.util.Objects;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataType;

/**
 * What a {@code lopq} table carries besides its rows: the model, its encoded dataset (checked to
 * belong to the model, the table's dimension and its id type) and the table's search options.
 * Lives on the driver only.
 */
public final class IndexBinding {
  private final String table;
  private final String modelPath;
  private final LopqModel model;
  private final EncodedDataset encoded;
  private final JoinSettings settings;

  IndexBinding(String table, String modelPath, LopqModel model, EncodedDataset encoded, JoinSettings settings) {
    this.table = Objects.requireNonNull(table, "table");
    this.modelPath = Objects.requireNonNull(modelPath, "modelPath");
    this.model = Objects.requireNonNull(model, "model");
    this.encoded = Objects.requireNonNull(encoded, "encoded");
    this.settings = Objects.requireNonNull(settings, "settings");
  }

  /**
   * Loads the model, opens the encoded dataset and checks them against each other and the table.
   *
   * @param table the table as messages name it
   * @param dimension the table's vector dimension, or 0 if unknown (checked per query row then)
   * @throws InvalidInputException naming the table and the file for an unreadable model, a missing or
   *     corrupt index, an index of another model, another id type or another dimension
   */
  static IndexBinding open(SparkSession spark, String table, String modelPath, String indexPath,
      JoinSettings settings, DataType idType, int dimension) {
    LopqModel model;
    try {
      model = ModelStore.load(modelPath);
    } catch (IOException | RuntimeException e) {
      throw new InvalidInputException(table + ": cannot read the model " + modelPath + ": " + e.getMessage(), e);
    }
    if (dimension > 0 && model.dimension() != dimension) {
      throw new InvalidInputException(table + ": column vector has dimension " + dimension + ", the model "
          + modelPath + " expects D=" + model.dimension());
    }
    EncodedDataset encoded;
    try {
      encoded = EncodedDataset.open(spark, indexPath);
      encoded.requireModel(model);
    } catch (InvalidInputException e) {
      throw new InvalidInputException(table + ": " + e.getMessage(), e);
    }
    if (!encoded.idType().equals(idType)) {
      throw new InvalidInputException(table + ": column id is " + idType.simpleString() + ", but the index "
          + encoded.path() + " has " + encoded.idType().simpleString() + " ids");
    }
    return new IndexBinding(table, modelPath, model, encoded, settings);
  }

  /** The table, as messages name it ("lopq table PATH", "table NAME"). */
  public String table() {
    return table;
  }

  public String modelPath() {
    return modelPath;
  }

  public LopqModel model() {
    return model;
  }

  public EncodedDataset encoded() {
    return encoded;
  }

  public JoinSettings settings() {
    return settings;
  }

  @Override
  public String toString() {
    return table + " [model=" + modelPath + ", index=" + encoded.path() + " (revision " + encoded.manifest().revision() + ", "
        + encoded.rowCount() + " rows)]";
  }
}
