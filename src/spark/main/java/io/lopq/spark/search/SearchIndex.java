package io.lopq.spark.search;

import io.lopq.spark.common.StageApi;

import java.util.Objects;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * What the search reads of an encoded dataset: its committed rows (columns {@code id},
 * {@code coarse0}, {@code coarse1}, {@code codes}, any others ignored) and the fingerprint of the
 * model that encoded them, so the search does not depend on how the dataset is stored.
 */
@StageApi
public final class SearchIndex {
  /** Column of the ids. */
  public static final String ID = "id";
  /** Column of the first-half coarse index. */
  public static final String COARSE0 = "coarse0";
  /** Column of the second-half coarse index. */
  public static final String COARSE1 = "coarse1";
  /** Column of the M fine codes (binary, one unsigned byte each). */
  public static final String CODES = "codes";

  private final Dataset<Row> rows;
  private final String fingerprint;
  private final String description;

  /**
   * An index.
   *
   * @param fingerprint {@link io.lopq.model.LopqModel#fingerprint()} of the encoding model
   * @param description where it comes from (a path), for error messages
   */
  public SearchIndex(Dataset<Row> rows, String fingerprint, String description) {
    this.rows = Objects.requireNonNull(rows, "rows");
    this.fingerprint = Objects.requireNonNull(fingerprint, "fingerprint");
    this.description = Objects.requireNonNull(description, "description");
  }

  public Dataset<Row> rows() {
    return rows;
  }

  public String fingerprint() {
    return fingerprint;
  }

  public String description() {
    return description;
  }
}
