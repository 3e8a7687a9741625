/**
 * A selector's form (spec section 4), parsed from its text. Without a program
 * only the form is checked; src/graph resolves selectors to node ids.
 */
export type ParsedSelector =
  | { kind: "name"; text: string; name: string }
  | { kind: "qualified"; text: string; name: string; container: string }
  | { kind: "path"; text: string; file: string; name: string }
  | { kind: "pattern"; text: string; file: string; name: string };

export type SelectorParse = { ok: true; selector: ParsedSelector } | { ok: false; reason: string; help?: string };

const identifier = /^[A-Za-z_$][A-Za-z0-9_$]*$/;
const namePattern = /^(\*|[A-Za-z_$][A-Za-z0-9_$]*)$/;

/** Parses a dotted name written without quotes. */
export function nameSelector(parts: readonly string[]): ParsedSelector {
  if (parts.length === 1) return { kind: "name", text: parts[0]!, name: parts[0]! };
  const text = parts.join(".");
  return { kind: "qualified", text, name: parts[parts.length - 1]!, container: parts.slice(0, -1).join(".") };
}

/**
 * Parses a quoted selector, `"file#qualified.name"`, whose file may use `*`
 * and `**` and whose name may use `*` per segment. A leading `./` is dropped.
 * Without `*` it is a node id, and any id the tools print is accepted as
 * written, private members (`Cart.#sum`) and setters (`Cart.rate=`) included.
 */
export function stringSelector(text: string): SelectorParse {
  return plainNodeId(text) ?? quotedSelector(text);
}

const enum C {
  Hash = 35, Dollar = 36, Minus = 45, Dot = 46, Slash = 47, Zero = 48, Nine = 57, A = 65, Z = 90, Underscore = 95, a = 97, z = 122,
}

const isWordChar = (c: number) => (c >= C.a && c <= C.z) || (c >= C.A && c <= C.Z) || (c >= C.Zero && c <= C.Nine) || c === C.Underscore || c === C.Dollar;

/**
 * The common quoted selector, `"src/file.ts#Name.member"`, in one pass and
 * without the general parser's intermediate strings: a file of word
 * characters, `/`, `.` and `-` (not starting with `/` or `.`, no `..`), one
 * `#`, then dotted identifiers. It is always an exact node id written in
 * normal form. Anything else is left to `quotedSelector` (undefined).
 */
function plainNodeId(text: string): SelectorParse | undefined {
  const n = text.length;
  let i = 0;
  // The file part.
  for (let previous = C.Slash; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c === C.Hash) break;
    if (c === C.Slash || c === C.Dot) {
      if (previous === C.Slash || (c === C.Dot && previous === C.Dot)) return undefined;
    } else if (!isWordChar(c) && c !== C.Minus) return undefined;
    previous = c;
  }
  const hash = i;
  if (hash === 0 || hash === n || text.charCodeAt(hash - 1) === C.Slash) return undefined;
  // The name part: identifiers joined by single dots.
  for (let j = hash + 1, segmentStart = j; j <= n; j++) {
    const c = j < n ? text.charCodeAt(j) : C.Dot;
    if (c === C.Dot) {
      if (j === segmentStart) return undefined;
      const first = text.charCodeAt(segmentStart);
      if (first >= C.Zero && first <= C.Nine) return undefined;
      segmentStart = j + 1;
    } else if (!isWordChar(c)) return undefined;
  }
  return { ok: true, selector: { kind: "path", text, file: text.slice(0, hash), name: text.slice(hash + 1) } };
}

/** Any quoted selector: the general rules, with a reason when it is invalid. Exported for the test that compares it with the fast path. */
export function quotedSelector(text: string): SelectorParse {
  const hash = text.indexOf("#");
  if (hash < 0) {
    if (text.split(".").every((p) => identifier.test(p))) return { ok: true, selector: nameSelector(text.split(".")) };
    return { ok: false, reason: "a quoted selector names a file and a node", help: `write it as "path/to/file.ts#name"` };
  }
  const file = text.slice(0, hash).replace(/^\.\//, "");
  const name = text.slice(hash + 1);
  // Past the first `#`, one may only start a segment: a private member (`Cart.#sum`), as node ids print it.
  if (name.split(".").some((seg) => seg.lastIndexOf("#") > 0)) return { ok: false, reason: "more than one `#`", help: "write one `#`, between the file and the node name: \"src/cart.ts#Cart.total\"" };
  if (file === "") return { ok: false, reason: "the file part before `#` is empty", help: `write "src/**#${name || "*"}" to match any file` };
  if (name === "") return { ok: false, reason: "the name part after `#` is empty", help: `write "${file}#*" to match every node of the file` };
  if (file.startsWith("/") || /^[A-Za-z]:/.test(file)) return { ok: false, reason: "the file must be relative to the project root" };
  if (file.includes("\\")) return { ok: false, reason: "use `/` to separate folders" };
  if (file.split("/").some((seg) => seg === "..")) return { ok: false, reason: "the file cannot leave the project root with `..`" };
  const pattern = file.includes("*") || name.includes("*");
  const segments = name.split(".");
  // An exact id names any node the tools print (`Cart.#sum`, `Cart.rate=`, `main.<anonymous-1>`); a pattern's segments are names or `*`.
  const bad = segments.find((s) => (pattern ? !namePattern.test(s) : s === "" || /\s/.test(s)));
  if (bad !== undefined) return { ok: false, reason: `\`${bad}\` is not a name or \`*\``, help: "the name part is a dotted name whose segments may be `*`" };
  const normalized = `${file}#${name}`;
  return { ok: true, selector: pattern ? { kind: "pattern", text: normalized, file, name } : { kind: "path", text: normalized, file, name } };
}

/** The simple name of a selector's node (last segment), or undefined for patterns. */
export function simpleName(s: ParsedSelector): string | undefined {
  return simpleNameOf(s.text, s.kind);
}

/** `simpleName` from a selector's normalized text and form. */
export function simpleNameOf(text: string, kind: ParsedSelector["kind"]): string | undefined {
  if (kind === "pattern") return undefined;
  const name = kind === "path" ? text.slice(text.indexOf("#") + 1) : text;
  return name.slice(name.lastIndexOf(".") + 1);
}
