/** The guard script that runs programs which cannot watch their parent (guard.js). */
export declare const GUARD: string;
/** tsx's loader, resolved from this package, for `node --import`. */
export declare const TSX_LOADER: string;
