package io.lopq.io.fs;

import io.lopq.format.vectors.InvalidInputException;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RemoteIterator;

/**
 * The data files an input path stands for, found through Hadoop's {@link FileSystem} (so
 * {@code file:}, {@code hdfs:} and any other Hadoop scheme work): the path itself if it is a file,
 * else every file below it, recursively, except hidden ones (a name starting with {@code _} or
 * {@code .}, as Spark and Hadoop skip {@code _SUCCESS} and checksum files). Glob patterns are
 * expanded. The files come sorted by their full path, which fixes the order row numbers follow.
 */
public final class InputFiles {
  private final String path;
  private final List<FileStatus> files;

  private InputFiles(String path, List<FileStatus> files) {
    this.path = path;
    this.files = List.copyOf(files);
  }

  /**
   * Lists the files of {@code path}.
   *
   * @throws InvalidInputException if the path does not exist or cannot be listed
   */
  public static InputFiles list(String path, Configuration conf) {
    Path root = new Path(path);
    try {
      FileSystem fs = root.getFileSystem(conf);
      FileStatus[] matches = fs.globStatus(root);
      if (matches == null || matches.length == 0) {
        throw new InvalidInputException("input path " + path + " does not exist");
      }
      List<FileStatus> files = new ArrayList<>();
      for (FileStatus match : matches) {
        if (match.isDirectory()) {
          addFilesBelow(fs, match.getPath(), files);
        } else {
          files.add(match);
        }
      }
      files.sort(Comparator.comparing(f -> f.getPath().toString()));
      return new InputFiles(path, files);
    } catch (FileNotFoundException e) {
      throw new InvalidInputException("input path " + path + " does not exist", e);
    } catch (IOException e) {
      throw new InvalidInputException("cannot read input path " + path + ": " + e.getMessage(), e);
    }
  }

  private static void addFilesBelow(FileSystem fs, Path dir, List<FileStatus> files) throws IOException {
    int rootDepth = dir.depth();
    RemoteIterator<LocatedFileStatus> it = fs.listFiles(dir, true);
    while (it.hasNext()) {
      LocatedFileStatus file = it.next();
      if (!isHiddenBelow(file.getPath(), rootDepth)) {
        files.add(file);
      }
    }
  }

  /** True if any path component below depth {@code rootDepth} is hidden. */
  private static boolean isHiddenBelow(Path p, int rootDepth) {
    for (Path q = p; q != null && q.depth() > rootDepth; q = q.getParent()) {
      String name = q.getName();
      if (name.startsWith("_") || name.startsWith(".")) {
        return true;
      }
    }
    return false;
  }

  /** The path as given. */
  public String path() {
    return path;
  }

  /** The data files, sorted by full path. */
  public List<FileStatus> files() {
    return files;
  }

  /** The (fully qualified) paths of the data files, sorted. */
  public Path[] paths() {
    return files.stream().map(FileStatus::getPath).toArray(Path[]::new);
  }

  /** Total bytes of all data files. */
  public long totalBytes() {
    long total = 0;
    for (FileStatus f : files) {
      total += f.getLen();
    }
    return total;
  }

  /** An "input PATH has no rows" error for this path. */
  public InvalidInputException noRows() {
    return new InvalidInputException("input " + path + " has no rows");
  }
}
