package dev.netc.samples.classifier;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** One class of a classifier's answer: its index, name and softmax probability. */
public record Prediction(int index, String name, double probability) {
  /** The {@code k} most probable classes of one image's logits (softmax over all of them), best first. */
  public static List<Prediction> topK(float[] logits, int k) {
    double max = Double.NEGATIVE_INFINITY;
    for (float v : logits) max = Math.max(max, v);
    double[] p = new double[logits.length];
    double sum = 0;
    // Subtracting the maximum keeps exp() finite for any logits; it cancels in the ratio.
    for (int i = 0; i < logits.length; i++) sum += p[i] = Math.exp(logits[i] - max);
    List<Prediction> all = new ArrayList<>(logits.length);
    for (int i = 0; i < logits.length; i++) all.add(new Prediction(i, ImageNetClasses.name(i), p[i] / sum));
    all.sort(Comparator.comparingDouble(Prediction::probability).reversed());
    return List.copyOf(all.subList(0, Math.min(k, all.size())));
  }
}
