package io.lopq.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where the integration tests find the project and keep their files. Maven runs failsafe in the
 * project folder; {@code -Dlopq.project.dir} points elsewhere. Everything the tests write lies under
 * {@code target/}, so parallel checkouts never share state.
 */
final class Project {
  /** System property naming the project folder (default: the working directory). */
  static final String DIR_PROPERTY = "lopq.project.dir";

  private Project() {}

  /** The project's root folder (holds pom.xml, scripts/, jobs/). */
  static Path root() {
    Path root = Path.of(System.getProperty(DIR_PROPERTY, System.getProperty("user.dir"))).toAbsolutePath().normalize();
    if (!Files.isRegularFile(root.resolve("pom.xml")) || !Files.isDirectory(root.resolve("scripts"))) {
      throw new IllegalStateException("not the lopq-spark project folder: " + root
          + " (run from the project root or set -D" + DIR_PROPERTY + ")");
    }
    return root;
  }

  /** A script under {@code scripts/}, by its path there (e.g. {@code submit}, {@code lib/spark-home}). */
  static Path script(String name) {
    return root().resolve("scripts").resolve(name);
  }

  /** A fresh-or-existing folder under {@code target/it/}. */
  static Path workDir(String name) {
    Path dir = root().resolve("target").resolve("it").resolve(name);
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create " + dir, e);
    }
    return dir;
  }

  /** An empty folder under {@code target/it/}: whatever an earlier run left there is deleted. */
  static Path cleanDir(String name) {
    Path dir = workDir(name);
    FileTrees.deleteRecursively(dir);
    return workDir(name);
  }
}
