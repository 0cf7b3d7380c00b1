package dev.netc.compiler.diag;

/** How bad a diagnostic is. Errors stop the pipeline after the stage that found them; warnings never do. */
public enum Severity {
  ERROR("error"),
  WARNING("warning"),
  NOTE("note");

  private final String label;

  Severity(String label) { this.label = label; }

  public String label() { return label; }
}
