package dev.netc.maven;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.netc.compiler.analysis.Budgets;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class BudgetRulesTest {
  @Test
  void aNetworksBudgetReplacesOnlyTheLimitsItSets() {
    BudgetRules r = new BudgetRules("25M", "4G", null, List.of(new Budget("Small", null, "400M", "64MiB")));
    assertEquals(new Budgets(25_000_000L, 4_000_000_000L, null), r.of("Big", "Big"));
    assertEquals(new Budgets(25_000_000L, 400_000_000L, 64L << 20), r.of("Small", "Small"));
  }

  @Test
  void aBudgetNamesItsNetworkByItsNetNameOrItsClassName() {
    BudgetRules r = new BudgetRules(null, "4G", null,
        List.of(new Budget("TinyDetector", null, "1M", null), new Budget("other_net", "10", null, null)));
    assertEquals(1_000_000L, r.of("tiny_detector", "TinyDetector").maxMacs());
    assertEquals(10L, r.of("other_net", "OtherNet").maxParams());
    assertEquals(4_000_000_000L, r.of("third", "Third").maxMacs());
    assertTrue(r.unmatched(Map.of("tiny_detector", "TinyDetector", "other_net", "OtherNet")).isEmpty());
  }

  @Test
  void twoBudgetsForOneNetworkUnderItsTwoNamesAreAnError() {
    BudgetRules r = new BudgetRules(null, null, null,
        List.of(new Budget("tiny_net", null, "1M", null), new Budget("TinyNet", null, "2M", null)));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> r.of("tiny_net", "TinyNet"));
    assertEquals("two <budget> entries for network tiny_net: one names it tiny_net (its name in the .net file), "
        + "one TinyNet (its class)", e.getMessage());
  }

  @Test
  void noLimitsMeansNoBudget() {
    BudgetRules r = new BudgetRules(null, " ", "", null);
    assertNull(r.of("Any", "Any").maxMacs());
    assertTrue(r.unmatched(Map.of("Any", "Any")).isEmpty());
    assertNull(r.describe());
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
    assertEquals(List.of("Tinny"), r.unmatched(Map.of("tiny", "Tiny")));
  }

  @Test
  void theCommandLineOverridesThePom() {
    Properties user = new Properties();
    user.setProperty("netc.maxParams", "50K");
    BudgetRules.Limits limits = BudgetRules.Limits.of("5M", "400M", null, user);
    assertEquals(new BudgetRules.Limits("50K", "400M", null, List.of("netc.maxParams")), limits);
    BudgetRules r = new BudgetRules(limits, List.of(new Budget("Detector", null, "2G", null)));
    assertEquals(new Budgets(50_000L, 400_000_000L, null), r.of("other", "Other"));
    assertEquals(new Budgets(50_000L, 2_000_000_000L, null), r.of("detector", "Detector"));
    assertEquals("params 50,000 (-Dnetc.maxParams), MACs 400,000,000; Detector: params 50,000, MACs 2,000,000,000",
        r.describe());
  }

  @Test
  void aMalformedCommandLineLimitNamesTheProperty() {
    Properties user = new Properties();
    user.setProperty("netc.maxMacs", "6X");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new BudgetRules(BudgetRules.Limits.of(null, "1G", null, user), null));
    assertTrue(e.getMessage().startsWith("-Dnetc.maxMacs: '6X' is not a size"), e.getMessage());
  }

  @Test
  void withoutUserPropertiesThePomStands() {
    assertEquals(new BudgetRules.Limits("5M", null, "64MiB", List.of()),
        BudgetRules.Limits.of("5M", null, "64MiB", new Properties()));
  }
}
