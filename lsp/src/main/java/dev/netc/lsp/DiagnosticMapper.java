package dev.netc.lsp;

import dev.netc.compiler.diag.Diagnostic;
import dev.netc.compiler.diag.Severity;
import dev.netc.compiler.diag.Source;
import dev.netc.compiler.diag.Span;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.lsp4j.DiagnosticRelatedInformation;
import org.eclipse.lsp4j.DiagnosticSeverity;
import org.eclipse.lsp4j.Location;
import org.eclipse.lsp4j.Position;
import org.eclipse.lsp4j.Range;

/**
 * Compiler diagnostics as LSP diagnostics of one document. One in the document keeps its range; one in an
 * imported file is shown where the document leads to it (the call of the block it is in, else the import), with
 * its real place as related information, so an error in an import is seen in the file being edited.
 */
final class DiagnosticMapper {
  private DiagnosticMapper() {}

  static List<org.eclipse.lsp4j.Diagnostic> map(Analysis a, FileIndex index) {
    List<org.eclipse.lsp4j.Diagnostic> out = new ArrayList<>();
    LineMap lines = index.lines();
    if (a.crash != null) {
      var d = new org.eclipse.lsp4j.Diagnostic(lines.range(0, 0), "netc could not check this file: internal error "
          + "(a bug in netc, not in your program): " + a.crash, DiagnosticSeverity.Error, "netc");
      out.add(d);
      return out;
    }
    for (Diagnostic d : a.diagnostics) out.add(map(d, a.path(), index));
    return out;
  }

  private static org.eclipse.lsp4j.Diagnostic map(Diagnostic d, Path root, FileIndex index) {
    LineMap lines = index.lines();
    Range range;
    String message = d.message();
    List<DiagnosticRelatedInformation> related = new ArrayList<>();
    if (in(d.span(), root) || d.span().isNone()) {
      range = lines.range(d.span());
    } else {
      related.add(new DiagnosticRelatedInformation(location(d.span()), d.message()));
      message = "in " + d.span().location() + ": " + message;
      range = null;
      for (Diagnostic.Note n : d.notes()) {
        if (in(n.span(), root)) {
          range = lines.range(n.span());
          break;
        }
      }
      if (range == null) range = importLeadingTo(d.span(), index);
    }
    for (Diagnostic.Note n : d.notes()) {
      if (!n.span().isNone()) related.add(new DiagnosticRelatedInformation(location(n.span()), n.message()));
    }
    var out = new org.eclipse.lsp4j.Diagnostic(range, message, severity(d.severity()), "netc", d.code().id());
    if (!related.isEmpty()) out.setRelatedInformation(related);
    return out;
  }

  private static Range importLeadingTo(Span span, FileIndex index) {
    Path target = span.source().path().toAbsolutePath().normalize();
    List<FileIndex.ImportRef> imports = index.imports();
    for (FileIndex.ImportRef i : imports) {
      if (i.target().toAbsolutePath().normalize().equals(target)) return index.lines().range(i.start(), i.end());
    }
    return imports.isEmpty() ? index.lines().range(0, 0)
        : index.lines().range(imports.getFirst().start(), imports.getFirst().end());
  }

  static boolean in(Span s, Path root) {
    return !s.isNone() && s.source().path().toAbsolutePath().normalize().equals(root);
  }

  /** A span of any loaded file as a location (its own text gives the line and column). */
  static Location location(Span s) {
    Source src = s.source();
    Range r = new Range(new Position(s.line() - 1, s.column() - 1),
        new Position(src.line(s.end()) - 1, src.column(s.end()) - 1));
    return new Location(Workspace.uri(src.path()), r);
  }

  private static DiagnosticSeverity severity(Severity s) {
    return switch (s) {
      case ERROR -> DiagnosticSeverity.Error;
      case WARNING -> DiagnosticSeverity.Warning;
      case NOTE -> DiagnosticSeverity.Information;
    };
  }
}
