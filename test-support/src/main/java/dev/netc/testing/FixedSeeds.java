package dev.netc.testing;

import net.jqwik.api.AfterFailureMode;
import net.jqwik.api.lifecycle.AroundPropertyHook;
import net.jqwik.api.lifecycle.PropagationMode;
import net.jqwik.api.lifecycle.PropertyAttributes;
import net.jqwik.api.lifecycle.PropertyExecutionResult;
import net.jqwik.api.lifecycle.PropertyExecutor;
import net.jqwik.api.lifecycle.PropertyLifecycleContext;

/**
 * Makes jqwik properties deterministic in every module that has this artifact as a test dependency (registered for
 * all of them by this jar's {@code META-INF/services/net.jqwik.api.lifecycle.LifecycleHook}): a property without a seed of its own gets a fixed
 * one, derived from its class and method name, so every {@code ./mvnw verify} runs the same cases, and jqwik's
 * failure database ({@code .jqwik-database}) is not replayed. A fuzz campaign draws new seeds, as jqwik does by
 * default: with {@code -Dnetc.fuzz.seed=random}, or when {@code jqwik.tries.default} is given as a system property
 * ({@code -Pfuzz-long}, {@code -Djqwik.tries.default=N}). {@code -Dnetc.fuzz.seed=N} derives other fixed seeds from
 * N.
 */
public final class FixedSeeds implements AroundPropertyHook {
  @Override
  public PropertyExecutionResult aroundProperty(PropertyLifecycleContext context, PropertyExecutor property) {
    PropertyAttributes attributes = context.attributes();
    String base = System.getProperty("netc.fuzz.seed",
        System.getProperty("jqwik.tries.default") == null ? "0" : "random");
    if (!base.equals("random") && attributes.seed().filter(s -> !s.isEmpty()).isEmpty()) {
      String id = context.containerClass().getName() + "#" + context.targetMethod().getName();
      attributes.setSeed(Long.toString(number(base) * 0x9E3779B97F4A7C15L ^ id.hashCode()));
      attributes.setAfterFailure(AfterFailureMode.RANDOM_SEED);
    }
    return property.execute();
  }

  private static long number(String base) {
    try {
      return Long.parseLong(base);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("netc.fuzz.seed: expected a number or 'random', found '" + base + "'");
    }
  }

  @Override
  public PropagationMode propagateTo() { return PropagationMode.ALL_DESCENDANTS; }
}
