// Text from the input (a Dockerfile, a script, a file name, a container's log, a config file) shown to a
// person: control characters are written out instead of sent to the terminal, where ESC starts escape
// sequences (a clipboard write with OSC 52, a screen clear, concealed text), CR rewrites the line, and
// bidirectional overrides reorder what is shown. JSON and SARIF escape them themselves.

/** C0 controls but tab and newline, DEL, C1 controls, the bidirectional controls (which reorder what is shown) and the line and paragraph separators. */
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069]/g;
const CONTROL_OR_NEWLINE = /[\u0000-\u0008\u000a-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069]/g;
const TEST = /[\u0000-\u0008\u000a-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069]/;

const NAMED: Record<string, string> = { "\n": "\\n", "\r": "\\r", "\u001b": "\\x1b" };

function shown(c: string): string {
  const named = NAMED[c];
  if (named) return named;
  const code = c.charCodeAt(0);
  if (code <= 0x9f) return `\\x${code.toString(16).padStart(2, "0")}`;
  return `<U+${code.toString(16).toUpperCase().padStart(4, "0")}>`;
}

/**
 * `s` with its control characters written visibly: ESC as `\x1b`, CR as `\r`, U+202E as `<U+202E>`. Tabs
 * stay; newlines stay unless `oneLine` (then `\n`: a message on stderr must stay one line, or a file name
 * with a newline could start a GitHub workflow command).
 */
export function visible(s: string, oneLine = false): string {
  if (!TEST.test(s)) return s;
  return s.replace(oneLine ? CONTROL_OR_NEWLINE : CONTROL, shown);
}

/** A copy of a JSON-like value with every string made visible (for a human format). Linear in its size. */
export function visibleDeep<T>(v: T): T {
  if (typeof v === "string") return visible(v) as T;
  if (Array.isArray(v)) {
    const out = new Array(v.length);
    for (let i = 0; i < v.length; i++) out[i] = visibleDeep(v[i]);
    return out as T;
  }
  if (v !== null && typeof v === "object") {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(v)) out[k] = visibleDeep((v as Record<string, unknown>)[k]);
    return out as T;
  }
  return v;
}
