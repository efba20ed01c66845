import * as path from "node:path";

/** The repository's root: where Pulumi.yaml, the stack files and the folders of every floor are. */
// From __filename: tsx, loading this CommonJS file for an ES module, sets only __filename right.
export const repositoryRoot = path.resolve(path.dirname(__filename), "..", "..", "..");

/** A path inside the repository, from its root: `repositoryPath("alerts", "runbooks")`. */
export const repositoryPath = (...segments: string[]): string => path.join(repositoryRoot, ...segments);
