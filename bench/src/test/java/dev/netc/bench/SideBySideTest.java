package dev.netc.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SideBySideTest {
  /**
   * Both ways are timed, as many passes as asked, the property is left as it was, and the compiler's choice is read
   * from the plan: side by side for convolutions on a 16x16 image, layer by layer for two wide linear layers.
   */
  @Test
  void timesBothWaysAndReportsTheCompilersChoice(@TempDir Path dir) throws Exception {
    Path conv = dir.resolve("conv.net");
    Files.writeString(conv, "network conv {\n  input image: [3, 16, 16]\n  conv(16, 3, pad: 1); relu\n"
        + "  conv(16, 3, pad: 1); relu\n  head logits { global_avgpool; flatten; linear(4) }\n}\n");
    Path wide = dir.resolve("wide.net");
    Files.writeString(wide, "network wide {\n  input x: [64]\n  linear(512); relu\n  linear(10)\n}\n");
    SideBySide.Result c = SideBySide.run(conv.toString(), 3, 2, 2, 3);
    assertNull(System.getProperty("netc.exec.sideBySide"));
    assertEquals(6, c.sideBySide().length);
    assertEquals(6, c.layerByLayer().length);
    for (int i = 0; i < 6; i++) assertTrue(c.sideBySide()[i] > 0 && c.layerByLayer()[i] > 0);
    assertTrue(c.sideBySide()[0] <= c.sideBySide()[5], "sorted");
    assertTrue(c.chosen());
    assertEquals("conv", c.model());
    assertTrue(!SideBySide.run(wide.toString(), 2, 2, 1, 1).chosen());
  }
}
