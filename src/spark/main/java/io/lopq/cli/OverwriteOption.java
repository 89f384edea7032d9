package io.lopq.cli;

import java.io.IOException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileAlreadyExistsException;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import picocli.CommandLine.Option;

/**
 * {@code --overwrite}, for every command that writes something: one declaration, mixed into each
 * command with {@code @Mixin} (the per-command wording is in {@link OutputOptions#COMMAND_TEXTS}).
 * Every "already exists" refusal names the option ({@link #alreadyExists}).
 */
public final class OverwriteOption {
  /** What every refusal of an existing output ends with. */
  static final String HINT = "(use --overwrite to replace it)";

  @Option(names = "--overwrite", descriptionKey = "output.overwrite",
      description = "Replace an existing output.")
  boolean overwrite;

  /** Whether an existing output may be replaced. */
  public boolean overwrite() {
    return overwrite;
  }

  /**
   * Refuses, before any work, an output that exists when {@code --overwrite} is not given.
   *
   * @throws FileAlreadyExistsException naming the path and {@code --overwrite}
   */
  void requireWritable(String what, String path) throws IOException {
    Path target = new Path(path);
    FileSystem fs = target.getFileSystem(new Configuration());
    if (!overwrite && fs.exists(target)) {
      throw alreadyExists(what + " " + path);
    }
  }

  /** "THING already exists (use --overwrite to replace it)". */
  static FileAlreadyExistsException alreadyExists(String thing) {
    return new FileAlreadyExistsException(thing + " already exists " + HINT);
  }
}
