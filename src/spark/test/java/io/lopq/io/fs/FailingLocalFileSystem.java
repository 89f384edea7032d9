package io.lopq.io.fs;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RawLocalFileSystem;
import org.apache.hadoop.fs.permission.FsPermission;

/**
 * The real local file system under the scheme {@code failing:}, except that writing a file with a
 * name containing a chosen string fails after a chosen number of bytes: a disk that fills up mid-write, on demand.
 */
public class FailingLocalFileSystem extends RawLocalFileSystem {
  static final String SCHEME = "failing";
  static final String FAIL_ON_NAME = "test.failing.fs.name";
  static final String FAIL_AFTER_BYTES = "test.failing.fs.bytes";

  private String failName = "";
  private long failAfter;

  /** A configuration that routes {@code failing:} here and fails writes of files whose name contains {@code name} after {@code bytes}. */
  public static Configuration configuration(String name, long bytes) {
    Configuration conf = new Configuration();
    conf.set("fs." + SCHEME + ".impl", FailingLocalFileSystem.class.getName());
    conf.setBoolean("fs." + SCHEME + ".impl.disable.cache", true);
    conf.set(FAIL_ON_NAME, name);
    conf.setLong(FAIL_AFTER_BYTES, bytes);
    return conf;
  }

  /**
   * Routes {@code failing:} here in an existing configuration (e.g. a Spark session's Hadoop
   * configuration, so that tasks write through it), failing writes of files whose name contains
   * {@code name} after {@code bytes}; {@link #uninstall} undoes it.
   */
  public static void install(Configuration conf, String name, long bytes) {
    configuration(name, bytes).getPropsWithPrefix("").forEach((key, value) -> {
      if (key.startsWith("fs." + SCHEME + ".") || key.startsWith("test.failing.fs.")) {
        conf.set(key, value);
      }
    });
  }

  /** Removes what {@link #install} set. */
  public static void uninstall(Configuration conf) {
    for (String key : new String[] {"fs." + SCHEME + ".impl", "fs." + SCHEME + ".impl.disable.cache", FAIL_ON_NAME,
        FAIL_AFTER_BYTES}) {
      conf.unset(key);
    }
  }

  /** The {@code failing:} path of a local file. */
  public static Path path(java.nio.file.Path local) {
    return new Path(SCHEME + "://" + local.toAbsolutePath());
  }

  @Override
  public URI getUri() {
    return URI.create(SCHEME + ":///");
  }

  @Override
  public String getScheme() {
    return SCHEME;
  }

  @Override
  public void initialize(URI uri, Configuration conf) throws IOException {
    super.initialize(uri, conf);
    failName = conf.get(FAIL_ON_NAME, "");
    failAfter = conf.getLong(FAIL_AFTER_BYTES, 0);
  }

  @Override
  protected OutputStream createOutputStream(Path f, boolean append) throws IOException {
    return wrap(f, super.createOutputStream(f, append));
  }

  @Override
  protected OutputStream createOutputStreamWithMode(Path f, boolean append, FsPermission permission)
      throws IOException {
    return wrap(f, super.createOutputStreamWithMode(f, append, permission));
  }

  private OutputStream wrap(Path f, OutputStream out) {
    return !failName.isEmpty() && f.getName().contains(failName) ? new FailingStream(out, failAfter, f) : out;
  }

  private static final class FailingStream extends FilterOutputStream {
    private final long limit;
    private final Path path;
    private long written;

    FailingStream(OutputStream out, long limit, Path path) {
      super(out);
      this.limit = limit;
      this.path = path;
    }

    @Override
    public void write(int b) throws IOException {
      count(1);
      out.write(b);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      count(len);
      out.write(b, off, len);
    }

    private void count(int n) throws IOException {
      written += n;
      if (written > limit) {
        throw new IOException("injected failure: no space left writing " + path + " after " + limit + " bytes");
      }
    }
  }
}
