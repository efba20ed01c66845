import { parseArgs } from "node:util";
import { catalogue, validateCatalogue } from "../catalogue/services";
import { imageSourceAt, imagesToBuild, platformProject, repositoryRoot } from "./images";

/**
 * `npm run images -- --registry <host>`: the images the deploy builds and pushes, one line per cluster
 * service (`<service>\t<dockerfile>\t<reference>`, or `--format json`), computed by the same function as
 * the references the program deploys, from HEAD of this repository.
 */
const USAGE =
  "Usage: npm run images -- --registry <registry, e.g. 123456789012.dkr.ecr.us-east-1.amazonaws.com> [--format tsv|json]";

export function imageList(argv: string[], root = repositoryRoot, services = catalogue): string {
  const { values } = parseArgs({
    args: argv,
    options: { registry: { type: "string" }, format: { type: "string", default: "tsv" } },
    strict: true,
  });
  if (!values.registry) throw new Error("--registry is required");
  if (values.format !== "tsv" && values.format !== "json")
    throw new Error(`--format must be tsv or json, not ${values.format}`);
  const images = imagesToBuild(
    values.registry,
    platformProject(root),
    validateCatalogue(services),
    imageSourceAt(root),
  );
  return values.format === "json"
    ? `${JSON.stringify(images, null, 2)}\n`
    : images.map((i) => `${i.service}\t${i.dockerfile}\t${i.reference}\n`).join("");
}

if (require.main === module) {
  try {
    process.stdout.write(imageList(process.argv.slice(2)));
  } catch (error) {
    process.stderr.write(`images: ${(error as Error).message}\n${USAGE}\n`);
    process.exit(2);
  }
}
