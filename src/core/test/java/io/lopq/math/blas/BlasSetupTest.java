package io.lopq.math.blas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.lopq.math.Blas;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class BlasSetupTest {
  private static final Path DEBIAN = Paths.get("/usr/lib/x86_64-linux-gnu");

  /** What users get: with no setting, this JVM runs on the OpenBLAS the project bundles. */
  @Test
  void theBundledOpenBlasIsTheOneLoaded() {
    assumeTrue(BundledOpenBlas.platform().isPresent(), "no bundle for this platform");
    assertEquals("JNIBLAS", Blas.implementation());
    BlasInfo info = BlasSetup.info();
    Path bundled = BlasSetup.bundledLibrary().orElseThrow();
    assertEquals(BlasChoice.BUNDLED, info.choice());
    assertTrue(info.bundled(), info.summary());
    assertEquals(BlasInfo.OPENBLAS, info.implementation());
    assertEquals(LoadedLibraries.realPath(bundled).toString(), info.library());
    assertEquals(info.library(), info.lapackLibrary());
    assertEquals("JNILAPACK", info.netlibLapack());
    assertTrue(LoadedLibraries.current().contains(bundled), "the process maps " + bundled);
    assertFalse(LoadedLibraries.current().blas().map(p -> !p.equals(LoadedLibraries.realPath(bundled))).orElse(false),
        "no other BLAS is mapped");
    // The build runs tests as the launchers run jobs: OPENBLAS_NUM_THREADS=1.
    assertEquals(1, info.threads(), info.summary());
    assertEquals("OPENBLAS_NUM_THREADS=1", info.threadsFrom());
    assertNull(info.warning(), info.summary());
    assertTrue(info.summary().startsWith("BLAS OpenBLAS 0.3."), info.summary());
    assertEquals(Boolean.TRUE, info.toMap().get("bundled"));
  }

  @Test
  void aLaterChoiceDoesNotChangeTheJvmsBlas() {
    BlasSetup.configure(BlasChoice.BUNDLED);
    BlasInfo before = BlasSetup.info();
    BlasSetup.configure(BlasChoice.JAVA);
    BlasInfo after = BlasSetup.info();
    assertEquals(before.library(), after.library());
    assertEquals(before.implementation(), after.implementation());
    assertTrue(after.note().contains("the first setting holds"), after.note());
  }

  @Test
  void referenceBlasIsNamedAndWarnedAbout() {
    Path reference = DEBIAN.resolve("blas/libblas.so.3");
    BlasInfo info = BlasSetup.describe(facts(BlasChoice.SYSTEM, true, null,
        LoadedLibraries.of(Set.of(reference, DEBIAN.resolve("lapack/liblapack.so.3"))), Map.of(), 1));
    assertEquals(BlasInfo.REFERENCE, info.implementation());
    assertEquals(reference.toString(), info.library());
    assertEquals("reference LAPACK", info.lapackImplementation());
    assertEquals(1, info.threads());
    assertTrue(info.warning().contains("reference BLAS"), info.warning());
    assertTrue(info.summary().contains("WARNING"), info.summary());
  }

  @Test
  void openMpOpenBlasWithAllCoresPerTaskIsWarnedAbout() {
    Set<Path> mapped = Set.of(DEBIAN.resolve("openblas-openmp/libblas.so.3"), DEBIAN.resolve("libgomp.so.1.0.0"));
    // OPENBLAS_NUM_THREADS=1 does not tame an OpenMP build: OMP_NUM_THREADS does.
    BlasInfo info = BlasSetup.describe(facts(BlasChoice.SYSTEM, true, null, LoadedLibraries.of(mapped),
        Map.of("OPENBLAS_NUM_THREADS", "1"), 4));
    assertEquals(BlasInfo.OPENBLAS_OPENMP, info.implementation());
    assertEquals(4, info.threads());
    assertTrue(info.warning().contains("OMP_NUM_THREADS=1"), info.warning());

    BlasInfo tamed = BlasSetup.describe(facts(BlasChoice.SYSTEM, true, null, LoadedLibraries.of(mapped),
        Map.of("OMP_NUM_THREADS", "1"), 4));
    assertEquals(1, tamed.threads());
    assertNull(tamed.warning());
  }

  @Test
  void pthreadOpenBlasFollowsOpenblasNumThreads() {
    Set<Path> mapped = Set.of(DEBIAN.resolve("openblas-pthread/libblas.so.3"));
    BlasInfo one = BlasSetup.describe(facts(BlasChoice.SYSTEM, true, null, LoadedLibraries.of(mapped),
        Map.of("OPENBLAS_NUM_THREADS", "1", "OMP_NUM_THREADS", "8"), 8));
    assertEquals(BlasInfo.OPENBLAS, one.implementation());
    assertFalse(one.bundled());
    assertEquals(1, one.threads());
    assertNull(one.warning());
    BlasInfo unset = BlasSetup.describe(facts(BlasChoice.SYSTEM, true, null, LoadedLibraries.of(mapped), Map.of(), 8));
    assertEquals(8, unset.threads());
    assertTrue(unset.warning().contains("OPENBLAS_NUM_THREADS=1"), unset.warning());
  }

  @Test
  void mklIsNamedFromItsPath() {
    Path mkl = Paths.get("/opt/intel/oneapi/mkl/latest/lib/libmkl_rt.so.2");
    BlasInfo info = BlasSetup.describe(facts(BlasChoice.SYSTEM, true, mkl.toString(), LoadedLibraries.of(Set.of(mkl)),
        Map.of("MKL_NUM_THREADS", "1"), 8));
    assertEquals(BlasInfo.MKL, info.implementation());
    assertEquals(mkl.toString(), info.library());
    assertNull(info.warning());
  }

  @Test
  void pureJavaIsWarnedAboutWithTheReason() {
    BlasInfo chosen = BlasSetup.describe(facts(BlasChoice.JAVA, false, null, LoadedLibraries.of(Set.of()), Map.of(), 2));
    assertEquals(BlasInfo.PURE_JAVA, chosen.implementation());
    assertEquals("-", chosen.library());
    assertFalse(chosen.isNative());
    assertTrue(chosen.warning().contains("lopq.blas=java"), chosen.warning());
    BlasInfo missing = BlasSetup.describe(facts(BlasChoice.SYSTEM, false, null, LoadedLibraries.of(Set.of()), Map.of(), 2));
    assertTrue(missing.warning().contains("no system libblas.so.3"), missing.warning());
  }

  @Test
  void aBundleThatLostToAnEarlierNetlibIsWarnedAbout() {
    Path bundled = Paths.get("/home/u/.cache/lopq/openblas-linux-x86_64-0/libopenblas.so.0");
    Path system = DEBIAN.resolve("openblas-pthread/libblas.so.3");
    BlasInfo info = BlasSetup.describe(new BlasSetup.Facts(BlasChoice.BUNDLED, "JNIBLAS", true, "JNILAPACK", true,
        bundled, "0.3.31-1.5.13", null, null, null, LoadedLibraries.of(Set.of(system)),
        Map.of("OPENBLAS_NUM_THREADS", "1"), 2, 1));
    assertFalse(info.bundled());
    assertTrue(info.warning().contains("lopq.blas=bundled, but netlib loaded " + system), info.warning());
  }

  private static BlasSetup.Facts facts(BlasChoice choice, boolean nativeLibrary, String property,
      LoadedLibraries loaded, Map<String, String> env, int cores) {
    return new BlasSetup.Facts(choice, nativeLibrary ? "JNIBLAS" : "VectorBLAS", nativeLibrary,
        nativeLibrary ? "JNILAPACK" : "Java11LAPACK", nativeLibrary, null, null, null, property, property, loaded,
        env, cores, 1);
  }
}
