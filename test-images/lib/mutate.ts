// Hostile inputs for the robustness tests: mutations of the fixtures' Dockerfiles and scripts. Shared by
// the fixed-seed fuzz test (CI) and the long campaign (scripts/fuzz-campaign.mjs).
import fs from "node:fs";
import path from "node:path";
import fc from "fast-check";
import { FIXTURES_DIR } from "./fixtures.js";

export interface Sample {
  dockerfile: string;
  /** Context files: path → content (scripts are made executable). */
  files: Record<string, string>;
}

/** The fixtures, read once: Dockerfile plus every text file of the context. */
export function corpus(dir: string = FIXTURES_DIR): Sample[] {
  const out: Sample[] = [];
  for (const d of fs.readdirSync(dir, { withFileTypes: true })) {
    if (!d.isDirectory() || d.name === "lib") continue;
    const fixture = path.join(dir, d.name);
    if (!fs.existsSync(path.join(fixture, "Dockerfile"))) continue;
    const files: Record<string, string> = {};
    const walk = (rel: string) => {
      for (const e of fs.readdirSync(path.join(fixture, rel), { withFileTypes: true })) {
        const r = rel ? `${rel}/${e.name}` : e.name;
        if (e.isDirectory()) walk(r);
        else if (e.isFile() && r !== "Dockerfile" && r !== "expected.json") files[r] = fs.readFileSync(path.join(fixture, r), "utf8");
      }
    };
    walk("");
    out.push({ dockerfile: fs.readFileSync(path.join(fixture, "Dockerfile"), "utf8"), files });
  }
  return out;
}

const INJECT = ["'", '"', "`", "[", "]", "{", "}", "(", ")", "$(", "${", "<<EOF", "<<-'X'", "\\", "\u0000", "\r\n", "\uFFFD", "\uD800", "&&", "|", ";", "&", "#", "exec ", "\"$@\"", "$@", "trap 'x' TERM\n", "set -- ", "\n", "EOF\n", "[\"a\",", "ENTRYPOINT ", "CMD ", "FROM ", "COPY <<EOF /e.sh\n", "source /e.sh\n", ". ./entrypoint.sh\n"];

type Mutation = (text: string, rnd: () => number, other: string) => string;

const lines = (t: string) => t.split("\n");
const pick = <T>(xs: T[], rnd: () => number) => xs[Math.floor(rnd() * xs.length)]!;

const MUTATIONS: Record<string, Mutation> = {
  truncate: (t, r) => t.slice(0, Math.floor(r() * t.length)),
  duplicateLine: (t, r) => {
    const l = lines(t);
    const i = Math.floor(r() * l.length);
    l.splice(i, 0, l[i] ?? "");
    return l.join("\n");
  },
  dropLine: (t, r) => {
    const l = lines(t);
    l.splice(Math.floor(r() * l.length), 1);
    return l.join("\n");
  },
  spliceOther: (t, r, o) => {
    const a = lines(t);
    const b = lines(o);
    const i = Math.floor(r() * (a.length + 1));
    const j = Math.floor(r() * b.length);
    a.splice(i, 0, ...b.slice(j, j + 1 + Math.floor(r() * 4)));
    return a.join("\n");
  },
  inject: (t, r) => {
    const i = Math.floor(r() * (t.length + 1));
    return t.slice(0, i) + pick(INJECT, r) + t.slice(i);
  },
  crlf: (t) => t.replace(/\n/g, "\r\n"),
  nul: (t, r) => {
    const i = Math.floor(r() * (t.length + 1));
    return t.slice(0, i) + "\u0000" + t.slice(i);
  },
  invalidUtf8: (t, r) => {
    const bytes = Buffer.from(t, "utf8");
    const i = Math.floor(r() * (bytes.length + 1));
    return Buffer.concat([bytes.subarray(0, i), Buffer.from([0xff, 0xc3, 0x28]), bytes.subarray(i)]).toString("utf8");
  },
  longLine: (t, r) => t + "\n" + "a".repeat(10_000 + Math.floor(r() * 200_000)) + "\n",
  deepNesting: (t, r) => {
    const n = 50 + Math.floor(r() * 3000);
    return t + "\n" + "if true; then ".repeat(n) + ":" + " fi;".repeat(n) + "\n";
  },
  deepSubshell: (t, r) => {
    const n = 50 + Math.floor(r() * 3000);
    return t + "\n" + "(".repeat(n) + "true" + ")".repeat(n) + "\n";
  },
  hugeCase: (t, r) => {
    const n = 100 + Math.floor(r() * 5000);
    let s = 'case "$1" in\n';
    for (let i = 0; i < n; i++) s += `  opt${i}) set -- x${i} "$@" ;;\n`;
    return t + "\n" + s + "esac\n";
  },
  manyBranches: (t, r) => {
    const n = 10 + Math.floor(r() * 60);
    let s = "";
    for (let i = 0; i < n; i++) s += `if [ -n "$V${i}" ]; then A${i}=1; fi\n`;
    return s + t;
  },
  selfSource: (t) => ". /entrypoint.sh\n" + t,
  heredocMarker: (t, r) => {
    const l = lines(t);
    l.splice(Math.floor(r() * l.length), 0, "COPY <<EOF /x", "RUN cat <<-'EOT'");
    return l.join("\n");
  },
};
export const MUTATION_NAMES = Object.keys(MUTATIONS);

/** Applies 1–4 mutations to a fixture's Dockerfile and/or one of its scripts. */
export function mutate(base: Sample, other: Sample, seed: number): Sample {
  let x = seed >>> 0 || 1;
  const rnd = () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return ((x >>> 0) % 1_000_000) / 1_000_000;
  };
  const out: Sample = { dockerfile: base.dockerfile, files: { ...base.files } };
  const scripts = Object.keys(out.files);
  const n = 1 + Math.floor(rnd() * 4);
  for (let k = 0; k < n; k++) {
    const m = MUTATIONS[pick(MUTATION_NAMES, rnd)]!;
    if (scripts.length && rnd() < 0.6) {
      const f = pick(scripts, rnd);
      const o = Object.values(other.files)[0] ?? other.dockerfile;
      out.files[f] = m(out.files[f]!, rnd, o);
    } else out.dockerfile = m(out.dockerfile, rnd, other.dockerfile);
  }
  return out;
}

/** fast-check arbitrary over mutated fixtures. */
export function arbitrarySample(samples: Sample[]): fc.Arbitrary<Sample> {
  return fc
    .tuple(fc.nat(samples.length - 1), fc.nat(samples.length - 1), fc.integer({ min: 1, max: 0x7fffffff }))
    .map(([a, b, seed]) => mutate(samples[a]!, samples[b]!, seed));
}
