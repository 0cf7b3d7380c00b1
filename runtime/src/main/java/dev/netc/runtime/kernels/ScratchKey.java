package dev.netc.runtime.kernels;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * What a participant's scratch holds, as four floats beside it: the call ({@link dev.netc.runtime.exec.CallFrame#call},
 * two 24-bit halves), the number of the task that wrote it, and a slot of that task's (an image, a range of tiles).
 * A task that finds its own key there reuses what it made for an earlier chunk of the same call; floats hold
 * integers below 2^24 exactly. A false match needs another task's data to equal the current call, this task's number
 * and the slot at those four places.
 */
final class ScratchKey {
  /** Floats of a key. */
  static final int FLOATS = 4;
  /** From 1: zeros left in a scratch (a zero border, ReLU outputs) then never match a task's number. */
  private static final AtomicInteger IDS = new AtomicInteger(1);

  private ScratchKey() {}

  /** A number for a new task's keys (below 2^24), so that keys of different tasks differ. */
  static float newId() {
    return IDS.getAndIncrement() & 0xFFFFFF;
  }

  /** Whether {@code (call, slot)} can be keyed: a call has a number (0: none) and both fit the floats. */
  private static boolean keyable(long call, long slot) {
    return call > 0 && call < 1L << 48 && slot >= 0 && slot < 1 << 24;
  }

  /** Whether {@code s[at ..]} holds the key {@code (call, id, slot)}; never where that cannot be keyed. */
  static boolean holds(float[] s, int at, long call, float id, long slot) {
    return keyable(call, slot) && s[at] == (call & 0xFFFFFF) && s[at + 1] == (call >>> 24) && s[at + 2] == id
        && s[at + 3] == slot;
  }

  /** Clears the key at {@code s[at ..]}: what it keyed is about to be overwritten. */
  static void clear(float[] s, int at) {
    s[at] = -1f;
  }

  /**
   * Writes the key {@code (call, id, slot)} at {@code s[at ..]}, once what it keys is whole; nothing where it cannot
   * be keyed.
   */
  static void write(float[] s, int at, long call, float id, long slot) {
    if (!keyable(call, slot)) {
      return;
    }
    s[at + 1] = call >>> 24;
    s[at + 2] = id;
    s[at + 3] = slot;
    s[at] = call & 0xFFFFFF;
  }
}
