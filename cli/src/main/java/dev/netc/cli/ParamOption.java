package dev.netc.cli;

import dev.netc.compiler.ops.Value;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;

/** {@code --param name=value} for network parameters: ints, floats, booleans, strings, tuples {@code 3,1}. */
final class ParamOption {
  private ParamOption() {}

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
      return new Value.Tuple(java.util.Arrays.stream(s.replaceAll("[()\\[\\]]", "").split(","))
          .map(String::trim).filter(x -> !x.isEmpty()).map(ParamOption::value).toList());
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
