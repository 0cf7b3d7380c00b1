package dev.netc.compiler.syntax;

import dev.netc.compiler.diag.Diagnostics;
import dev.netc.compiler.diag.Source;
import dev.netc.compiler.diag.Span;
import dev.netc.compiler.diag.UserError;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.List;
import org.antlr.v4.runtime.Token;

/**
 * The formatter's own safety check: the formatted text must parse to the same AST (positions aside) and carry the
 * same comments in the same order. A formatter that rewrites files in place must never damage one; if it ever
 * would, this turns the bug into an internal error instead of a silently changed program.
 */
final class FormatVerifier {
  private FormatVerifier() {}

  static void verify(Source original, Ast.File ast, String formatted) {
    Source out = new Source(original.path(), formatted);
    Ast.File again;
    try {
      again = Parser.parse(out);
    } catch (UserError e) {
      throw new InternalError("formatter bug: the formatted text of " + original.name() + " does not parse: "
          + e.diagnostics().getFirst().headline());
    }
    if (!shape(ast).equals(shape(again))) {
      throw new InternalError("formatter bug: formatting changed the program in " + original.name());
    }
    if (!comments(original).equals(comments(out))) {
      throw new InternalError("formatter bug: formatting changed the comments of " + original.name());
    }
  }

  /** The comments of a source in order, as the formatter prints them (see {@link FormatComments#text}). */
  static List<String> comments(Source source) {
    List<String> out = new ArrayList<>();
    for (Token t : Parser.lex(source, new Diagnostics()).getTokens()) {
      if (FormatComments.isComment(t)) out.add(FormatComments.text(t));
    }
    return out;
  }

  /**
   * An AST node as nested lists of its components without spans or sources: two files that differ only in layout
   * have equal shapes.
   */
  static Object shape(Object node) {
    return switch (node) {
      case null -> null;
      case List<?> list -> {
        List<Object> out = new ArrayList<>(list.size());
        for (Object o : list) out.add(shape(o));
        yield out;
      }
      case Record r -> {
        List<Object> out = new ArrayList<>();
        out.add(r.getClass().getSimpleName());
        for (RecordComponent c : r.getClass().getRecordComponents()) {
          if (c.getType() == Span.class || c.getType() == Source.class) continue;
          out.add(shape(component(r, c)));
        }
        yield out;
      }
      default -> node;
    };
  }

  private static Object component(Record r, RecordComponent c) {
    try {
      return c.getAccessor().invoke(r);
    } catch (IllegalAccessException | InvocationTargetException e) {
      throw new IllegalStateException("cannot read " + c.getName() + " of " + r.getClass().getSimpleName(), e);
    }
  }
}
