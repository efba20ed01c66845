import { parseArgs } from "node:util";
import { catalogue, validateCatalogue } from "../catalogue/services";
import { parseStackFile } from "./config";
import { ecrRegistry, imageSourceAt, imagesToBuild, platformProject, repositoryRoot } from "./images";

/**
 * `npm run images -- --registry <host>`: the images the deploy builds and pushes, one line per cluster
 * service (`<service>\t<dockerfile>\t<reference>\t<platform>\t<build args>`, or `--format json`), computed by
 * the same function as the references the program deploys, from HEAD of this repository; `<platform>` is what
 * push-images.sh passes to `docker buildx build --platform` (the nodes' architecture), `<build args>` the
 * space-separated `NAME=value` it passes as `--build-arg`s.
 */
const USAGE = `Usage: npm run images -- --registry <registry, e.g. 123456789012.dkr.ecr.us-east-1.amazonaws.com> [--format tsv|json]
       npm run images -- --registry-of <stack> --account <id> [--partition aws|aws-cn|aws-us-gov]
         prints the ECR registry the program names for that stack (its platform:region)`;

const DNS_SUFFIX: Record<string, string> = {
  aws: "amazonaws.com",
  "aws-us-gov": "amazonaws.com",
  "aws-cn": "amazonaws.com.cn",
};

/** The ECR registry the program names for a stack: the account's, in the stack's \`platform:region\`. */
export function registryOf(stack: string, account: string, partition = "aws", root = repositoryRoot): string {
  if (!/^\d{12}$/.test(account))
    throw new Error(`--account must be a 12-digit AWS account id, not ${account}`);
  const dnsSuffix = DNS_SUFFIX[partition];
  if (!dnsSuffix) throw new Error(`--partition must be one of ${Object.keys(DNS_SUFFIX).join(", ")}`);
  return ecrRegistry(account, parseStackFile(stack, root).region, dnsSuffix);
}

export function imageList(argv: string[], root = repositoryRoot, services = catalogue): string {
  const { values } = parseArgs({
    args: argv,
    options: {
      registry: { type: "string" },
      format: { type: "string", default: "tsv" },
      "registry-of": { type: "string" },
      account: { type: "string" },
      partition: { type: "string", default: "aws" },
    },
    strict: true,
  });
  if (values["registry-of"]) {
    return `${registryOf(values["registry-of"], values.account ?? "", values.partition, root)}\n`;
  }
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
    : images
        .map(
          (i) => `${i.service}\t${i.dockerfile}\t${i.reference}\t${i.platform}\t${i.buildArgs.join(" ")}\n`,
        )
        .join("");
}

if (require.main === module) {
  try {
    process.stdout.write(imageList(process.argv.slice(2)));
  } catch (error) {
    process.stderr.write(`images: ${(error as Error).message}\n${USAGE}\n`);
    process.exit(2);
  }
}
