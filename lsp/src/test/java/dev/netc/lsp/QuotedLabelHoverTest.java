package dev.netc.lsp;

import static dev.netc.lsp.LspSession.at;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Quoted labels through the server: RegNet's stages ({@code "block{s + 1}":}) and blocks
 * ({@code "block{index}-{i}":}) are found by the names their expressions make.
 */
class QuotedLabelHoverTest {
  static final Path MODEL = Path.of("..", "stdlib-models", "regnet_y_400mf.net").toAbsolutePath().normalize();
  static final Path BLOCKS = MODEL.resolveSibling("blocks").resolve("regnet.net");

  @Test
  void aQuotedLabelWithExpressionsIsEveryLayerItNames() throws Exception {
    String model = Files.readString(MODEL);
    String blocks = Files.readString(BLOCKS);
    String modelUri = Workspace.uri(MODEL);
    String blocksUri = Workspace.uri(BLOCKS);
    try (LspSession s = new LspSession(new NetcLanguageServer(Analyzer.COMPILER, 0))) {
      s.initialize(null);
      s.openWithoutErrors(modelUri, model);
      s.openWithoutErrors(blocksUri, blocks);

      String stages = ProtocolTest.hover(s, modelUri, at(model, "\"block{s + 1}\"", 0, 1));
      assertEquals(List.of("trunk_output.block1", "trunk_output.block2", "trunk_output.block3", "trunk_output.block4"),
          paths(stages), stages);
      // The stages hold every parameter but the stem's (32*27 + 2*32) and the classifier's (440*1000 + 1000).
      assertTrue(stages.contains("in all: params 3,902,216"), stages);

      String units = ProtocolTest.hover(s, blocksUri, at(blocks, "\"block{index}-{i}\"", 0, 1));
      assertTrue(units.contains("16 instances"), units);
      assertEquals("trunk_output.block1.block1-0", paths(units).getFirst(), units);
      assertEquals("trunk_output.block2.block2-0", paths(units).get(1), units);
    }
  }

  private static List<String> paths(String hover) {
    List<String> out = new ArrayList<>();
    for (String line : hover.split("\n")) {
      if (line.startsWith("| ") && !line.startsWith("| path") && !line.startsWith("| ---")) {
        out.add(line.substring(2).split(" \\| ")[0]);
      }
    }
    return out;
  }
}
