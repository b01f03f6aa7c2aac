/** At most one typing event per user and conversation within this window. @default 2000 ms */
export const TYPING_INTERVAL_MS = 2_000;

/**
 * Throttles `setTyping` per (user, conversation), in process: with several comms instances a user
 * may get one event per window per instance, which typing indicators tolerate.
 */
export class TypingLimiter {
  private readonly last = new Map<string, number>();
  constructor(private readonly intervalMs = TYPING_INTERVAL_MS) {}

  /** @returns true when an event may be published now (and records it), false within the window of the previous one */
  allow(userId: string, conversationId: string, now = Date.now()): boolean {
    const key = `${userId}:${conversationId}`;
    const previous = this.last.get(key);
    if (previous !== undefined && now - previous < this.intervalMs) return false;
    this.last.set(key, now);
    if (this.last.size > 10_000) {
      for (const [entry, at] of this.last) if (now - at >= this.intervalMs) this.last.delete(entry);
    }
    return true;
  }
}
