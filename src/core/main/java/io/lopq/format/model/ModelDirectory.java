package io.lopq.format.model;

import java.io.IOException;
import java.io.InputStream;

/**
 * The files of one model directory on some file system, as {@link NativeModelFormat#read} needs
 * them: the local file system ({@link NativeModelFormat#read(java.nio.file.Path)}), or Hadoop's in
 * the Spark module's model store.
 */
public interface ModelDirectory {
  /** The directory's name for messages. */
  String path();

  /** The name of file {@code name} inside the directory, for messages. */
  String path(String name);

  /**
   * The length of file {@code name} in bytes.
   *
   * @throws ModelFormatException {@code MISSING} if there is no such file, {@code NOT_A_MODEL} if it
   *     is a directory
   */
  long length(String name) throws IOException;

  /** Opens file {@code name} for reading. */
  InputStream open(String name) throws IOException;
}
