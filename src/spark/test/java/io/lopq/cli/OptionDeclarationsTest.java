package io.lopq.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lopq.param.Param;
import io.lopq.search.SearchOptions;
import io.lopq.spark.train.TrainPlan;
import io.lopq.train.TrainingParams;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.ResourceBundle;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * The command line reads its parameters from their declarations: every option's help is there
 * (from its declaration or its own words), the options several commands share are the same
 * everywhere, and the CLI's defaults are the declared ones.
 */
class OptionDeclarationsTest {
  /** The groups of declarations {@link ParamHelp} serves. */
  private static final Set<String> GROUPS = ParamHelp.PARAMS.keySet().stream().map(k -> k.split("\\.")[0])
      .collect(Collectors.toSet());
  private static final List<String> READ_VECTORS = List.of("train", "encode", "search", "eval");
  private static final List<String> INPUT_OPTIONS = List.of("--format", "--id-col", "--vector-col", "--header",
      "--min-partitions");

  @Test
  void everyOptionOfEveryCommandHasHelpAndEveryKeyIsDeclared() {
    ResourceBundle bundle = ResourceBundle.getBundle(ParamHelp.BUNDLE);
    for (CommandSpec command : CliOptions.commands()) {
      for (OptionSpec option : command.options()) {
        String where = command.qualifiedName() + " " + option.longestName();
        String help = String.join(" ", option.description());
        assertFalse(help.isBlank(), where + " has no help");
        assertFalse(help.contains("${") || help.contains("null"), where + ": " + help);
        for (String key : CliOptions.bundleKeys(option)) {
          assertTrue(bundle.containsKey(key), where + " refers to an undeclared '" + key + "'");
        }
        String descriptionKey = option.descriptionKey();
        if (descriptionKey != null && GROUPS.contains(descriptionKey.split("\\.")[0])) {
          assertTrue(ParamHelp.PARAMS.containsKey(descriptionKey), where + " refers to an undeclared '"
              + descriptionKey + "'");
        }
      }
      String usage = usage(command);
      assertFalse(usage.contains("${") || usage.contains("WARN"), command.qualifiedName() + ":\n" + usage);
    }
  }

  @Test
  void helpShowsEachDeclarationsDocAndDefault() {
    String train = usage(CliOptions.command("train")).replaceAll("\\s+", " ");
    assertTrue(train.contains("--coarse-clusters=V|auto V, coarse clusters per half; 0 = auto, chosen from the number "
        + "of rows N and the dimension D (printed and recorded in the model) (>= 0; default: auto)"), train);
    assertTrue(train.contains("--rotation-prior-rows=N Pseudo-rows of the half's residual covariance"), train);
    assertTrue(train.contains("(in (0, 1]; default 1.0)"), train);
    String search = usage(CliOptions.command("search")).replaceAll("\\s+", " ");
    assertTrue(search.contains("--k=K Neighbours per query (>= 1; default " + SearchOptions.K.defaultValue() + ")"),
        search);
    assertTrue(search.contains("default: max(k, 100))"), search);
  }

  @Test
  void everyCommandThatReadsVectorsTakesTheSameInputOptions() {
    for (String name : READ_VECTORS) {
      CommandSpec command = CliOptions.command(name);
      for (String option : INPUT_OPTIONS) {
        OptionSpec mine = command.findOption(option);
        OptionSpec trains = CliOptions.command("train").findOption(option);
        assertNotNull(mine, name + " lacks " + option);
        assertEquals(trains.paramLabel(), mine.paramLabel(), name + " " + option);
        assertEquals(trains.type(), mine.type(), name + " " + option);
        assertEquals(trains.descriptionKey(), mine.descriptionKey(), name + " " + option + ": one declaration");
      }
      for (String option : List.of("--overwrite", "--report")) {
        assertNotNull(command.findOption(option), name + " lacks " + option);
      }
    }
    for (String writer : List.of("convert", "generate")) {
      assertNotNull(CliOptions.command(writer).findOption("--overwrite"), writer);
    }
  }

  @Test
  void optionsBoundToADeclarationStartAtItsDefault() {
    // An option that is not given stays null in the command: the job's builder applies the declared default.
    Set<String> bound = new TreeSet<>();
    for (CommandSpec command : CliOptions.commands()) {
      for (OptionSpec option : command.options()) {
        CliOptions.declarationOf(option).ifPresent(param -> {
          bound.add(command.name() + " " + option.longestName());
          assertTrue(option.defaultValue() == null, command.name() + " " + option.longestName()
              + " restates a default (" + option.defaultValue() + ") instead of the declared " + param.defaultText());
        });
      }
    }
    assertTrue(bound.containsAll(List.of("train --coarse-clusters", "train --subquantizers", "train --seed",
        "search --k", "search --candidates", "encode --batch-size", "eval --k", "train --format")), bound.toString());
  }

  @Test
  void theLopqOptionsOfTrainCoverTheTrainingDeclarations() {
    Set<String> shown = CliOptions.command("train").options().stream()
        .map(CliOptions::declarationOf).flatMap(java.util.Optional::stream).map(Param::name)
        .collect(Collectors.toCollection(TreeSet::new));
    Set<String> expected = new TreeSet<>(List.of(TrainingParams.COARSE_CLUSTERS.name(),
        TrainingParams.SUBQUANTIZERS.name(), TrainingParams.SUBQUANTIZER_CLUSTERS.name(), TrainingParams.SEED.name(),
        TrainingParams.COARSE_ITERATIONS.name(), TrainingParams.SUBQUANTIZER_ITERATIONS.name(),
        TrainingParams.MAX_SUBQUANTIZER_SAMPLES.name(), TrainingParams.REFINE_ITERATIONS.name(),
        TrainingParams.MIN_ROTATION_CLUSTER_SIZE.name(), TrainingParams.ROTATION_FALLBACK.name(),
        TrainingParams.ROTATION_PRIOR_ROWS.name(),
        TrainPlan.SAMPLE_ROWS.name(), TrainPlan.SAMPLE_FRACTION.name(), TrainPlan.DISTORTION_SAMPLE_ROWS.name(),
        TrainPlan.COARSE_INIT_STEPS.name(), TrainPlan.COARSE_SPARK_ITERATIONS.name(),
        TrainPlan.COARSE_SPARK_ROWS_PER_CLUSTER.name(), TrainPlan.STEPS.name()));
    assertTrue(shown.containsAll(expected), "missing: " + difference(expected, shown));
  }

  private static Set<String> difference(Set<String> a, Set<String> b) {
    Set<String> d = new TreeSet<>(a);
    d.removeAll(b);
    return d;
  }

  /** The command's --help, with anything picocli warns about on stderr meanwhile. */
  private static String usage(CommandSpec command) {
    StringWriter out = new StringWriter();
    java.io.ByteArrayOutputStream warnings = new java.io.ByteArrayOutputStream();
    java.io.PrintStream stderr = System.err;
    System.setErr(new java.io.PrintStream(warnings, true, java.nio.charset.StandardCharsets.UTF_8));
    try {
      command.commandLine().usage(new PrintWriter(out));
    } finally {
      System.setErr(stderr);
    }
    return out + warnings.toString(java.nio.charset.StandardCharsets.UTF_8);
  }
}
