package io.lopq.cli;

import java.io.PrintWriter;
import org.apache.hadoop.fs.FileAlreadyExistsException;
import picocli.CommandLine;

/**
 * Turns an exception thrown by a command into one clear line on stderr and exit code
 * {@link ExitCodes#FAILED}. Spark wraps task failures in several layers; the message the user
 * needs is the one our own code raised, so the cause chain is searched for it. An output that
 * exists already is always reported with the option that replaces it ({@code --overwrite}).
 */
final class FailureReporter implements CommandLine.IExecutionExceptionHandler {
  @Override
  public int handleExecutionException(Exception exception, CommandLine commandLine,
      CommandLine.ParseResult parseResult) {
    PrintWriter err = commandLine.getErr();
    err.println(commandLine.getCommandName() + ": error: " + message(exception));
    if (Boolean.getBoolean("lopq.stacktrace") || System.getenv("LOPQ_STACKTRACE") != null) {
      exception.printStackTrace(err);
    }
    err.flush();
    return ExitCodes.FAILED;
  }

  /** The user's message; an "already exists" refusal always names {@code --overwrite}. */
  private static String message(Exception exception) {
    String message = Failures.userMessage(exception);
    boolean exists = false;
    for (Throwable t = exception; t != null && !exists; t = t.getCause() == t ? null : t.getCause()) {
      exists = t instanceof FileAlreadyExistsException || t instanceof java.nio.file.FileAlreadyExistsException;
    }
    return exists && !message.contains("--overwrite") ? message + " " + OverwriteOption.HINT : message;
  }
}
