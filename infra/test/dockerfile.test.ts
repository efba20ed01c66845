import * as fs from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { copiedSources } from "../dockerfile";
import { repoRoot } from "../under-mocks/mocks";

/** What a build reads from its context, followed through the stages the build arguments select. */

const shared = `# syntax comment
ARG BASE=node:26-slim
ARG SERVICE

FROM \${BASE} AS common
COPY package.json \\
     package-lock.json ./
FROM common AS extra-a
FROM common AS extra-b
COPY packages/b/src packages/b/src
FROM extra-\${SERVICE} AS build
ARG SERVICE
COPY services/\${SERVICE}/src/ services/\${SERVICE}/src/
FROM scratch AS unused
COPY never/read ./
FROM \${BASE}
COPY --from=build --chown=root:root /app /app
`;

describe("the sources a Dockerfile build copies", () => {
  it("are those of the stages the last one needs, with the build arguments substituted", () => {
    expect(copiedSources(shared, { SERVICE: "a" })).toEqual([
      "package.json",
      "package-lock.json",
      "services/a/src",
    ]);
    expect(copiedSources(shared, { SERVICE: "b" })).toEqual([
      "package.json",
      "package-lock.json",
      "packages/b/src",
      "services/b/src",
    ]);
  });

  it("stop at an argument with no value and at a build argument no ARG declares", () => {
    expect(() => copiedSources(shared)).toThrow(/FROM extra-\$\{SERVICE\} AS build` uses SERVICE/);
    expect(() => copiedSources(shared, { SERVICE: "a", OTHER: "x" })).toThrow(
      /no ARG declares the build argument OTHER/,
    );
    // A stage that does not declare the argument does not see the global one (Docker expands it to nothing).
    const undeclared = `ARG SERVICE\nFROM node:26-slim\nCOPY services/\${SERVICE}/src src\n`;
    expect(() => copiedSources(undeclared, { SERVICE: "a" })).toThrow(
      /uses SERVICE, which has no value here/,
    );
  });

  it("a stage's argument is the build argument, else its default, else the global default", () => {
    const defaults = `ARG A=global\nFROM x\nARG A\nARG B=own\nCOPY $A/\${B} ./\n`;
    expect(copiedSources(defaults)).toEqual(["global/own"]);
    expect(copiedSources(defaults, { A: "given", B: "given-b" })).toEqual(["given/given-b"]);
  });

  it("services/Dockerfile: each service's image copies and builds every workspace package it runs on", () => {
    const text = fs.readFileSync(path.join(repoRoot, "services", "Dockerfile"), "utf8");
    const manifest = (folder: string) =>
      JSON.parse(fs.readFileSync(path.join(repoRoot, folder, "package.json"), "utf8")) as {
        name: string;
        dependencies?: Record<string, string>;
      };
    const folderOf = new Map(
      fs
        .readdirSync(path.join(repoRoot, "packages"))
        .map((p) => [manifest(`packages/${p}`).name, `packages/${p}`]),
    );
    /** ENV LIBRARIES as the stage a service's build starts from sees it (its own, else the kit's). */
    const librariesOf = (service: string) => {
      const stages = text.split(/^FROM /m).slice(1);
      const value = (stage: string | undefined) => stage?.match(/^ENV LIBRARIES="([^"]*)"/m)?.[1];
      const own = stages.find((s) => s.startsWith(`kit AS libraries-${service}\n`));
      return (value(own) ?? value(stages.find((s) => / AS kit\n/.test(s))) ?? "").split(" ");
    };
    for (const service of fs.readdirSync(path.join(repoRoot, "services"))) {
      if (!fs.existsSync(path.join(repoRoot, "services", service, "package.json"))) continue;
      const needed = new Set<string>();
      const visit = (folder: string) => {
        for (const name of Object.keys(manifest(folder).dependencies ?? {})) {
          const dependency = folderOf.get(name);
          if (dependency && !needed.has(dependency)) {
            needed.add(dependency);
            visit(dependency);
          }
        }
      };
      visit(`services/${service}`);
      const copied = copiedSources(text, { SERVICE: service });
      const built = librariesOf(service);
      for (const folder of needed) {
        expect(copied, `${service} needs ${folder}`).toEqual(
          expect.arrayContaining([`${folder}/package.json`, `${folder}/src`]),
        );
        expect(built, `${service} builds ${folder}`).toContain(folder);
      }
      // Built in order: a package after every package it depends on.
      for (const folder of built) {
        for (const name of Object.keys(manifest(folder).dependencies ?? {})) {
          const dependency = folderOf.get(name);
          if (dependency)
            expect(built.indexOf(dependency), `${dependency} before ${folder}`).toBeLessThan(
              built.indexOf(folder),
            );
        }
      }
    }
  });

  it("services/Dockerfile: each service's image copies the kit, its own folder and only its own libraries", () => {
    const text = fs.readFileSync(path.join(repoRoot, "services", "Dockerfile"), "utf8");
    const storefront = copiedSources(text, { SERVICE: "storefront" });
    expect(storefront).toContain("packages/service-kit/src");
    expect(storefront).toContain("services/storefront/src");
    expect(storefront.filter((p) => p.startsWith("packages/price"))).toEqual([]);
    const exporter = copiedSources(text, { SERVICE: "cost-exporter" });
    expect(exporter).toEqual(expect.arrayContaining(["packages/prices/src", "packages/price-facts/data"]));
    expect(exporter.some((p) => p.includes("storefront"))).toBe(false);
  });
});
