package dev.netc.runtime.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import dev.netc.runtime.InputException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The driver's entry on a machine without CUDA: one clear line, every time it is asked. */
class CudaDriverTest {
  static boolean cudaPresent() {
    try {
      CudaDriver.get();
      return true;
    } catch (CudaUnavailableException e) {
      return false;
    }
  }

  @Test
  void withoutDriverOrGpuSaysSoInOneLine() {
    assumeFalse(cudaPresent(), "this machine has a CUDA driver and GPU: the no-GPU message is not tested here");
    CudaUnavailableException e = assertThrows(CudaUnavailableException.class, CudaDriver::get);
    assertFalse(e.getMessage().contains("\n"), e.getMessage());
    boolean libcuda = List.of("/usr/lib/x86_64-linux-gnu/libcuda.so.1", "/usr/lib64/libcuda.so.1").stream()
        .anyMatch(p -> Files.exists(Path.of(p)));
    assertTrue(e.getMessage().contains(libcuda ? "GPU" : "libcuda"), e.getMessage());
    // Asked again: the same answer, without retrying the library.
    assertThrows(CudaUnavailableException.class, CudaDriver::get);
  }

  @Test
  void launchTableParses() {
    List<CudaNetwork.Launch> l = CudaNetwork.Launch.parse("prepare\nk0_fold 64 0 256 1 1 256 3,0,0,128 3,0,0,0 # bn\n");
    assertTrue(l.size() == 1 && l.getFirst().kernel().equals("k0_fold") && l.getFirst().args().length == 8
        && l.getFirst().args()[3] == 128, l.toString());
  }

  @Test
  void tokenIdsAreCheckedOnTheHostWithTheCpuMessage() {
    CudaNetwork.checkTokenIds(new float[] {0, 3, 9, 1}, 10, 2, "encoder");
    for (float bad : new float[] {10, -1, 2.5f, Float.NaN, Float.POSITIVE_INFINITY}) {
      InputException e = assertThrows(InputException.class,
          () -> CudaNetwork.checkTokenIds(new float[] {0, 3, 9, bad}, 10, 2, "encoder"));
      assertEquals("encoder: token id " + bad + " (item 1, position 1) is not an integer in [0, 10)", e.getMessage());
    }
  }
}
