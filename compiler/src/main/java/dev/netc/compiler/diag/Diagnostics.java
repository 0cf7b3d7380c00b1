package dev.netc.compiler.diag;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Collects diagnostics across a run, so one run reports many errors. Stages add to it and keep going where they
 * can; {@link #throwIfErrors()} ends a stage that cannot go on. Caps the count so a binary file does not print
 * a million lines.
 */
public final class Diagnostics {
  public static final int MAX_ERRORS = 50;

  private final List<Diagnostic> all = new ArrayList<>();
  private int errors;

  public void add(Diagnostic d) {
    if (d.isError()) {
      if (errors >= MAX_ERRORS) return;
      errors++;
    }
    all.add(d);
  }

  public void addAll(List<Diagnostic> ds) { ds.forEach(this::add); }

  public boolean hasErrors() { return errors > 0; }

  public boolean isFull() { return errors >= MAX_ERRORS; }

  public List<Diagnostic> all() { return Collections.unmodifiableList(all); }

  public void throwIfErrors() {
    if (hasErrors()) throw new UserError(all.stream().filter(Diagnostic::isError).toList());
  }
}
