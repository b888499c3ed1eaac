// Inputs written on purpose, for the fuzz campaign (scripts/fuzz-campaign.mjs --generator hostile): where
// mutate.ts changes the fixtures a little, this builds the shapes that cost an analyzer the most. Scripts
// that grow values (doubling, "$@" multiplied, arrays appended to themselves), re-exec themselves, source
// each other, nest expansions; Dockerfiles with many stages, ARG and ENV chains, huge words, escape
// sequences and control characters; build contexts with symbolic links (inside, outside, loops), FIFOs
// where scripts are expected, and huge .dockerignore files. Deterministic: the same seed, the same input.

export interface HostileSample {
  dockerfile: string;
  /** Context files: path → content (made executable when they end in .sh). */
  files: Record<string, string>;
  /** Symbolic links to create in the context: path → target. */
  links: Record<string, string>;
  /** FIFOs to create in the context. */
  fifos: string[];
  /** What the generator put in, for the report of the slowest inputs. */
  shape: string[];
}

/** mulberry32: a small seeded generator. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const CONTROL = ["\u001b]52;c;ZXZpbA==\u0007", "\u001b[2J", "\u001b[8m", "\r", "\u202e", "\u2066", "\u0007", "\u009b31m", "\u001b]0;title\u0007", "\uD800", "\u0000", "\t", "\u2028"];

export function hostile(seed: number): HostileSample {
  const r = rng(seed);
  const int = (lo: number, hi: number) => lo + Math.floor(r() * (hi - lo + 1));
  // One input in twelve has one huge dimension (the first size asked for, up to its bound); the others
  // stay below 300, so that a campaign of 100,000 inputs runs in a reasonable time.
  let heavy = r() < 1 / 12;
  /** Log-uniform between lo and hi (hi only for the heavy dimension, else at most 300). */
  const size = (lo: number, hi: number) => {
    const top = heavy ? hi : Math.min(hi, Math.max(lo + 1, 300));
    if (hi > 300) heavy = false;
    return Math.floor(Math.exp(Math.log(lo) + r() * (Math.log(top) - Math.log(lo))));
  };
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
  const chance = (p: number) => r() < p;
  const ctl = () => pick(CONTROL);
  const s: HostileSample = { dockerfile: "", files: {}, links: {}, fifos: [], shape: [] };
  const shell = pick(["/bin/sh", "/bin/bash", "/bin/dash"]);
  const name = chance(0.1) ? `entry${ctl().replace(/\u0000/g, "\u0001")}.sh` : "entrypoint.sh";

  // ---- the entrypoint script: a few hostile pieces, then the usual ending
  const body: string[] = [`#!${shell}`];
  const pieces = int(1, 3);
  for (let k = 0; k < pieces; k++) {
    const kind = pick(["double", "multiply", "array", "reexec", "source", "nest", "cmdsubst", "loop", "control", "huge-word", "functions"]);
    s.shape.push(kind);
    switch (kind) {
      case "double": {
        const n = size(2, 40);
        if (chance(0.5)) body.push("x=ab", `for i in ${Array.from({ length: n }, (_, i) => i).join(" ")}; do x="$x$x"; done`);
        else body.push("x=ab", ...Array.from({ length: n }, () => pick(['x="$x$x"', 'x="${x}${x}${x}"', "x=$x$x", 'export X="$x$X"'])));
        body.push(pick(['echo "$x" >&2', 'set -- "$x" "$@"', 'exec "$@" "$x"', 'case "$x" in *a*) : ;; esac']));
        break;
      }
      case "multiply":
        body.push(...Array.from({ length: size(1, 30) }, () => pick(['set -- "$@" "$@"', 'set -- "$@" "$@" "$@" "$@"', "set -- $@ $@", 'set -- "$*" "$@"'])));
        break;
      case "array":
        body.push("a=(x y)", ...Array.from({ length: size(1, 30) }, () => pick(['a+=("${a[@]}")', 'a=("${a[@]}" "${a[@]}")', 'a+=("${a[*]}")'])), 'exec "${a[@]}"');
        break;
      case "reexec":
        body.push(pick([`exec /app/${name} "$@" "$@"`, `exec ${shell} /app/${name} "$@"`, `${shell} -c 'exec /app/${name} "$@" "$@"' sh "$@"`, `exec /app/${name}`]));
        break;
      case "source": {
        const n = int(2, 6);
        for (let i = 0; i < n; i++) s.files[`lib${i}.sh`] = `. /app/lib${(i + 1) % n}.sh\n${pick(['x="$x$x"', 'set -- "$@" "$@"', "f() { f; }; f", ": ${Y:=$X$X}"])}\n`;
        body.push(". /app/lib0.sh");
        break;
      }
      case "nest": {
        const d = size(2, 3000);
        body.push(`y=${"${A:-".repeat(d)}z${"}".repeat(d)}`, `z=$((${"(".repeat(Math.min(d, 500))}1${")".repeat(Math.min(d, 500))}))`);
        break;
      }
      case "cmdsubst": {
        const d = size(2, 400);
        body.push(`v=${"$(echo ".repeat(d)}x${")".repeat(d)}`, 'exec "$v"');
        break;
      }
      case "loop":
        body.push(`while true; do ${pick(['x="$x$x"', "set -- $@ $@", ":", 'case "$1" in a) shift;; esac'])}; done &`, `for i in $(seq ${size(1, 100000)}); do set -- "$@" "$i"; done`);
        break;
      case "control":
        body.push(`# ${ctl()}${ctl()}`, `echo "${ctl()}" >&2`, `X='${ctl()}${ctl()}'`);
        break;
      case "huge-word":
        body.push(`W=${"w".repeat(size(100, 400_000))}`, 'exec redis-server "$W"');
        break;
      case "functions": {
        const n = size(2, 200);
        for (let i = 0; i < n; i++) body.push(`f${i}() { f${(i + 1) % n} "$@" "$@"; }`);
        body.push('f0 "$@"');
        break;
      }
    }
  }
  body.push(pick(['exec "$@"', '"$@"', "exec redis-server", 'exec gosu nobody "$@"', "redis-server &\nwait"]));
  s.files[name] = body.join("\n") + "\n";

  // ---- the Dockerfile
  const df: string[] = [];
  const dkinds = int(0, 3);
  const header: string[] = [];
  for (let k = 0; k < dkinds; k++) {
    const kind = pick(["stages", "arg-chain", "env-chain", "huge-word", "control", "many-lines"]);
    s.shape.push(`df:${kind}`);
    switch (kind) {
      case "stages": {
        const n = size(2, 50_000);
        const chained = chance(0.5);
        for (let i = 0; i < n; i++) header.push(`FROM ${chained && i ? `s${i - 1}` : pick(["debian:bookworm", "alpine:3.19", "scratch", "unknown/image"])} AS s${i}`);
        if (chance(0.5)) header.push(`COPY --from=s${int(0, n - 1)} /x /x`);
        break;
      }
      case "arg-chain": {
        const n = size(2, 80);
        header.push("ARG A0=ab");
        for (let i = 1; i < n; i++) header.push(`ARG A${i}=\${A${i - 1}}\${A${i - 1}}`);
        break;
      }
      case "env-chain":
        df.push("ENV A=ab", ...Array.from({ length: size(2, 80) }, () => pick(["ENV A=$A$A", "ENV A=${A}${A}${A} B=$A", "ARG B=$A$A"])));
        break;
      case "huge-word":
        df.push(`ENV W=${"w".repeat(size(100, 500_000))}`, `LABEL l="${"l".repeat(size(100, 200_000))}"`);
        break;
      case "control":
        df.push(`LABEL x="${ctl()}${ctl()}"`, `# ${ctl()}`, `ENV C=${ctl().replace(/[\s]/g, "_")}`);
        break;
      case "many-lines":
        df.push(...Array.from({ length: size(10, 130_000) }, (_, i) => pick([`ENV E${i}=${i}`, `FOO${i} x`, `ARG ${i}bad`, `RUN echo ${i}`])));
        break;
    }
  }
  const base = pick(["debian:bookworm", "alpine:3.19", "ubuntu:22.04", "node:20"]);
  const copy = chance(0.3) ? "COPY *.sh /app/" : chance(0.5) ? "COPY . /app/" : `COPY ${name.includes("\u0000") ? "entrypoint.sh" : name} lib*.sh /app/`;
  s.dockerfile = [...header, `FROM ${base}`, copy, ...df, `ENTRYPOINT ["/app/${JSON.stringify(name).slice(1, -1)}"]`, `CMD ${pick(['["redis-server"]', '["nginx", "-g", "daemon off;"]', "redis-server --port 1", '["sh", "-c", "exec redis-server \\"$W\\""]'])}`].join("\n") + "\n";

  // ---- the build context
  const ckinds = int(0, 2);
  for (let k = 0; k < ckinds; k++) {
    const kind = pick(["links", "fifo", "ignore", "many-files"]);
    s.shape.push(`ctx:${kind}`);
    switch (kind) {
      case "links":
        s.links[pick(["out.sh", "lib0.sh", name, "Dockerfile.x"])] = pick(["/etc/hostname", "/etc/shadow", "../../../../etc/passwd", "/dev/zero", "/proc/self/environ"]);
        s.links["loop-a"] = "loop-b";
        s.links["loop-b"] = "loop-a";
        s.links["up"] = "..";
        s.links["inside.sh"] = name;
        break;
      case "fifo":
        s.fifos.push(pick([name, "lib0.sh", "fifo.sh", ".dockerignore"]));
        break;
      case "ignore": {
        const n = size(10, 100_000);
        const pat = pick([(i: number) => `ignored${i}/**/*.tmp`, (i: number) => `*.t${i}`, (i: number) => `*x${i}*`, (i: number) => `!keep${i}`, (i: number) => `**/d${i}/**`]);
        s.files[".dockerignore"] = Array.from({ length: n }, (_, i) => pat(i)).join("\n") + "\n" + (chance(0.3) ? `${name}\n` : "");
        break;
      }
      case "many-files":
        for (let i = 0, n = size(10, 3000); i < n; i++) s.files[`f${i}.sh`] = "#!/bin/sh\nexec redis-server\n";
        break;
    }
  }
  for (const f of s.fifos) delete s.files[f];
  return s;
}
