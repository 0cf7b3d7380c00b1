package dev.netc.suite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.netc.compiler.Compiler;
import dev.netc.compiler.analysis.Totals;
import dev.netc.compiler.diag.Diagnostic;
import dev.netc.compiler.diag.UserError;
import dev.netc.compiler.ir.Graph;
import dev.netc.compiler.ops.Value;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The seed models of the standard library (those torchvision lacks) against the counts their papers publish.
 * Papers round: "110M" is two significant figures, so the tolerance of each check is half a unit of the last
 * published digit — the count is right exactly when it rounds to the published figure. Where a paper publishes
 * no count (U-Net, SSD300), the check is the exact sum of the layers the paper's figure gives, worked out by hand
 * in the comment. Models whose papers give no count and no table to sum by hand (ZFNet, YOLOv1, WaveNet,
 * DeepLabv3+, PSPNet, Fast R-CNN) are not here; their files say so.
 */
class SeedModelCountsTest {
  /** A published figure, {@code value ± tolerance}, and where it is printed. */
  record Published(String model, Map<String, Long> params, String quantity, double value, double tolerance,
      String source) {}

  static List<Published> published() {
    return List.of(
        // "BERT_BASE (L=12, H=768, A=12, Total Parameters=110M)": 109,482,240 rounds to 110M at two figures.
        new Published("transformer_encoder", Map.of(), "params", 110e6, 5e6,
            "Devlin et al. 2019, BERT, Section 3 (Model Architecture)"),
        // Table 4 (depthwise separable vs full convolutions), Table 6 (width 1.0) and Table 8: 4.2M parameters,
        // 569M mult-adds for 1.0 MobileNet-224.
        new Published("mobilenet_v1", Map.of(), "params", 4.2e6, 0.05e6,
            "Howard et al. 2017, MobileNets, Tables 4, 6 and 8"),
        new Published("mobilenet_v1", Map.of(), "MACs", 569e6, 0.5e6,
            "Howard et al. 2017, MobileNets, Tables 4, 6 and 8 (mult-adds)"),
        // Table 1, FCN-VGG16 column: "# parameters 134M", VGG-16 without its 1000-way classifier (134,260,544);
        // FCN-8s adds 229,215 in its score and up-convolution layers, within the rounding.
        new Published("fcn8s", Map.of(), "params", 134e6, 0.5e6,
            "Long, Shelhamer and Darrell 2015, FCN, Table 1 (FCN-VGG16)"),
        // Zaremba et al. publish no counts; the comparison tables of later papers list their medium and large
        // models as 20M and 66M.
        new Published("lstm_lm", Map.of(), "params", 20e6, 0.5e6,
            "Merity, Keskar and Socher 2018, AWD-LSTM, Table 1 (Zaremba et al. 2014, medium)"),
        new Published("lstm_lm", Map.of("hidden", 1500L), "params", 66e6, 0.5e6,
            "Merity, Keskar and Socher 2018, AWD-LSTM, Table 1 (Zaremba et al. 2014, large)"));
  }

  @TestFactory
  Stream<DynamicTest> countsRoundToThePublishedFigures() {
    return published().stream().map(p -> DynamicTest.dynamicTest(p.model() + " " + p.quantity() + " " + p.params(), () -> {
      Totals t = Totals.of(graph(p.model(), p.params()), 1);
      long ours = p.quantity().equals("MACs") ? t.macs() : t.params();
      assertTrue(Math.abs(ours - p.value()) <= p.tolerance(), p.model() + ": " + p.quantity() + " " + ours
          + " is not within " + p.tolerance() + " of " + p.value() + " (" + p.source() + ")");
    }));
  }

  /**
   * "SE-ResNet-50 introduces ~2.5 million additional parameters beyond the ~25 million parameters required by
   * ResNet-50" (Hu et al., Squeeze-and-Excitation Networks, CVPR 2018, Section 4): our SE modules
   * against ResNet-50 (torchvision's, checked exactly by StdlibParityTest), within half a unit of the last digit.
   */
  @Test
  void squeezeAndExciteAddsAboutTwoAndAHalfMillion() {
    long added = params("se_resnet50") - params("resnet50");
    assertTrue(Math.abs(added - 2.5e6) <= 0.05e6, "SE modules add " + added);
    assertEquals(25_557_032L, params("resnet50"));
  }

  /** BERT-base exactly: Hugging Face's bert-base-uncased BertModel (embeddings, 12 layers, pooler). */
  @Test
  void bertBaseEqualsTheReleasedModel() {
    assertEquals(109_482_240L, params("transformer_encoder"));
  }

  /**
   * U-Net publishes no count. Figure 1 with biases: contracting path 640 + 36,928 + 73,856 + 147,584 + 295,168 +
   * 590,080 + 1,180,160 + 2,359,808 + 4,719,616 + 9,438,208 = 18,842,048; per expansive step (2x2 up-convolution,
   * then two 3x3 convolutions) 2,097,664 + 4,719,104 + 2,359,808, 524,544 + 1,179,904 + 590,080, 131,200 + 295,040
   * + 147,584, 32,832 + 73,792 + 36,928; the 1x1 classifier 130: 31,030,658 (the "31.0M" usually cited).
   */
  @Test
  void unetIsTheSumOfFigure1() {
    assertEquals(31_030_658L, params("unet"));
  }

  /**
   * SSD300 publishes no count. Figure 2 as ssd.pytorch builds it: VGG-16's convolutions 14,714,688, fc6 (3x3
   * atrous, 1024) 4,719,616, fc7 1,049,600, L2Norm 512, extras 2,459,520, and the predictors 9·C·25·b + 25·b per
   * source (C = 512, 1024, 512, 256, 256, 256; b = 4, 6, 6, 6, 4, 4) 3,341,550: 26,285,486 (the "26.3M").
   */
  @Test
  void ssd300IsTheSumOfFigure2() {
    assertEquals(26_285_486L, params("ssd300"));
  }

  private static long params(String model) { return Totals.of(graph(model, Map.of()), 1).params(); }

  private static Graph graph(String model, Map<String, Long> params) {
    Map<String, Value> values = params.entrySet().stream()
        .collect(Collectors.toMap(Map.Entry::getKey, e -> (Value) new Value.Int(e.getValue())));
    try {
      return Compiler.compile(Compiler.Options.file(Repo.root().resolve("stdlib-models").resolve(model + ".net"))
          .withNetwork(model).withParams(values)).graphs()
          .getFirst();
    } catch (UserError e) {
      throw new AssertionError(model + " does not compile:\n  "
          + e.diagnostics().stream().map(Diagnostic::headline).collect(Collectors.joining("\n  ")));
    }
  }
}
