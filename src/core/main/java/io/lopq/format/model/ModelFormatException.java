package io.lopq.format.model;

import java.io.IOException;
import java.util.Objects;

/**
 * A model file exists (or was expected) but cannot be turned into a model: it is missing, foreign,
 * from a newer format version, truncated, corrupted or inconsistent.
 *
 * <p>It is an {@link IOException} because a bad model file is an input/output failure that callers
 * already handle next to an unreachable file system; catch this type to tell a bad model from a
 * file system error. The message always names the file or directory (when there is one), what was
 * found and what was expected; {@link #problem()} classifies it for programs.
 */
public final class ModelFormatException extends IOException {
  private static final long serialVersionUID = 1L;

  /** What kind of thing is wrong. */
  public enum Problem {
    /** The model directory or one of its files does not exist. */
    MISSING,
    /** The file is not a model of the expected format (foreign JSON, foreign binary, wrong magic). */
    NOT_A_MODEL,
    /** The file was written by a newer format version than this build reads. */
    NEWER_VERSION,
    /** A file is shorter (or longer) than its description says. */
    TRUNCATED,
    /** The stored checksum does not match the bytes. */
    CHECKSUM_MISMATCH,
    /** Array shapes or counts do not match D, V, M and K. */
    SHAPE_MISMATCH,
    /** The arrays do not hash to the recorded model fingerprint. */
    FINGERPRINT_MISMATCH,
    /** The file has the right kind but breaks its own rules (bad field type, bad wire encoding). */
    MALFORMED
  }

  private final Problem problem;
  private final String path;

  /**
   * Creates the exception.
   *
   * @param problem the kind of problem
   * @param path the file or directory concerned, or {@code null} for a stream without a name
   * @param detail what is wrong, naming the found and the expected value
   */
  public ModelFormatException(Problem problem, String path, String detail) {
    this(problem, path, detail, null);
  }

  /** Creates the exception with a cause. */
  public ModelFormatException(Problem problem, String path, String detail, Throwable cause) {
    super(path == null ? detail : path + ": " + detail, cause);
    this.problem = Objects.requireNonNull(problem, "problem");
    this.path = path;
  }

  /** The kind of problem. */
  public Problem problem() {
    return problem;
  }

  /** The file or directory concerned, or {@code null} when reading an unnamed stream. */
  public String path() {
    return path;
  }
}
