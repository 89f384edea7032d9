package io.lopq.format.vectors;

/**
 * Bad input data or an input that cannot be read: a missing or unreadable path, a missing or
 * mistyped column, a truncated file, or a row whose vector has the wrong dimension or a
 * non-finite value. The message names the path (and row, where there is one) and what was
 * expected, so the command line can print it as is.
 *
 * <p>Thrown on the driver, or inside a Spark task; in the latter case Spark wraps it in its own
 * exception, and the Spark module's {@code Errors.rootInvalidInput} finds it again.
 */
public class InvalidInputException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  /** An invalid-input error with a message that names the input and the problem. */
  public InvalidInputException(String message) {
    super(message);
  }

  /** An invalid-input error caused by {@code cause} (e.g. an I/O error reading the path). */
  public InvalidInputException(String message, Throwable cause) {
    super(message, cause);
  }
}
