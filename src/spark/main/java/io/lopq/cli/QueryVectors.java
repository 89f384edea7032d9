package io.lopq.cli;

import io.lopq.format.vectors.InvalidInputException;
import io.lopq.format.vectors.TexmexRecordReader;
import io.lopq.format.vectors.VectorFormat;
import java.io.BufferedReader;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.regex.Pattern;

/**
 * The queries of {@code lopq query}, one at a time, without Spark: a local fvecs or bvecs file
 * (ids are row numbers), or lines of text from a CSV/TSV file or standard input (one vector per
 * line, values separated by commas, tabs or spaces; blank lines skipped; ids count the vectors
 * from 0). Every vector must have the model's dimension; a bad one fails naming the source and
 * the row (vectors) or line (text).
 */
final class QueryVectors implements Closeable {
  /** The name of standard input, as a path and in messages. */
  static final String STDIN = "-";
  private static final Pattern SEPARATORS = Pattern.compile("[,;\\s]+");

  private final String name;
  private final int dimension;
  private final TexmexRecordReader records;
  private final BufferedReader lines;
  private long row;
  private long line;

  private QueryVectors(String name, int dimension, TexmexRecordReader records, BufferedReader lines) {
    this.name = name;
    this.dimension = dimension;
    this.records = records;
    this.lines = lines;
  }

  /**
   * Opens {@code path} ({@link #STDIN} or null: {@code stdin}) in {@code format} (null: from the
   * path's name; text for standard input).
   *
   * @throws InvalidInputException naming the file if it does not exist or its format cannot be read here
   */
  static QueryVectors open(String path, String format, InputStream stdin, int dimension) throws IOException {
    if (path == null || path.equals(STDIN)) {
      return new QueryVectors("stdin", dimension, null,
          new BufferedReader(new InputStreamReader(stdin, StandardCharsets.UTF_8)));
    }
    VectorFormat resolved = VectorFormat.resolve(path, format);
    Path file = Path.of(path);
    try {
      if (resolved.isTexmex() && resolved.texmexLayout().holdsVectors()) {
        return new QueryVectors(path, dimension, new TexmexRecordReader(Files.newInputStream(file), path,
            resolved.texmexLayout(), Files.size(file)), null);
      }
      if (resolved.isDelimited()) {
        return new QueryVectors(path, dimension, null, Files.newBufferedReader(file, StandardCharsets.UTF_8));
      }
    } catch (NoSuchFileException e) {
      throw new InvalidInputException("no query file at " + path + ": the file does not exist");
    }
    throw new InvalidInputException("queries " + path + " are " + resolved.name().toLowerCase(java.util.Locale.ROOT)
        + "; lopq query reads a local fvecs, bvecs, csv or tsv file, or vectors on standard input");
  }

  /** The id of the vector {@link #next()} returned last: its 0-based row number. */
  long id() {
    return row - 1;
  }

  /**
   * The next query, or null at the end.
   *
   * @throws InvalidInputException naming the source and row or line on a wrong dimension or a
   *     value that is not a finite number
   */
  float[] next() {
    return records != null ? nextRecord() : nextLine();
  }

  private float[] nextRecord() {
    float[] v = records.nextFloats();
    if (v == null) {
      return null;
    }
    row++;
    if (v.length != dimension) {
      throw new InvalidInputException(name + " row " + (row - 1) + " has dimension " + v.length
          + ", the model expects D=" + dimension);
    }
    checkFinite(v, name + " row " + (row - 1));
    return v;
  }

  private float[] nextLine() {
    String text;
    try {
      do {
        text = lines.readLine();
        line++;
      } while (text != null && text.isBlank());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read queries from " + name + ": " + e.getMessage(), e);
    }
    if (text == null) {
      return null;
    }
    String where = name + " line " + line;
    String[] fields = SEPARATORS.split(text.strip());
    if (fields.length != dimension) {
      throw new InvalidInputException(where + " has " + fields.length + " values, the model expects D=" + dimension);
    }
    float[] v = new float[dimension];
    for (int j = 0; j < dimension; j++) {
      try {
        v[j] = Float.parseFloat(fields[j]);
      } catch (NumberFormatException e) {
        throw new InvalidInputException(where + " value " + (j + 1) + " '" + fields[j] + "' is not a number");
      }
    }
    checkFinite(v, where);
    row++;
    return v;
  }

  private static void checkFinite(float[] v, String where) {
    for (int j = 0; j < v.length; j++) {
      if (!Float.isFinite(v[j])) {
        throw new InvalidInputException(where + " value " + (j + 1) + " is " + v[j] + ", not a finite number");
      }
    }
  }

  @Override
  public void close() throws IOException {
    if (records != null) {
      records.close();
    }
    if (lines != null && !name.equals("stdin")) {
      lines.close();
    }
  }
}
