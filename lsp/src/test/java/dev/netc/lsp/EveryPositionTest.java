package dev.netc.lsp;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Hover, completion, definition, outline and inlay hints at every token of every standard library file, and of
 * the same files cut off at several places (text being typed: unbalanced brackets, half a call): none throws, and
 * on the whole files hover finds layer counts.
 */
class EveryPositionTest {
  @Test
  void noFeatureFailsAnywhere() throws Exception {
    List<Path> files = new ArrayList<>();
    try (Stream<Path> s = Files.walk(StdlibHoverTest.MODEL.getParent())) {
      s.filter(p -> p.toString().endsWith(".net")).sorted().forEach(files::add);
    }
    Workspace ws = new Workspace();
    int positions = 0, layerHovers = 0;
    for (Path f : files) {
      String text = Files.readString(f);
      List<String> variants = new ArrayList<>(List.of(text));
      for (int cut = 1; cut <= 4; cut++) variants.add(text.substring(0, text.length() * cut / 5));
      for (String v : variants) {
        Workspace.Doc doc = new Workspace.Doc(Workspace.uri(f), f, 1, v);
        Analysis a = Analysis.run(doc, Analyzer.COMPILER);
        FileIndex index = doc.index();
        List<FileIndex> closure = ws.closure(index);
        List<Hovers.Compiled> compiled = a.compilation == null ? List.of()
            : List.of(new Hovers.Compiled(a.ast(), a.layers()));
        if (a.ast() != null) Symbols.of(a.ast(), index.lines());
        InlayHints.of(compiled, index.lines(), 0, v.length());
        DiagnosticMapper.map(a, index);
        for (Tokens.Tok t : index.tokens().all()) {
          for (int offset : new int[] {t.start(), t.end()}) {
            var h = Hovers.hover(index, closure, compiled, offset);
            if (h != null && h.getContents().getRight().getValue().contains("- params: ")) layerHovers++;
            Completions.complete(index, closure, offset);
            Definitions.definition(index, closure, offset);
            positions++;
          }
        }
      }
    }
    assertTrue(layerHovers > 1000, "hovers with layer counts: " + layerHovers);
    System.out.printf("every position: %d positions in %d files and their truncations, %d hovers with layer counts%n",
        positions, files.size(), layerHovers);
  }
}
