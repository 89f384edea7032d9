package io.lopq.spark.sql;

import java.util.List;
import java.util.Locale;
import org.apache.spark.sql.catalyst.expressions.Attribute;
import org.apache.spark.sql.catalyst.expressions.UnsafeArrayData;
import org.apache.spark.sql.catalyst.expressions.UnsafeRow;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;

/**
 * The bytes an indexed join collects on the driver and broadcasts for its table, estimated before
 * anything runs: the index's row count times the size of one row as Spark's unsafe row holds it,
 * plus the id and offset {@link RowTable} keeps per row.
 *
 * <pre>
 *   row      = null bits (8 bytes per 64 columns) + 8 per column
 *              + per array&lt;float&gt; column (the vector, D values):  8 + null bits of D + 4 D (to 8 bytes)
 *              + per other variable-length column: Spark's default size of its type (strings 20)
 *   per row  = row + 4 (offset) + 8 (long id) or 48 + 20 (string id: object and default size)
 *   bytes    = rows x per row        e.g. 60,000 x 784: 60,000 x (24 + 3,248 + 12) = 197 MB
 * </pre>
 */
record TableSize(long rows, long rowBytes) {
  private static final int OFFSET_BYTES = Integer.BYTES;
  private static final int LONG_ID_BYTES = Long.BYTES;
  /** A String's object, its array's header and references, before its characters. */
  private static final int STRING_OBJECT_BYTES = 48;

  /** The estimate for {@code rows} rows of {@code columns} whose float arrays have {@code dimension} values. */
  static TableSize of(List<Attribute> columns, int dimension, long rows, boolean stringIds) {
    long row = UnsafeRow.calculateBitSetWidthInBytes(columns.size()) + 8L * columns.size();
    for (Attribute column : columns) {
      DataType type = column.dataType();
      if (UnsafeRow.isFixedLength(type)) {
        continue;
      }
      if (type instanceof ArrayType array && array.elementType().equals(DataTypes.FloatType)) {
        row += UnsafeArrayData.calculateHeaderPortionInBytes(dimension) + roundUp8(4L * dimension);
      } else {
        row += roundUp8(type.defaultSize());
      }
    }
    long id = stringIds ? STRING_OBJECT_BYTES + DataTypes.StringType.defaultSize() : LONG_ID_BYTES;
    return new TableSize(rows, row + OFFSET_BYTES + id);
  }

  /** The estimated bytes of the whole table. */
  long bytes() {
    return rows * rowBytes;
  }

  private static long roundUp8(long bytes) {
    return (bytes + 7) / 8 * 8;
  }

  /** "197.0 MiB (60000 rows x 3284 bytes)". */
  @Override
  public String toString() {
    return bytes(bytes()) + " (" + rows + " rows x " + rowBytes + " bytes)";
  }

  /** {@code bytes} in B, KiB, MiB, GiB or TiB, one decimal. */
  static String bytes(long bytes) {
    String[] units = {"B", "KiB", "MiB", "GiB", "TiB"};
    double value = bytes;
    int unit = 0;
    while (value >= 1024 && unit < units.length - 1) {
      value /= 1024;
      unit++;
    }
    return unit == 0 ? bytes + " B" : String.format(Locale.ROOT, "%.1f %s", value, units[unit]);
  }
}
