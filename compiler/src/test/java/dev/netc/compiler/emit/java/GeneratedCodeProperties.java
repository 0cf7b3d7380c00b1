package dev.netc.compiler.emit.java;

import dev.netc.compiler.ir.Graph;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/** Generated code equals the reference interpreter on random well-formed networks, weights and inputs. */
class GeneratedCodeProperties {
  @Property(tries = 25)
  void generatedCodeEqualsTheInterpreter(@ForAll @IntRange(min = 1, max = 6) int channels,
      @ForAll @IntRange(min = 4, max = 13) int size,
      @ForAll @Size(min = 1, max = 7) List<@IntRange(min = 0, max = 9999) Integer> layers,
      @ForAll boolean head, @ForAll @IntRange(min = 1, max = 3) int batch, @ForAll @IntRange(min = 0, max = 1000) int seed) {
    String source = RandomNetworks.program(channels, size, layers, head);
    Graph g = Generated.graph(source);
    Generated.checkAgainstInterpreter(source, g, batch, seed);
  }
}
