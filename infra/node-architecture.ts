/**
 * The nodes' architecture, set once: the AMI type of the managed node group (components/cluster.ts) and, derived
 * from it, the platform every image is built for (`npm run images` lists it, .github/scripts/push-images.sh
 * passes it to `docker buildx build --platform`) and tagged with (images.ts). An image built on an Apple-Silicon
 * laptop without it would be arm64, fail on these nodes with "exec format error", and keep its tag for good
 * (ECR tags are immutable and the push skips tags that exist); with the platform in the tag it never shares one.
 * The instance types (platform:nodeInstanceTypes) must be of the same architecture (t3, m6i, m7i: x86_64).
 */
export const nodeAmiType = "AL2023_x86_64_STANDARD";

/** The container platform (`os/arch`) an EKS AL2023 AMI type runs. */
export function imagePlatformOf(amiType: string): "linux/amd64" | "linux/arm64" {
  if (/^AL2023_x86_64_/.test(amiType)) return "linux/amd64";
  if (/^AL2023_ARM_64_/.test(amiType)) return "linux/arm64";
  throw new Error(
    `${amiType}: not an AL2023 AMI type this platform builds images for (AL2023_x86_64_*, AL2023_ARM_64_*)`,
  );
}

/** What the images are built for and what their tags cover. */
export const imagePlatform = imagePlatformOf(nodeAmiType);
