package dev.netc.lsp;

import dev.netc.compiler.Compilation;
import dev.netc.compiler.analysis.NetworkReport;
import dev.netc.compiler.analysis.ReportError;
import dev.netc.compiler.diag.Diagnostic;
import dev.netc.compiler.diag.Source;
import dev.netc.compiler.diag.UserError;
import dev.netc.compiler.syntax.Ast;
import dev.netc.compiler.syntax.Parser;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What the compiler made of one version of a document: its diagnostics and, when the program is right, the
 * compilation (whose per-network reports and layer indices are made on first use). An analysis that crashed (a
 * bug in the compiler) keeps the exception instead, so that the server can say so and go on.
 */
final class Analysis {
  final Workspace.Doc doc;
  final Compilation compilation;
  final List<Diagnostic> diagnostics;
  final Throwable crash;
  final long nanos;
  private Ast.File ast;
  private boolean parsed;
  private List<LayerIndex> layers;

  private Analysis(Workspace.Doc doc, Compilation compilation, List<Diagnostic> diagnostics, Throwable crash,
      long nanos) {
    this.doc = doc;
    this.compilation = compilation;
    this.diagnostics = diagnostics;
    this.crash = crash;
    this.nanos = nanos;
  }

  static Analysis run(Workspace.Doc doc, Analyzer analyzer) {
    long t0 = System.nanoTime();
    try {
      Compilation c = analyzer.compile(doc.path, doc.text);
      return new Analysis(doc, c, c.warnings(), null, System.nanoTime() - t0);
    } catch (UserError e) {
      return new Analysis(doc, null, e.diagnostics(), null, System.nanoTime() - t0);
    } catch (Throwable e) { // a compiler bug: reported, never fatal to the server
      return new Analysis(doc, null, List.of(), e, System.nanoTime() - t0);
    }
  }

  Path path() { return doc.path; }

  String text() { return doc.text; }

  /** The parsed root file, or null when it does not parse. */
  synchronized Ast.File ast() {
    if (!parsed) {
      parsed = true;
      if (compilation != null) {
        ast = compilation.program().root();
      } else {
        try {
          ast = Parser.parse(new Source(doc.path.normalize(), doc.text));
        } catch (StackOverflowError | RuntimeException e) {
          ast = null;
        }
      }
    }
    return ast;
  }

  /** One layer index per network of the compilation (none when the program has errors). */
  synchronized List<LayerIndex> layers() {
    if (layers == null) {
      List<LayerIndex> out = new ArrayList<>();
      if (compilation != null) {
        for (Compilation.Network n : compilation.networks()) {
          NetworkReport r;
          try {
            r = n.report();
          } catch (ReportError e) {
            continue;
          }
          out.add(new LayerIndex(compilation.program(), r));
        }
      }
      layers = out;
    }
    return layers;
  }

  /** The file of this compilation at {@code path} with exactly {@code text}, or null (not loaded, or edited since). */
  Ast.File loaded(Path path, String text) {
    if (compilation == null) return null;
    for (Ast.File f : compilation.program().files()) {
      Source s = f.source();
      if (s.path().toAbsolutePath().normalize().equals(path) && s.text().equals(text)) return f;
    }
    return null;
  }
}
