package io.lopq.cli;

import io.lopq.param.Param;
import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/** The command line's model, for tests: every command, and the declaration behind an option. */
final class CliOptions {
  private static final Pattern BUNDLE_KEY = Pattern.compile("\\$\\{bundle:([\\w.]+?)(\\.doc|\\.default)?}");

  private CliOptions() {}

  /** Every command and subcommand of {@code lopq}, the top command first. */
  static List<CommandSpec> commands() {
    List<CommandSpec> all = new ArrayList<>();
    collect(LopqCli.commandLine(), all);
    return all;
  }

  private static void collect(CommandLine command, List<CommandSpec> all) {
    all.add(command.getCommandSpec());
    command.getSubcommands().values().forEach(sub -> {
      if (!sub.getCommandName().equals("help")) {
        collect(sub, all);
      }
    });
  }

  /** The command {@code lopq NAME}. */
  static CommandSpec command(String name) {
    return LopqCli.commandLine().getSubcommands().get(name).getCommandSpec();
  }

  /** The declaration an option shows: its description key, or a {@code ${bundle:KEY}} in its description. */
  static Optional<Param<?>> declarationOf(OptionSpec option) {
    String key = option.descriptionKey();
    if (key != null && ParamHelp.PARAMS.containsKey(key)) {
      return Optional.of(ParamHelp.param(key));
    }
    if (option.userObject() instanceof Field field) {
      CommandLine.Option annotation = field.getAnnotation(CommandLine.Option.class);
      for (String line : annotation.description()) {
        Matcher m = BUNDLE_KEY.matcher(line);
        if (m.find() && ParamHelp.PARAMS.containsKey(m.group(1))) {
          return Optional.of(ParamHelp.param(m.group(1)));
        }
      }
    }
    return Optional.empty();
  }

  /** The raw description keys an option's annotation refers to ({@code ${bundle:KEY}}), for checks. */
  static List<String> bundleKeys(OptionSpec option) {
    List<String> keys = new ArrayList<>();
    if (option.userObject() instanceof Field field) {
      for (String line : field.getAnnotation(CommandLine.Option.class).description()) {
        Matcher m = BUNDLE_KEY.matcher(line);
        while (m.find()) {
          keys.add(m.group(1) + (m.group(2) == null ? "" : m.group(2)));
        }
      }
    }
    return keys;
  }
}
