package dev.netc.compiler.diag;

import java.util.List;

/**
 * Thrown to abandon a stage because the user's program is wrong; carries the diagnostics that say why. Compiler
 * bugs are never this type: they are {@link InternalError}s (exit code 3), so the two can never be confused.
 */
public final class UserError extends RuntimeException {
  private final List<Diagnostic> diagnostics;

  public UserError(List<Diagnostic> diagnostics) {
    super(diagnostics.isEmpty() ? "user error" : diagnostics.getFirst().headline(), null, false, false);
    this.diagnostics = List.copyOf(diagnostics);
  }

  public UserError(Diagnostic diagnostic) { this(List.of(diagnostic)); }

  public List<Diagnostic> diagnostics() { return diagnostics; }
}
