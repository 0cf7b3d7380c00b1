package dev.netc.lsp;

import dev.netc.compiler.ops.ArgSpec;
import dev.netc.compiler.ops.OpCatalogue;
import dev.netc.compiler.ops.OpDef;
import dev.netc.compiler.ops.OpReference;
import java.util.HashMap;
import java.util.Map;

/** Op signatures and documentation from the op catalogue, in the words {@code netc ops} prints. */
final class OpDocs {
  private OpDocs() {}

  private static final Map<String, String> SIGNATURES = new HashMap<>();

  static {
    for (String line : OpReference.text().split("\n")) {
      int paren = line.indexOf('(');
      if (paren <= 0) continue;
      OpDef op = OpCatalogue.lookup(line.substring(0, paren));
      if (op == null) continue;
      String sig = line.endsWith(op.summary()) ? line.substring(0, line.length() - op.summary().length()) : line;
      SIGNATURES.put(op.name(), sig.strip());
    }
  }

  /** {@code conv(out, kernel, stride = 1, ...)}: the signature line of {@code netc ops}. */
  static String signature(OpDef op) { return SIGNATURES.getOrDefault(op.name(), op.name() + "(...)"); }

  /** The signature, the summary and a table of the arguments, as Markdown. */
  static String markdown(OpDef op) {
    StringBuilder b = new StringBuilder("```netc\n").append(signature(op)).append("\n```\n\n").append(op.summary());
    if (op.combiner()) b.append(" Also combines parallel branches: `").append(op.name()).append(" { a; b }`.");
    if (!op.args().isEmpty()) {
      b.append("\n\n| argument | type | default | meaning |\n| --- | --- | --- | --- |\n");
      for (ArgSpec a : op.args()) {
        b.append("| `").append(a.name()).append("` | ").append(a.type()).append(" | ").append(defaultText(a))
            .append(" | ").append(a.doc()).append(" |\n");
      }
    }
    return b.toString().strip();
  }

  static String defaultText(ArgSpec a) {
    return a.defaultValue() != null ? "`" + a.defaultValue().show() + "`"
        : a.rest() ? "(any number)" : a.optional() ? "(optional)" : "required";
  }

  /** One argument: {@code stride: int = 1} and what it means. */
  static String argument(OpDef op, ArgSpec a) {
    return "```netc\n" + op.name() + "(" + a.name() + ": " + a.type()
        + (a.defaultValue() != null ? " = " + a.defaultValue().show() : "") + ")\n```\n\n" + a.doc()
        + (a.required() ? " (required)" : "");
  }
}
