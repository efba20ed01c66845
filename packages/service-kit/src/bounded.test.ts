import { describe, expect, it } from "vitest";
import { BoundedList } from "./bounded.js";

describe("BoundedList", () => {
  it("keeps the newest entries within the count, the oldest dropped first", () => {
    const list = new BoundedList<number>({ maxEntries: 3, maxBytes: 1_000 });
    for (let i = 1; i <= 5; i++) list.push(i, 1);
    expect(list.values()).toEqual([3, 4, 5]);
    expect([list.length, list.bytes, list.dropped]).toEqual([3, 3, 2]);
  });

  it("keeps the newest entries within the bytes, and says what it dropped", () => {
    const list = new BoundedList<string>({ maxEntries: 100, maxBytes: 10 });
    expect(list.push("a", 4)).toEqual([]);
    expect(list.push("b", 4)).toEqual([]);
    expect(list.push("c", 4)).toEqual(["a"]);
    expect(list.push("d", 9)).toEqual(["b", "c"]);
    expect(list.values()).toEqual(["d"]);
    expect(list.bytes).toBe(9);
  });

  it("does not keep an entry larger than the whole budget", () => {
    const list = new BoundedList<string>({ maxEntries: 10, maxBytes: 10 });
    list.push("kept", 5);
    expect(list.push("huge", 11)).toEqual(["huge"]);
    expect(list.values()).toEqual(["kept"]);
    expect(list.dropped).toBe(1);
  });

  it("stays within its bounds over a long run (the array is compacted as it goes)", () => {
    const list = new BoundedList<number>({ maxEntries: 10, maxBytes: 1_000_000 });
    for (let i = 0; i < 100_000; i++) list.push(i, 8);
    expect(list.values()).toEqual(Array.from({ length: 10 }, (_, i) => 99_990 + i));
    expect(list.bytes).toBe(80);
    expect(list.dropped).toBe(99_990);
  });

  it.each([
    [{ maxEntries: 0, maxBytes: 1 }],
    [{ maxEntries: 1, maxBytes: 0.5 }],
    [{ maxEntries: Number.NaN, maxBytes: 1 }],
  ])("refuses bounds that are not whole numbers ≥ 1: %j", (bounds) => {
    expect(() => new BoundedList(bounds)).toThrow(RangeError);
  });
});
