package dev.netc.compiler.sema;

import dev.netc.compiler.diag.Span;
import java.util.HashMap;
import java.util.Map;

/**
 * Layer paths. A {@link Scope} is a network, block instance or sequence: its unlabeled layers take positions
 * 0, 1, 2, ... (every layer of the scope counts, labeled or not), as nn.Sequential numbers its children.
 * Paths of user layers must be unique; implicit nodes (a residual's add, a gate's mul) get a free name.
 */
final class Naming {
  /** Every path taken, with where its layer is declared (none for implicit nodes). */
  private final Map<String, Span> used = new HashMap<>();

  /** A naming scope with its own position counter. */
  static final class Scope {
    final String path;
    private int next;

    Scope(String path) { this.path = path; }

    /** The name of the next layer: its label if it has one, else its position; either way it takes a position. */
    String nextName(String label) {
      int position = next++;
      return label != null ? label : Integer.toString(position);
    }

    String child(String name) { return path.isEmpty() ? name : path + "." + name; }
  }

  /** Claims a user path declared at {@code span}; false if it is taken. */
  boolean claim(String path, Span span) { return used.putIfAbsent(path, span) == null; }

  /** Where the layer of a taken path is declared, or null when unknown. */
  Span declared(String path) { return used.get(path); }

  /** A fresh path for an implicit node: {@code scope.op}, or {@code scope.op_2}, ... if taken. */
  String implicit(Scope scope, String op) {
    String base = scope.child(op);
    String p = base;
    for (int i = 2; used.putIfAbsent(p, Span.none()) != null; i++) p = base + "_" + i;
    return p;
  }
}
