package io.lopq.spark.common;

import io.lopq.format.vectors.InvalidInputException;
import io.lopq.io.vectors.VectorDataset;
import io.lopq.io.vectors.VectorSchema;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.StructType;
import scala.Tuple2;

/**
 * A dataset's vectors as Spark RDDs of {@link VectorBlock}s or of single vectors, read from
 * Spark's internal rows by a {@link VectorReader}: how every job reads vectors.
 *
 * <pre>
 *   VectorBlocks.of(data)                         the normalized schema's id and vector
 *   VectorBlocks.withKeptColumns(data)            the same, the internal rows keeping the kept columns
 *   VectorBlocks.of(dataset, vectorCol, idCol, D) any vector column, with an id column or none
 *     .blocks(rows)                               JavaRDD&lt;VectorBlock&gt;, up to `rows` rows each
 *     .vectors()                                  JavaRDD&lt;(id, float[])&gt;, one per row
 *     .rows() + .reader()                         the internal rows and their reader, for a task of one's own
 * </pre>
 *
 * Partitions are those of the dataset (blocks never span two).
 */
public final class VectorBlocks {
  /** Rows per block: large enough for efficient matrix products, small enough to stay cache-friendly. */
  public static final int DEFAULT_BLOCK_ROWS = 4096;

  private final Dataset<?> selected;
  private final VectorReader reader;

  private VectorBlocks(Dataset<?> selected, VectorReader reader) {
    this.selected = selected;
    this.reader = reader;
  }

  /**
   * The vectors of a dataset in the {@link VectorSchema normalized schema}; the internal rows hold
   * its {@code id} and {@code vector} (kept columns are not read).
   *
   * @throws IllegalArgumentException if the rows are not in the normalized schema
   */
  public static VectorBlocks of(VectorDataset data) {
    VectorSchema.check(data.rows().schema());
    Dataset<?> selected = data.rows().select(VectorSchema.ID, VectorSchema.VECTOR);
    return new VectorBlocks(selected, VectorReader.of(selected.schema(), 0, 1, data.dimension()));
  }

  /**
   * As {@link #of(VectorDataset)}, but the internal rows are the dataset's whole rows: the kept
   * columns follow from position 2 on, for a task that carries them along.
   */
  public static VectorBlocks withKeptColumns(VectorDataset data) {
    StructType schema = data.rows().schema();
    VectorSchema.check(schema);
    return new VectorBlocks(data.rows(), VectorReader.of(schema, 0, 1, data.dimension()));
  }

  /**
   * The vectors of {@code dataset}'s column {@code vectorCol}, with the ids of {@code idCol}
   * (null: positional ids, see {@link VectorReader}); the internal rows hold these two columns
   * (id first).
   *
   * @throws InvalidInputException if a column is missing or of a type that cannot be read
   */
  public static VectorBlocks of(Dataset<?> dataset, String vectorCol, String idCol, int dimension) {
    requireColumn(dataset.schema(), vectorCol, "vector");
    List<Column> columns = new ArrayList<>();
    if (idCol != null) {
      requireColumn(dataset.schema(), idCol, "id");
      columns.add(functions.col(quote(idCol)));
    }
    columns.add(functions.col(quote(vectorCol)));
    Dataset<?> selected = dataset.select(columns.toArray(new Column[0]));
    int vectorOrdinal = idCol == null ? 0 : 1;
    return new VectorBlocks(selected, VectorReader.of(selected.schema(), idCol == null ? -1 : 0, vectorOrdinal,
        dimension));
  }

  /**
   * D of {@code dataset}'s {@code vectorCol}, from its first row.
   *
   * @throws InvalidInputException if the column is missing, null in the first row, or there are no rows
   */
  public static int dimensionOf(Dataset<?> dataset, String vectorCol) {
    requireColumn(dataset.schema(), vectorCol, "vector");
    Dataset<?> first = dataset.select(functions.col(quote(vectorCol))).limit(1);
    VectorReader lengths = VectorReader.lengthOnly(first.schema(), 0);
    List<Integer> length = internalRows(first).map(lengths::length).take(1);
    if (length.isEmpty()) {
      throw new InvalidInputException("the input has no rows: nothing to train on");
    }
    return length.get(0);
  }

  /** The reader of {@link #rows()}. */
  public VectorReader reader() {
    return reader;
  }

  /** The internal rows the {@link #reader()} reads. */
  public JavaRDD<InternalRow> rows() {
    return internalRows(selected);
  }

  /** The vectors in blocks of up to {@code blockRows} rows. */
  public JavaRDD<VectorBlock> blocks(int blockRows) {
    if (blockRows < 1) {
      throw new IllegalArgumentException("block rows must be >= 1, got " + blockRows);
    }
    VectorReader r = reader;
    return rows().mapPartitions(it -> r.blocks(it, blockRows));
  }

  /** The vectors one by one: {@code (id, vector)}, the id a {@code Long} or {@code String}. */
  public JavaRDD<Tuple2<Object, float[]>> vectors() {
    VectorReader r = reader;
    return rows().mapPartitions(r::vectors);
  }

  private static JavaRDD<InternalRow> internalRows(Dataset<?> dataset) {
    return dataset.queryExecution().toRdd().toJavaRDD();
  }

  private static void requireColumn(StructType schema, String name, String role) {
    if (!Arrays.asList(schema.fieldNames()).contains(name)) {
      throw new InvalidInputException(role + " column '" + name + "' not found; the input has columns "
          + Arrays.toString(schema.fieldNames()));
    }
  }

  private static String quote(String column) {
    return "`" + column.replace("`", "``") + "`";
  }
}
