import { createServer } from "node:net";
import { describe, expect, it } from "vitest";
import { freePort, portIsFree, waitFor } from "./index.js";

describe("waitFor", () => {
  it("resolves with the first truthy value", async () => {
    let calls = 0;
    expect(await waitFor(() => ++calls >= 3 && "done", { intervalMs: 1 })).toBe("done");
    expect(calls).toBe(3);
  });

  it("times out naming what it waited for and the last error", async () => {
    await expect(
      waitFor(
        () => {
          throw new Error("not yet");
        },
        { timeoutMs: 30, intervalMs: 5, what: "the answer" },
      ),
    ).rejects.toThrow(/Timed out after 30 ms waiting for the answer: Error: not yet/);
  });

  it("gives up at once when failIf gives a reason", async () => {
    await expect(
      waitFor(() => false, { timeoutMs: 60_000, what: "a server", failIf: () => "it exited with code 1" }),
    ).rejects.toThrow("a server: it exited with code 1");
  });
});

describe("ports", () => {
  it("tells a free port from one in use", async () => {
    const port = await freePort();
    expect(await portIsFree(port)).toBe(true);
    const server = createServer();
    await new Promise<void>((done) => server.listen(port, "127.0.0.1", done));
    try {
      expect(await portIsFree(port)).toBe(false);
    } finally {
      server.close();
    }
  });
});
