package io.lopq.cli;

/**
 * Finds the message a user should read in an exception chain. Our own code raises
 * {@link IllegalArgumentException} (and subclasses) and {@link java.io.IOException}s whose
 * messages name the file, row or column and what was expected; Spark wraps them in task and job
 * failures. The innermost such exception wins.
 */
public final class Failures {
  private static final int MAX_DEPTH = 32;

  private Failures() {}

  /** The most useful message in {@code failure}'s cause chain. */
  public static String userMessage(Throwable failure) {
    Throwable best = null;
    Throwable current = failure;
    for (int depth = 0; current != null && depth < MAX_DEPTH; depth++) {
      if (isOurs(current)) {
        best = current;
      }
      if (current.getCause() == current) {
        break;
      }
      current = current.getCause();
    }
    Throwable chosen = best != null ? best : rootOf(failure);
    String message = chosen.getMessage();
    return message == null || message.isBlank() ? chosen.getClass().getName() : message;
  }

  private static boolean isOurs(Throwable t) {
    return t instanceof IllegalArgumentException
        || t instanceof IllegalStateException
        || t instanceof java.io.IOException
        || t.getClass().getName().startsWith("io.lopq.");
  }

  private static Throwable rootOf(Throwable failure) {
    Throwable current = failure;
    for (int depth = 0; current.getCause() != null && current.getCause() != current && depth < MAX_DEPTH; depth++) {
      current = current.getCause();
    }
    return current;
  }
}
