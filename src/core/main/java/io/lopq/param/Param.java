package io.lopq.param;

import java.io.Serializable;
import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * One parameter, declared once: its name, what it means, its default and what its values must
 * satisfy. Every layer reads the same declaration: the job's parameter object checks and defaults
 * with it, the command line shows its doc and default in {@code --help}, and the Spark ML params
 * of {@code LopqEstimator} are built from it (as Spark MLlib's {@code KMeansParams} declares
 * {@code k} once with its doc, default and validator).
 *
 * <pre>
 *   public static final Param&lt;Integer&gt; COARSE_CLUSTERS =
 *       Param.ofInt("coarseClusters", "V, coarse clusters per half", 16, Check.atLeast(1)).label("coarse clusters V");
 *
 *   COARSE_CLUSTERS.check(0)   // IllegalArgumentException: coarse clusters V must be &gt;= 1, got 0
 *   COARSE_CLUSTERS.help()     // V, coarse clusters per half (&gt;= 1; default 16)
 * </pre>
 *
 * <p>The name is the parameter's identifier everywhere (the Spark ML param name, the key of the
 * job's parameter); the label is how error messages name it (the name unless set). A null
 * default means "none": the value is required, or unset means something the doc says (then
 * {@link #defaultText(String)} says it in {@code --help}). Immutable and serializable.
 *
 * @param <T> the value type
 */
public final class Param<T> implements Serializable {
  private static final long serialVersionUID = 1L;

  /** Turns the text of a value (a command-line argument, a Spark ML string) into a value. */
  @FunctionalInterface
  public interface Parser<T> extends Serializable {
    /** The value {@code text} stands for; IllegalArgumentException if none. */
    T parse(String text);
  }

  private final Class<?> type;
  private final String name;
  private final String label;
  private final String doc;
  private final T defaultValue;
  private final String defaultText;
  private final Check<? super T> check;
  private final Parser<T> parser;

  private Param(Class<?> type, String name, String label, String doc, T defaultValue, String defaultText,
      Check<? super T> check, Parser<T> parser) {
    this.type = Objects.requireNonNull(type, "type");
    this.name = Objects.requireNonNull(name, "name");
    this.label = Objects.requireNonNull(label, "label");
    this.doc = Objects.requireNonNull(doc, "doc");
    this.defaultValue = defaultValue;
    this.defaultText = defaultText;
    this.check = Objects.requireNonNull(check, "check");
    this.parser = parser;
  }

  /**
   * A parameter of any type.
   *
   * @param type the class of the values (for conversions: boxed primitives, String and enums
   *     convert by themselves; other types need a {@link #parser})
   * @param defaultValue the default, or null for none
   * @throws IllegalArgumentException if the default does not pass the check
   */
  public static <T> Param<T> of(Class<?> type, String name, String doc, T defaultValue, Check<? super T> check) {
    Param<T> param = new Param<>(type, name, name, doc, defaultValue, null, check, null);
    param.check(defaultValue);
    return param;
  }

  /** An int parameter. */
  public static Param<Integer> ofInt(String name, String doc, Integer defaultValue, Check<? super Integer> check) {
    return of(Integer.class, name, doc, defaultValue, check);
  }

  /** A long parameter. */
  public static Param<Long> ofLong(String name, String doc, Long defaultValue, Check<? super Long> check) {
    return of(Long.class, name, doc, defaultValue, check);
  }

  /** A double parameter. */
  public static Param<Double> ofDouble(String name, String doc, Double defaultValue, Check<? super Double> check) {
    return of(Double.class, name, doc, defaultValue, check);
  }

  /** A string parameter. */
  public static Param<String> ofString(String name, String doc, String defaultValue, Check<? super String> check) {
    return of(String.class, name, doc, defaultValue, check);
  }

  /** A switch, off unless turned on. */
  public static Param<Boolean> flag(String name, String doc) {
    return of(Boolean.class, name, doc, false, Check.any());
  }

  /** A boolean parameter with a default. */
  public static Param<Boolean> ofBoolean(String name, String doc, boolean defaultValue) {
    return of(Boolean.class, name, doc, defaultValue, Check.any());
  }

  /** One of an enum's constants, written in lower case (parsed ignoring case). */
  public static <E extends Enum<E>> Param<E> ofEnum(String name, String doc, Class<E> type, E defaultValue) {
    String[] names = Arrays.stream(type.getEnumConstants()).map(Param::lowerName).toArray(String[]::new);
    Check<E> check = Check.of("one of " + String.join(", ", names), value -> true);
    return new Param<>(type, name, name, doc, defaultValue, null, check, null);
  }

  /** The same parameter, named {@code words} in error messages ("coarse clusters V"). */
  public Param<T> label(String words) {
    return new Param<>(type, name, words, doc, defaultValue, defaultText, check, parser);
  }

  /** The same parameter, its default shown as {@code words} ("D/2 + 1", "every row"). */
  public Param<T> defaultText(String words) {
    return new Param<>(type, name, label, doc, defaultValue, words, check, parser);
  }

  /** The same parameter, its values read from text by {@code reader}. */
  public Param<T> parser(Parser<T> reader) {
    return new Param<>(type, name, label, doc, defaultValue, defaultText, check, reader);
  }

  /** The identifier: the Spark ML param's name, the parameter's key in reports. */
  public String name() {
    return name;
  }

  /** How messages name the parameter. */
  public String label() {
    return label;
  }

  /** What the parameter means (a phrase, no trailing period). */
  public String doc() {
    return doc;
  }

  /** The class of the values. */
  public Class<?> type() {
    return type;
  }

  /** The default, or null for none. */
  public T defaultValue() {
    return defaultValue;
  }

  /** True if there is a default value or words for it. */
  public boolean hasDefault() {
    return defaultValue != null || defaultText != null;
  }

  /** The default as documentation shows it, or null for none. */
  public String defaultText() {
    if (defaultText != null) {
      return defaultText;
    }
    if (defaultValue instanceof Enum<?> e) {
      return lowerName(e);
    }
    return defaultValue == null ? null : String.valueOf(defaultValue);
  }

  /** What values must be ({@code ">= 1"}), or null when any value passes. */
  public String expectation() {
    return check.expectation();
  }

  /** {@code given}, or the default when {@code given} is null. */
  public T orDefault(T given) {
    return given != null ? given : defaultValue;
  }

  /** True if {@code value} passes the check (null: unset, passes). */
  public boolean isValid(T value) {
    return value == null || check.test(value);
  }

  /** "must be EXPECTATION, got VALUE" for a value that fails the check, else null. */
  public String problem(T value) {
    return isValid(value) ? null : "must be " + expectation() + ", got " + text(value);
  }

  /**
   * Returns {@code value} if it passes the check (null passes: unset).
   *
   * @throws IllegalArgumentException "LABEL must be EXPECTATION, got VALUE"
   */
  public T check(T value) {
    String problem = problem(value);
    if (problem != null) {
      throw new IllegalArgumentException(label + " " + problem);
    }
    return value;
  }

  /**
   * The checked value written as {@code text}.
   *
   * @throws IllegalArgumentException naming the parameter when the text is not a value or the
   *     value fails the check
   */
  @SuppressWarnings({"unchecked", "rawtypes"})
  public T parse(String text) {
    Objects.requireNonNull(text, "text");
    T value;
    if (parser != null) {
      value = parser.parse(text);
    } else if (type.isEnum()) {
      value = (T) enumConstant((Class) type, text);
    } else {
      value = (T) parseSimple(text.strip());
    }
    return check(value);
  }

  /**
   * {@code --help} text: the doc, then what values must be and the default, as a sentence, e.g.
   * {@code "V, coarse clusters per half (>= 1; default 16)."} (a default given in words reads
   * {@code "default: from the path name"}).
   */
  public String help() {
    String expected = type.isEnum() ? null : expectation();
    String shownDefault = type == Boolean.class && Boolean.FALSE.equals(defaultValue) ? null : defaultText();
    if (shownDefault != null) {
      shownDefault = (defaultText != null ? "default: " : "default ") + shownDefault;
    }
    String details = expected == null ? shownDefault
        : shownDefault == null ? expected : expected + "; " + shownDefault;
    return details == null ? doc + "." : doc + " (" + details + ").";
  }

  /** How a value is written in docs and messages (enums in lower case). */
  public String text(T value) {
    if (value instanceof Enum<?> e) {
      return lowerName(e);
    }
    if (value instanceof String s) {
      return "'" + s + "'";
    }
    return String.valueOf(value);
  }

  @Override
  public String toString() {
    return "Param(" + name + ")";
  }

  private Object parseSimple(String text) {
    try {
      if (type == Integer.class) {
        return Integer.valueOf(text);
      }
      if (type == Long.class) {
        return Long.valueOf(text);
      }
      if (type == Double.class) {
        return Double.valueOf(text);
      }
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(label + " must be a number, got '" + text + "'", e);
    }
    if (type == Boolean.class) {
      if (!text.equalsIgnoreCase("true") && !text.equalsIgnoreCase("false")) {
        throw new IllegalArgumentException(label + " must be true or false, got '" + text + "'");
      }
      return Boolean.valueOf(text);
    }
    if (type == String.class) {
      return text;
    }
    throw new IllegalStateException(this + " of type " + type.getName() + " has no parser");
  }

  private <E extends Enum<E>> E enumConstant(Class<E> enumType, String text) {
    for (E constant : enumType.getEnumConstants()) {
      if (constant.name().equalsIgnoreCase(text.strip())) {
        return constant;
      }
    }
    throw new IllegalArgumentException(label + " must be " + expectation() + ", got '" + text + "'");
  }

  /** An enum constant's name in lower case. */
  public static String lowerName(Enum<?> constant) {
    return constant.name().toLowerCase(Locale.ROOT);
  }

  /** The lower-case names of an enum's constants, comma-separated. */
  public static String lowerNames(Class<? extends Enum<?>> type) {
    return Arrays.stream(type.getEnumConstants()).map(Param::lowerName).collect(Collectors.joining(", "));
  }
}
