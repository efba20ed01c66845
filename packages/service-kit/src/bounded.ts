/**
 * What a server keeps of what its clients sent (the notifications a receiver lists, the request names a
 * simulator saw) kept within a count and a byte budget, the oldest dropped first: no stream of requests,
 * however long or large, grows the process beyond its bound.
 */

export interface KeepBounds {
  /** Most entries kept. */
  maxEntries: number;
  /** Most bytes kept, by each entry's size as the caller counts it (the bytes it arrived as). */
  maxBytes: number;
}

export class BoundedList<T> {
  // A dropped entry's slot is cleared at once, so what it held is freed before the next compaction.
  readonly #entries: ({ value: T; bytes: number } | undefined)[] = [];
  /** Index of the oldest kept entry: dropping moves it, and the array is compacted now and then. */
  #head = 0;
  #bytes = 0;
  #dropped = 0;

  constructor(readonly bounds: KeepBounds) {
    for (const [name, value] of Object.entries(bounds)) {
      if (!Number.isSafeInteger(value) || value < 1)
        throw new RangeError(`${name} must be a whole number ≥ 1`);
    }
  }

  /**
   * Keeps `value` as the newest entry, dropping the oldest until the bounds hold again; returns what was
   * dropped. An entry larger than `maxBytes` on its own is not kept (it is counted as dropped).
   */
  push(value: T, bytes: number): T[] {
    if (bytes > this.bounds.maxBytes) {
      this.#dropped++;
      return [value];
    }
    this.#entries.push({ value, bytes });
    this.#bytes += bytes;
    const dropped: T[] = [];
    while (this.length > this.bounds.maxEntries || this.#bytes > this.bounds.maxBytes) {
      const oldest = this.#entries[this.#head] as { value: T; bytes: number };
      this.#entries[this.#head] = undefined;
      this.#head++;
      this.#bytes -= oldest.bytes;
      this.#dropped++;
      dropped.push(oldest.value);
    }
    if (this.#head > 1024 && this.#head * 2 > this.#entries.length) {
      this.#entries.splice(0, this.#head);
      this.#head = 0;
    }
    return dropped;
  }

  /** The kept entries, oldest first. */
  values(): T[] {
    return this.#entries.slice(this.#head).map((entry) => (entry as { value: T }).value);
  }

  get length(): number {
    return this.#entries.length - this.#head;
  }

  /** Bytes kept now. */
  get bytes(): number {
    return this.#bytes;
  }

  /** Entries dropped so far (the oldest when the bounds were reached, or one too large to keep). */
  get dropped(): number {
    return this.#dropped;
  }
}
