package dev.netc.compiler.emit.java;

import java.util.Locale;
import java.util.Set;
import javax.lang.model.SourceVersion;

/** Java names from network names and layer paths: class names in PascalCase, fields from dotted paths, constants. */
final class Identifiers {
  private Identifiers() {}

  /**
   * The generated class's nested types ({@code Session}, the weight {@code Source}, the {@code Outputs} record), whose
   * names Java forbids the class itself.
   */
  static final Set<String> NESTED_TYPES = Set.of("Session", "Source", "Outputs");

  /**
   * {@code resnet18 -> Resnet18}, {@code mobilenet_v2 -> MobilenetV2}, {@code squeezenet1_1 -> Squeezenet1_1}
   * (an underscore before a digit stays, so the numbers remain apart); a name the class cannot take, a keyword or
   * one of its {@link #NESTED_TYPES}, gets a suffix: {@code session -> SessionNetwork}, {@code class -> Class_}.
   * Names of other types ({@code Math}, {@code String}, runtime classes) are fine: generated code refers to those
   * through JavaPoet, which qualifies them where the class's name would hide them.
   */
  static String className(String network) {
    StringBuilder b = new StringBuilder();
    for (String part : network.split("[^A-Za-z0-9]+")) {
      if (part.isEmpty()) continue;
      if (!b.isEmpty() && Character.isDigit(part.charAt(0))) b.append('_');
      b.append(Character.toUpperCase(part.charAt(0))).append(part.substring(1));
    }
    String s = b.isEmpty() ? "Network" : b.toString();
    if (!Character.isJavaIdentifierStart(s.charAt(0))) s = "Net" + s;
    if (NESTED_TYPES.contains(s)) return s + "Network";
    return SourceVersion.isKeyword(s) ? s + "_" : s;
  }

  /** A field or variable name for a layer path: {@code layer1.0.conv1 -> layer1_0_conv1}. */
  static String fromPath(String path, String fallback) { return fromPath(path, fallback, "l"); }

  /**
   * As {@link #fromPath(String, String)}; a path that starts with a digit (an unlabeled layer, named by its
   * position) is prefixed with {@code prefix}, e.g. the op's name: {@code 3 -> maxpool3}.
   */
  static String fromPath(String path, String fallback, String prefix) {
    String s = path.replaceAll("[^A-Za-z0-9_]+", "_").replaceAll("^_+|_+$", "");
    if (s.isEmpty()) s = fallback;
    if (!Character.isJavaIdentifierStart(s.charAt(0))) s = prefix.replaceAll("[^A-Za-z0-9]+", "") + s;
    return s;
  }

  /** {@code input_ids -> INPUT_IDS}, {@code logitsShape -> LOGITS_SHAPE}. */
  static String constant(String name) {
    return name.replaceAll("([a-z0-9])([A-Z])", "$1_$2").replaceAll("[^A-Za-z0-9]+", "_").toUpperCase(Locale.ROOT);
  }

  /** {@code layer1 -> Layer1}: for method names such as {@code runLayer1}. */
  static String capitalized(String s) { return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1); }
}
