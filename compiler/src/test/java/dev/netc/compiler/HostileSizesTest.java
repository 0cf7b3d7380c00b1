package dev.netc.compiler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.netc.compiler.diag.Code;
import dev.netc.compiler.diag.UserError;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Sizes that the program-mutation fuzzer (test-suite ProgramMutationFuzzTest) found to escape as internal errors or
 * hangs, one case per class: a layer count that built billions of weight tensors before anything was checked
 * (lstm layers: 2^31 - 1), weight dims computed in int that overflowed to negative (gates × hidden, 3 × embedding),
 * weights beyond one Java array or beyond a long (passed the check, then broke the emitter's parameter count).
 * Each is NET023 at check time, within seconds.
 */
class HostileSizesTest {
  private static UserError refused(String body) {
    String text = "network hostile {\n  " + body.replace("; ", "\n  ") + "\n}\n";
    return assertTimeoutPreemptively(Duration.ofSeconds(10), () -> assertThrows(UserError.class,
        () -> Compiler.compile(Compiler.Options.text(Path.of("hostile.net"), text))));
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "input x: [35, 16]; lstm(16, layers: 2147483647) | lstm: layers 2147483647 is over the limit of 10000",
      "input x: [35, 16]; gru(1000, layers: 10001)     | gru: layers 10001 is over the limit of 10000",
      "input x: [2, 8]; lstm(2147483647)               | tensor sizes overflow",
      "input x: [1, 1000000000]; attention(1)          | tensor sizes overflow",
      "input x: [1, 4]; linear(2147483647)             | the limit is 2^31 - 9",
      "input x: [3000000, 1, 1]; conv(3000000, 1)      | has 9000000000000 elements; the limit is 2^31 - 9",
      "input x: [2147483647, 1, 1]; conv(2147483647, 3, pad: 1) | tensor sizes overflow"})
  void isNet023AtCheckTime(String body, String message) {
    UserError e = refused(body);
    assertEquals(Code.NET023, e.diagnostics().getFirst().code(), e.getMessage());
    assertTrue(e.getMessage().contains(message), e.getMessage());
  }
}
