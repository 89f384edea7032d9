package io.lopq.io.encoded;

import io.lopq.format.encoded.EncodedFormat;
import io.lopq.format.encoded.EncodedManifest;
import io.lopq.format.encoded.ManifestJson;
import io.lopq.format.vectors.InvalidInputException;
import io.lopq.io.fs.AtomicCommit;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import org.apache.hadoop.fs.FileAlreadyExistsException;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * The revisions of an encoded dataset's manifest on a Hadoop file system: reading the newest one,
 * and publishing the next one. The manifest is never rewritten in place; each commit writes the
 * next revision as a new file, through a hidden temporary file and a rename ({@link AtomicCommit}):
 *
 * <pre>
 *   ENCODED/_lopq_manifest-0000000001.json
 *   ENCODED/_lopq_manifest-0000000002.json      the highest revision is the manifest
 * </pre>
 *
 * A crash leaves either the old highest revision or the new one, on any file system whose rename
 * is atomic (HDFS, local), with no moment when no manifest exists. A commit refuses to write a
 * revision that already exists, or when a newer one does (another run committed meanwhile). Old
 * revisions beyond {@link #KEPT_REVISIONS} are deleted. The file names are
 * {@link EncodedFormat#manifestFileName}, the content {@link ManifestJson}.
 */
public final class ManifestStore {
  /** How many newest revisions a commit keeps. */
  public static final int KEPT_REVISIONS = 5;
  /** A manifest file larger than this is not one of ours (and would not fit in memory comfortably). */
  private static final long MAX_MANIFEST_BYTES = 256L << 20;

  private ManifestStore() {}

  /**
   * Reads the newest manifest revision of the dataset at {@code root}.
   *
   * @return the manifest, or null if {@code root} holds no manifest (or does not exist)
   * @throws InvalidInputException naming the file if the newest revision is unreadable, not a valid
   *     manifest, or records another revision than its name says
   * @throws IOException if the file system fails
   */
  public static EncodedManifest read(FileSystem fs, Path root) throws IOException {
    Path newest = newestFile(fs, root);
    if (newest == null) {
      return null;
    }
    byte[] json;
    try (InputStream in = fs.open(newest)) {
      json = in.readNBytes((int) Math.min(MAX_MANIFEST_BYTES, Integer.MAX_VALUE - 8L) + 1);
    }
    if (json.length > MAX_MANIFEST_BYTES) {
      throw new InvalidInputException("encoded dataset manifest " + newest + " is larger than " + MAX_MANIFEST_BYTES
          + " bytes; it is not one of ours");
    }
    EncodedManifest manifest = ManifestJson.parse(json, newest.toString());
    long expected = EncodedFormat.manifestRevision(newest.getName());
    if (manifest.revision() != expected) {
      throw new InvalidInputException("encoded dataset manifest " + newest + " records revision "
          + manifest.revision() + ", but its name says " + expected);
    }
    return manifest;
  }

  /**
   * Stores {@code manifest} as revision {@link EncodedManifest#revision()} at {@code root} (which
   * must exist): written to a hidden temporary file, then renamed. Then deletes revisions older
   * than the newest {@link #KEPT_REVISIONS}.
   *
   * @throws FileAlreadyExistsException if the revision exists already, or a newer one does (another
   *     run committed meanwhile); nothing is changed then
   * @throws IOException if the file system fails; the previous revision stays the manifest
   */
  public static void commit(FileSystem fs, Path root, EncodedManifest manifest) throws IOException {
    long revision = manifest.revision();
    if (revision < 1) {
      throw new IllegalStateException("revision 0 is the empty manifest and is never stored");
    }
    Path target = new Path(root, EncodedFormat.manifestFileName(revision));
    checkNotAhead(fs, root, target, revision);
    byte[] json = ManifestJson.render(manifest);
    AtomicCommit.commit(fs, target, false, AtomicCommit.ANY, (files, temporary) -> {
      try (OutputStream out = files.create(temporary, false)) {
        out.write(json);
      }
      checkNotAhead(files, root, target, revision);
    });
    pruneOldRevisions(fs, root);
  }

  /** The newest manifest file at {@code root}, or null. */
  private static Path newestFile(FileSystem fs, Path root) throws IOException {
    FileStatus[] entries;
    try {
      entries = fs.listStatus(root);
    } catch (FileNotFoundException e) {
      return null;
    }
    return Arrays.stream(entries)
        .filter(FileStatus::isFile)
        .map(FileStatus::getPath)
        .filter(p -> EncodedFormat.manifestRevision(p.getName()) >= 0)
        .max(Comparator.comparingLong(p -> EncodedFormat.manifestRevision(p.getName())))
        .orElse(null);
  }

  private static void checkNotAhead(FileSystem fs, Path root, Path target, long revision) throws IOException {
    Path newest = newestFile(fs, root);
    long newestRevision = newest == null ? -1 : EncodedFormat.manifestRevision(newest.getName());
    if (newestRevision >= revision) {
      throw new FileAlreadyExistsException("cannot commit " + target + ": revision " + newestRevision
          + " exists already; another run changed the encoded dataset " + root + " meanwhile (re-run to continue)");
    }
  }

  private static void pruneOldRevisions(FileSystem fs, Path root) throws IOException {
    List<Long> revisions = new ArrayList<>();
    for (FileStatus s : fs.listStatus(root)) {
      long r = EncodedFormat.manifestRevision(s.getPath().getName());
      if (r >= 0) {
        revisions.add(r);
      }
    }
    revisions.sort(Collections.reverseOrder());
    for (int i = KEPT_REVISIONS; i < revisions.size(); i++) {
      fs.delete(new Path(root, EncodedFormat.manifestFileName(revisions.get(i))), false);
    }
  }
}
