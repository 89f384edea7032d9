package io.lopq.math.blas;

import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Collectors;

/**
 * Which BLAS and LAPACK a JVM hands to netlib, chosen by one setting: the system property
 * {@value #PROPERTY}, else the environment variable {@value #ENVIRONMENT}, else {@link #BUNDLED}.
 *
 * <ul>
 *   <li>{@link #BUNDLED}: the OpenBLAS (BLAS and LAPACK) inside the project's jars, extracted once
 *       to a per-user cache ({@link BundledOpenBlas}); where the jars hold none for this platform (a
 *       thin job jar, another CPU), the system's, as {@link #SYSTEM}.
 *   <li>{@link #SYSTEM}: whatever netlib finds itself: the library named by
 *       {@code -Ddev.ludovic.netlib.blas.nativeLibPath=...} (e.g. MKL's {@code libmkl_rt.so}, a tuned
 *       OpenBLAS), else the system's {@code libblas.so.3} / {@code liblapack.so.3}, else pure Java.
 *   <li>{@link #JAVA}: pure Java (netlib's Vector API or plain Java code), never native.
 * </ul>
 */
public enum BlasChoice {
  BUNDLED, SYSTEM, JAVA;

  /** The JVM system property that chooses (e.g. {@code -Dlopq.blas=system}). */
  public static final String PROPERTY = "lopq.blas";
  /** The environment variable read when the property is not set. */
  public static final String ENVIRONMENT = "LOPQ_BLAS";

  /** The setting's name as users write it. */
  public String settingValue() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * Parses a setting ({@code bundled}, {@code system} or {@code java}, any case).
   *
   * @throws IllegalArgumentException naming {@code source} and the accepted values otherwise
   */
  public static BlasChoice parse(String value, String source) {
    String v = value == null ? "" : value.strip().toUpperCase(Locale.ROOT);
    for (BlasChoice c : values()) {
      if (c.name().equals(v)) {
        return c;
      }
    }
    throw new IllegalArgumentException(source + " is '" + value + "'; expected one of "
        + Arrays.stream(values()).map(BlasChoice::settingValue).collect(Collectors.joining(", ")));
  }

  /** The choice of this JVM: {@value #PROPERTY}, else {@value #ENVIRONMENT}, else bundled. */
  public static BlasChoice fromSettings() {
    return fromSettings(System.getProperties(), System.getenv());
  }

  /** The choice given these system properties and environment (blank values count as unset). */
  static BlasChoice fromSettings(Properties properties, Map<String, String> environment) {
    String property = properties.getProperty(PROPERTY);
    if (property != null && !property.isBlank()) {
      return parse(property, "system property " + PROPERTY);
    }
    String env = environment.get(ENVIRONMENT);
    if (env != null && !env.isBlank()) {
      return parse(env, "environment variable " + ENVIRONMENT);
    }
    return BUNDLED;
  }
}
