// The drift issue's section for one stack, from the one `pulumi preview --refresh --expect-no-changes --json`
// the drift check runs. Usage: node .github/scripts/drift-summary.cjs <preview.json> <run url>
const {
  changeSummaryLine,
  changedResources,
  codeBlock,
  codeSpan,
  readPreview,
} = require("./preview-comment.cjs");

function driftSummary(previewFile, runUrl) {
  const { preview, error } = readPreview(previewFile);
  if (error)
    return `The preview itself failed (credentials, backend or program error: ${codeSpan(error)}); see the log: ${runUrl}`;
  const lines = changedResources(preview);
  const shown = lines.slice(0, 50);
  if (lines.length > shown.length) shown.push(`… ${lines.length - shown.length} more`);
  return [changeSummaryLine(preview), "", codeBlock(shown, "diff")].join("\n");
}

if (require.main === module) {
  process.stdout.write(`${driftSummary(process.argv[2], process.argv[3] ?? "")}\n`);
}

module.exports = { driftSummary };
