package io.lopq.format.vectors;

import io.lopq.param.Check;
import io.lopq.param.Param;
import java.util.List;

/**
 * How vectors are read, declared once ({@link Param}) for every command and job that reads them
 * (train, encode, search, eval) and for the Spark-side reader ({@code io.lopq.io.vectors.VectorInput}).
 *
 * <pre>
 *   format         fvecs, bvecs, csv, tsv or parquet                      default: from the path name
 *   idCol          the id column (Parquet, CSV/TSV with a header)          default: "id" if present, else row numbers
 *   vectorCol      the vector column (Parquet, CSV/TSV with a header)      default "vector"
 *   header         CSV/TSV files start with a header line                  default off
 *   minPartitions  at least about this many input splits                   default 0: one per file block
 *   keepCols       input columns carried through unchanged                 default none
 *   skipInvalid    skip and count invalid rows instead of failing          default off
 * </pre>
 */
public final class VectorInputParams {
  /** The input format. */
  public static final Param<VectorFormat> FORMAT = Param.ofEnum("format",
      "Input format: " + VectorFormat.names(), VectorFormat.class, null)
      .parser(VectorFormat::fromName).defaultText("from the path name");
  /** The id column. */
  public static final Param<String> ID_COL = Param.ofString("idCol",
      "Id column of Parquet or CSV/TSV-with-header input", null, Check.any())
      .defaultText("'id' if present, else row numbers");
  /** The vector column. */
  public static final Param<String> VECTOR_COL = Param.ofString("vectorCol",
      "Vector column of Parquet or CSV/TSV-with-header input", "vector", Check.any());
  /** CSV/TSV header lines. */
  public static final Param<Boolean> HEADER = Param.flag("header", "CSV/TSV files start with a header line");
  /** Input splits. */
  public static final Param<Integer> MIN_PARTITIONS = Param.ofInt("minPartitions",
      "Read fvecs/bvecs/CSV/TSV in at least about N splits", 0, Check.atLeast(0)).label("min partitions")
      .defaultText("one per file block");
  /** Columns carried through. */
  public static final Param<List<String>> KEEP_COLS = Param.<List<String>>of(List.class, "keepCols",
      "Input columns to carry through unchanged (e.g. an image URL)", List.of(), Check.any())
      .parser(text -> List.of(text.split(","))).defaultText("none");
  /** Invalid rows. */
  public static final Param<Boolean> SKIP_INVALID = Param.flag("skipInvalid",
      "Skip and count invalid rows (wrong dimension, NaN/Inf) instead of failing");

  private VectorInputParams() {}
}
