package io.lopq.math.blas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ludovic.netlib.lapack.JavaLAPACK;
import dev.ludovic.netlib.lapack.LAPACK;
import io.lopq.math.TestMatrices;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.netlib.util.intW;

class F2jMachineConstantsTest {
  /** What one of 40 fresh JVMs kept after two threads' first dlamch calls overlapped (issue 12). */
  private static final double RACED_EPSILON = 2.465190328815662E-32;
  private static final double RACED_SAFE_MINIMUM = 1.0020841800044864E-292;

  @BeforeAll
  static void setUpNetlibFirst() {
    BlasSetup.lapack(); // before JavaLAPACK.getInstance() below loads netlib unconfigured
  }

  @AfterEach
  void repair() {
    F2jMachineConstants.ensure();
  }

  @Test
  void lapackIsHandedOutWithIeeeConstants() {
    BlasSetup.lapack();
    assertEquals(List.of(), F2jMachineConstants.wrong());
  }

  /**
   * The constants the race left make netlib's pure-Java dsyevd fail on a covariance (info &gt; 0, as in
   * the failed training); {@link F2jMachineConstants#ensure()} finds and recomputes them.
   */
  @Test
  void racedConstantsMakePureJavaDsyevdFailAndEnsureRepairsThem() {
    int n = 40; // above dsyevd's divide-and-conquer threshold (25)
    double[] covariance = TestMatrices.imageLikeCovariance(n, new Random(1));
    LAPACK java = JavaLAPACK.getInstance();
    F2jMachineConstants.ensure();
    assertEquals(0, dsyevd(java, covariance, n), "pure-Java dsyevd with the right constants");

    F2jMachineConstants.corruptForTest(RACED_EPSILON, RACED_SAFE_MINIMUM);
    List<String> wrong = F2jMachineConstants.wrong();
    assertFalse(wrong.isEmpty());
    assertTrue(wrong.get(0).startsWith("E=2.465190328815662E-32"), wrong.toString());
    assertNotEquals(0, dsyevd(java, covariance, n), "pure-Java dsyevd with the raced constants");

    F2jMachineConstants.ensure();
    assertEquals(List.of(), F2jMachineConstants.wrong());
    assertEquals(0, dsyevd(java, covariance, n), "pure-Java dsyevd after ensure()");
  }

  private static int dsyevd(LAPACK lapack, double[] a, int n) {
    int lwork = 1 + 6 * n + 2 * n * n;
    int liwork = 3 + 5 * n;
    intW info = new intW(0);
    lapack.dsyevd("V", "U", n, a.clone(), n, new double[n], new double[lwork], lwork, new int[liwork], liwork, info);
    return info.val;
  }
}
