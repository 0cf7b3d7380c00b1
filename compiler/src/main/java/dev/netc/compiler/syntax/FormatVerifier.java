package dev.netc.compiler.syntax;

import dev.netc.compiler.diag.Code;
import dev.netc.compiler.diag.Diagnostics;
import dev.netc.compiler.diag.Source;
import dev.netc.compiler.diag.Span;
import dev.netc.compiler.diag.UserError;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.reflect.RecordComponent;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
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
      // Nesting that only just fit the stack the first time is a limit of this run, not a bug of the formatter.
      if (e.diagnostics().stream().allMatch(d -> d.code() == Code.NET003)) throw e;
      throw new InternalError("formatter bug: the formatted text of " + original.name() + " does not parse: "
          + e.diagnostics().getFirst().headline());
    }
    if (!sameShape(ast, again)) {
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
   * Whether two AST nodes are equal but for their spans and sources: two files that differ only in layout are.
   * Iterative, so a deep tree cannot overflow the stack here.
   */
  static boolean sameShape(Object a, Object b) {
    Deque<Object[]> work = new ArrayDeque<>();
    work.push(new Object[] {a, b});
    while (!work.isEmpty()) {
      Object[] pair = work.pop();
      Object x = pair[0];
      Object y = pair[1];
      if (x == null || y == null) {
        if (x != y) return false;
      } else if (x instanceof List<?> lx && y instanceof List<?> ly) {
        if (lx.size() != ly.size()) return false;
        for (int i = 0; i < lx.size(); i++) work.push(new Object[] {lx.get(i), ly.get(i)});
      } else if (x instanceof Record) {
        if (x.getClass() != y.getClass()) return false;
        for (MethodHandle accessor : ACCESSORS.get(x.getClass())) {
          work.push(new Object[] {component(accessor, x), component(accessor, y)});
        }
      } else if (!x.equals(y)) {
        return false;
      }
    }
    return true;
  }

  /** Per record class, the accessors of its components other than spans and sources. */
  private static final ClassValue<List<MethodHandle>> ACCESSORS = new ClassValue<>() {
    @Override
    protected List<MethodHandle> computeValue(Class<?> type) {
      List<MethodHandle> out = new ArrayList<>();
      for (RecordComponent c : type.getRecordComponents()) {
        if (c.getType() == Span.class || c.getType() == Source.class) continue;
        try {
          out.add(MethodHandles.publicLookup().unreflect(c.getAccessor()));
        } catch (IllegalAccessException e) {
          throw new IllegalStateException("cannot read " + c.getName() + " of " + type.getSimpleName(), e);
        }
      }
      return List.copyOf(out);
    }
  };

  private static Object component(MethodHandle accessor, Object record) {
    try {
      return accessor.invoke(record);
    } catch (Throwable e) {
      throw new IllegalStateException("cannot read a component of " + record.getClass().getSimpleName(), e);
    }
  }
}
