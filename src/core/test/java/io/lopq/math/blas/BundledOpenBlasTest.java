package io.lopq.math.blas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.CRC32;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BundledOpenBlasTest {
  private static final ClassLoader LOADER = BundledOpenBlasTest.class.getClassLoader();

  @TempDir Path cache;

  @BeforeEach
  void bundledForThisMachine() {
    assumeTrue(BundledOpenBlas.platform().isPresent(), "no bundle for this platform");
  }

  @Test
  void platformsOfTheBundle() {
    assertEquals(Optional.of("linux-x86_64"), BundledOpenBlas.platform("Linux", "amd64"));
    assertEquals(Optional.of("linux-arm64"), BundledOpenBlas.platform("Linux", "aarch64"));
    assertEquals(Optional.empty(), BundledOpenBlas.platform("Mac OS X", "aarch64"));
    assertEquals(Optional.empty(), BundledOpenBlas.platform("Linux", "riscv64"));
  }

  @Test
  void theClassPathHasTheBundleAndItsVersion() {
    assertTrue(BundledOpenBlas.available(LOADER));
    assertTrue(BundledOpenBlas.version(LOADER).matches("0\\.3\\.\\d+-1\\.5\\.\\d+"), BundledOpenBlas.version(LOADER));
  }

  @Test
  void extractsTheLibraryAndItsRuntimeBesideItOnce() throws Exception {
    Path library = BundledOpenBlas.extract(LOADER, cache).orElseThrow();
    assertEquals(BundledOpenBlas.LIBRARY, library.getFileName().toString());
    assertTrue(library.getParent().getFileName().toString().startsWith("openblas-" + BundledOpenBlas.platform().get()));
    for (String file : List.of("libgfortran.so.5", "libgcc_s.so.1", BundledOpenBlas.LIBRARY)) {
      Path copy = library.resolveSibling(file);
      assertEquals(resourceCrc(file), BundledOpenBlas.crc(copy), file);
    }
    assertEquals(Set.of(), temporaries(library.getParent()), "no temporary file left");

    FileTime written = Files.getLastModifiedTime(library);
    Thread.sleep(20);
    assertEquals(library, BundledOpenBlas.extract(LOADER, cache).orElseThrow());
    assertEquals(written, Files.getLastModifiedTime(library), "a verified copy is not rewritten");
  }

  @Test
  void aDamagedCopyIsReplaced() throws Exception {
    Path library = BundledOpenBlas.extract(LOADER, cache).orElseThrow();
    Path gfortran = library.resolveSibling("libgfortran.so.5");
    byte[] bytes = Files.readAllBytes(gfortran);
    bytes[bytes.length / 2] ^= 0x5a; // same size, other content
    Files.write(gfortran, bytes);
    Files.write(library, new byte[] {1, 2, 3}); // truncated
    long expected = resourceCrc("libgfortran.so.5");
    assertNotEquals(expected, BundledOpenBlas.crc(gfortran));

    BundledOpenBlas.extract(LOADER, cache).orElseThrow();
    assertEquals(expected, BundledOpenBlas.crc(gfortran));
    assertEquals(resourceCrc(BundledOpenBlas.LIBRARY), BundledOpenBlas.crc(library));
  }

  @Test
  void concurrentExtractionsAgree() throws Exception {
    int jvms = 4;
    ExecutorService pool = Executors.newFixedThreadPool(jvms);
    try {
      List<Callable<Path>> tasks = new ArrayList<>();
      for (int i = 0; i < jvms; i++) {
        tasks.add(() -> BundledOpenBlas.extract(LOADER, cache).orElseThrow());
      }
      Set<Path> paths = new HashSet<>();
      for (Future<Path> f : pool.invokeAll(tasks)) {
        paths.add(f.get());
      }
      assertEquals(1, paths.size(), paths.toString());
      Path library = paths.iterator().next();
      assertEquals(resourceCrc(BundledOpenBlas.LIBRARY), BundledOpenBlas.crc(library));
      assertEquals(Set.of(), temporaries(library.getParent()));
    } finally {
      pool.shutdownNow();
    }
  }

  private static long resourceCrc(String file) throws Exception {
    String name = "org/bytedeco/openblas/" + BundledOpenBlas.platform().get() + "/" + file;
    CRC32 crc = new CRC32();
    try (InputStream in = LOADER.getResourceAsStream(name)) {
      crc.update(in.readAllBytes());
    }
    return crc.getValue();
  }

  private static Set<String> temporaries(Path dir) throws Exception {
    try (Stream<Path> files = Files.list(dir)) {
      return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".tmp")).collect(Collectors.toSet());
    }
  }
}
