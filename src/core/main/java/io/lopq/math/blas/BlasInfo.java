package io.lopq.math.blas;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Which BLAS and LAPACK a JVM really uses: for the one line each job logs and the {@code blas}
 * section of its JSON report ({@link #toMap()}), with a warning when it is a slow one.
 *
 * <ul>
 *   <li>{@code implementation}: {@code OpenBLAS}, {@code OpenBLAS (OpenMP)}, {@code MKL}, {@code BLIS},
 *       {@code ATLAS}, {@code reference BLAS}, {@code native (unknown)} or {@code pure Java};
 *   <li>{@code library}: the file loaded (links resolved), or {@code -} for pure Java;
 *   <li>{@code threads}: threads per BLAS call, from the variable the library reads at load
 *       ({@code OPENBLAS_NUM_THREADS}, ...; unset: all {@code cores}), and {@code threadsFrom} names it.
 * </ul>
 */
public final class BlasInfo {
  /** Implementation names (the values of {@code implementation}). */
  public static final String OPENBLAS = "OpenBLAS";
  public static final String OPENBLAS_OPENMP = "OpenBLAS (OpenMP)";
  public static final String MKL = "MKL";
  public static final String BLIS = "BLIS";
  public static final String ATLAS = "ATLAS";
  public static final String REFERENCE = "reference BLAS";
  public static final String UNKNOWN_NATIVE = "native (unknown)";
  public static final String PURE_JAVA = "pure Java";

  private final BlasChoice choice;
  private final String implementation;
  private final boolean bundled;
  private final String version;
  private final String library;
  private final String lapackImplementation;
  private final String lapackLibrary;
  private final String netlibBlas;
  private final String netlibLapack;
  private final int threads;
  private final String threadsFrom;
  private final String warning;
  private final String note;

  BlasInfo(Builder b) {
    this.choice = b.choice;
    this.implementation = b.implementation;
    this.bundled = b.bundled;
    this.version = b.version;
    this.library = b.library;
    this.lapackImplementation = b.lapackImplementation;
    this.lapackLibrary = b.lapackLibrary;
    this.netlibBlas = b.netlibBlas;
    this.netlibLapack = b.netlibLapack;
    this.threads = b.threads;
    this.threadsFrom = b.threadsFrom;
    this.warning = b.warning;
    this.note = b.note;
  }

  /** The setting in force ({@value BlasChoice#PROPERTY}). */
  public BlasChoice choice() {
    return choice;
  }

  /** The BLAS implementation (one of the constants above). */
  public String implementation() {
    return implementation;
  }

  /** True when the BLAS is the OpenBLAS the project bundles. */
  public boolean bundled() {
    return bundled;
  }

  /** The bundled OpenBLAS version when {@link #bundled()}, else null. */
  public String version() {
    return version;
  }

  /** The BLAS library file, or {@code -} for pure Java. */
  public String library() {
    return library;
  }

  /** The LAPACK implementation. */
  public String lapackImplementation() {
    return lapackImplementation;
  }

  /** The LAPACK library file, or {@code -} for pure Java. */
  public String lapackLibrary() {
    return lapackLibrary;
  }

  /** netlib's BLAS class ({@code JNIBLAS}, {@code VectorBLAS}, ...). */
  public String netlibBlas() {
    return netlibBlas;
  }

  /** netlib's LAPACK class. */
  public String netlibLapack() {
    return netlibLapack;
  }

  /** Threads per BLAS call. */
  public int threads() {
    return threads;
  }

  /** Where {@link #threads()} comes from (e.g. {@code OPENBLAS_NUM_THREADS=1}, {@code cores}). */
  public String threadsFrom() {
    return threadsFrom;
  }

  /** True when the BLAS is native (JNI). */
  public boolean isNative() {
    return !PURE_JAVA.equals(implementation);
  }

  /** Why this BLAS is slow here, or null when it is not. */
  public String warning() {
    return warning;
  }

  /** How the setting was carried out when not as asked (e.g. no bundle for this platform), or null. */
  public String note() {
    return note;
  }

  /** One line for a log: implementation, library, threads, and the warning if any. */
  public String summary() {
    StringBuilder s = new StringBuilder("BLAS ").append(implementation);
    if (bundled) {
      s.append(' ').append(version).append(" (bundled)");
    }
    s.append(", ").append(library).append(", ").append(threads).append(threads == 1 ? " thread" : " threads")
        .append(" (").append(threadsFrom).append(')');
    if (!Objects.equals(library, lapackLibrary)) {
      s.append("; LAPACK ").append(lapackImplementation).append(", ").append(lapackLibrary);
    }
    s.append("; ").append(BlasChoice.PROPERTY).append('=').append(choice.settingValue());
    if (note != null) {
      s.append(" (").append(note).append(')');
    }
    if (warning != null) {
      s.append(". WARNING: ").append(warning);
    }
    return s.toString();
  }

  /** The JSON-ready fields of a report's {@code blas} section. */
  public Map<String, Object> toMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("implementation", implementation);
    m.put("bundled", bundled);
    if (version != null) {
      m.put("version", version);
    }
    m.put("library", library);
    m.put("threads", threads);
    m.put("threadsFrom", threadsFrom);
    m.put("lapack", lapackImplementation);
    m.put("lapackLibrary", lapackLibrary);
    m.put("netlibBlas", netlibBlas);
    m.put("netlibLapack", netlibLapack);
    m.put("setting", choice.settingValue());
    if (note != null) {
      m.put("note", note);
    }
    if (warning != null) {
      m.put("warning", warning);
    }
    return m;
  }

  @Override
  public String toString() {
    return summary();
  }

  static final class Builder {
    BlasChoice choice = BlasChoice.BUNDLED;
    String implementation = PURE_JAVA;
    boolean bundled;
    String version;
    String library = "-";
    String lapackImplementation = PURE_JAVA;
    String lapackLibrary = "-";
    String netlibBlas = "";
    String netlibLapack = "";
    int threads = 1;
    String threadsFrom = "single-threaded";
    String warning;
    String note;

    BlasInfo build() {
      return new BlasInfo(this);
    }
  }
}
