package dev.netc.viz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.netc.compiler.analysis.NetworkReport;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code netc diff} over the standard library: a network against itself differs in nothing; each network against
 * the next one (in file order) has changes whose parameter and MAC deltas (of the outermost rows) add up to the
 * difference of the totals, at depth 0 and 2, whatever the alignment made of them.
 */
class NetworkDiffTest {
  @Test
  void everyModelAgainstItselfAndTheNext() throws Exception {
    List<Path> files = GraphPicturesTest.models().toList();
    NetworkReport prev = null;
    for (Path f : files) {
      NetworkReport r = GraphPicturesTest.report(f);
      NetworkDiff self = NetworkDiff.of(side(r), side(r), 0);
      assertEquals(List.of(), self.changes(), f.toString());
      assertEquals(r.layers().size(), self.same());
      if (prev != null) {
        for (int depth : new int[] {0, 2}) {
          NetworkDiff d = NetworkDiff.of(side(prev), side(r), depth);
          long params = 0, macs = 0;
          for (NetworkDiff.Change c : d.changes()) {
            if ((c.after() != null ? c.after() : c.before()).level() > 0) continue; // inside a group counted already
            params += c.paramsDelta();
            macs += c.macsDelta();
          }
          String what = prev.name() + " -> " + r.name() + " at depth " + depth;
          assertEquals(r.totals().params() - prev.totals().params(), params, what);
          assertEquals(r.totals().macs() - prev.totals().macs(), macs, what);
          assertTrue(DiffWriter.text(d).contains(DiffWriter.counts(d)));
        }
      }
      prev = r;
    }
  }

  static NetworkDiff.Side side(NetworkReport r) { return new NetworkDiff.Side(r, r.name() + ".net", -1); }
}
