package dev.netc.lsp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.netc.compiler.analysis.LayerStats;
import dev.netc.compiler.syntax.Ast;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Deque;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hover's matching of source to layers, on every network of the standard library: the statements of a network's
 * body find its layers, each layer once, all of them; and inside each use of a stage or a block, the statements of
 * its body find that use's layers the same way, down to single layers. A layer matched to a sibling's nodes, to
 * another use's, or to nothing breaks this.
 */
class LayerIndexTest {
  @Test
  void theStatementsOfEveryBodyPartitionItsLayers() throws Exception {
    List<Path> files = new ArrayList<>();
    try (Stream<Path> s = Files.list(StdlibHoverTest.MODEL.getParent())) {
      s.filter(p -> p.toString().endsWith(".net")).sorted().forEach(files::add);
    }
    int networks = 0, uses = 0;
    for (Path f : files) {
      Workspace.Doc doc = new Workspace.Doc(Workspace.uri(f), f, 1, Files.readString(f));
      Analysis a = Analysis.run(doc, Analyzer.COMPILER);
      assertTrue(a.compilation != null, f + ": " + a.diagnostics);
      for (LayerIndex li : a.layers()) {
        Ast.NetworkDecl net = a.compilation.program().network(li.network());
        BitSet all = new BitSet();
        li.report().layers().forEach(r -> all.set(r.node()));
        uses += partition(f.getFileName() + ": network " + net.name(), a, li, net.body(), all);
        networks++;
      }
    }
    assertTrue(networks >= 36, "networks: " + networks);
    System.out.printf("layer index: %d networks, %d uses of stages and blocks partitioned%n", networks, uses);
  }

  /**
   * A {@code param} takes no position (spec/language.md, "Learned tensors"): the layers after it keep theirs, so
   * the two uses of one block after a param are {@code 0} and {@code 2}, each found once, and the body partitions.
   */
  @Test
  void layersAfterAParamKeepTheirPositions(@TempDir Path dir) throws Exception {
    Path f = dir.resolve("p.net");
    String text = """
        block B() { conv(4, 1); relu }
        network p {
          input x: [4, 8, 8]
          gamma: param([4, 1, 1])
          B()
          mul(@gamma)
          B()
          seq { beta: param([4, 1, 1]); conv(4, 1); add(@beta) }
          head y { flatten; fc: linear(3) }
        }
        """;
    Files.writeString(f, text);
    Workspace.Doc doc = new Workspace.Doc(Workspace.uri(f), f, 1, text);
    Analysis a = Analysis.run(doc, Analyzer.COMPILER);
    assertTrue(a.compilation != null, a.diagnostics.toString());
    LayerIndex li = a.layers().getFirst();
    Ast.NetworkDecl net = a.compilation.program().network("p");
    List<String> paths = new ArrayList<>();
    for (Ast.Stmt s : net.body()) {
      if (s instanceof Ast.Element e && e.label() == null) {
        paths.add(String.join(" ", li.instances(e).stream().map(LayerIndex.Instance::path).toList()));
      }
    }
    assertEquals(List.of("0", "1", "2", "3"), paths);
    Ast.Element seq = (Ast.Element) net.body().get(5);
    List<String> inner = new ArrayList<>();
    for (Ast.Stmt s : ((Ast.Sequence) seq.layer()).body()) {
      inner.add(String.join(" ", li.instances((Ast.Element) s).stream().map(LayerIndex.Instance::path).toList()));
    }
    assertEquals(List.of("3.beta", "3.0", "3.1"), inner);
    BitSet all = new BitSet();
    li.report().layers().forEach(r -> all.set(r.node()));
    partition("p.net", a, li, net.body(), all);
  }

  /**
   * Checks that the statements of {@code body} find exactly the layers {@code all} (of one use of the body), each
   * once, then does the same inside every stage and block they use. Returns how many uses were checked.
   */
  private static int partition(String where, Analysis a, LayerIndex li, List<Ast.Stmt> body, BitSet all) {
    BitSet seen = new BitSet();
    int checked = 1;
    Deque<Ast.Stmt> todo = new ArrayDeque<>(body);
    while (!todo.isEmpty()) {
      Ast.Stmt s = todo.poll();
      List<LayerIndex.Instance> found = switch (s) {
        case Ast.Element e -> li.instances(e);
        case Ast.Input in -> li.instances(in);
        default -> List.of();
      };
      List<LayerIndex.Instance> here = new ArrayList<>();
      for (LayerIndex.Instance i : found) {
        BitSet mine = nodes(i);
        if (!mine.intersects(all)) continue; // another use of the same text
        BitSet outside = (BitSet) mine.clone();
        outside.andNot(all);
        assertTrue(outside.isEmpty(), where + ": " + i.path() + " reaches out of it");
        assertTrue(!mine.intersects(seen), where + ": " + i.path() + " is found twice");
        seen.or(mine);
        here.add(i);
      }
      switch (s) {
        case Ast.Head h -> h.body().reversed().forEach(todo::push);
        case Ast.If i -> {
          i.otherwise().reversed().forEach(todo::push);
          i.then().reversed().forEach(todo::push);
        }
        case Ast.Repeat r -> r.body().reversed().forEach(todo::push);
        case Ast.Element e when here.isEmpty() && e.label() == null
            && (e.layer() instanceof Ast.Residual || e.layer() instanceof Ast.Gate) -> {
          // A residual whose `when` is false is just its body, in the same scope.
          for (List<Ast.Stmt> inner : AstWalk.children(e).reversed()) inner.reversed().forEach(todo::push);
        }
        case Ast.Element e -> {
          List<Ast.Stmt> inner = switch (e.layer()) {
            case Ast.Sequence q -> q.body();
            case Ast.Call c when c.branches() == null && a.compilation.program().block(c.name()) != null ->
                a.compilation.program().block(c.name()).body();
            default -> null;
          };
          if (inner != null) {
            for (LayerIndex.Instance i : here) checked += partition(where + " > " + i.path(), a, li, inner, nodes(i));
          }
        }
        default -> { }
      }
    }
    List<String> missed = new ArrayList<>();
    BitSet rest = (BitSet) all.clone();
    rest.andNot(seen);
    rest.stream().forEach(n -> missed.add(li.report().layers().get(n).path()));
    assertEquals(List.of(), missed, where + ": layers found for no statement");
    return checked;
  }

  private static BitSet nodes(LayerIndex.Instance i) {
    BitSet b = new BitSet();
    for (LayerStats r : i.rows()) b.set(r.node());
    return b;
  }
}
