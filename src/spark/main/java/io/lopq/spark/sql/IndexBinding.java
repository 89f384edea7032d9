package io.lopq.spark.sql;

import io.lopq.io.encoded.EncodedDataset;
import io.lopq.model.LopqModel;
import java.util.Objects;

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

  /** The table's path (for messages). */
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
    return "model=" + modelPath + ", index=" + encoded.path() + " (revision " + encoded.manifest().revision() + ", "
        + encoded.rowCount() + " rows)";
  }
}
