package io.lopq.cli;

import io.lopq.format.vectors.VectorInputParams;
import io.lopq.param.Param;
import io.lopq.search.SearchOptions;
import io.lopq.spark.encode.EncodeJob;
import io.lopq.spark.eval.EvalJob;
import io.lopq.spark.eval.GroundTruthJob;
import io.lopq.spark.eval.StreamingGroundTruthJob;
import io.lopq.spark.search.SearchJob;
import io.lopq.spark.train.TrainPlan;
import io.lopq.train.TrainingParams;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.Collections;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.ResourceBundle;
import java.util.Set;

/**
 * The command line's help texts, read from the parameter declarations ({@link Param}) so that
 * {@code --help} shows each parameter's one doc and default. A resource bundle, as picocli reads
 * option descriptions from one ({@code LopqCli} names it; subcommands inherit it):
 *
 * <pre>
 *   &#64;Option(names = "--coarse-clusters", paramLabel = "V", descriptionKey = "train.coarseClusters")
 *       -&gt; "V, coarse clusters per half (&gt;= 1; default 16)"             the key: help text
 *   description = "${bundle:train.coarseClusters.doc} ..."             KEY.doc: the doc alone
 *   description = "... (default ${bundle:train.coarseIterations.default})"  KEY.default: the default
 * </pre>
 *
 * A key is a group and a parameter name: {@code train} ({@link TrainingParams}, {@link TrainPlan}),
 * {@code input} ({@link VectorInputParams}), {@code encode}, {@code search} ({@link SearchOptions},
 * {@link SearchJob.Params}), {@code eval} and {@code truth} ({@link GroundTruthJob.Params}). The
 * shared option mixins add their per-command texts ({@link InputOptions#COMMAND_TEXTS},
 * {@link OutputOptions#COMMAND_TEXTS}) under
 * picocli's qualified keys ({@code lopq.train.output.report}).
 */
public final class ParamHelp extends ResourceBundle {
  /** The declarations the command line shows, by key ("train.coarseClusters"). */
  static final Map<String, Param<?>> PARAMS = declarations();

  private final Map<String, String> texts = texts();

  /** Picocli's name for this bundle. */
  static final String BUNDLE = "io.lopq.cli.ParamHelp";

  /** The declaration with this key, e.g. "train.coarseClusters". */
  static Param<?> param(String key) {
    Param<?> param = PARAMS.get(key);
    if (param == null) {
      throw new IllegalArgumentException("no parameter declared as '" + key + "'");
    }
    return param;
  }

  @Override
  protected Object handleGetObject(String key) {
    return texts.get(key);
  }

  @Override
  public Enumeration<String> getKeys() {
    return Collections.enumeration(texts.keySet());
  }

  @Override
  protected Set<String> handleKeySet() {
    return texts.keySet();
  }

  private static Map<String, Param<?>> declarations() {
    Map<String, Param<?>> params = new LinkedHashMap<>();
    collect(params, "train", TrainingParams.class, TrainPlan.class);
    collect(params, "input", VectorInputParams.class);
    collect(params, "encode", EncodeJob.Params.class);
    collect(params, "search", SearchOptions.class, SearchJob.Params.class);
    collect(params, "eval", EvalJob.Params.class);
    collect(params, "truth", GroundTruthJob.Params.class, StreamingGroundTruthJob.class);
    return Collections.unmodifiableMap(params);
  }

  /** Every public static {@link Param} field of {@code holders}, under "GROUP.name". */
  private static void collect(Map<String, Param<?>> params, String group, Class<?>... holders) {
    for (Class<?> holder : holders) {
      for (Field field : holder.getFields()) {
        if (Modifier.isStatic(field.getModifiers()) && field.getType() == Param.class) {
          Param<?> param;
          try {
            param = (Param<?>) field.get(null);
          } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
          }
          if (params.put(group + "." + param.name(), param) != null) {
            throw new IllegalStateException("two declarations of " + group + "." + param.name());
          }
        }
      }
    }
  }

  private static Map<String, String> texts() {
    Map<String, String> texts = new LinkedHashMap<>();
    PARAMS.forEach((key, param) -> {
      texts.put(key, escape(param.help()));
      texts.put(key + ".doc", escape(param.doc()));
      if (param.hasDefault()) {
        texts.put(key + ".default", escape(param.defaultText()));
      }
    });
    InputOptions.COMMAND_TEXTS.forEach((key, text) -> texts.put(key, escape(text)));
    OutputOptions.COMMAND_TEXTS.forEach((key, text) -> texts.put(key, escape(text)));
    ModelCommand.CopyOptions.COMMAND_TEXTS.forEach((key, text) -> texts.put(key, escape(text)));
    return Collections.unmodifiableMap(texts);
  }

  /** Picocli formats descriptions: a literal '%' is written '%%'. */
  private static String escape(String text) {
    return text.replace("%", "%%");
  }
}
