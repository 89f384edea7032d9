package io.lopq.project;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The checkout these tests check (scripts/, conf/, the parent pom): the system property
 * {@value #PROPERTY}, which the parent pom sets for surefire and failsafe, else the working directory.
 */
final class ProjectDir {
  /** System property naming the checkout's root. */
  static final String PROPERTY = "lopq.project.dir";

  private ProjectDir() {}

  /** The checkout's root (holds pom.xml, conf/ and scripts/). */
  static Path root() {
    Path root = Path.of(System.getProperty(PROPERTY, System.getProperty("user.dir"))).toAbsolutePath().normalize();
    if (!Files.isRegularFile(root.resolve("pom.xml")) || !Files.isDirectory(root.resolve("conf"))
        || !Files.isDirectory(root.resolve("scripts"))) {
      throw new IllegalStateException("not the lopq-spark checkout: " + root + " (set -D" + PROPERTY + ")");
    }
    return root;
  }
}
