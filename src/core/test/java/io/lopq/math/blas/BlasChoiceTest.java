package io.lopq.math.blas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class BlasChoiceTest {
  @Test
  void propertyWinsOverEnvironmentAndBundledIsTheDefault() {
    Properties none = new Properties();
    assertEquals(BlasChoice.BUNDLED, BlasChoice.fromSettings(none, Map.of()));
    assertEquals(BlasChoice.SYSTEM, BlasChoice.fromSettings(none, Map.of(BlasChoice.ENVIRONMENT, "system")));
    Properties java = new Properties();
    java.setProperty(BlasChoice.PROPERTY, " Java ");
    assertEquals(BlasChoice.JAVA, BlasChoice.fromSettings(java, Map.of(BlasChoice.ENVIRONMENT, "system")));
    Properties blank = new Properties();
    blank.setProperty(BlasChoice.PROPERTY, " ");
    assertEquals(BlasChoice.BUNDLED, BlasChoice.fromSettings(blank, Map.of(BlasChoice.ENVIRONMENT, "")));
  }

  @Test
  void aWrongValueNamesItsSourceAndTheChoices() {
    Properties bad = new Properties();
    bad.setProperty(BlasChoice.PROPERTY, "mkl");
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> BlasChoice.fromSettings(bad, Map.of()));
    assertTrue(e.getMessage().contains("system property lopq.blas is 'mkl'"), e.getMessage());
    assertTrue(e.getMessage().contains("bundled, system, java"), e.getMessage());
    IllegalArgumentException env = assertThrows(IllegalArgumentException.class,
        () -> BlasChoice.fromSettings(new Properties(), Map.of(BlasChoice.ENVIRONMENT, "fast")));
    assertTrue(env.getMessage().startsWith("environment variable LOPQ_BLAS is 'fast'"), env.getMessage());
  }
}
