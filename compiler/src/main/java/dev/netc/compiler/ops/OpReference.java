package dev.netc.compiler.ops;

/**
 * The op catalogue as text: one signature line per op ({@code netc ops}) or the Markdown reference of
 * spec/ops.md ({@code netc ops --markdown}; a test keeps the file equal to it).
 */
public final class OpReference {
  private OpReference() {}

  /** One line per op: {@code conv(channels, kernel, stride = 1, ...)  summary}. */
  public static String text() {
    StringBuilder b = new StringBuilder();
    for (OpDef op : OpCatalogue.all()) {
      b.append(op.name()).append('(');
      for (int i = 0; i < op.args().size(); i++) b.append(i == 0 ? "" : ", ").append(signature(op.args().get(i)));
      b.append(")  ").append(op.summary()).append('\n');
    }
    return b.toString();
  }

  /** The Markdown reference: per op its summary and a table of arguments, types, defaults and meanings. */
  public static String markdown() {
    StringBuilder b = new StringBuilder("# Ops\n\n");
    b.append("Generated from the op catalogue by `netc ops --markdown`; do not edit by hand.\n");
    b.append("Axes use PyTorch numbering (batch = 0). Counting conventions: spec/counting.md.\n\n");
    for (OpDef op : OpCatalogue.all()) {
      b.append("## `").append(op.name()).append("`\n\n").append(op.summary()).append("\n\n");
      if (op.combiner()) b.append("Also combines parallel branches: `").append(op.name()).append(" { a; b }`.\n\n");
      if (op.args().isEmpty()) {
        b.append("No arguments.\n\n");
        continue;
      }
      b.append("| argument | type | default | meaning |\n| --- | --- | --- | --- |\n");
      for (ArgSpec a : op.args()) {
        String dflt = a.defaultValue() != null ? "`" + a.defaultValue().show() + "`"
            : a.rest() ? "(any number)" : a.optional() ? "(optional)" : "**required**";
        b.append("| `").append(a.name()).append("` | ").append(a.type()).append(" | ").append(dflt).append(" | ")
            .append(a.doc()).append(" |\n");
      }
      b.append('\n');
    }
    return b.toString();
  }

  private static String signature(ArgSpec a) {
    if (a.rest()) return "..." + a.name();
    if (a.output()) return a.name() + ": -> name?";
    if (a.defaultValue() != null) return a.name() + " = " + a.defaultValue().show();
    return a.optional() ? a.name() + "?" : a.name();
  }
}
