package io.lopq.cli;

import picocli.CommandLine;

/** Reports the project version from the jar manifest, or "development" when run from classes. */
final class VersionProvider implements CommandLine.IVersionProvider {
  @Override
  public String[] getVersion() {
    String version = LopqCli.class.getPackage().getImplementationVersion();
    return new String[] {"lopq-spark " + (version == null ? "(development build)" : version)};
  }
}
