package dev.netc.compiler.diag;

import java.util.List;

/**
 * One message about the user's program: a stable code ({@code NET012}, documented in spec/diagnostics.md), where
 * it is, what is wrong, and optional notes (e.g. "did you mean", or where the other duplicate is).
 */
public record Diagnostic(Severity severity, Code code, Span span, String message, List<Note> notes) {
  public Diagnostic {
    notes = List.copyOf(notes);
  }

  /** A secondary message, possibly pointing elsewhere. */
  public record Note(Span span, String message) {}

  public static Diagnostic error(Code code, Span span, String message, Note... notes) {
    return new Diagnostic(Severity.ERROR, code, span, message, List.of(notes));
  }

  public static Diagnostic warning(Code code, Span span, String message, Note... notes) {
    return new Diagnostic(Severity.WARNING, code, span, message, List.of(notes));
  }

  public boolean isError() { return severity == Severity.ERROR; }

  /** {@code file:line:col: error[NET012]: message}, the one-line form. */
  public String headline() {
    return span.location() + ": " + severity.label() + "[" + code.id() + "]: " + message;
  }
}
