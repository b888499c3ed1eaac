// COPY and ADD: from the instruction's text to a CopyOp (where the sources come from, which files, the
// destination). What a CopyOp then puts into the image is context.ts's business (matchCopy, listCopied), and resolve.ts's (the lookup over every operation).
import { parseJsonArray } from "./command.js";
import type { CopyOp } from "./context.js";
import { splitFlags, type Instruction } from "./parse.js";
import { cleanAbs, cleanRel, joinAbs } from "./paths.js";
import type { StageState, Walk } from "./state.js";
import { stageHasDir } from "./resolve.js";
import { expandWord, splitWordsKeepQuotes } from "./words.js";

export function copyOp(keyword: "COPY" | "ADD", ins: Instruction, st: StageState, w: Walk): CopyOp | null {
  const { states, escape, diag, ctx, effects } = w;
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
    const byName = w.byName.get(f.toLowerCase());
    const byIndex = /^[0-9]+$/.test(f) ? states[Number(f)] : undefined;
    const stage = byName ?? byIndex;
    origin = stage ? { kind: "stage", stage: stage.stage.index } : { kind: "image", image: f };
    if (stage) st.deps.add(stage.stage.index);
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
    const glob = /[*?[]/.test(path);
    let missing: CopyOp["sources"][number]["missing"];
    if (!glob && !ctx.stat(path)) missing = { how: ctx.excluded(path) ? "excluded" : "absent", written: w };
    else if (glob && ctx.glob(path, 1).length === 0) missing = { how: "no-match", written: w };
    if (missing) {
      const as = path && path !== w ? ` (as "${path}")` : "";
      // Only when the stage is built (BuildKit skips the stages the target does not need), and only an
      // error when the file is there but .dockerignore excludes it: a file absent from the checkout is most
      // often made before `docker build` (a binary, a .deb, dist/), which the model treats as unknown.
      if (missing.how === "excluded")
        st.buildDiagnostics.push({ severity: "error", code: "copy-source-excluded", message: `${keyword} source "${w}"${as} is excluded by .dockerignore: docker build fails here`, line: ins.line });
      else
        effects.push({ kind: "build-artifact", keyword, line: ins.line, stage: st.stage.index, source: w, glob: missing.how === "no-match" });
    }
    sources.push({ word: path, heredoc: null, url: false, ...(missing ? { missing } : {}) });
  }
  // The classic builder counts the files the sources match (builder/dockerfile/copy.go: `len(infos) > 1 &&
  // !strings.HasSuffix(dest, separator)` fails the build), not the words: `COPY target/*.jar app.jar` is a
  // file copy when the pattern matches one file. A pattern's matches are counted in the build context; a
  // pattern over another stage or image, or one that matches nothing here (a build artifact), has a number
  // of matches that is not known, and is taken as the single file its destination names.
  const sourceCount = (): number | null => {
    if (sources.length > 1) return sources.length;
    const s = sources[0]!;
    if (s.heredoc || s.url || !/[*?[]/.test(s.word)) return 1;
    if (origin.kind !== "context" || s.missing) return null;
    return ctx.glob(s.word, 2).length;
  };
  const count = sourceCount();
  const multiple = count !== null && count > 1;
  // BuildKit (dockerfile2llb dispatchCopy): a destination of ".", "" or ending in "/" is a directory, so
  // `COPY server.js .` puts /app/server.js under WORKDIR /app.
  const dirWord = destWord === "." || destWord === "" || destWord.endsWith("/");
  const dest = joinAbs(st.config.workingDir.value, destWord);
  // BuildKit copies into a destination that is an existing directory even without the trailing slash
  // (`COPY app.jar /opt` puts /opt/app.jar): the stage so far and the base image say which directories exist.
  const existingDir = !dirWord && stageHasDir(st, states, ctx, dest);
  const destIsDir = dirWord || multiple || existingDir;
  // The classic builder stops here (measured on the engine: "When using COPY with more than one source file, the
  // destination must be a directory and end with a /"); BuildKit, the default builder, builds it (a project's
  // changelog records "the classic builder rejected it, the BuildKit builder did not"; not measured here, no
  // buildx), copying into the directory. A warning, with a fix that suits both.
  if (multiple && !dirWord)
    diag("warning", "copy-dest-not-dir", `${keyword} with more than one source and a destination without a trailing /: the classic builder (DOCKER_BUILDKIT=0) refuses it; end the destination with / to build with either`, ins.line);
  return {
    kind: "copy", keyword, line: ins.line, origin, sources, dest, destIsDir,
    chmod: flags.get("chmod") ?? null, chown: flags.get("chown") ?? null,
  };
}
