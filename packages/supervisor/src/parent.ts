/**
 * Calls `onExit` once when the process that started this one has ended, for programs started by a tool
 * that cannot hand them a lifeline (the local runner under `npm start`: if npm is killed, the runner must
 * not keep the platform running). An orphan is adopted by init or a subreaper, so its parent pid changes;
 * checked every `intervalMs`. Returns a function that stops watching.
 */
export function whenParentExits(onExit: () => void, intervalMs = 500): () => void {
  const parent = process.ppid;
  const timer = setInterval(() => {
    if (process.ppid === parent) return;
    clearInterval(timer);
    onExit();
  }, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
