package io.lopq.io.vectors;

import io.lopq.format.vectors.InvalidInputException;

import java.io.Serializable;
import java.util.function.Supplier;
import org.apache.spark.util.LongAccumulator;

/**
 * Checks each row's vector inside the Spark job and decides what an invalid row does: fail the
 * job with an {@link InvalidInputException} naming the row, or (in skip mode) drop the row and
 * count it in a {@link LongAccumulator}.
 *
 * <p>A vector is valid when it has the reference dimension D (the expected one, else the first
 * row's) and every value is finite. Counts in the accumulator are exact for an action that runs
 * each task once; a retried task may count its rows again, as with any Spark accumulator.
 */
final class RowValidator implements Serializable {
  private static final long serialVersionUID = 1L;

  private final int dimension;
  private final LongAccumulator skipped;

  /** A validator for dimension {@code dimension}; {@code skipped} null means fail on invalid rows. */
  RowValidator(int dimension, LongAccumulator skipped) {
    this.dimension = dimension;
    this.skipped = skipped;
  }

  int dimension() {
    return dimension;
  }

  /**
   * True if {@code vector} is valid; else rejects the row (see {@link #reject}) and returns false.
   * {@code where} names the row ("row 17 of file:/x.fvecs"); it is only built for invalid rows.
   */
  boolean accept(float[] vector, Supplier<String> where) {
    String problem = problem(vector, dimension);
    if (problem == null) {
      return true;
    }
    reject(where.get(), problem);
    return false;
  }

  /**
   * Rejects an invalid row: throws {@code InvalidInputException(where + " " + problem)}, or in
   * skip mode counts the row and returns.
   */
  void reject(String where, String problem) {
    if (skipped == null) {
      throw new InvalidInputException(where + " " + problem);
    }
    skipped.add(1);
  }

  /** What is wrong with {@code vector} for dimension {@code dimension}, or null if nothing is. */
  static String problem(float[] vector, int dimension) {
    if (vector.length != dimension) {
      return "has dimension " + vector.length + ", expected " + dimension;
    }
    for (int i = 0; i < vector.length; i++) {
      if (!Float.isFinite(vector[i])) {
        return "has a non-finite value " + vector[i] + " at index " + i;
      }
    }
    return null;
  }

  /** "row 17 of file:/x.fvecs": row {@code row} (0-based, within the file) of {@code file}. */
  static String row(long row, String file) {
    return "row " + row + " of " + file;
  }

  /** "row with id 42 of file:/x.csv". */
  static String rowWithId(Object id, String file) {
    return "row with id " + id + " of " + file;
  }
}
