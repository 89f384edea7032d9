package io.lopq.cli;

/** Process exit codes of the {@code lopq} commands. */
public final class ExitCodes {
  /** The command did what it was asked. */
  public static final int OK = 0;
  /** The job failed: bad input, bad model, I/O error; nothing half-written is left behind. */
  public static final int FAILED = 1;
  /** The command line was wrong (unknown option, bad value, missing argument). */
  public static final int USAGE = 2;

  private ExitCodes() {}
}
