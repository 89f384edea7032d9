package io.lopq.spark.sql;

import java.io.Serializable;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import org.apache.spark.sql.catalyst.expressions.UnsafeRow;
import scala.Tuple2;

/**
 * The table's rows by id, compact for a broadcast: the ids sorted (long or string), and every row's
 * unsafe-row bytes in one array at the offset of its id. Spark serializes and sizes it as a few
 * arrays, not as one object per row.
 *
 * <pre>
 *   ids      sorted, unique       (long[] or String[])
 *   offsets  n + 1 ints           row i = data[offsets[i] .. offsets[i + 1])
 *   data     all rows' bytes      at most 2 GiB
 * </pre>
 */
final class RowTable implements Serializable {
  private static final long serialVersionUID = 1L;

  private final long[] longIds;
  private final String[] stringIds;
  private final int[] offsets;
  private final byte[] data;
  private final int width;

  private RowTable(long[] longIds, String[] stringIds, int[] offsets, byte[] data, int width) {
    this.longIds = longIds;
    this.stringIds = stringIds;
    this.offsets = offsets;
    this.data = data;
    this.width = width;
  }

  /**
   * The table of {@code pairs} (id: Long or String, row bytes) of rows with {@code width} fields.
   *
   * @throws IllegalArgumentException naming the id if it appears twice, or if the rows exceed 2 GiB
   */
  static RowTable of(List<Tuple2<Object, byte[]>> pairs, boolean strings, int width, String table) {
    Tuple2<Object, byte[]>[] sorted = pairs.toArray(new Tuple2[0]);
    Comparator<Tuple2<Object, byte[]>> order = strings
        ? Comparator.comparing(t -> (String) t._1())
        : Comparator.comparingLong(t -> (Long) t._1());
    Arrays.sort(sorted, order);
    long total = 0;
    for (Tuple2<Object, byte[]> t : sorted) {
      total += t._2().length;
    }
    if (total > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException(table + ": its rows take " + total + " bytes, more than one broadcast "
          + "array holds (2 GiB)");
    }
    int n = sorted.length;
    long[] longIds = strings ? null : new long[n];
    String[] stringIds = strings ? new String[n] : null;
    int[] offsets = new int[n + 1];
    byte[] data = new byte[(int) total];
    int at = 0;
    for (int i = 0; i < n; i++) {
      if (i > 0 && order.compare(sorted[i - 1], sorted[i]) == 0) {
        throw new IllegalArgumentException(table + ": id " + sorted[i]._1() + " appears more than once");
      }
      if (strings) {
        stringIds[i] = (String) sorted[i]._1();
      } else {
        longIds[i] = (Long) sorted[i]._1();
      }
      byte[] row = sorted[i]._2();
      System.arraycopy(row, 0, data, at, row.length);
      offsets[i] = at;
      at += row.length;
    }
    offsets[n] = at;
    return new RowTable(longIds, stringIds, offsets, data, width);
  }

  /** Rows. */
  int size() {
    return offsets.length - 1;
  }

  /** Each id, in order (for checksums). */
  Object id(int i) {
    return longIds != null ? (Object) longIds[i] : stringIds[i];
  }

  /** The row of {@code id} (pointing into this table), or null if there is none. */
  UnsafeRow row(Object id) {
    int i = longIds != null ? (id instanceof Long l ? Arrays.binarySearch(longIds, l) : -1)
        : (id instanceof String s ? Arrays.binarySearch(stringIds, s) : -1);
    if (i < 0) {
      return null;
    }
    UnsafeRow row = new UnsafeRow(width);
    row.pointTo(data, org.apache.spark.unsafe.Platform.BYTE_ARRAY_OFFSET + offsets[i], offsets[i + 1] - offsets[i]);
    return row;
  }
}
