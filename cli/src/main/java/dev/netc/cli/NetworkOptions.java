package dev.netc.cli;

import dev.netc.compiler.Compiler;
import dev.netc.compiler.ops.Value;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/**
 * The options of every command that compiles a file, as one picocli mixin: {@code --network NAME} picks a network,
 * {@code --param NAME=VALUE} (repeatable) sets a network parameter: ints, floats, booleans, strings, tuples
 * {@code 3,1}.
 */
final class NetworkOptions {
  @Option(names = "--network", paramLabel = "NAME",
      description = "Only this network (default: every network in FILE; commands that run a network need it when "
          + "FILE has several).")
  String network;

  @Option(names = "--param", paramLabel = "NAME=VALUE", description = "Set a network parameter (repeatable).")
  List<String> params = new ArrayList<>();

  /** The parameters given; a malformed one throws {@link CommandLine.TypeConversionException}. */
  Map<String, Value> values() { return parse(params); }

  /** What to compile: {@code file}, with this network and these parameters. */
  Compiler.Options of(Path file) { return Compiler.Options.file(file).withNetwork(network).withParams(values()); }

  static Map<String, Value> parse(List<String> params) {
    Map<String, Value> out = new LinkedHashMap<>();
    for (String p : params) {
      int eq = p.indexOf('=');
      if (eq <= 0) throw new CommandLine.TypeConversionException("--param expects name=value, got '" + p + "'");
      out.put(p.substring(0, eq).trim(), value(p.substring(eq + 1).trim()));
    }
    return out;
  }

  static Value value(String s) {
    if (s.contains(",")) {
      return new Value.Tuple(Arrays.stream(s.replaceAll("[()\\[\\]]", "").split(","))
          .map(String::trim).filter(x -> !x.isEmpty()).map(NetworkOptions::value).toList());
    }
    if (s.equals("true") || s.equals("false")) return new Value.Bool(Boolean.parseBoolean(s));
    try {
      return new Value.Int(Long.parseLong(s));
    } catch (NumberFormatException e) {
      // not an int
    }
    try {
      return new Value.Float(Double.parseDouble(s));
    } catch (NumberFormatException e) {
      return new Value.Str(s.startsWith("\"") && s.endsWith("\"") && s.length() >= 2 ? s.substring(1, s.length() - 1) : s);
    }
  }
}
