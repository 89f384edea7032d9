package io.lopq.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructField;
import scala.collection.Seq;

/**
 * Turns a Spark dataset into one text line per row, columns in name order, values exact (floats by
 * their shortest round-trip text, bytes in hex), lines sorted: two outputs hold the same rows iff
 * their line lists are equal, whatever the files, partitions or row order. Comparisons report the
 * first differing rows, counts and duplicates rather than a wall of text.
 */
final class RowTexts {
  private static final int SHOWN_DIFFERENCES = 10;

  private RowTexts() {}

  /** The rows of {@code data} as sorted lines. */
  static List<String> of(Dataset<Row> data) {
    String[] names = data.columns().clone();
    Arrays.sort(names);
    List<String> lines = new ArrayList<>();
    for (Row row : data.select(columns(names)).collectAsList()) {
      StringBuilder line = new StringBuilder();
      for (int i = 0; i < names.length; i++) {
        line.append(i == 0 ? "" : " ").append(names[i]).append('=').append(text(row.get(i)));
      }
      lines.add(line.toString());
    }
    lines.sort(null);
    return lines;
  }

  /** The value of {@code key=} in a line made by {@link #of}. */
  static String field(String line, String key) {
    for (String part : line.split(" ")) {
      if (part.startsWith(key + "=")) {
        return part.substring(key.length() + 1);
      }
    }
    throw new IllegalArgumentException("no field " + key + " in " + line);
  }

  /** Fails unless both lists are equal, naming counts and the first differing lines. */
  static void assertSameRows(List<String> expected, List<String> actual, String what) {
    if (expected.equals(actual)) {
      return;
    }
    Map<String, Integer> missing = counts(expected);
    Map<String, Integer> extra = counts(actual);
    for (String line : actual) {
      missing.computeIfPresent(line, (k, n) -> n == 1 ? null : n - 1);
    }
    for (String line : expected) {
      extra.computeIfPresent(line, (k, n) -> n == 1 ? null : n - 1);
    }
    fail(what + ": expected " + expected.size() + " rows, got " + actual.size() + "; "
        + missing.size() + " distinct expected rows missing, e.g. " + first(missing) + "; "
        + extra.size() + " distinct unexpected rows, e.g. " + first(extra));
  }

  /** Fails if the values of {@code key} repeat among the lines. */
  static void assertUnique(List<String> lines, String key, String what) {
    Map<String, Integer> seen = new TreeMap<>();
    for (String line : lines) {
      seen.merge(field(line, key), 1, Integer::sum);
    }
    List<String> repeated = seen.entrySet().stream().filter(e -> e.getValue() > 1)
        .map(e -> e.getKey() + " x" + e.getValue()).limit(SHOWN_DIFFERENCES).toList();
    assertEquals(List.of(), repeated, what + ": repeated " + key + " values");
  }

  private static Map<String, Integer> counts(List<String> lines) {
    Map<String, Integer> counts = new TreeMap<>();
    lines.forEach(l -> counts.merge(l, 1, Integer::sum));
    return counts;
  }

  private static List<String> first(Map<String, Integer> lines) {
    return lines.keySet().stream().limit(SHOWN_DIFFERENCES).toList();
  }

  private static org.apache.spark.sql.Column[] columns(String[] names) {
    return Arrays.stream(names).map(n -> org.apache.spark.sql.functions.col(quote(n)))
        .toArray(org.apache.spark.sql.Column[]::new);
  }

  private static String quote(String name) {
    return "`" + name.replace("`", "``") + "`";
  }

  static String text(Object value) {
    if (value == null) {
      return "null";
    }
    if (value instanceof byte[] bytes) {
      return HexFormat.of().formatHex(bytes);
    }
    if (value instanceof Seq<?> seq) {
      StringBuilder s = new StringBuilder("[");
      scala.collection.Iterator<?> it = seq.iterator();
      boolean first = true;
      while (it.hasNext()) {
        s.append(first ? "" : ",").append(text(it.next()));
        first = false;
      }
      return s.append(']').toString();
    }
    if (value instanceof Row row) {
      StringBuilder s = new StringBuilder("{");
      StructField[] fields = row.schema().fields();
      for (int i = 0; i < fields.length; i++) {
        s.append(i == 0 ? "" : ",").append(fields[i].name()).append(':').append(text(row.get(i)));
      }
      return s.append('}').toString();
    }
    return value.toString().replace(' ', '_');
  }
}
