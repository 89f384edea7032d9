package io.lopq.spark.common;

import io.lopq.format.vectors.InvalidInputException;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Optional;
import java.util.Set;

/**
 * Finds our own errors inside the exceptions Spark throws.
 *
 * <p>An exception thrown in a task reaches the driver wrapped (a {@code SparkException} "Job
 * aborted due to stage failure ..." whose cause is the task's exception, sometimes wrapped again
 * by Spark SQL). The command line wants the clean message of the {@link InvalidInputException}
 * underneath.
 */
public final class Errors {
  private Errors() {}

  /**
   * The first {@link InvalidInputException} in the cause chain of {@code error} (including
   * {@code error} itself and the suppressed exceptions along the way), or empty if there is none.
   */
  public static Optional<InvalidInputException> rootInvalidInput(Throwable error) {
    Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
    return find(error, seen);
  }

  private static Optional<InvalidInputException> find(Throwable error, Set<Throwable> seen) {
    for (Throwable t = error; t != null && seen.add(t); t = t.getCause()) {
      if (t instanceof InvalidInputException invalid) {
        return Optional.of(invalid);
      }
      for (Throwable suppressed : t.getSuppressed()) {
        Optional<InvalidInputException> found = find(suppressed, seen);
        if (found.isPresent()) {
          return found;
        }
      }
    }
    return Optional.empty();
  }
}
