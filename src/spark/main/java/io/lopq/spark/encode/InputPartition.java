package io.lopq.spark.encode;

import io.lopq.io.encoded.EncodedCommitter;
import io.lopq.format.encoded.EncodedPartition;
import io.lopq.format.vectors.InvalidInputException;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * One unit of incremental encoding: an input partition folder {@code COL=VALUE} below a
 * partitioned input (e.g. {@code date=2026-11-24/}), or the whole input when it is not
 * partitioned (named {@value EncodedPartition#UNPARTITIONED}). The output partition has the same
 * name.
 *
 * <p>{@link #ready()} tells whether the folder holds a {@code _SUCCESS} marker, for schedules
 * that must not encode a partition its producer is still writing.
 */
final class InputPartition {
  private final String name;
  private final String value;
  private final String path;
  private final boolean ready;

  private InputPartition(String name, String value, String path, boolean ready) {
    this.name = name;
    this.value = value;
    this.path = path;
    this.ready = ready;
  }

  /** The output directory name: {@code COL=VALUE}, or {@value EncodedPartition#UNPARTITIONED}. */
  String name() {
    return name;
  }

  /** The partition value, or null when the input is not partitioned. */
  String value() {
    return value;
  }

  /** The input path of this partition. */
  String path() {
    return path;
  }

  /** True if the folder holds a {@code _SUCCESS} marker (always true for a single input file). */
  boolean ready() {
    return ready;
  }

  /**
   * The partitions of {@code input}, sorted by name.
   *
   * @param partitionColumn the partition column, or null for a single partition with the whole input
   * @throws InvalidInputException if the input does not exist, or (partitioned) is not a folder,
   *     holds a visible entry that is not a {@code COL=VALUE} folder, or holds no partition at all
   */
  static List<InputPartition> list(FileSystem fs, String input, String partitionColumn) throws IOException {
    Path root = new Path(input);
    FileStatus status;
    try {
      status = fs.getFileStatus(root);
    } catch (FileNotFoundException e) {
      throw new InvalidInputException("input path " + input + " does not exist", e);
    }
    if (partitionColumn == null) {
      boolean ready = !status.isDirectory() || fs.exists(new Path(root, EncodedCommitter.SUCCESS));
      return List.of(new InputPartition(EncodedPartition.UNPARTITIONED, null, input, ready));
    }
    if (!status.isDirectory()) {
      throw new InvalidInputException("input " + input + " is a file, but --partition-col " + partitionColumn
          + " needs a folder of " + partitionColumn + "=VALUE folders");
    }
    String prefix = partitionColumn + "=";
    List<InputPartition> partitions = new ArrayList<>();
    List<String> strangers = new ArrayList<>();
    for (FileStatus child : fs.listStatus(root)) {
      String name = child.getPath().getName();
      if (name.startsWith("_") || name.startsWith(".")) {
        continue;
      }
      if (child.isDirectory() && name.startsWith(prefix) && name.length() > prefix.length()) {
        boolean ready = fs.exists(new Path(child.getPath(), EncodedCommitter.SUCCESS));
        partitions.add(new InputPartition(name, name.substring(prefix.length()), child.getPath().toString(), ready));
      } else {
        strangers.add(name);
      }
    }
    if (!strangers.isEmpty()) {
      throw new InvalidInputException("input " + input + " holds " + strangers + ", which are not partition folders "
          + prefix + "VALUE (with --partition-col " + partitionColumn + ")");
    }
    if (partitions.isEmpty()) {
      throw new InvalidInputException("input " + input + " holds no partition folders " + prefix + "VALUE");
    }
    partitions.sort(Comparator.comparing(InputPartition::name));
    return partitions;
  }

  @Override
  public String toString() {
    return name + " (" + path + (ready ? "" : ", no _SUCCESS yet") + ")";
  }
}
