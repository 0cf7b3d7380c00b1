package dev.netc.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Reading ONNX Runtime's profile: the lines below are as ONNX Runtime 1.23 writes them (trimmed). */
class VsOrtLayersTest {
  private static final String PROFILE = """
      [
      {"cat" : "Session","pid" :1,"tid" :2,"dur" :12922,"ts" :2,"ph" : "X","name" :"model_loading_array","args" : {}},
      {"cat" : "Node","pid" :1,"tid" :2,"dur" :4685,"ts" :65600,"ph" : "X","name" :"conv1.2_nchwc_kernel_time",\
      "args" : {"thread_scheduling_stats" : "","output_type_shape" : [{"float":[1,64,112,112]}],"output_size" : "3211264",\
      "input_type_shape" : [{"float":[1,3,224,224]},{"float":[64,3,7,7]},{"float":[64]}],\
      "provider" : "CPUExecutionProvider","op_name" : "Conv"}},
      {"cat" : "Node","pid" :1,"tid" :2,"dur" :3,"ts" :65601,"ph" : "X","name" :"conv1.2_nchwc_fence_before","args" : {}},
      {"cat" : "Node","pid" :1,"tid" :2,"dur" :626,"ts" :70297,"ph" : "X","name" :"maxpool1_nchwc_kernel_time",\
      "args" : {"output_type_shape" : [{"float":[1,64,56,56]}],"input_type_shape" : [{"float":[1,64,112,112]}],\
      "op_name" : "MaxPool"}},
      {"cat" : "Node","pid" :1,"tid" :2,"dur" :4701,"ts" :75600,"ph" : "X","name" :"conv1.2_nchwc_kernel_time",\
      "args" : {"output_type_shape" : [{"float":[1,64,112,112]}],\
      "input_type_shape" : [{"float":[1,3,224,224]},{"float":[64,3,7,7]},{"float":[64]}],"op_name" : "Conv"}}
      ]
      """;

  @Test
  void kernelTimesPerNodeInOrderWithShapes() {
    Map<String, VsOrtLayers.OrtNode> nodes = VsOrtLayers.nodeTimes(PROFILE);
    assertEquals(List.of("conv1.2_nchwc", "maxpool1_nchwc"), List.copyOf(nodes.keySet()));
    VsOrtLayers.OrtNode conv = nodes.get("conv1.2_nchwc");
    assertEquals("Conv", conv.op());
    assertEquals("64x3x7x7", conv.weight());
    assertEquals("1x64x112x112", conv.output());
    assertEquals(List.of(4685L, 4701L), conv.micros());
    assertEquals("", nodes.get("maxpool1_nchwc").weight());
    assertEquals(64L * 112 * 112 * 3 * 7 * 7, conv.macs(), "torchvision's count for ResNet's stem: 118 M");
    assertEquals(0, nodes.get("maxpool1_nchwc").macs());
  }
}
