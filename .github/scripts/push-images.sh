#!/usr/bin/env bash
# Builds and pushes exactly the images the program will reference (`npm run images`, the same function the
# program uses), into the account's ECR, creating a service's repository on its first push and skipping
# every image the registry already has. Run by pulumi-up.yml before `pulumi up`, with the deploy role.
# Usage: push-images.sh <registry host, e.g. 123456789012.dkr.ecr.us-east-1.amazonaws.com>
#   (the stack's registry: npm run --silent images -- --registry-of <stack> --account <id>)
set -euo pipefail
registry="$1"
# The registry's own region (<account>.dkr.ecr.<region>.<suffix>) for every call below, whatever the shell's.
region="${registry#*.dkr.ecr.}"
export AWS_REGION="${region%%.*}"

aws ecr get-login-password --region "$AWS_REGION" | docker login --username AWS --password-stdin "$registry"

# Content-addressed tags never move (IMMUTABLE); old images expire beyond the newest 50 per repository.
lifecycle='{"rules":[{"rulePriority":1,"description":"keep the newest 50 images","selection":{"tagStatus":"any","countType":"imageCountMoreThan","countNumber":50},"action":{"type":"expire"}}]}'

list="$(mktemp)"
npm run --silent images -- --registry "$registry" > "$list"
# Each line: service, Dockerfile, reference, the platform the nodes run (linux/amd64 for AL2023 x86_64),
# which is also in the tag: built on any machine (an Apple-Silicon laptop too), the image runs on the nodes;
# and the build arguments (NAME=value, space-separated; SERVICE picks the folder services/Dockerfile builds).
while IFS=$'\t' read -r service dockerfile reference platform build_args; do
  path="${reference#"$registry"/}"
  repository="${path%:*}"
  tag="${path##*:}"
  if ! aws ecr describe-repositories --repository-names "$repository" > /dev/null 2>&1 < /dev/null; then
    echo "creating repository $repository"
    aws ecr create-repository --repository-name "$repository" --image-tag-mutability IMMUTABLE \
      --image-scanning-configuration scanOnPush=true --encryption-configuration encryptionType=AES256 \
      --tags Key=managed-by,Value=pulumi-up.yml Key=service,Value="$service" > /dev/null < /dev/null
    aws ecr put-lifecycle-policy --repository-name "$repository" --lifecycle-policy-text "$lifecycle" \
      > /dev/null < /dev/null
  fi
  if aws ecr describe-images --repository-name "$repository" --image-ids imageTag="$tag" > /dev/null 2>&1 < /dev/null; then
    echo "$reference is already pushed: skipped"
    continue
  fi
  arg_flags=()
  for arg in $build_args; do arg_flags+=(--build-arg "$arg"); done
  echo "building $reference ($platform) from $dockerfile ${build_args}"
  docker buildx build --platform "$platform" --file "$dockerfile" "${arg_flags[@]}" --tag "$reference" --push . < /dev/null
done < "$list"
rm -f "$list"
