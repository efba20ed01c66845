/**
 * The structured edit `--write` makes to catalogue/services.ts: the TypeScript compiler's syntax tree finds
 * each service's `resources.requests.cpu` / `.memory` string literal, and only those characters are
 * replaced, so every other byte of the file (comments, formatting, order) stays as it was. A request raised
 * above its limit raises the limit with it: Kubernetes refuses a request above the limit.
 */
import ts from "typescript";
import { quantityToBytes, quantityToMillicores } from "./cost-engine.js";

export interface RequestEdit {
  cpu?: string;
  memory?: string;
}

interface Replacement {
  start: number;
  end: number;
  text: string;
}

/** The object literal's property `name` (an identifier or string key), if it has one. */
function property(object: ts.ObjectLiteralExpression, name: string): ts.PropertyAssignment | undefined {
  return object.properties.find(
    (p): p is ts.PropertyAssignment =>
      ts.isPropertyAssignment(p) &&
      ((ts.isIdentifier(p.name) && p.name.text === name) ||
        (ts.isStringLiteral(p.name) && p.name.text === name)),
  );
}

const objectAt = (object: ts.ObjectLiteralExpression, name: string) => {
  const init = property(object, name)?.initializer;
  return init && ts.isObjectLiteralExpression(init) ? init : undefined;
};
const stringAt = (object: ts.ObjectLiteralExpression | undefined, name: string) => {
  const init = object ? property(object, name)?.initializer : undefined;
  return init && ts.isStringLiteral(init) ? init : undefined;
};

/** Every object literal in the file that declares a service: `{ name: "<literal>", …, resources: {…} }`. */
function serviceObjects(source: ts.SourceFile): Map<string, ts.ObjectLiteralExpression> {
  const found = new Map<string, ts.ObjectLiteralExpression>();
  const visit = (node: ts.Node) => {
    if (ts.isObjectLiteralExpression(node)) {
      const name = stringAt(node, "name");
      if (name && objectAt(node, "resources")) found.set(name.text, node);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

const larger = (resource: "cpu" | "memory", a: string, b: string) => {
  const parse = resource === "cpu" ? quantityToMillicores : quantityToBytes;
  return (parse(a) ?? 0) > (parse(b) ?? 0);
};

/**
 * The file's text with the requests of `edits` (service name → new values) replaced. Throws naming the
 * service when the file has no such entry, or its requests are not plain string literals to edit.
 */
export function editCatalogueRequests(text: string, edits: ReadonlyMap<string, RequestEdit>): string {
  const source = ts.createSourceFile("services.ts", text, ts.ScriptTarget.Latest, true);
  const services = serviceObjects(source);
  const replacements: Replacement[] = [];
  for (const [service, edit] of edits) {
    const entry = services.get(service);
    if (!entry) throw new Error(`catalogue/services.ts has no entry named "${service}"`);
    const resources = objectAt(entry, "resources");
    const requests = resources && objectAt(resources, "requests");
    const limits = resources && objectAt(resources, "limits");
    for (const resource of ["cpu", "memory"] as const) {
      const value = edit[resource];
      if (value === undefined) continue;
      const literal = stringAt(requests, resource);
      if (!literal) {
        throw new Error(`${service}: resources.requests.${resource} is not a string literal to edit`);
      }
      const quote = text[literal.getStart(source)] === "'" ? "'" : '"';
      replacements.push({
        start: literal.getStart(source),
        end: literal.getEnd(),
        text: `${quote}${value}${quote}`,
      });
      const limit = stringAt(limits, resource);
      if (limit && larger(resource, value, limit.text)) {
        replacements.push({
          start: limit.getStart(source),
          end: limit.getEnd(),
          text: `${quote}${value}${quote}`,
        });
      }
    }
  }
  return replacements
    .sort((a, b) => b.start - a.start)
    .reduce((out, r) => out.slice(0, r.start) + r.text + out.slice(r.end), text);
}
