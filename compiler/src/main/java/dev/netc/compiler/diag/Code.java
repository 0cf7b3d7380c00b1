package dev.netc.compiler.diag;

/**
 * Every diagnostic code the compiler can emit. Codes are stable: once published, a code keeps its meaning.
 * spec/diagnostics.md has one entry per code with a program that triggers it (a test checks that it does).
 */
public enum Code {
  NET001("syntax error"),
  NET002("not a text file: invalid UTF-8, NUL bytes or binary content"),
  NET003("input too large or nested too deeply"),
  NET004("unterminated string or comment"),
  NET010("unknown name"),
  NET011("unknown parameter"),
  NET012("wrong type"),
  NET013("missing required argument"),
  NET014("too many arguments"),
  NET015("argument given twice"),
  NET016("duplicate definition"),
  NET017("recursive block"),
  NET018("import cycle"),
  NET019("import not found"),
  NET020("division by zero"),
  NET021("integer overflow"),
  NET022("invalid value"),
  NET023("too large: repeat count, tensor or graph size over the limit"),
  NET024("unknown tensor"),
  NET025("construct not allowed here"),
  NET026("no such network"),
  NET027("unknown member or index out of range"),
  NET030("incompatible shapes"),
  NET031("wrong rank or layout for this op");

  private final String title;

  Code(String title) { this.title = title; }

  public String id() { return name(); }

  public String title() { return title; }
}
