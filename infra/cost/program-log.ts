/**
 * Under mocks the Pulumi SDK has no engine to send `pulumi.log` messages to, so it writes them to the
 * console ("warning: [runtime] platform:telegramChatId is not set …"). They are meant for `pulumi up`; a
 * cost run keeps them (`--program-warnings` prints them) instead of printing them every time.
 */
const RUNTIME_MESSAGE = /^(debug|info|warning|error): \[runtime\] /;

export async function withProgramLogCaptured<T>(
  run: () => Promise<T>,
): Promise<{ result: T; messages: string[] }> {
  const messages: string[] = [];
  const original = { log: console.log, warn: console.warn, error: console.error };
  const capture =
    (write: (...args: unknown[]) => void) =>
    (...args: unknown[]) => {
      const text = args.map(String).join(" ");
      if (RUNTIME_MESSAGE.test(text)) messages.push(text);
      else write(...args);
    };
  console.log = capture(original.log);
  console.warn = capture(original.warn);
  console.error = capture(original.error);
  try {
    return { result: await run(), messages };
  } finally {
    Object.assign(console, original);
  }
}
