// COPY and ADD: from the instruction's text to a CopyOp (where the sources come from, which files, the
// destination). What a CopyOp then puts into the image is context.ts's business (listCopied, findCopied).
import { parseJsonArray } from "./command.js";
import type { CopyOp } from "./context.js";
import { splitFlags, type Instruction } from "./parse.js";
import { cleanAbs, cleanRel, joinAbs } from "./paths.js";
import type { StageState, Walk } from "./state.js";
import { expandWord, splitWordsKeepQuotes } from "./words.js";

export function copyOp(keyword: "COPY" | "ADD", ins: Instruction, st: StageState, w: Walk): CopyOp | null {
  const { states, escape, diag, ctx } = w;
  const { flags, rest } = splitFlags(ins.args.split("\n")[0]!);
  const json = parseJsonArray(rest);
  const rawWords = json.kind === "ok" ? json.value : splitWordsKeepQuotes(rest, escape);
  const words = json.kind === "ok" ? rawWords : rawWords.map((w) => (/^\d*<</.test(w) ? w : expandWord(w, st.vars, escape).value));
  if (words.length < 2) {
    diag("error", "bad-copy", `${keyword} needs at least one source and a destination`, ins.line);
    return null;
  }
  const destWord = words.at(-1)!;
  const heredocs = new Map(ins.heredocs.map((h) => [h.name, h]));
  const fromFlag = flags.get("from") ?? null;
  let origin: CopyOp["origin"] = { kind: "context" };
  if (fromFlag !== null) {
    const f = expandWord(fromFlag, st.vars, escape).value;
    const byName = states.find((s) => s.stage.name === f.toLowerCase());
    const byIndex = /^[0-9]+$/.test(f) ? states[Number(f)] : undefined;
    const stage = byName ?? byIndex;
    origin = stage ? { kind: "stage", stage: stage.stage.index } : { kind: "image", image: f };
  }
  const sources: CopyOp["sources"] = [];
  for (const w of words.slice(0, -1)) {
    const hm = /^\d*<<-?(.*)$/.exec(w);
    if (hm && ins.heredocs.length) {
      const name = hm[1]!.replace(/['"]/g, "");
      const h = heredocs.get(name);
      if (h) {
        sources.push({ word: name, heredoc: h, url: false });
        continue;
      }
    }
    if (/^(https?|git):\/\//i.test(w) || /^git@/.test(w)) {
      if (keyword === "COPY") diag("error", "copy-url", `COPY cannot fetch URLs (use ADD): ${w}`, ins.line);
      sources.push({ word: w, heredoc: null, url: true });
      continue;
    }
    if (origin.kind !== "context") {
      sources.push({ word: cleanAbs(w), heredoc: null, url: false });
      continue;
    }
    const { path, clamped } = cleanRel(w);
    if (clamped) diag("warning", "copy-outside-context", `${keyword} source "${w}" points outside the build context; BuildKit reads "${path || "."}" inside it instead`, ins.line);
    if (!/[*?[]/.test(path) && !ctx.stat(path))
      diag("error", "copy-source-missing", `${keyword} source "${w}" is not in the build context${path && path !== w ? ` (as "${path}")` : ""} or is excluded by .dockerignore`, ins.line);
    else if (/[*?[]/.test(path) && ctx.glob(path, 1).length === 0)
      diag("error", "copy-source-missing", `${keyword} source pattern "${w}" matches no file of the build context`, ins.line);
    sources.push({ word: path, heredoc: null, url: false });
  }
  const multiple = sources.length > 1 || sources.some((s) => !s.heredoc && /[*?[]/.test(s.word));
  // BuildKit (dockerfile2llb dispatchCopy): a destination of ".", "" or ending in "/" is a directory, so
  // `COPY server.js .` puts /app/server.js under WORKDIR /app.
  const dirWord = destWord === "." || destWord === "" || destWord.endsWith("/");
  const destIsDir = dirWord || multiple;
  if (multiple && !dirWord)
    diag("error", "copy-dest-not-dir", `${keyword} with more than one source needs a destination that is a directory ending in /`, ins.line);
  const dest = joinAbs(st.config.workingDir.value, destWord);
  return {
    kind: "copy", keyword, line: ins.line, origin, sources, dest, destIsDir,
    chmod: flags.get("chmod") ?? null, chown: flags.get("chown") ?? null,
  };
}
