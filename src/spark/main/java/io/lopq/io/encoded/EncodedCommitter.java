package io.lopq.io.encoded;

import io.lopq.format.encoded.EncodedFile;
import io.lopq.format.encoded.EncodedFormat;
import io.lopq.format.encoded.EncodedManifest;
import io.lopq.format.encoded.EncodedPartition;
import io.lopq.format.encoded.KeptColumn;
import io.lopq.format.encoded.ModelIdentity;
import io.lopq.format.vectors.InvalidInputException;
import io.lopq.io.fs.AtomicCommit;

import io.lopq.model.LopqModel;
import java.io.IOException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.apache.hadoop.fs.FileAlreadyExistsException;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * The writer's side of an encoded dataset's commit protocol: checks that an existing output may
 * receive more partitions, removes what a crashed run left behind, gives each partition a staging
 * directory, and commits a finished partition (a rename, then a new manifest revision).
 *
 * <pre>
 *   ENCODED/_temporary/RUN/NAME/part-*.parquet     1. tasks write here
 *   ENCODED/_temporary/RUN/NAME/_SUCCESS           2. written once every file is complete
 *   ENCODED/NAME/                                  3. one rename of the staging directory
 *   ENCODED/_lopq_manifest-(r+1).json              4. the partition becomes visible to readers
 * </pre>
 *
 * A crash before step 4 leaves the dataset as it was for readers (they follow the manifest); the
 * next run's {@link #removeLeftovers()} deletes {@code _temporary/} and every partition directory
 * that the manifest does not list, and encodes those partitions again. Concurrent runs on one
 * output are not supported (schedule them under a lock, as {@code scripts/encode-scheduled}
 * does); should two runs race anyway, the second manifest commit fails instead of losing data.
 */
public final class EncodedCommitter {
  private static final System.Logger LOG = System.getLogger(EncodedCommitter.class.getName());
  /** Directory of work in progress below the dataset root. */
  public static final String TEMPORARY = "_temporary";
  /** Marker written into a partition directory once all its files are complete. */
  public static final String SUCCESS = "_SUCCESS";
  /**
   * Marker written when a run creates the output, before anything else: a directory holding it
   * but no manifest is a dataset whose first run has not committed yet (or crashed), and may be
   * cleaned up and continued.
   */
  public static final String CREATED_MARKER = "_lopq_dataset";

  private final FileSystem fs;
  private final Path root;
  private final String runId;
  private final boolean createdRoot;
  private final String fingerprint;
  private EncodedManifest manifest;

  private EncodedCommitter(FileSystem fs, Path root, String runId, boolean createdRoot, String fingerprint,
      EncodedManifest manifest) {
    this.fs = fs;
    this.root = root;
    this.runId = runId;
    this.createdRoot = createdRoot;
    this.fingerprint = fingerprint;
    this.manifest = manifest;
  }

  /**
   * Opens (or creates) the output at {@code root} for a run encoding with {@code model}.
   *
   * @param partitionColumn the input's partition column, or null for an unpartitioned input
   * @param runId a name for this run's staging directory, unique per run
   * @throws InvalidInputException naming the path if the output is a file, a directory that is not
   *     an encoded dataset, a dataset written by another model (naming both fingerprints), or one
   *     with another partition column
   */
  public static EncodedCommitter open(FileSystem fs, Path root, LopqModel model, String partitionColumn,
      String runId) throws IOException {
    Path qualified = fs.makeQualified(root);
    FileStatus status = AtomicCommit.statusOrNull(fs, qualified);
    EncodedManifest existing = null;
    boolean created = false;
    if (status == null) {
      if (!fs.mkdirs(qualified)) {
        throw new IOException("could not create the output directory " + qualified);
      }
      fs.create(new Path(qualified, CREATED_MARKER), false).close();
      created = true;
    } else if (!status.isDirectory()) {
      throw new InvalidInputException("output " + qualified + " is a file, not an encoded dataset directory");
    } else {
      existing = ManifestStore.read(fs, qualified);
      Path marker = new Path(qualified, CREATED_MARKER);
      if (existing == null && !fs.exists(marker)) {
        requireNoVisibleEntries(fs, qualified);
        fs.create(marker, false).close();
      } else if (existing != null) {
        checkCompatible(existing, qualified, model, partitionColumn);
      }
    }
    return new EncodedCommitter(fs, qualified, runId, created, model.fingerprint(), existing);
  }

  private static void requireNoVisibleEntries(FileSystem fs, Path root) throws IOException {
    List<String> visible = new ArrayList<>();
    for (FileStatus s : fs.listStatus(root)) {
      if (!isHidden(s.getPath().getName())) {
        visible.add(s.getPath().getName());
      }
    }
    if (!visible.isEmpty()) {
      throw new InvalidInputException("output " + root + " exists and is not an encoded dataset (no manifest, but it "
          + "holds " + visible + "); choose another output path");
    }
  }

  private static void checkCompatible(EncodedManifest existing, Path root, LopqModel model, String partitionColumn) {
    if (!existing.model().matches(model)) {
      throw new InvalidInputException("output " + root + " holds codes of model " + existing.model()
          + ", but this run's model is " + ModelIdentity.of(model) + "; encode into a new output, or "
          + "replace it with --overwrite");
    }
    if (!Objects.equals(existing.partitionColumn(), partitionColumn)) {
      throw new InvalidInputException("output " + root + " is partitioned by " + describe(existing.partitionColumn())
          + ", but this run's input is partitioned by " + describe(partitionColumn)
          + "; use the same --partition-col, a new output, or --overwrite");
    }
  }

  private static String describe(String partitionColumn) {
    return partitionColumn == null ? "nothing (unpartitioned)" : "'" + partitionColumn + "'";
  }

  /**
   * Fixes the row layout: the first commit's, or checks this run's against the existing one.
   *
   * @throws InvalidInputException if the id type or the kept columns differ from the dataset's
   */
  public void requireLayout(LopqModel model, boolean stringIds, List<KeptColumn> kept, String partitionColumn) {
    if (manifest == null) {
      manifest = EncodedManifest.empty(model, stringIds, kept, partitionColumn);
      return;
    }
    if (manifest.stringIds() != stringIds || !manifest.keptColumns().equals(kept)) {
      throw new InvalidInputException("output " + root + " holds rows with " + layout(manifest.stringIds(),
          manifest.keptColumns()) + ", but this input gives " + layout(stringIds, kept)
          + "; use the same id and kept columns, a new output, or --overwrite");
    }
  }

  private static String layout(boolean stringIds, List<KeptColumn> kept) {
    return EncodedFormat.idTypeName(stringIds) + " ids and kept columns " + kept;
  }

  /** The dataset root, fully qualified. */
  public Path root() {
    return root;
  }

  /** The manifest as of the last commit (null before {@link #requireLayout} for a new output). */
  public EncodedManifest manifest() {
    return manifest;
  }

  /** The names of the committed partitions. */
  public Set<String> committedNames() {
    Set<String> names = new HashSet<>();
    if (manifest != null) {
      manifest.partitions().forEach(p -> names.add(p.name()));
    }
    return names;
  }

  /**
   * Deletes what an earlier, crashed run left: {@code _temporary/} and every visible directory or
   * file that the manifest does not list (a partition renamed into place but never committed).
   *
   * @return the paths deleted
   */
  public List<Path> removeLeftovers() throws IOException {
    List<Path> removed = new ArrayList<>();
    Path temporary = new Path(root, TEMPORARY);
    if (fs.exists(temporary)) {
      fs.delete(temporary, true);
      removed.add(temporary);
    }
    Set<String> committed = committedNames();
    for (FileStatus s : fs.listStatus(root)) {
      String name = s.getPath().getName();
      if (!isHidden(name) && !committed.contains(name)) {
        fs.delete(s.getPath(), true);
        removed.add(s.getPath());
      }
    }
    for (Path p : removed) {
      LOG.log(System.Logger.Level.INFO, "removed leftover of an unfinished run: " + p);
    }
    return removed;
  }

  /** The (new, empty) staging directory of partition {@code name} for this run. */
  public Path staging(String name) throws IOException {
    Path staging = new Path(new Path(new Path(root, TEMPORARY), runId), name);
    if (fs.exists(staging)) {
      fs.delete(staging, true);
    }
    if (!fs.mkdirs(staging)) {
      throw new IOException("could not create the staging directory " + staging);
    }
    return staging;
  }

  /**
   * Commits partition {@code name} from its staging directory: deletes files there that are not
   * listed (failed task attempts), writes {@value #SUCCESS}, renames the directory into place and
   * stores the next manifest revision.
   *
   * @param value the partition column's value, or null when unpartitioned
   * @param skippedRows invalid input rows skipped
   * @param files the files written, with paths {@code name/FILE}
   * @return the committed partition
   */
  public EncodedPartition commit(String name, String value, long skippedRows, List<EncodedFile> files)
      throws IOException {
    if (manifest == null) {
      throw new IllegalStateException("requireLayout must come before the first commit");
    }
    Path staging = new Path(new Path(new Path(root, TEMPORARY), runId), name);
    Set<String> listed = new HashSet<>();
    long rows = 0;
    for (EncodedFile f : files) {
      listed.add(new Path(f.path()).getName());
      rows += f.rows();
    }
    for (FileStatus s : fs.listStatus(staging)) {
      String file = s.getPath().getName();
      if (!listed.contains(file) && !isHidden(file)) {
        fs.delete(s.getPath(), true);
      }
    }
    for (String file : listed) {
      if (!fs.exists(new Path(staging, file))) {
        throw new IOException("file " + file + " of partition " + name + " is missing from " + staging);
      }
    }
    fs.create(new Path(staging, SUCCESS), false).close();
    Path target = new Path(root, name);
    if (fs.exists(target)) {
      throw new FileAlreadyExistsException("cannot commit partition " + name + ": " + target + " appeared meanwhile "
          + "(is another encode run writing to " + root + "?)");
    }
    if (!fs.rename(staging, target)) {
      throw new IOException("could not rename " + staging + " to " + target);
    }
    EncodedPartition partition = new EncodedPartition(name, value, rows, skippedRows,
        Instant.now().truncatedTo(ChronoUnit.SECONDS).toString(), files);
    EncodedManifest next = manifest.withPartition(partition);
    try {
      ManifestStore.commit(fs, root, next);
    } catch (IOException | RuntimeException e) {
      try {
        fs.delete(target, true);
      } catch (IOException cleanup) {
        e.addSuppressed(cleanup);
      }
      throw e;
    }
    manifest = next;
    return partition;
  }

  /**
   * Cleans up after this run: its staging directory, and the whole output if this run created it
   * and committed nothing (so a failed first run leaves no output).
   */
  public void finish() throws IOException {
    Path mine = new Path(new Path(root, TEMPORARY), runId);
    if (fs.exists(mine)) {
      fs.delete(mine, true);
    }
    Path temporary = new Path(root, TEMPORARY);
    FileStatus[] left = fs.exists(temporary) ? fs.listStatus(temporary) : new FileStatus[0];
    if (left.length == 0 && fs.exists(temporary)) {
      fs.delete(temporary, true);
    }
    if (createdRoot && (manifest == null || manifest.revision() == 0)) {
      fs.delete(root, true);
    }
  }

  /** The fingerprint of the run's model. */
  public String fingerprint() {
    return fingerprint;
  }

  private static boolean isHidden(String name) {
    return name.startsWith("_") || name.startsWith(".");
  }
}
