package io.lopq.io.vectors;

import io.lopq.format.vectors.InvalidInputException;

import io.lopq.io.vectors.VectorInput;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Which fields of a CSV/TSV line hold the id, the vector and the kept columns, and how to split
 * and parse a line (see {@link VectorInput} for the rules).
 *
 * <p>Without a header every field is a vector value, except that a line with a single field holds
 * whitespace-separated values. With a header, the id column and the kept columns are found by
 * name; a column named as the vector column holds the whole vector (whitespace-separated), else
 * every other column is one vector value.
 */
final class DelimitedLayout implements Serializable {
  private static final long serialVersionUID = 1L;
  private static final String WHITESPACE = "\\s+";
  private static final char QUOTE = '"';

  private final char delimiter;
  private final String[] header;
  private final int idIndex;
  /** The vector's fields; null means all fields (no header). */
  private final int[] vectorIndexes;
  /** True when the vector is one field of whitespace-separated values (the named vector column). */
  private final boolean wholeVectorField;
  private final int[] keepIndexes;

  private DelimitedLayout(char delimiter, String[] header, int idIndex, int[] vectorIndexes,
      boolean wholeVectorField, int[] keepIndexes) {
    this.delimiter = delimiter;
    this.header = header;
    this.idIndex = idIndex;
    this.vectorIndexes = vectorIndexes;
    this.wholeVectorField = wholeVectorField;
    this.keepIndexes = keepIndexes;
  }

  /** The layout of headerless lines: all fields are vector values. */
  static DelimitedLayout withoutHeader(char delimiter) {
    return new DelimitedLayout(delimiter, null, -1, null, false, new int[0]);
  }

  /**
   * The layout a header line gives.
   *
   * @throws InvalidInputException if a kept column is missing or no column is left for the vector
   */
  static DelimitedLayout fromHeader(char delimiter, String headerLine, VectorInput input, String file) {
    String[] names = split(stripByteOrderMark(headerLine), delimiter);
    List<String> columns = Arrays.asList(names);
    int idIndex = columns.indexOf(input.idCol());
    if (idIndex < 0 && input.idColRequired()) {
      throw new InvalidInputException(
          "input " + file + " has no id column '" + input.idCol() + "'; its header is " + columns);
    }
    int[] keep = new int[input.keepCols().size()];
    for (int k = 0; k < keep.length; k++) {
      keep[k] = columns.indexOf(input.keepCols().get(k));
      if (keep[k] < 0) {
        throw new InvalidInputException(
            "input " + file + " has no keep column '" + input.keepCols().get(k) + "'; its header is " + columns);
      }
    }
    int vectorIndex = columns.indexOf(input.vectorCol());
    int[] vector;
    if (vectorIndex >= 0) {
      vector = new int[] {vectorIndex};
    } else {
      List<Integer> rest = new ArrayList<>();
      for (int i = 0; i < names.length; i++) {
        if (i != idIndex && !input.keepCols().contains(names[i])) {
          rest.add(i);
        }
      }
      vector = rest.stream().mapToInt(Integer::intValue).toArray();
    }
    if (vector.length == 0) {
      throw new InvalidInputException("input " + file + " has no vector columns: its header " + columns
          + " has only the id and kept columns");
    }
    return new DelimitedLayout(delimiter, names, idIndex, vector, vectorIndex >= 0, keep);
  }

  boolean hasHeader() {
    return header != null;
  }

  boolean hasId() {
    return idIndex >= 0;
  }

  List<String> keptNames() {
    List<String> names = new ArrayList<>();
    for (int k : keepIndexes) {
      names.add(header[k]);
    }
    return names;
  }

  /** Checks that {@code line}, the first line of {@code file}, is this layout's header. */
  void checkHeader(String line, String file, String firstFile) {
    String[] names = split(stripByteOrderMark(line), delimiter);
    if (!Arrays.equals(names, header)) {
      throw new InvalidInputException("file " + file + " has header " + Arrays.toString(names) + ", expected "
          + Arrays.toString(header) + " (the header of " + firstFile + ")");
    }
  }

  /**
   * The fields of a data line.
   *
   * @throws IllegalArgumentException if a header's field count does not match
   */
  String[] fields(String line) {
    String[] fields = split(line, delimiter);
    if (header != null && fields.length != header.length) {
      throw new IllegalArgumentException(
          "has " + fields.length + " fields, expected " + header.length + " as in the header");
    }
    return fields;
  }

  /** The raw id field of a data line's fields (layout with an id column). */
  String id(String[] fields) {
    return fields[idIndex];
  }

  /** The kept fields, in the order asked for. */
  Object[] kept(String[] fields) {
    Object[] values = new Object[keepIndexes.length];
    for (int k = 0; k < keepIndexes.length; k++) {
      values[k] = fields[keepIndexes[k]];
    }
    return values;
  }

  /**
   * The vector of a data line's fields.
   *
   * @throws IllegalArgumentException naming a value that is not a number
   */
  float[] vector(String[] fields) {
    String[] values;
    if (vectorIndexes == null) {
      values = fields.length == 1 ? fields[0].strip().split(WHITESPACE) : fields;
    } else if (wholeVectorField) {
      values = fields[vectorIndexes[0]].strip().split(WHITESPACE);
    } else {
      values = new String[vectorIndexes.length];
      for (int i = 0; i < values.length; i++) {
        values[i] = fields[vectorIndexes[i]];
      }
    }
    float[] vector = new float[values.length];
    for (int i = 0; i < values.length; i++) {
      try {
        vector[i] = Float.parseFloat(values[i]);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("has a value '" + values[i] + "' that is not a number at index " + i);
      }
    }
    return vector;
  }

  /** Splits on {@code delimiter}, trimming each field and removing one pair of enclosing quotes. */
  static String[] split(String line, char delimiter) {
    List<String> fields = new ArrayList<>();
    int start = 0;
    for (int i = 0; i <= line.length(); i++) {
      if (i == line.length() || line.charAt(i) == delimiter) {
        fields.add(unquote(line.substring(start, i).strip()));
        start = i + 1;
      }
    }
    return fields.toArray(new String[0]);
  }

  private static String unquote(String field) {
    if (field.length() >= 2 && field.charAt(0) == QUOTE && field.charAt(field.length() - 1) == QUOTE) {
      return field.substring(1, field.length() - 1).strip();
    }
    return field;
  }

  private static String stripByteOrderMark(String line) {
    return !line.isEmpty() && line.charAt(0) == '\uFEFF' ? line.substring(1) : line;
  }
}
