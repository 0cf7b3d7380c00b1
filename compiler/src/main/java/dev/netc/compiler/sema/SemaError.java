package dev.netc.compiler.sema;

import dev.netc.compiler.diag.Code;
import dev.netc.compiler.diag.Diagnostic;
import dev.netc.compiler.diag.Span;

/** Abandons the current element of elaboration with one diagnostic; the elaborator reports it and goes on. */
final class SemaError extends RuntimeException {
  final Diagnostic diagnostic;

  SemaError(Diagnostic d) {
    super(d == null ? "already reported" : d.message(), null, false, false);
    this.diagnostic = d;
  }

  /** Abandons the element without a new diagnostic: the problem was reported by an earlier check. */
  static SemaError silent() { return new SemaError(null); }

  static SemaError of(Code code, Span span, String message, Diagnostic.Note... notes) {
    return new SemaError(Diagnostic.error(code, span, message, notes));
  }
}
