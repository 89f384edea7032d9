package io.lopq.cli;

import java.io.PrintWriter;
import picocli.CommandLine;

/** Reports a wrong command line with the command's usage and exit code {@link ExitCodes#USAGE}. */
final class UsageReporter implements CommandLine.IParameterExceptionHandler {
  @Override
  public int handleParseException(CommandLine.ParameterException exception, String[] args) {
    CommandLine commandLine = exception.getCommandLine();
    PrintWriter err = commandLine.getErr();
    err.println(commandLine.getCommandName() + ": error: " + exception.getMessage());
    err.println("Run '" + commandLine.getCommandSpec().qualifiedName() + " --help' for usage.");
    err.flush();
    return ExitCodes.USAGE;
  }
}
