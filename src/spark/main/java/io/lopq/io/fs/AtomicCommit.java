package io.lopq.io.fs;


import java.io.FileNotFoundException;
import java.io.IOException;
import java.util.UUID;
import org.apache.hadoop.fs.FileAlreadyExistsException;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.util.ShutdownHookManager;

/**
 * Publishes a file or a directory at a target path all at once, so that readers see either the old
 * content, the complete new content, or nothing, and never a partial write.
 *
 * <pre>
 *   1. write everything to a hidden sibling     PARENT/.NAME.tmp-UUID
 *   2. (overwrite only) move the old target to   PARENT/.NAME.old-UUID
 *   3. rename the sibling to                     PARENT/NAME
 *   4. delete the old target
 *   on any failure: delete the sibling, move the old target back
 *   on SIGTERM / SIGINT (Ctrl-C) while writing: delete the sibling before the JVM exits
 * </pre>
 *
 * <p>Names starting with {@code .} are hidden from Hadoop and Spark input listings. Step 3 is a
 * single rename: atomic on HDFS and local file systems. On object stores whose rename is a copy
 * (S3A, GCS, ABFS without hierarchical namespace) it is not atomic, but a reader that verifies
 * checksums (as the model store does) still detects a half-copied target. Concurrent writers of
 * the same target are not supported; a target that appears while writing is detected and not
 * replaced.
 */
public final class AtomicCommit {
  private static final System.Logger LOG = System.getLogger(AtomicCommit.class.getName());
  /** Infix of the hidden sibling that receives the new content. */
  public static final String TEMP_INFIX = ".tmp-";
  /** Infix of the hidden sibling that holds the old content while it is being replaced. */
  public static final String OLD_INFIX = ".old-";

  /** Writes the complete new content at a temporary path (a file or a directory). */
  @FunctionalInterface
  public interface Writer {
    /** Writes everything at {@code temporary}, which does not exist yet. */
    void write(FileSystem fs, Path temporary) throws IOException;
  }

  /** Decides whether an existing target may be replaced (overwrite mode). */
  @FunctionalInterface
  public interface ReplaceGuard {
    /** Throws if {@code existing} must not be replaced. */
    void check(FileSystem fs, FileStatus existing) throws IOException;
  }

  /**
   * Priority of the shutdown hook that deletes an unfinished sibling: after Spark's own hook (which
   * stops the running jobs, {@code FileSystem.SHUTDOWN_HOOK_PRIORITY + 30}), before Hadoop closes
   * the file systems ({@code FileSystem.SHUTDOWN_HOOK_PRIORITY}).
   */
  static final int CLEANUP_HOOK_PRIORITY = FileSystem.SHUTDOWN_HOOK_PRIORITY + 10;

  /** A guard that lets anything be replaced. */
  public static final ReplaceGuard ANY = (fs, existing) -> { };

  private AtomicCommit() {
  }

  /**
   * Writes through {@code writer} to a hidden sibling of {@code target}, then renames it into place.
   *
   * @param fs the file system of {@code target}
   * @param target where the content must appear
   * @param overwrite whether an existing target may be replaced
   * @param guard checks an existing target before it is replaced
   * @param writer writes the content at the temporary path
   * @throws FileAlreadyExistsException if the target exists and {@code overwrite} is false
   * @throws IOException if writing or renaming fails; nothing is left at the target then (an old
   *     target is restored)
   */
  public static void commit(FileSystem fs, Path target, boolean overwrite, ReplaceGuard guard, Writer writer)
      throws IOException {
    Path qualified = fs.makeQualified(target);
    Path parent = qualified.getParent();
    if (parent == null) {
      throw new IllegalArgumentException("cannot write at the root of a file system: " + qualified);
    }
    FileStatus existing = statusOrNull(fs, qualified);
    if (existing != null) {
      checkReplaceable(fs, qualified, existing, overwrite, guard);
    }
    String token = UUID.randomUUID().toString();
    Path temporary = new Path(parent, "." + qualified.getName() + TEMP_INFIX + token);
    // A signal ends the JVM without unwinding this frame: a hook deletes the unfinished sibling then.
    Runnable onSignal = () -> deleteQuietly(fs, temporary, new IOException("interrupted while writing " + qualified));
    ShutdownHookManager hooks = ShutdownHookManager.get();
    hooks.addShutdownHook(onSignal, CLEANUP_HOOK_PRIORITY);
    try {
      writer.write(fs, temporary);
      publish(fs, temporary, qualified, overwrite, guard, new Path(parent, "." + qualified.getName() + OLD_INFIX + token));
    } catch (Exception | Error e) {
      // Exception, not only IOException and RuntimeException: Spark's writers throw the checked
      // SparkException undeclared (a failed write job), which must not leave the temporary behind.
      deleteQuietly(fs, temporary, e);
      throw e;
    } finally {
      if (!hooks.isShutdownInProgress()) {
        hooks.removeShutdownHook(onSignal);
      }
    }
  }

  private static void checkReplaceable(
      FileSystem fs, Path target, FileStatus existing, boolean overwrite, ReplaceGuard guard) throws IOException {
    if (!overwrite) {
      throw new FileAlreadyExistsException(target + " already exists; choose another path or ask to overwrite it");
    }
    guard.check(fs, existing);
  }

  private static void publish(
      FileSystem fs, Path temporary, Path target, boolean overwrite, ReplaceGuard guard, Path aside)
      throws IOException {
    FileStatus existing = statusOrNull(fs, target);
    if (existing == null) {
      renameInto(fs, temporary, target);
      return;
    }
    checkReplaceable(fs, target, existing, overwrite, guard);
    if (!fs.rename(target, aside)) {
      throw new IOException("could not move the existing " + target + " aside to " + aside);
    }
    try {
      renameInto(fs, temporary, target);
    } catch (IOException | RuntimeException e) {
      restore(fs, aside, target, e);
      throw e;
    }
    try {
      if (!fs.delete(aside, true)) {
        LOG.log(System.Logger.Level.WARNING, "could not delete the replaced " + target + " kept at " + aside);
      }
    } catch (IOException e) {
      LOG.log(System.Logger.Level.WARNING, "could not delete the replaced " + target + " kept at " + aside, e);
    }
  }

  private static void renameInto(FileSystem fs, Path temporary, Path target) throws IOException {
    if (!fs.rename(temporary, target)) {
      throw new IOException("could not rename " + temporary + " to " + target);
    }
    // Some file systems move a directory *into* a destination directory that appeared meanwhile.
    Path nested = new Path(target, temporary.getName());
    if (exists(fs, nested)) {
      fs.delete(nested, true);
      throw new FileAlreadyExistsException(target + " appeared while writing; it was not replaced");
    }
  }

  private static void restore(FileSystem fs, Path aside, Path target, Exception failure) {
    try {
      if (!exists(fs, target) && fs.rename(aside, target)) {
        return;
      }
      failure.addSuppressed(new IOException("the previous content of " + target + " is kept at " + aside));
    } catch (IOException e) {
      e.addSuppressed(new IOException("the previous content of " + target + " is kept at " + aside));
      failure.addSuppressed(e);
    }
  }

  private static void deleteQuietly(FileSystem fs, Path temporary, Throwable failure) {
    try {
      if (exists(fs, temporary) && !fs.delete(temporary, true)) {
        failure.addSuppressed(new IOException("could not delete the temporary " + temporary));
      }
    } catch (IOException | RuntimeException e) {
      failure.addSuppressed(e);
    }
  }

  private static boolean exists(FileSystem fs, Path path) {
    try {
      return fs.exists(path);
    } catch (IOException e) {
      return false;
    }
  }

  /** The status of {@code path}, or {@code null} if nothing is there. */
  public static FileStatus statusOrNull(FileSystem fs, Path path) throws IOException {
    try {
      return fs.getFileStatus(path);
    } catch (FileNotFoundException e) {
      return null;
    }
  }
}
