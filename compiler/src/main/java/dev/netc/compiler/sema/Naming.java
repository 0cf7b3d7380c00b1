package dev.netc.compiler.sema;

import java.util.HashSet;
import java.util.Set;

/**
 * Layer paths. A {@link Scope} is a network, block instance or sequence: its unlabeled layers take positions
 * 0, 1, 2, ... (every layer of the scope counts, labeled or not), as nn.Sequential numbers its children.
 * Paths of user layers must be unique; implicit nodes (a residual's add, a gate's mul) get a free name.
 */
final class Naming {
  private final Set<String> used = new HashSet<>();

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

  /** Claims a user path; false if it is taken. */
  boolean claim(String path) { return used.add(path); }

  /** A fresh path for an implicit node: {@code scope.op}, or {@code scope.op_2}, ... if taken. */
  String implicit(Scope scope, String op) {
    String base = scope.child(op);
    String p = base;
    for (int i = 2; !used.add(p); i++) p = base + "_" + i;
    return p;
  }
}
