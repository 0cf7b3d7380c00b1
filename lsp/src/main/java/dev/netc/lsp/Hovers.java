package dev.netc.lsp;

import dev.netc.compiler.analysis.LayerStats;
import dev.netc.compiler.analysis.NetworkReport;
import dev.netc.compiler.analysis.Totals;
import dev.netc.compiler.ir.Graph;
import dev.netc.compiler.analysis.Numbers;
import dev.netc.compiler.analysis.ReceptiveField;
import dev.netc.compiler.analysis.ReportDoc;
import dev.netc.compiler.ops.ArgSpec;
import dev.netc.compiler.ops.OpCatalogue;
import dev.netc.compiler.ops.OpDef;
import dev.netc.compiler.syntax.Ast;
import dev.netc.grammar.NetLexer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.eclipse.lsp4j.Hover;
import org.eclipse.lsp4j.MarkupContent;
import org.eclipse.lsp4j.MarkupKind;

/**
 * Hover: on an op name its signature from the catalogue; on a block name its declaration and comment; on an
 * argument name what it means; on a layer what the report says of it (output shape, parameters, MACs, receptive
 * field) in each network that uses it.
 */
final class Hovers {
  private Hovers() {}

  /** A compiled program that holds the hovered file: that file's syntax tree in it, and its networks' layers. */
  record Compiled(Ast.File file, List<LayerIndex> layers) {}

  /** Instances of more than this many are summed up, not listed. */
  static final int MAX_ROWS = 12;

  static Hover hover(FileIndex index, List<FileIndex> closure, List<Compiled> compiled, int offset) {
    Tokens tokens = index.tokens();
    Tokens.Tok tok = tokens.at(offset);
    if (tok == null) return null;
    List<String> sections = new ArrayList<>();
    if (tok.type() == NetLexer.IDENT) names(tokens, tok, closure, sections);
    if (tok.type() == NetLexer.IDENT && tokens.type(tok.index() - 1) == NetLexer.NETWORK) {
      String totals = totals(compiled, tok.text());
      if (totals != null) sections.add(totals);
    }
    String layer = layer(compiled, offset);
    if (layer != null) sections.add(layer);
    if (sections.isEmpty()) return null;
    Hover h = new Hover(new MarkupContent(MarkupKind.MARKDOWN, String.join("\n\n---\n\n", sections)));
    h.setRange(index.lines().range(tok.start(), tok.end()));
    return h;
  }

  private static void names(Tokens tokens, Tokens.Tok tok, List<FileIndex> closure, List<String> out) {
    boolean named = tokens.type(tok.index() + 1) == NetLexer.COLON;
    boolean member = tokens.type(tok.index() - 1) == NetLexer.DOT;
    if (member) return;
    if (named) {
      CallContext call = CallContext.at(tokens, tok.start());
      if (call.callee() != null && !call.header() && call.argStart()) {
        OpDef op = OpCatalogue.lookup(call.callee());
        ArgSpec a = op == null ? null : op.arg(tok.text());
        if (a != null) out.add(OpDocs.argument(op, a));
        FileIndex.Decl d = op == null ? decl(closure, call.callee()) : null;
        if (d != null) {
          for (FileIndex.Param p : d.params()) {
            if (p.name().equals(tok.text())) out.add("```netc\n" + d.name() + "(" + p.show() + ")\n```");
          }
        }
      }
      return;
    }
    OpDef op = OpCatalogue.lookup(tok.text());
    if (op != null) {
      out.add(OpDocs.markdown(op));
      return;
    }
    FileIndex.Decl d = decl(closure, tok.text());
    if (d != null) out.add(declaration(d, closure));
  }

  static FileIndex.Decl decl(List<FileIndex> closure, String name) {
    for (FileIndex f : closure) {
      FileIndex.Decl d = f.decl(name);
      if (d != null) return d;
    }
    return null;
  }

  static String declaration(FileIndex.Decl d, List<FileIndex> closure) {
    StringBuilder b = new StringBuilder("```netc\n").append(d.signature()).append("\n```");
    if (!d.doc().isEmpty()) b.append("\n\n").append(d.doc());
    for (FileIndex f : closure) {
      if (f.decls().contains(d) && f != closure.getFirst()) {
        Path name = f.path().getFileName();
        b.append("\n\n*declared in* `").append(name).append('`');
      }
    }
    return b.toString();
  }

  /** The whole network's counts, as {@code netc report} totals them. */
  private static String totals(List<Compiled> compiled, String network) {
    for (Compiled c : compiled) {
      for (LayerIndex li : c.layers()) {
        if (!li.network().equals(network)) continue;
        NetworkReport r = li.report();
        Totals t = r.totals();
        Graph g = r.graph();
        StringBuilder b = new StringBuilder("**network ").append(network).append("** at batch ").append(r.batch())
            .append("\n\n");
        b.append("- inputs: ").append(String.join(", ", ReportDoc.named(g, g.inputs(),
            g.inputs().stream().map(i -> g.node(i).path()).toList(), r.batch()))).append('\n');
        b.append("- outputs: ").append(String.join(", ", ReportDoc.named(g,
            g.outputs().stream().map(Graph.Output::node).toList(), g.outputs().stream().map(Graph.Output::name).toList(),
            r.batch()))).append('\n');
        b.append("- layers: ").append(r.layers().size()).append('\n');
        b.append("- params: ").append(count(t.params())).append('\n');
        b.append("- buffers: ").append(count(t.buffers())).append('\n');
        b.append("- MACs: ").append(count(t.macs())).append('\n');
        b.append("- FLOPs: ").append(count(t.flops())).append('\n');
        b.append("- peak activation memory: ").append(Numbers.bytes(r.peak().bytes())).append(" (at ")
            .append(r.peakAt()).append(')');
        return b.toString();
      }
    }
    return null;
  }

  // ---- layers ----

  private static String layer(List<Compiled> compiled, int offset) {
    List<LayerIndex.Instance> all = new ArrayList<>();
    String label = null;
    for (Compiled c : compiled) {
      Ast.Element e = elementAt(c.file(), offset);
      Ast.Input in = e == null ? inputAt(c.file(), offset) : null;
      if (e == null && in == null) continue;
      if (label == null) label = e != null ? describe(e) : "input " + in.name();
      for (LayerIndex li : c.layers()) all.addAll(e != null ? li.instances(e) : li.instances(in));
    }
    if (all.isEmpty()) return null;
    StringBuilder b = new StringBuilder();
    for (Map.Entry<String, List<LayerIndex.Instance>> net : LayerIndex.byNetwork(all).entrySet()) {
      if (!b.isEmpty()) b.append("\n\n");
      stats(b, label, net.getKey(), net.getValue());
    }
    return b.toString();
  }

  /** The innermost layer whose text holds the offset. */
  static Ast.Element elementAt(Ast.File file, int offset) {
    Ast.Element found = null;
    for (Ast.Element e : AstWalk.elements(file)) {
      if (e.span().start() <= offset && offset <= e.span().end()) found = e;
    }
    return found;
  }

  static Ast.Input inputAt(Ast.File file, int offset) {
    for (Ast.Decl d : file.decls()) {
      for (Ast.Stmt s : d.body()) {
        if (s instanceof Ast.Input in && in.span().start() <= offset && offset <= in.span().end()) return in;
      }
    }
    return null;
  }

  static String describe(Ast.Element e) {
    String what = switch (e.layer()) {
      case Ast.Call c -> c.name();
      case Ast.Sequence q -> switch (q.kind()) {
        case STAGE -> "stage";
        case SEQ -> "seq";
        case LIST -> "[...]";
      };
      case Ast.Residual r -> "residual";
      case Ast.Gate g -> "gate";
      case Ast.TensorLayer t -> "@" + t.name();
      case Ast.Reuse r -> "reuse " + r.name();
    };
    return e.label() == null ? what : e.label().name() + ": " + what;
  }

  private static void stats(StringBuilder b, String label, String network, List<LayerIndex.Instance> instances) {
    int batch = instances.getFirst().batch();
    if (instances.size() == 1) {
      LayerIndex.Instance i = instances.getFirst();
      b.append("**").append(i.path()).append("** · `").append(label).append("` in network `").append(network)
          .append("`");
      if (i.rows().size() > 1) b.append(" (").append(i.rows().size()).append(" layers)");
      else b.append(" — ").append(opText(i.last()));
      b.append("\n\n");
      b.append("- output: `").append(shape(i.last(), batch)).append("`\n");
      b.append("- params: ").append(count(i.params())).append('\n');
      b.append("- MACs: ").append(count(i.macs())).append('\n');
      b.append("- receptive field: ").append(rf(i.last().rf()));
      return;
    }
    long params = 0, macs = 0;
    for (LayerIndex.Instance i : instances) {
      params += i.params();
      macs += i.macs();
    }
    b.append("`").append(label).append("`: ").append(instances.size()).append(" instances in network `")
        .append(network).append("` (in all: params ").append(count(params)).append(", MACs ").append(count(macs))
        .append(")\n\n| path | output | params | MACs | receptive field |\n| --- | --- | ---: | ---: | --- |\n");
    for (int k = 0; k < Math.min(MAX_ROWS, instances.size()); k++) {
      LayerIndex.Instance i = instances.get(k);
      b.append("| ").append(i.path()).append(" | `").append(shape(i.last(), batch)).append("` | ")
          .append(Numbers.grouped(i.params())).append(" | ").append(Numbers.grouped(i.macs())).append(" | ")
          .append(rf(i.last().rf())).append(" |\n");
    }
    if (instances.size() > MAX_ROWS) b.append("\n… and ").append(instances.size() - MAX_ROWS).append(" more");
  }

  static String shape(LayerStats row, int batch) { return ReportDoc.shapeText(row.type(), batch); }

  private static String opText(LayerStats row) { return row.detail().isEmpty() ? row.op() : row.op() + " " + row.detail(); }

  private static String count(long v) {
    return v < 1000 ? Long.toString(v) : Numbers.grouped(v) + " (" + Numbers.human(v) + ")";
  }

  private static String rf(ReceptiveField rf) {
    return rf == null ? "-" : rf.sizeText() + " (stride " + rf.strideText() + ")";
  }
}
