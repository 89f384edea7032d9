package io.lopq.io.vectors;

import io.lopq.format.vectors.InvalidInputException;
import io.lopq.format.vectors.VectorFormat;
import io.lopq.format.vectors.VectorInputParams;
import io.lopq.io.fs.InputFiles;

import java.util.List;
import java.util.Objects;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.util.LongAccumulator;

/**
 * Where and how to read vectors, and the reader that turns any supported input into rows of the
 * {@link VectorSchema normalized schema} ({@code id}, {@code vector array<float>}, kept columns).
 * Immutable: each {@code with...} returns a changed copy.
 *
 * <p>Rules shared by every format:
 * <ul>
 *   <li>Paths go through Hadoop's FileSystem ({@code file:}, {@code hdfs:}, ...). A folder stands
 *       for all non-hidden files below it, taken in path order (see {@link InputFiles}).
 *   <li>Without an id column, the id is the 0-based row number over the files in path order, then
 *       rows in file order. It is deterministic: the same input always gets the same ids.
 *   <li>Each row is checked inside the Spark job (never by collecting): its dimension must equal
 *       the expected dimension, else the first row's, and every value must be finite. A bad row
 *       fails the job with an {@link InvalidInputException} naming the file and row (0-based, in
 *       that file) or id, e.g. "row 17 of file:/x.fvecs has dimension 12, expected 16"; in skip
 *       mode it is dropped and counted instead ({@link VectorDataset#skippedRows()}).
 *   <li>A missing path, an input without rows (unless {@link #withAllowEmpty allowed}), a missing
 *       or mistyped column, or a truncated binary file fail on the driver with an
 *       {@link InvalidInputException}, in skip mode too.
 * </ul>
 *
 * <p>Per format:
 * <ul>
 *   <li><b>Parquet</b>: the vector column ({@code vector} by default) may be {@code array<float>},
 *       {@code array<double>} or a Spark ML Vector (dense or sparse); the id column may be any
 *       integer type (read as long) or a string. An id column named explicitly must exist; by
 *       default a column {@code id} is used if present, else ids are row numbers. Kept columns
 *       are copied unchanged.
 *   <li><b>fvecs/bvecs</b>: a file or a folder of files with one dimension, read in parallel
 *       fixed-length splits; ids are row numbers continuing across files in path order. Naming an
 *       id column or kept columns is an error (the format has none).
 *   <li><b>CSV/TSV</b>: one vector per line, fields separated by ',' or tab; blank lines are
 *       skipped; a field may be wrapped in double quotes, but delimiters inside fields are not
 *       supported. Without a header every field is a vector value (or, if a line has a single
 *       field, it holds whitespace-separated values), and ids are row numbers. With a header
 *       (every file's first line, which must be the same in all files): a column named as the id
 *       column holds the ids (long if the first row's id is an integer, else string; an id column
 *       named explicitly must exist, and needs a header); a column
 *       named as the vector column holds the whole vector as whitespace-separated values;
 *       otherwise every column that is neither the id nor kept is one vector value, in order.
 *       Kept columns are strings.
 * </ul>
 */
public final class VectorInput {
  /** Default name of the id column in the input. */
  public static final String DEFAULT_ID_COL = VectorSchema.ID;
  /** Default name of the vector column in the input. */
  public static final String DEFAULT_VECTOR_COL = VectorInputParams.VECTOR_COL.defaultValue();

  private final String path;
  private final VectorFormat format;
  /** The id column asked for, or null for "id if present". */
  private final String idCol;
  private final String vectorCol;
  private final Integer dimension;
  private final List<String> keepCols;
  private final boolean header;
  private final boolean skipInvalid;
  private final int minPartitions;
  private final boolean allowEmpty;

  private VectorInput(String path, VectorFormat format, String idCol, String vectorCol, Integer dimension,
      List<String> keepCols, boolean header, boolean skipInvalid, int minPartitions, boolean allowEmpty) {
    this.path = path;
    this.format = format;
    this.idCol = idCol;
    this.vectorCol = vectorCol;
    this.dimension = dimension;
    this.keepCols = List.copyOf(keepCols);
    this.header = header;
    this.skipInvalid = skipInvalid;
    this.minPartitions = minPartitions;
    this.allowEmpty = allowEmpty;
  }

  /** Vectors at {@code path}, with every option at its default (format from the path name). */
  public static VectorInput of(String path) {
    if (path == null || path.isBlank()) {
      throw new IllegalArgumentException("input path is empty");
    }
    return new VectorInput(path, null, null, DEFAULT_VECTOR_COL, null, List.of(), false, false, 0, false);
  }

  /** The format to read; null means "from the path name" ({@link VectorFormat#fromPath}). */
  public VectorInput withFormat(VectorFormat format) {
    return new VectorInput(path, format, idCol, vectorCol, dimension, keepCols, header, skipInvalid, minPartitions, allowEmpty);
  }

  /** The format called {@code name} ("fvecs", ...); null or blank means "from the path name". */
  public VectorInput withFormat(String name) {
    return withFormat(name == null || name.isBlank() ? null : VectorFormat.fromName(name));
  }

  /**
   * Name of the input's id column, which must then exist (Parquet, or CSV/TSV with a header). By
   * default a column named "id" is used if there is one, else ids are row numbers.
   */
  public VectorInput withIdCol(String idCol) {
    return new VectorInput(path, format, requireName(idCol, "id column"), vectorCol, dimension, keepCols, header,
        skipInvalid, minPartitions, allowEmpty);
  }

  /** Name of the input's vector column (default "vector"); used by Parquet and CSV/TSV with a header. */
  public VectorInput withVectorCol(String vectorCol) {
    return new VectorInput(path, format, idCol, requireName(vectorCol, "vector column"), dimension, keepCols, header,
        skipInvalid, minPartitions, allowEmpty);
  }

  /** The dimension every vector must have; null means "the first row's". */
  public VectorInput withDimension(Integer dimension) {
    if (dimension != null && dimension <= 0) {
      throw new IllegalArgumentException("expected dimension must be positive, got " + dimension);
    }
    return new VectorInput(path, format, idCol, vectorCol, dimension, keepCols, header, skipInvalid, minPartitions, allowEmpty);
  }

  /** Input columns to carry through unchanged after {@code id} and {@code vector}. */
  public VectorInput withKeepCols(List<String> keepCols) {
    Objects.requireNonNull(keepCols, "keepCols");
    for (String c : keepCols) {
      requireName(c, "keep column");
      if (c.equals(VectorSchema.ID) || c.equals(VectorSchema.VECTOR)) {
        throw new IllegalArgumentException("cannot keep a column named '" + c
            + "': the output has its own '" + VectorSchema.ID + "' and '" + VectorSchema.VECTOR + "' columns");
      }
    }
    if (keepCols.stream().distinct().count() != keepCols.size()) {
      throw new IllegalArgumentException("keep columns are repeated: " + keepCols);
    }
    return new VectorInput(path, format, idCol, vectorCol, dimension, keepCols, header, skipInvalid, minPartitions, allowEmpty);
  }

  /** Whether CSV/TSV files start with a header line (default false). */
  public VectorInput withHeader(boolean header) {
    return new VectorInput(path, format, idCol, vectorCol, dimension, keepCols, header, skipInvalid, minPartitions, allowEmpty);
  }

  /** Drop and count invalid rows instead of failing (default false). */
  public VectorInput withSkipInvalid(boolean skipInvalid) {
    return new VectorInput(path, format, idCol, vectorCol, dimension, keepCols, header, skipInvalid, minPartitions, allowEmpty);
  }

  /**
   * At least about this many partitions for fvecs/bvecs/CSV/TSV (Hadoop splits no larger than
   * total bytes / n); 0 (default) keeps Hadoop's block-sized splits. Parquet partitions follow
   * {@code spark.sql.files.maxPartitionBytes}.
   */
  public VectorInput withMinPartitions(int minPartitions) {
    if (minPartitions < 0) {
      throw new IllegalArgumentException("minPartitions must be >= 0, got " + minPartitions);
    }
    return new VectorInput(path, format, idCol, vectorCol, dimension, keepCols, header, skipInvalid, minPartitions, allowEmpty);
  }

  /**
   * Whether an input without rows is read as an empty table (default false: refused). Its dimension
   * is the expected one, else 0 (unknown); its id type is long, except for Parquet, whose file
   * schema gives the id and kept columns' types. A path that does not exist is refused still, and so
   * is a Parquet folder without any file (no schema to read, as Spark's own reader says).
   */
  public VectorInput withAllowEmpty(boolean allowEmpty) {
    return new VectorInput(path, format, idCol, vectorCol, dimension, keepCols, header, skipInvalid, minPartitions,
        allowEmpty);
  }

  private static String requireName(String name, String what) {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException(what + " name is empty");
    }
    return name;
  }

  public String path() {
    return path;
  }

  /** The format to read: the one given, else the one the path's name implies. */
  public VectorFormat format() {
    return format != null ? format : VectorFormat.fromPath(path);
  }

  /** The id column's name: the one asked for, else "id". */
  public String idCol() {
    return idCol != null ? idCol : DEFAULT_ID_COL;
  }

  /** True if an id column was asked for by name (then it must exist). */
  public boolean idColRequired() {
    return idCol != null;
  }

  public String vectorCol() {
    return vectorCol;
  }

  /** The expected dimension, or null for "the first row's". */
  public Integer dimension() {
    return dimension;
  }

  public List<String> keepCols() {
    return keepCols;
  }

  public boolean header() {
    return header;
  }

  public boolean skipInvalid() {
    return skipInvalid;
  }

  public int minPartitions() {
    return minPartitions;
  }

  public boolean allowEmpty() {
    return allowEmpty;
  }

  /** Reads the input as rows of the normalized schema (see the class comment for the rules). */
  public Dataset<Row> read(SparkSession spark) {
    return load(spark).rows();
  }

  /**
   * Reads the input: the rows of the normalized schema, their dimension and, in skip mode, the
   * counter of dropped rows. Runs small Spark jobs to find row counts per file and the first row
   * (for ids and the dimension); the rows themselves stay lazy.
   *
   * @throws InvalidInputException for a missing or unreadable path, no rows (unless allowed), a
   *     missing or mistyped column, or a truncated file (row errors come later, from the actions on the rows)
   */
  public VectorDataset load(SparkSession spark) {
    Configuration conf = new Configuration(spark.sparkContext().hadoopConfiguration());
    InputFiles files = InputFiles.list(path, conf);
    VectorFormat f = format();
    LongAccumulator skipped = skipInvalid ? spark.sparkContext().longAccumulator("lopq skipped input rows") : null;
    if (f.isTexmex()) {
      return TexmexReader.read(spark, conf, files, f, this, skipped);
    } else if (f.isDelimited()) {
      return DelimitedReader.read(spark, conf, files, f, this, skipped);
    }
    return ParquetReader.read(spark, files, this, skipped);
  }

  /** Hadoop's maximum split size for {@code minPartitions}, at least {@code granule} bytes. */
  long maxSplitBytes(long totalBytes, long granule) {
    if (minPartitions <= 0) {
      return Long.MAX_VALUE;
    }
    return Math.max(granule, totalBytes / minPartitions);
  }

  @Override
  public String toString() {
    return "VectorInput{path=" + path + ", format=" + format() + ", idCol=" + idCol() + ", vectorCol=" + vectorCol
        + ", dimension=" + dimension + ", keepCols=" + keepCols + ", header=" + header + ", skipInvalid="
        + skipInvalid + ", minPartitions=" + minPartitions + ", allowEmpty=" + allowEmpty + "}";
  }
}
