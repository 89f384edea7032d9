package io.lopq.math.blas;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.JarURLConnection;
import java.net.URL;
import java.net.URLConnection;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Properties;
import java.util.jar.JarEntry;
import java.util.zip.CRC32;

/**
 * The OpenBLAS that the project's jars bring: the {@code org.bytedeco:openblas} classifier jars
 * ({@code linux-x86_64}, {@code linux-arm64}) hold {@code libopenblas.so.0} (BLAS and LAPACK, pthreads
 * build, {@code RUNPATH $ORIGIN}) and the Fortran runtime it needs beside it (libquadmath on x86
 * only). A JVM cannot load a
 * library from inside a jar, so the four files are copied once into a per-user cache folder, where
 * later JVMs find them:
 *
 * <pre>
 *   CACHE/openblas-PLATFORM-CRC/{libgcc_s.so.1, libquadmath.so.0, libgfortran.so.5, libopenblas.so.0}
 *   CACHE = -Dlopq.blas.cache, else $XDG_CACHE_HOME/lopq, else ~/.cache/lopq, else TMPDIR/lopq-USER
 *   CRC   = the jar entries' CRC-32s, combined (a new OpenBLAS gets a new folder)
 * </pre>
 *
 * <p>Safe with concurrent JVMs (several executors of one machine): each file is written to a temporary
 * file in the same folder, checked against the jar entry's size and CRC-32, then renamed into place
 * atomically; a file already there is used only when its size and CRC-32 match, else rewritten. The
 * library comes last, so a complete {@code libopenblas.so.0} implies its dependencies are in place.
 */
public final class BundledOpenBlas {
  /** System property naming the cache folder. */
  public static final String CACHE_PROPERTY = "lopq.blas.cache";
  /** The library netlib is pointed at. */
  public static final String LIBRARY = "libopenblas.so.0";
  /** The files copied (those the platform has), dependencies first, the library last. */
  static final List<String> FILES = List.of("libgcc_s.so.1", "libquadmath.so.0", "libgfortran.so.5", LIBRARY);
  private static final String RESOURCE_ROOT = "org/bytedeco/openblas/";
  private static final String VERSION_RESOURCE = "META-INF/maven/org.bytedeco/openblas/pom.properties";
  private static final int BUFFER_BYTES = 1 << 16;

  private BundledOpenBlas() {}

  /**
   * The bytedeco platform name of this JVM ({@code linux-x86_64}, {@code linux-arm64}), or empty
   * when the project bundles no OpenBLAS for it.
   */
  public static Optional<String> platform() {
    return platform(System.getProperty("os.name", ""), System.getProperty("os.arch", ""));
  }

  static Optional<String> platform(String osName, String osArch) {
    if (!osName.toLowerCase(Locale.ROOT).startsWith("linux")) {
      return Optional.empty();
    }
    switch (osArch.toLowerCase(Locale.ROOT)) {
      case "amd64":
      case "x86_64":
        return Optional.of("linux-x86_64");
      case "aarch64":
      case "arm64":
        return Optional.of("linux-arm64");
      default:
        return Optional.empty();
    }
  }

  /** True when {@code loader} sees the bundled library for this platform (the job jar is not the thin one). */
  public static boolean available(ClassLoader loader) {
    return platform().map(p -> loader.getResource(RESOURCE_ROOT + p + "/" + LIBRARY) != null).orElse(false);
  }

  /** The OpenBLAS version of the bundle ({@code 0.3.31-1.5.13}), or "unknown". */
  public static String version(ClassLoader loader) {
    try (InputStream in = loader.getResourceAsStream(VERSION_RESOURCE)) {
      if (in != null) {
        Properties p = new Properties();
        p.load(in);
        return p.getProperty("version", "unknown");
      }
    } catch (IOException e) {
      // the version is for reports only
    }
    return "unknown";
  }

  /** The cache folder this JVM uses (see the class comment). */
  public static Path cacheRoot() {
    String property = System.getProperty(CACHE_PROPERTY);
    if (property != null && !property.isBlank()) {
      return Paths.get(property);
    }
    String xdg = System.getenv("XDG_CACHE_HOME");
    Path preferred = xdg != null && !xdg.isBlank() ? Paths.get(xdg, "lopq")
        : Paths.get(System.getProperty("user.home", ""), ".cache", "lopq");
    if (writableOrCreatable(preferred)) {
      return preferred;
    }
    return Paths.get(System.getProperty("java.io.tmpdir"), "lopq-" + System.getProperty("user.name", "user"));
  }

  private static boolean writableOrCreatable(Path dir) {
    try {
      Files.createDirectories(dir);
      return Files.isWritable(dir);
    } catch (IOException | SecurityException e) {
      return false;
    }
  }

  /**
   * Copies the bundled library for this platform into {@code cacheRoot} (unless a verified copy is
   * there) and returns the path of {@value #LIBRARY}; empty when {@code loader} has no bundle for
   * this platform.
   *
   * @throws UncheckedIOException if the folder cannot be written or a copy does not match its jar entry
   */
  public static Optional<Path> extract(ClassLoader loader, Path cacheRoot) {
    Optional<String> platform = platform();
    if (platform.isEmpty()) {
      return Optional.empty();
    }
    String prefix = RESOURCE_ROOT + platform.get() + "/";
    List<Entry> entries = new ArrayList<>();
    for (String file : FILES) {
      URL url = loader.getResource(prefix + file);
      if (url == null && file.equals(LIBRARY)) {
        return Optional.empty();
      }
      if (url != null) { // libquadmath exists on x86 only
        entries.add(Entry.of(file, url));
      }
    }
    CRC32 key = new CRC32();
    for (Entry e : entries) {
      key.update(e.name.getBytes(java.nio.charset.StandardCharsets.UTF_8));
      key.update(Long.toString(e.size).getBytes(java.nio.charset.StandardCharsets.UTF_8));
      key.update(Long.toString(e.crc).getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
    Path dir = cacheRoot.resolve(String.format(Locale.ROOT, "openblas-%s-%08x", platform.get(), key.getValue()));
    try {
      Files.createDirectories(dir);
      for (Entry e : entries) {
        Path target = dir.resolve(e.name);
        if (!matches(target, e.size, e.crc)) {
          copy(e, target);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("could not copy the bundled OpenBLAS into " + dir
          + " (set -D" + CACHE_PROPERTY + "=DIR to a writable folder, or -Dlopq.blas=system)", e);
    }
    return Optional.of(dir.resolve(LIBRARY));
  }

  /** One file to copy: its jar URL, and the size and CRC-32 it must have (-1: unknown, checked after reading). */
  private static final class Entry {
    final String name;
    final URL url;
    final long size;
    final long crc;

    private Entry(String name, URL url, long size, long crc) {
      this.name = name;
      this.url = url;
      this.size = size;
      this.crc = crc;
    }

    static Entry of(String name, URL url) {
      try {
        URLConnection connection = url.openConnection();
        if (connection instanceof JarURLConnection) {
          JarEntry entry = ((JarURLConnection) connection).getJarEntry();
          if (entry != null && entry.getSize() >= 0 && entry.getCrc() >= 0) {
            return new Entry(name, url, entry.getSize(), entry.getCrc());
          }
        }
        // Not in a jar (an exploded class path): the reference is the resource's content itself.
        try (InputStream in = connection.getInputStream()) {
          CRC32 crc = new CRC32();
          long size = 0;
          byte[] buffer = new byte[BUFFER_BYTES];
          for (int n; (n = in.read(buffer)) > 0; ) {
            crc.update(buffer, 0, n);
            size += n;
          }
          return new Entry(name, url, size, crc.getValue());
        }
      } catch (IOException e) {
        throw new UncheckedIOException("could not read the bundled " + name + " at " + url, e);
      }
    }
  }

  /** True when {@code file} exists with this size and CRC-32. */
  static boolean matches(Path file, long size, long crc) throws IOException {
    if (!Files.isRegularFile(file) || Files.size(file) != size) {
      return false;
    }
    return crc(file) == crc;
  }

  static long crc(Path file) throws IOException {
    CRC32 crc = new CRC32();
    byte[] buffer = new byte[BUFFER_BYTES];
    try (InputStream in = Files.newInputStream(file)) {
      for (int n; (n = in.read(buffer)) > 0; ) {
        crc.update(buffer, 0, n);
      }
    }
    return crc.getValue();
  }

  /** Writes the entry to a temporary file beside {@code target}, checks it, renames it into place. */
  private static void copy(Entry e, Path target) throws IOException {
    Path temporary = Files.createTempFile(target.getParent(), e.name + ".", ".tmp");
    try {
      CRC32 crc = new CRC32();
      long size = 0;
      byte[] buffer = new byte[BUFFER_BYTES];
      try (InputStream in = e.url.openStream(); OutputStream out = Files.newOutputStream(temporary)) {
        for (int n; (n = in.read(buffer)) > 0; ) {
          out.write(buffer, 0, n);
          crc.update(buffer, 0, n);
          size += n;
        }
      }
      if (size != e.size || crc.getValue() != e.crc) {
        throw new IOException(String.format(Locale.ROOT,
            "copy of %s has %d bytes, CRC-32 %08x; its jar entry says %d bytes, %08x",
            e.url, size, crc.getValue(), e.size, e.crc));
      }
      try {
        Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException unsupported) {
        Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING);
      }
    } finally {
      Files.deleteIfExists(temporary);
    }
  }
}
