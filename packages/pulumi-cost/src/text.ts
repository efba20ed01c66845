/**
 * Text a reader sees, kept as parts so that what came from the preview (a resource name, a type, a Helm value's
 * path) can never become Markdown or HTML in the pull-request comment: the engine's own words are written as
 * Markdown; a value from the input is shown as is only when it cannot mean anything to Markdown, GitHub's
 * autolinks or mentions, and otherwise as a code span fenced so that no backtick in it can close it. The JSON
 * report gets the plain text.
 */
export type Part =
  /** the engine's own Markdown */
  | { kind: "lit"; text: string }
  /** a value from the input, shown inline */
  | { kind: "val"; text: string }
  /** a value from the input, shown as code */
  | { kind: "code"; text: string };

/** The longest value shown; a longer one is cut, with "…". */
export const DISPLAY_CHARS = 200;

/**
 * A value that reads the same as plain text, inline Markdown and GitHub's rendering: letters and digits first,
 * then only characters no Markdown construct, autolink, mention or HTML starts with.
 */
const PLAIN_VALUE = /^[A-Za-z0-9][A-Za-z0-9._:/,+=-]*$/;
const LINK_LIKE = /:\/\/|^www\./i;

export class Text {
  constructor(readonly parts: readonly Part[]) {}

  /** The words without any Markdown of the input's, as the JSON report carries them. */
  get plain(): string {
    let text = "";
    for (const part of this.parts) text += part.kind === "code" ? `\`${part.text}\`` : part.text;
    return text;
  }

  toString(): string {
    return this.plain;
  }

  toJSON(): string {
    return this.plain;
  }

  /** As Markdown; in a table cell a `|` of the input must not end the cell. */
  markdown(inTable = false): string {
    let text = "";
    for (const part of this.parts) {
      if (part.kind === "lit") text += part.text;
      else if (part.kind === "val" && isPlainValue(part.text)) text += part.text;
      else text += codeSpan(part.text, inTable);
    }
    return text;
  }

  /** Whether the text is empty. */
  get empty(): boolean {
    return this.parts.every((part) => part.text === "");
  }
}

export function isPlainValue(value: string): boolean {
  return value.length <= DISPLAY_CHARS && PLAIN_VALUE.test(value) && !LINK_LIKE.test(value);
}

/** Line breaks and other control characters become spaces: in Markdown a line break can start a new block. */
function oneLine(value: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: these are the characters removed
  return value.replace(/[\u0000-\u001f\u007f\u0085\u2028\u2029]/g, " ");
}

function shortened(value: string): string {
  const characters = [...value];
  return characters.length > DISPLAY_CHARS ? `${characters.slice(0, DISPLAY_CHARS).join("")}…` : value;
}

/**
 * A code span that shows `value` exactly (on one line, cut at DISPLAY_CHARS): fenced with one backtick more
 * than the longest run inside it, padded with a space when it starts or ends with a backtick or a space
 * (CommonMark strips one space from each side). In a table, `|` is escaped: GitHub reads `\|` as a pipe
 * inside a code span of a cell and would otherwise end the cell there; a backslash of the value right before
 * a pipe would escape the escape, so a space goes between them.
 */
export function codeSpan(value: string, inTable = false): string {
  let content = shortened(oneLine(value));
  if (inTable) content = content.replace(/\\(?=\|)/g, "\\ ").replace(/\|/g, "\\|");
  if (content.trim() === "") return content === "" ? "` `" : `\`${content}\``;
  let longest = 0;
  for (const run of content.match(/`+/g) ?? []) longest = Math.max(longest, run.length);
  const fence = "`".repeat(longest + 1);
  const pad = /^[` ]|[` ]$/.test(content) ? " " : "";
  return `${fence}${pad}${content}${pad}${fence}`;
}

type Interpolated = string | number | Text | Part;

const lit = (text: string): Part => ({ kind: "lit", text });
const isPart = (value: unknown): value is Part =>
  typeof value === "object" && value !== null && "kind" in value && "text" in value;

/** The engine's own Markdown, trusted as it is (a formatted price, a unit). */
export function literal(text: string): Part {
  return lit(text);
}

/** A value from the input shown as code (a resource name in backticks). */
export function code(text: string): Part {
  return { kind: "code", text };
}

/** A value from the input shown inline: itself when it is plain, else as code. */
export function value(text: string): Part {
  return { kind: "val", text };
}

/**
 * A message: the template's words are the engine's Markdown; an interpolated string is a value from the input
 * (shown as itself only when plain), a number is the engine's, a Text or a part keeps its parts.
 */
export function t(strings: TemplateStringsArray, ...values: Interpolated[]): Text {
  const parts: Part[] = [];
  strings.forEach((text, i) => {
    if (text !== "") parts.push(lit(text));
    if (i >= values.length) return;
    const inner = values[i];
    if (inner instanceof Text) parts.push(...inner.parts);
    else if (isPart(inner)) parts.push(inner);
    else if (typeof inner === "number") parts.push(lit(String(inner)));
    else parts.push(value(String(inner)));
  });
  return new Text(parts);
}

/** The engine's own words, with no value of the input in them. */
export function words(text: string): Text {
  return new Text([lit(text)]);
}

export function joinText(texts: readonly Text[], separator: string): Text {
  const parts: Part[] = [];
  texts.forEach((text, i) => {
    if (i > 0) parts.push(lit(separator));
    parts.push(...text.parts);
  });
  return new Text(parts);
}

/**
 * What means something to Markdown, HTML or GitHub in running text: their special characters, an underscore
 * at the edge of a word (inside one, as in REFRESH_INTERVAL, it is only a letter), a link.
 */
const PROSE_UNSAFE = /[\\`*{}[\]<>#|~&@]|(^|[^A-Za-z0-9])_|_($|[^A-Za-z0-9])|:\/\/|www\./i;

/**
 * A sentence from the user's configuration: plain words with `code` in backticks. Words that could mean
 * something to Markdown are shown as code, so a configured label renders as what it says.
 */
export function prose(sentence: string): Text {
  const parts: Part[] = [];
  const pieces = oneLine(sentence).split("`");
  // An odd number of backticks leaves the last one unpaired: that piece is text, not code.
  pieces.forEach((piece, i) => {
    if (piece === "") return;
    const isCode = i % 2 === 1 && i < pieces.length - 1;
    if (isCode) parts.push(code(piece));
    else if (PROSE_UNSAFE.test(piece)) parts.push(code(piece));
    else parts.push(lit(piece));
  });
  return new Text(parts);
}
