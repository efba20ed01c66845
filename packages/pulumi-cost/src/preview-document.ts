/**
 * The parts of `pulumi preview --json` this engine reads (Pulumi's previewDigest): a `steps` array whose
 * entries carry `op`, `urn` and the resource's `oldState` / `newState` (each with `type`, `inputs`, `custom`
 * and `provider`), plus the stack `config`. The document is untrusted: it is checked before anything is read.
 */
export interface PreviewState {
  type?: string;
  inputs?: Record<string, unknown>;
  custom?: boolean;
  /** `<provider urn>::<provider id>` for a resource whose provider is not the default one */
  provider?: string;
}

export interface PreviewStep {
  op: string;
  urn: string;
  provider?: string;
  oldState?: PreviewState | null;
  newState?: PreviewState | null;
}

export interface PreviewDigest {
  steps: PreviewStep[];
  config?: Record<string, unknown>;
  changeSummary?: Record<string, unknown>;
}
