package dev.netc.lsp;

import dev.netc.compiler.syntax.Ast;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.eclipse.lsp4j.InlayHint;
import org.eclipse.lsp4j.InlayHintKind;
import org.eclipse.lsp4j.jsonrpc.messages.Either;

/**
 * The output shape after each layer ({@code conv(64, 3) → [1, 64, 56, 56]}), from the same reports as hover; a
 * layer of a block used with several shapes shows them all (up to three). Off unless the client asks for them.
 */
final class InlayHints {
  private InlayHints() {}

  static final int MAX_SHAPES = 3;

  static List<InlayHint> of(List<Hovers.Compiled> compiled, LineMap lines, int from, int to) {
    List<InlayHint> out = new ArrayList<>();
    if (compiled.isEmpty()) return out;
    Ast.File primary = compiled.getFirst().file();
    List<Ast.Element> elements = AstWalk.elements(primary);
    List<List<Ast.Element>> same = new ArrayList<>();
    for (Hovers.Compiled c : compiled) same.add(c.file() == primary ? elements : AstWalk.elements(c.file()));
    for (int k = 0; k < elements.size(); k++) {
      Ast.Element e = elements.get(k);
      int end = e.layer().span().end();
      if (end < from || end > to || e.layer() instanceof Ast.TensorLayer) continue;
      Set<String> shapes = new LinkedHashSet<>();
      for (int c = 0; c < compiled.size(); c++) {
        if (same.get(c).size() != elements.size()) continue;
        for (LayerIndex li : compiled.get(c).layers()) {
          for (LayerIndex.Instance i : li.instances(same.get(c).get(k))) shapes.add(Hovers.shape(i.last(), i.batch()));
        }
      }
      if (shapes.isEmpty()) continue;
      List<String> list = new ArrayList<>(shapes);
      String text = list.size() <= MAX_SHAPES ? String.join(" | ", list)
          : String.join(" | ", list.subList(0, MAX_SHAPES)) + " | …";
      InlayHint h = new InlayHint(lines.position(end), Either.forLeft("→ " + text));
      h.setKind(InlayHintKind.Type);
      h.setPaddingLeft(true);
      out.add(h);
    }
    return out;
  }
}
