package io.lopq.math.blas;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The shared libraries this process has mapped (Linux {@code /proc/self/maps}): the files the dynamic
 * linker really loaded, with symbolic links such as Debian's {@code libblas.so.3} alternative already
 * resolved to the library behind them. Empty on systems without {@code /proc}.
 */
final class LoadedLibraries {
  private static final Path MAPS = Paths.get("/proc/self/maps");
  /** A BLAS or LAPACK library's file name (not netlib's own JNI shims nor JavaCPP's). */
  private static final Pattern BLAS_FILE =
      Pattern.compile("lib(open)?blas.*\\.so.*|libmkl_rt.*\\.so.*|libblis.*\\.so.*|libsatlas.*\\.so.*|libtatlas.*\\.so.*");
  private static final Pattern LAPACK_FILE = Pattern.compile("liblapack.*\\.so.*|libopenblas.*\\.so.*|libmkl_rt.*\\.so.*");
  private static final Pattern OPENMP_RUNTIME = Pattern.compile("libgomp.*\\.so.*|libiomp5.*\\.so.*|libomp\\.so.*");

  private final Set<Path> files;

  private LoadedLibraries(Set<Path> files) {
    this.files = files;
  }

  /** The libraries mapped now. */
  static LoadedLibraries current() {
    Set<Path> files = new LinkedHashSet<>();
    if (Files.isReadable(MAPS)) {
      try {
        List<String> lines = Files.readAllLines(MAPS);
        for (String line : lines) {
          int slash = line.indexOf('/');
          if (slash >= 0 && line.contains(".so")) {
            files.add(Paths.get(line.substring(slash).replace(" (deleted)", "")));
          }
        }
      } catch (IOException | RuntimeException e) {
        // no /proc here: nothing known
      }
    }
    return new LoadedLibraries(files);
  }

  static LoadedLibraries of(Set<Path> files) {
    return new LoadedLibraries(files);
  }

  /** The mapped BLAS library, if any. */
  Optional<Path> blas() {
    return find(BLAS_FILE);
  }

  /** The mapped LAPACK library, if any. */
  Optional<Path> lapack() {
    return find(LAPACK_FILE);
  }

  /** True when an OpenMP runtime is mapped (an OpenMP build of OpenBLAS, or MKL's threading layer). */
  boolean hasOpenMp() {
    return find(OPENMP_RUNTIME).isPresent();
  }

  /** True when {@code file} (or the file it links to) is mapped. */
  boolean contains(Path file) {
    Path real = realPath(file);
    return files.stream().anyMatch(f -> realPath(f).equals(real));
  }

  private Optional<Path> find(Pattern name) {
    return files.stream().filter(f -> f.getFileName() != null && name.matcher(f.getFileName().toString()).matches())
        .findFirst();
  }

  static Path realPath(Path file) {
    try {
      return file.toRealPath();
    } catch (IOException | SecurityException e) {
      return file.toAbsolutePath().normalize();
    }
  }
}
