/**
 * Lets one log line per key through per window and counts the rest, so a flood (a misconfigured credential
 * refuses every webhook) costs one line a minute per reason instead of one per request, and nothing is hidden:
 * the next line says how many were held back.
 */
export class LogThrottle {
  private readonly keys = new Map<string, { windowStart: number; held: number }>();

  constructor(
    private readonly windowMs = 60_000,
    private readonly now: () => number = Date.now,
    /** Keys remembered at most; the oldest is forgotten first, so odd inputs cannot grow the map. */
    private readonly maxKeys = 100,
  ) {}

  /** `undefined` when the line is held back; otherwise how many lines of this key were held back before it. */
  admit(key: string): { heldBack: number } | undefined {
    const now = this.now();
    const known = this.keys.get(key);
    if (known && now - known.windowStart < this.windowMs) {
      known.held += 1;
      return undefined;
    }
    this.keys.delete(key);
    if (this.keys.size >= this.maxKeys) this.keys.delete(this.keys.keys().next().value as string);
    this.keys.set(key, { windowStart: now, held: 0 });
    return { heldBack: known?.held ?? 0 };
  }
}
