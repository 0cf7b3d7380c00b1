package dev.netc.maven;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.netc.compiler.analysis.Budgets;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class BudgetRulesTest {
  @Test
  void aNetworksBudgetReplacesOnlyTheLimitsItSets() {
    BudgetRules r = new BudgetRules("25M", "4G", null, List.of(new Budget("Small", null, "400M", "64MiB")));
    assertEquals(new Budgets(25_000_000L, 4_000_000_000L, null), r.of("Big"));
    assertEquals(new Budgets(25_000_000L, 400_000_000L, 64L << 20), r.of("Small"));
  }

  @Test
  void noLimitsMeansNoBudget() {
    BudgetRules r = new BudgetRules(null, " ", "", null);
    assertNull(r.of("Any").maxMacs());
    assertTrue(r.unmatched(Set.of("Any")).isEmpty());
  }

  @Test
  void malformedSizesNameTheirParameter() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new BudgetRules(null, "lots", null, null));
    assertTrue(e.getMessage().startsWith("maxMacs: 'lots' is not a size"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> new BudgetRules(null, null, null, List.of(new Budget("Tiny", "1.5", null, null))));
    assertTrue(e.getMessage().startsWith("<budget> of Tiny: maxParams:"), e.getMessage());
    assertThrows(IllegalArgumentException.class,
        () -> new BudgetRules(null, null, null, List.of(new Budget(null, "1", null, null))));
  }

  @Test
  void aBudgetForAnUnknownNetworkIsReported() {
    BudgetRules r = new BudgetRules(null, null, null, List.of(new Budget("Tinny", null, "1M", null)));
    assertEquals(List.of("Tinny"), r.unmatched(Set.of("Tiny")));
  }
}
