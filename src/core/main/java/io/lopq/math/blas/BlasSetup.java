package io.lopq.math.blas;

import dev.ludovic.netlib.blas.BLAS;
import dev.ludovic.netlib.blas.NativeBLAS;
import dev.ludovic.netlib.lapack.LAPACK;
import dev.ludovic.netlib.lapack.NativeLAPACK;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Hands netlib ({@code dev.ludovic.netlib}, the BLAS/LAPACK layer Spark ships) the library this JVM
 * should use, before netlib's first use, and says afterwards which one it got.
 *
 * <p>netlib reads its system properties once, when its JNI shim loads:
 * <pre>
 *   dev.ludovic.netlib.blas.nativeLibPath, dev.ludovic.netlib.lapack.nativeLibPath   a library file
 *   dev.ludovic.netlib.blas.allowNative,   dev.ludovic.netlib.lapack.allowNative     false: pure Java
 *   (neither)                                                                        libblas.so.3, liblapack.so.3
 * </pre>
 * so every use of netlib in the project goes through {@link #blas()} and {@link #lapack()}, which
 * first {@link #configure() configure} it from the {@link BlasChoice} setting: the bundled OpenBLAS
 * ({@link BundledOpenBlas}, the default), the system's, or pure Java. The first configuration of a
 * JVM holds; a later one with another choice changes nothing (see {@link BlasInfo#note()}). A library
 * path the user gave netlib's property explicitly always wins over the bundle.
 *
 * <p>Threads are not set here: a library reads its variable ({@code OPENBLAS_NUM_THREADS}, ...) when
 * it loads, so launchers set it to 1 in the environment (Spark runs one task per core already);
 * {@link #info()} reports it and warns when it oversubscribes the cores.
 */
public final class BlasSetup {
  /** netlib's properties (see the class comment). */
  public static final String BLAS_LIBRARY_PROPERTY = "dev.ludovic.netlib.blas.nativeLibPath";
  public static final String LAPACK_LIBRARY_PROPERTY = "dev.ludovic.netlib.lapack.nativeLibPath";

  private static BlasChoice choice;
  private static Path bundledLibrary;
  private static String note;

  private BlasSetup() {}

  /** Configures netlib from this JVM's setting ({@link BlasChoice#fromSettings()}) unless done already. */
  public static void configure() {
    BlasChoice chosen;
    synchronized (BlasSetup.class) {
      if (choice != null) {
        return;
      }
      chosen = BlasChoice.fromSettings();
    }
    configure(chosen);
  }

  /**
   * Configures netlib for {@code requested} unless this JVM already configured it: extracts the bundled
   * OpenBLAS for {@link BlasChoice#BUNDLED}, falling back to the system's library (with a note) when
   * the class path has none for this platform or it cannot be written out.
   */
  public static synchronized void configure(BlasChoice requested) {
    if (choice != null) {
      if (requested != choice) {
        note = "asked for " + BlasChoice.PROPERTY + "=" + requested.settingValue() + " after netlib was set up for "
            + choice.settingValue() + "; the first setting holds for the whole JVM";
      }
      return;
    }
    choice = requested;
    switch (requested) {
      case JAVA:
        System.setProperty(BLAS.ALLOW_NATIVE_BLAS, "false");
        System.setProperty(LAPACK.ALLOW_NATIVE_LAPACK, "false");
        break;
      case SYSTEM:
        break;
      case BUNDLED:
      default:
        configureBundled();
        break;
    }
  }

  private static void configureBundled() {
    if (isSet(BLAS_LIBRARY_PROPERTY)) {
      note = "-D" + BLAS_LIBRARY_PROPERTY + " given: that library instead of the bundled one";
      return;
    }
    ClassLoader loader = BlasSetup.class.getClassLoader();
    Optional<String> platform = BundledOpenBlas.platform();
    if (platform.isEmpty()) {
      note = "no bundled OpenBLAS for " + System.getProperty("os.name") + "/" + System.getProperty("os.arch")
          + "; the system's library";
      return;
    }
    try {
      Optional<Path> library = BundledOpenBlas.extract(loader, BundledOpenBlas.cacheRoot());
      if (library.isEmpty()) {
        note = "no bundled OpenBLAS for " + platform.get() + " on the class path (thin job jar?); the system's library";
        return;
      }
      bundledLibrary = library.get();
      System.setProperty(BLAS_LIBRARY_PROPERTY, bundledLibrary.toString());
      if (!isSet(LAPACK_LIBRARY_PROPERTY)) {
        System.setProperty(LAPACK_LIBRARY_PROPERTY, bundledLibrary.toString());
      }
    } catch (UncheckedIOException | SecurityException e) {
      note = "could not set up the bundled OpenBLAS (" + e.getMessage() + "); the system's library";
    }
  }

  private static boolean isSet(String property) {
    String v = System.getProperty(property);
    return v != null && !v.isBlank();
  }

  /** netlib's BLAS, configured first. */
  public static BLAS blas() {
    configure();
    return BLAS.getInstance();
  }

  /**
   * netlib's LAPACK, configured first. The pure-Java LAPACK's machine constants are computed before
   * the first caller gets it ({@link F2jMachineConstants}: their lazy computation is not thread-safe).
   */
  public static LAPACK lapack() {
    configure();
    return LapackHolder.INSTANCE;
  }

  /** Initialised once, by the JVM's class initialisation, which other threads wait for. */
  private static final class LapackHolder {
    static final LAPACK INSTANCE = LAPACK.getInstance();

    static {
      F2jMachineConstants.ensure();
    }

    private LapackHolder() {}
  }

  /** The extracted bundled library netlib was pointed at, or empty. */
  public static synchronized Optional<Path> bundledLibrary() {
    return Optional.ofNullable(bundledLibrary);
  }

  /** Which BLAS and LAPACK this JVM uses (loading them if not done yet), for one core per task. */
  public static BlasInfo info() {
    return info(1);
  }

  /**
   * Which BLAS and LAPACK this JVM uses (loading them if not done yet); the warning about threads
   * counts {@code coresPerTask} cores per task ({@code spark.task.cpus}).
   */
  public static BlasInfo info(int coresPerTask) {
    BLAS blas = blas();
    LAPACK lapack = lapack();
    BlasChoice c;
    Path bundled;
    String n;
    synchronized (BlasSetup.class) {
      c = choice;
      bundled = bundledLibrary;
      n = note;
    }
    return describe(new Facts(c, blas.getClass().getSimpleName(), blas instanceof NativeBLAS,
        lapack.getClass().getSimpleName(), lapack instanceof NativeLAPACK, bundled,
        bundled == null ? null : BundledOpenBlas.version(BlasSetup.class.getClassLoader()), n,
        System.getProperty(BLAS_LIBRARY_PROPERTY), System.getProperty(LAPACK_LIBRARY_PROPERTY),
        LoadedLibraries.current(), System.getenv(), Runtime.getRuntime().availableProcessors(), coresPerTask));
  }

  /** What {@link #describe} looks at (all of it, so that it can be tested without loading libraries). */
  static final class Facts {
    final BlasChoice choice;
    final String netlibBlas;
    final boolean blasNative;
    final String netlibLapack;
    final boolean lapackNative;
    final Path bundled;
    final String bundledVersion;
    final String note;
    final String blasProperty;
    final String lapackProperty;
    final LoadedLibraries loaded;
    final Map<String, String> env;
    final int cores;
    final int coresPerTask;

    Facts(BlasChoice choice, String netlibBlas, boolean blasNative, String netlibLapack, boolean lapackNative,
        Path bundled, String bundledVersion, String note, String blasProperty, String lapackProperty,
        LoadedLibraries loaded, Map<String, String> env, int cores, int coresPerTask) {
      this.choice = choice;
      this.netlibBlas = netlibBlas;
      this.blasNative = blasNative;
      this.netlibLapack = netlibLapack;
      this.lapackNative = lapackNative;
      this.bundled = bundled;
      this.bundledVersion = bundledVersion;
      this.note = note;
      this.blasProperty = blasProperty;
      this.lapackProperty = lapackProperty;
      this.loaded = loaded;
      this.env = env;
      this.cores = cores;
      this.coresPerTask = Math.max(1, coresPerTask);
    }
  }

  static BlasInfo describe(Facts f) {
    BlasInfo.Builder b = new BlasInfo.Builder();
    b.choice = f.choice;
    b.netlibBlas = f.netlibBlas;
    b.netlibLapack = f.netlibLapack;
    b.note = f.note;
    if (f.blasNative) {
      Path library = nativeLibrary(f.blasProperty, f.loaded.blas().orElse(null), f.loaded);
      b.library = library == null ? "libblas.so.3" : library.toString();
      b.bundled = f.bundled != null && library != null
          && LoadedLibraries.realPath(library).equals(LoadedLibraries.realPath(f.bundled));
      b.version = b.bundled ? f.bundledVersion : null;
      b.implementation = b.bundled ? BlasInfo.OPENBLAS : classify(b.library, f.loaded);
      threads(b, f.env, f.cores);
    }
    if (f.lapackNative) {
      Path library = nativeLibrary(f.lapackProperty, f.loaded.lapack().orElse(null), f.loaded);
      b.lapackLibrary = library == null ? "liblapack.so.3" : library.toString();
      String kind = classify(b.lapackLibrary, f.loaded);
      b.lapackImplementation = BlasInfo.REFERENCE.equals(kind) ? "reference LAPACK" : kind;
    }
    b.warning = warning(b, f);
    return b.build();
  }

  /** The library netlib was pointed at (the property), else the one the process mapped. */
  private static Path nativeLibrary(String property, Path mapped, LoadedLibraries loaded) {
    if (property != null && !property.isBlank()) {
      return LoadedLibraries.realPath(Paths.get(property));
    }
    return mapped;
  }

  /** The implementation behind a library file (by its path, as distributions name them). */
  static String classify(String library, LoadedLibraries loaded) {
    String path = library.toLowerCase(Locale.ROOT);
    String file = Paths.get(library).getFileName() == null ? path
        : Paths.get(library).getFileName().toString().toLowerCase(Locale.ROOT);
    if (path.contains("mkl")) {
      return BlasInfo.MKL;
    }
    if (path.contains("openblas")) {
      return path.contains("openmp") || loaded.hasOpenMp() ? BlasInfo.OPENBLAS_OPENMP : BlasInfo.OPENBLAS;
    }
    if (path.contains("blis")) {
      return BlasInfo.BLIS;
    }
    if (path.contains("atlas")) {
      return BlasInfo.ATLAS;
    }
    if (file.startsWith("libblas.") || file.startsWith("liblapack.")) {
      return BlasInfo.REFERENCE;
    }
    return BlasInfo.UNKNOWN_NATIVE;
  }

  /** Threads per call: the variables each library reads at load, in its order; unset: its default. */
  private static void threads(BlasInfo.Builder b, Map<String, String> env, int cores) {
    List<String> variables;
    int fallback;
    switch (b.implementation) {
      case BlasInfo.OPENBLAS:
        variables = List.of("OPENBLAS_NUM_THREADS", "GOTO_NUM_THREADS", "OMP_NUM_THREADS");
        fallback = cores;
        break;
      case BlasInfo.OPENBLAS_OPENMP:
        variables = List.of("OMP_NUM_THREADS");
        fallback = cores;
        break;
      case BlasInfo.MKL:
        variables = List.of("MKL_NUM_THREADS", "OMP_NUM_THREADS");
        fallback = cores;
        break;
      case BlasInfo.BLIS:
        variables = List.of("BLIS_NUM_THREADS", "OMP_NUM_THREADS");
        fallback = 1;
        break;
      default:
        b.threads = 1;
        b.threadsFrom = BlasInfo.REFERENCE.equals(b.implementation) ? "single-threaded" : "unknown";
        return;
    }
    for (String v : variables) {
      String value = env.get(v);
      if (value != null) {
        try {
          int n = Integer.parseInt(value.strip());
          if (n > 0) {
            b.threads = n;
            b.threadsFrom = v + "=" + value.strip();
            return;
          }
        } catch (NumberFormatException e) {
          // the library ignores it too
        }
      }
    }
    b.threads = fallback;
    b.threadsFrom = fallback == cores ? String.join(", ", variables) + " unset: all " + cores + " cores" : "default";
  }

  private static String warning(BlasInfo.Builder b, Facts f) {
    if (BlasInfo.PURE_JAVA.equals(b.implementation)) {
      String why = f.choice == BlasChoice.JAVA ? "chosen with " + BlasChoice.PROPERTY + "=java"
          : "no native library could be loaded" + (f.choice == BlasChoice.SYSTEM ? " (no system libblas.so.3)" : "");
      return "pure-Java BLAS (" + b.netlibBlas + ", " + why + ") is several times slower than native OpenBLAS; "
          + "use the bundled OpenBLAS (" + BlasChoice.PROPERTY + "=bundled, with the job jar that brings it)";
    }
    if (BlasInfo.REFERENCE.equals(b.implementation)) {
      return "the reference BLAS (" + b.library + ") is 10-40x slower than OpenBLAS; use the bundled OpenBLAS ("
          + BlasChoice.PROPERTY + "=bundled) or point " + BLAS_LIBRARY_PROPERTY + " at a tuned library";
    }
    if (f.choice == BlasChoice.BUNDLED && f.bundled != null && !b.bundled) {
      return BlasChoice.PROPERTY + "=bundled, but netlib loaded " + b.library + " (netlib was used before the "
          + "project set it up, or loading the bundled library failed)";
    }
    if (b.threads > f.coresPerTask) {
      String variable = BlasInfo.OPENBLAS_OPENMP.equals(b.implementation) ? "OMP_NUM_THREADS"
          : BlasInfo.MKL.equals(b.implementation) ? "MKL_NUM_THREADS" : "OPENBLAS_NUM_THREADS";
      return b.threads + " BLAS threads in each task, which has " + f.coresPerTask + " core(s), oversubscribe the "
          + "cores (Spark already runs one task per core): set " + variable + "=1 in the environment of the JVM "
          + "(spark.executorEnv." + variable + "=1 for executors)";
    }
    return null;
  }
}
