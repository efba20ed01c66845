// @ts-check
import { fileURLToPath } from "node:url";

// Where the guard and tsx's loader are. Plain JavaScript with a declaration file beside it: the Pulumi
// program's tests type-check this package as CommonJS (they use requireTool through testkit), where
// `import.meta` does not compile, while at run time every importer is an ES module.

/** The guard script that runs programs which cannot watch their parent (guard.js). */
export const GUARD = fileURLToPath(new URL("./guard.js", import.meta.url));

/** tsx's loader, resolved from this package, for `node --import`. */
export const TSX_LOADER = import.meta.resolve("tsx");
