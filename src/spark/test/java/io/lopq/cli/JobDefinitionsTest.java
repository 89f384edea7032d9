package io.lopq.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lopq.param.Param;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * The job definitions ({@code jobs/*.conf}, run by {@code scripts/submit} and the cluster
 * integration suite) against the command line: every option they pass exists, and none states a
 * default of its own that disagrees with the parameter's declaration (they leave an option out to
 * get the declared default, as in {@code ${LOPQ_SEED:+--seed "$LOPQ_SEED"}}).
 *
 * <p>Only {@code jobs/} is checked: the benchmark scripts set their own parameters on purpose
 * (e.g. {@code scripts/bench-fashion-mnist} measures V=64, not the default).
 */
class JobDefinitionsTest {
  private static final Pattern COMMAND = Pattern.compile("(?m)^LOPQ_COMMAND=(\\w+)");
  private static final Pattern OPTION = Pattern.compile("(?<![\\w-])(--[a-z][a-z0-9-]*)");
  private static final Pattern STATED_DEFAULT = Pattern.compile("(--[a-z][a-z0-9-]*)\\s+\"\\$\\{(\\w+):-([^}]*)}\"");

  @Test
  void everyOptionAJobPassesExistsAndNoJobRestatesADifferentDefault() throws IOException {
    List<Path> jobs = jobFiles();
    assertTrue(jobs.size() >= 5, "jobs found: " + jobs);
    int options = 0;
    for (Path job : jobs) {
      String text = withoutComments(Files.readString(job));
      Matcher command = COMMAND.matcher(text);
      assertTrue(command.find(), job + " sets no LOPQ_COMMAND");
      CommandSpec spec = CliOptions.command(command.group(1));
      assertNotNull(spec, job + ": no command " + command.group(1));
      Matcher option = OPTION.matcher(text);
      while (option.find()) {
        assertNotNull(spec.findOption(option.group(1)), job.getFileName() + " passes " + option.group(1)
            + ", which lopq " + spec.name() + " does not have");
        options++;
      }
      Matcher stated = STATED_DEFAULT.matcher(text);
      while (stated.find()) {
        OptionSpec optionSpec = spec.findOption(stated.group(1));
        Optional<Param<?>> declared = CliOptions.declarationOf(optionSpec);
        if (declared.isPresent() && declared.get().defaultValue() != null) {
          Param<?> param = declared.get();
          assertEquals(param.defaultValue(), param.parse(stated.group(3)), job.getFileName() + " states "
              + stated.group(1) + " ${" + stated.group(2) + ":-" + stated.group(3) + "}, but its declared default is "
              + param.defaultText() + " (" + param.name() + "); leave the option out when the variable is unset");
        }
      }
    }
    assertTrue(options > 10, "options found: " + options);
  }

  @Test
  void theReadmeOfTheJobsListsNoDefaultOfItsOwn() throws IOException {
    String readme = Files.readString(root().resolve("jobs").resolve("README.md"));
    Matcher stated = STATED_DEFAULT.matcher(readme);
    List<String> found = new ArrayList<>();
    while (stated.find()) {
      found.add(stated.group());
    }
    assertTrue(found.isEmpty(), "jobs/README.md restates defaults: " + found);
    assertFalse(readme.contains("LOPQ_COARSE_CLUSTERS (V, "), "V's default is the declaration's");
  }

  private static String withoutComments(String text) {
    return text.replaceAll("(?m)(^|\\s)#.*$", "");
  }

  private static List<Path> jobFiles() throws IOException {
    try (Stream<Path> files = Files.list(root().resolve("jobs"))) {
      return files.filter(p -> p.getFileName().toString().endsWith(".conf"))
          .filter(p -> !p.getFileName().toString().equals("defaults.conf")).sorted().toList();
    }
  }

  private static Path root() {
    Path root = Path.of(System.getProperty("lopq.project.dir", System.getProperty("user.dir")));
    assertTrue(Files.isDirectory(root.resolve("jobs")), "no jobs/ under " + root);
    return root;
  }
}
