package dev.netc.lsp;

import dev.netc.compiler.ops.ArgSpec;
import dev.netc.compiler.ops.OpCatalogue;
import dev.netc.compiler.ops.OpDef;
import dev.netc.grammar.NetLexer;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.eclipse.lsp4j.CompletionItem;
import org.eclipse.lsp4j.CompletionItemKind;
import org.eclipse.lsp4j.MarkupContent;
import org.eclipse.lsp4j.MarkupKind;

/**
 * Completion from the tokens around the cursor (the text need not parse): argument names inside an op's or a
 * block's parentheses, tensor names after {@code @}, types in a parameter list, and elsewhere op names, block
 * names (of the file and everything it imports) and keywords.
 */
final class Completions {
  private Completions() {}

  private static final List<String> KEYWORDS = List.of("stage", "seq", "residual", "shortcut", "when", "gate", "reuse", "repeat",
      "as", "let", "if", "then", "else", "head", "input", "import", "block", "network");

  private static final List<String> TYPES = List.of("int", "float", "bool", "string", "layer", "tensor", "list");

  static List<CompletionItem> complete(FileIndex index, List<FileIndex> closure, int offset) {
    Tokens t = index.tokens();
    CallContext call = CallContext.at(t, offset);
    List<CompletionItem> out = new ArrayList<>();
    if (call.previousType() == NetLexer.AT) {
      tensors(index, offset, out);
      return out;
    }
    if (call.callee() != null) {
      if (call.header()) {
        if (call.afterColon()) TYPES.forEach(ty -> out.add(item(ty, CompletionItemKind.TypeParameter, "type", null)));
        return out;
      }
      if (call.argStart()) arguments(call, closure, out);
      if (call.argStart() || call.afterColon()) layers(closure, out);
      return out;
    }
    layers(closure, out);
    for (String k : KEYWORDS) out.add(item(k, CompletionItemKind.Keyword, "keyword", null));
    return out;
  }

  private static void arguments(CallContext call, List<FileIndex> closure, List<CompletionItem> out) {
    OpDef op = OpCatalogue.lookup(call.callee());
    if (op != null) {
      for (ArgSpec a : op.args()) {
        if (a.rest() || call.named().contains(a.name())) continue;
        CompletionItem c = argument(a.name(), a.type() + (a.defaultValue() == null ? "" : " = " + a.defaultValue().show()),
            a.doc());
        if (a.output()) c.setInsertText(a.name() + ": -> "); // an output is bound to a tensor name
        out.add(c);
      }
      return;
    }
    FileIndex.Decl d = Hovers.decl(closure, call.callee());
    if (d == null) return;
    for (FileIndex.Param p : d.params()) {
      if (!call.named().contains(p.name())) {
        out.add(argument(p.name(), p.type() + (p.defaultText() == null ? "" : " = " + p.defaultText()), null));
      }
    }
  }

  private static CompletionItem argument(String name, String detail, String doc) {
    CompletionItem c = item(name, CompletionItemKind.Field, detail, doc);
    c.setInsertText(name + ": ");
    c.setFilterText(name);
    c.setSortText("0" + name);
    return c;
  }

  /** Every op and every block visible from the file. */
  private static void layers(List<FileIndex> closure, List<CompletionItem> out) {
    for (OpDef op : OpCatalogue.all()) {
      out.add(item(op.name(), CompletionItemKind.Function, OpDocs.signature(op), OpDocs.markdown(op)));
    }
    Set<String> seen = new LinkedHashSet<>();
    for (FileIndex f : closure) {
      for (FileIndex.Decl d : f.decls()) {
        if (!d.block() || !seen.add(d.name())) continue;
        out.add(item(d.name(), CompletionItemKind.Class, d.signature(), Hovers.declaration(d, closure)));
      }
    }
  }

  /** Tensor names the declaration around the cursor defines: inputs, bindings, tensor parameters, and {@code in}. */
  private static void tensors(FileIndex index, int offset, List<CompletionItem> out) {
    Tokens t = index.tokens();
    Set<String> names = new LinkedHashSet<>();
    int at = Math.max(0, t.lastBefore(offset));
    int[] decl = t.declAround(at);
    if (decl != null) {
      for (Definitions.Binding b : Definitions.tensorBindings(t, decl)) names.add(b.name());
    }
    names.add("in");
    for (String n : names) out.add(item(n, CompletionItemKind.Variable, "tensor", null));
  }

  private static CompletionItem item(String label, CompletionItemKind kind, String detail, String markdown) {
    CompletionItem c = new CompletionItem(label);
    c.setKind(kind);
    c.setDetail(detail);
    if (markdown != null) c.setDocumentation(new MarkupContent(MarkupKind.MARKDOWN, markdown));
    return c;
  }
}
