package io.lopq.param;

import java.io.Serializable;
import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;

/**
 * What a {@link Param}'s values must satisfy, and how to say it: a predicate with the words of
 * its expectation ({@code ">= 1"}, {@code "in [1, 256]"}), so that a rejected value reads
 * "NAME must be EXPECTATION, got VALUE" wherever it is checked (a job's parameter object, the
 * command line, a Spark ML param). Serializable, since Spark ML params keep their validators.
 *
 * @param <T> the values checked
 */
public final class Check<T> implements Serializable {
  private static final long serialVersionUID = 1L;

  /** A serializable predicate (Spark ML params are serialized with their validators). */
  @FunctionalInterface
  public interface Test<T> extends Serializable {
    /** True if {@code value} is acceptable. */
    boolean test(T value);
  }

  private static final Check<Object> ANY = new Check<>(null, value -> true);

  private final String expectation;
  private final Test<? super T> test;

  private Check(String expectation, Test<? super T> test) {
    this.expectation = expectation;
    this.test = Objects.requireNonNull(test, "test");
  }

  /** Any value. */
  @SuppressWarnings("unchecked")
  public static <T> Check<T> any() {
    return (Check<T>) ANY;
  }

  /** A check with its own words: {@code expectation} completes "must be ...". */
  public static <T> Check<T> of(String expectation, Test<? super T> test) {
    return new Check<>(Objects.requireNonNull(expectation, "expectation"), test);
  }

  /** At least {@code min}. */
  public static Check<Number> atLeast(long min) {
    return of(">= " + min, value -> value.doubleValue() >= min);
  }

  /** In {@code [min, max]}. */
  public static Check<Number> inRange(long min, long max) {
    return of("in [" + min + ", " + max + "]", value -> value.longValue() >= min && value.longValue() <= max
        && value.doubleValue() == value.longValue());
  }

  /** Even and at least {@code min}. */
  public static Check<Number> evenAtLeast(long min) {
    return of("even and >= " + min, value -> value.longValue() >= min && value.longValue() % 2 == 0);
  }

  /** Finite and at least {@code min}. */
  public static Check<Number> finiteAtLeast(double min) {
    return of("finite and >= " + format(min), value -> Double.isFinite(value.doubleValue())
        && value.doubleValue() >= min);
  }

  /** In {@code (min, max]}. */
  public static Check<Number> inOpenClosed(double min, double max) {
    return of("in (" + format(min) + ", " + format(max) + "]", value -> value.doubleValue() > min
        && value.doubleValue() <= max);
  }

  /** One of {@code names}, ignoring case. */
  public static Check<String> oneOf(String... names) {
    String[] allowed = names.clone();
    return of("one of " + String.join(", ", allowed), value -> Arrays.stream(allowed)
        .anyMatch(name -> name.equalsIgnoreCase(value.strip())));
  }

  /** The same test, said with other words ({@code ">= 1 row"}). */
  public Check<T> saying(String words) {
    return new Check<>(Objects.requireNonNull(words, "words"), test);
  }

  /** The same test, with a reason after the expectation ({@code "(M/2 per half)"}). */
  public Check<T> because(String reason) {
    return new Check<>(expectation == null ? reason : expectation + " " + reason, test);
  }

  /** True if {@code value} passes. */
  public boolean test(T value) {
    return test.test(value);
  }

  /** What "must be ..." completes with, or null when any value passes. */
  public String expectation() {
    return expectation;
  }

  private static String format(double value) {
    return value == Math.rint(value) && Math.abs(value) < 1e15 ? Long.toString((long) value)
        : String.format(Locale.ROOT, "%s", value);
  }
}
