package dev.netc.compiler.sema;

import dev.netc.compiler.ops.Value;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Lexical scope of compile-time names (parameters, lets, loop indices); child scopes see their parents. */
final class Env {
  private final Env parent;
  private final Map<String, Value> vars = new HashMap<>();

  Env(Env parent) { this.parent = parent; }

  Env child() { return new Env(this); }

  Value lookup(String name) {
    for (Env e = this; e != null; e = e.parent) {
      Value v = e.vars.get(name);
      if (v != null) return v;
    }
    return null;
  }

  boolean definesLocally(String name) { return vars.containsKey(name); }

  void define(String name, Value v) { vars.put(name, v); }

  List<String> allNames() {
    List<String> out = new ArrayList<>();
    for (Env e = this; e != null; e = e.parent) out.addAll(e.vars.keySet());
    return out;
  }
}
