package dev.netc.lsp;

import dev.netc.compiler.Compilation;
import dev.netc.compiler.Compiler;
import java.nio.file.Path;

/**
 * Runs the compiler's front end (parse, imports, elaboration, shape checks) on the text of a document, as
 * {@code netc check} would on the saved file: imports resolve against the document's folder. Throws
 * {@link dev.netc.compiler.diag.UserError} with the diagnostics when the program is wrong.
 */
@FunctionalInterface
interface Analyzer {
  Compilation compile(Path file, String text);

  /** The compiler facade on unsaved text. */
  Analyzer COMPILER = (file, text) -> Compiler.compile(Compiler.Options.text(file, text));
}
