// The Dockerfile model: the effective image config of one stage and the argv Docker will exec.
// Line numbers are 1-based everywhere.

/** Where a value of the effective config came from. */
export type Origin =
  /** Set by an instruction of this Dockerfile, in the target stage itself. */
  | { kind: "instruction"; line: number; stage: number }
  /** Inherited from an earlier stage of this Dockerfile (`FROM <stage>`), where `line` set it. */
  | { kind: "stage"; stage: number; stageName: string | null; line: number }
  /** Inherited from a base image in the catalog. */
  | { kind: "base-image"; image: string }
  /** Inherited from a base image whose config the user supplied (`docker image inspect` JSON). */
  | { kind: "base-config"; image: string }
  /** Docker's default (SHELL ["/bin/sh","-c"], STOPSIGNAL SIGTERM, WORKDIR /, USER root). */
  | { kind: "default" }
  /** The base image is not known: the value is what Docker would use if the image set nothing. */
  | { kind: "unknown-base"; image: string }
  /** Set where the container runs: docker run flags, a Compose file or a Kubernetes manifest (`file`, at `line`). */
  | { kind: "deployment"; file: string; line: number | null; deployment: "docker-run" | "compose" | "kubernetes" };

export interface Located<T> {
  value: T;
  origin: Origin;
  /** The value is not known: it grew past the bound on build-time expansions (`value` is then empty). */
  unknown?: true;
}

/** ENTRYPOINT or CMD as Docker stores it in the image config. */
export interface CommandPart {
  keyword: "ENTRYPOINT" | "CMD";
  form: "exec" | "shell";
  /** The words Docker stores: for exec form the JSON array; for shell form SHELL + [text]. */
  words: string[];
  /** Shell form only: the command string given to the shell. */
  text: string | null;
  /** Shell form only: the SHELL in effect at that line (with its own origin). */
  shell: Located<string[]> | null;
  /** The argument text looked like a JSON array (started with `[`) but did not parse. */
  jsonFallback: { error: string } | null;
  origin: Origin;
}

export interface ResolvedCommand {
  /** The PID-1 argv: Path followed by Args, as `docker inspect` shows them. null when there is no command. */
  argv: string[] | null;
  path: string | null;
  args: string[];
  entrypoint: CommandPart | null;
  /** The CMD in the image config (also when a shell-form ENTRYPOINT ignores it). */
  cmd: CommandPart | null;
  /** true when a shell-form ENTRYPOINT receives the CMD words only as $0, $1… and ignores them. */
  cmdIgnored: boolean;
  /** An inherited CMD that ENTRYPOINT in this stage reset to empty. */
  resetCmd: CommandPart | null;
  /** The image the stage chain starts from when it is not in the catalog (nor given with --base-config):
   * its ENTRYPOINT, CMD and STOPSIGNAL are not known. */
  unknownBase: string | null;
}

export type Effect =
  | { kind: "dead-instruction"; keyword: "ENTRYPOINT" | "CMD"; line: number; supersededBy: number }
  | { kind: "cmd-ignored"; entrypointLine: number | null; cmd: CommandPart }
  | { kind: "inherited-cmd-reset"; entrypointLine: number; cmd: CommandPart }
  | { kind: "json-fallback"; keyword: "ENTRYPOINT" | "CMD" | "SHELL"; line: number; error: string; text: string }
  | { kind: "literal-dollar"; keyword: "ENTRYPOINT" | "CMD"; line: number; word: string }
  | { kind: "no-command"; line: number | null }
  /** No ENTRYPOINT or CMD in the Dockerfile, and the base image that would give them is not known. */
  | { kind: "command-unknown"; line: number; image: string }
  | { kind: "unknown-base-image"; image: string; line: number }
  /** A COPY/ADD source that is not in the build context (a build artifact made before `docker build`),
   * in a stage the target needs. `glob`: a pattern that matches nothing. */
  | { kind: "build-artifact"; keyword: "COPY" | "ADD"; line: number; stage: number; source: string; glob: boolean }
  /** A RUN relinks /bin/sh (`ln -sf bash /bin/sh`): the shell of every later `sh` is that one. */
  | { kind: "bin-sh-relinked"; line: number; binSh: BinSh }
  /** Shell form on a base image without a shell. `unsure`: the build may put the shell there (a COPY of a
   * directory, a pattern or an archive that may hold it), why; null when it surely is not there. */
  | { kind: "shell-form-without-shell"; keyword: "ENTRYPOINT" | "CMD"; line: number; shell: string; unsure: string | null };

export interface Diagnostic {
  severity: "error" | "warning" | "info";
  code: string;
  message: string;
  line: number | null;
  column?: number;
}

export type BinSh = "dash" | "bash" | "busybox" | "none" | "unknown";

export interface BaseImageFile {
  kind: "entrypoint-script" | "program" | "config";
  /** kind "config": the settings of the file that the catalog records, in the file's own syntax (not its whole text). */
  content?: string;
  /** The command the script ends by exec'ing (httpd-foreground: ["httpd", "-DFOREGROUND"]). */
  execs?: string[];
  /** With `execs`: the script's own arguments are appended ("$@"). */
  passesArgs?: boolean;
  execsArgs?: boolean;
  execsVia?: string;
  /** With `execsVia`: the user the script re-execs itself as. */
  viaUser?: string;
  /** The script puts `program` before its arguments when the first is an option (`ifOption`), ends in one of
   * `ifSuffix` (redis: .conf), or (`ifNotCommand`) is not a command in PATH or a non-executable file (node). */
  prepends?: { program: string; ifOption?: boolean; ifSuffix?: string[]; ifNotCommand?: boolean };
  notes?: string;
}

export interface BaseImageConfig {
  entrypoint: string[] | null;
  cmd: string[] | null;
  stopSignal: string | null;
  user: string | null;
  workingDir: string | null;
  env: Record<string, string>;
  shell: string[] | null;
}

/** A catalog variant after lookup: what we know of a base image. */
export interface BaseImageFacts {
  config: BaseImageConfig;
  binSh: Exclude<BinSh, "unknown">;
  shells: string[];
  files: Record<string, BaseImageFile>;
  /** Every program the image has is a BusyBox applet (the busybox image). */
  busyboxApplets?: boolean;
  source: string;
  notes?: string;
}

export interface BaseImage {
  /** The reference as written after ARG substitution, e.g. `nginx:1.27-alpine`. */
  ref: string;
  repository: string;
  tag: string;
  digest: string | null;
  kind: "scratch" | "stage" | "catalog" | "user-config" | "unknown";
  /** For kind "stage": the stage index it is built from. */
  stage: number | null;
  /** The root image of the chain (for a stage built from a stage). */
  root: string;
  binSh: BinSh;
  /** Absolute paths of the shells that exist; null when unknown. */
  shells: string[] | null;
  facts: BaseImageFacts | null;
}

export interface EffectiveConfig {
  entrypoint: CommandPart | null;
  cmd: CommandPart | null;
  shell: Located<string[]>;
  stopSignal: Located<string>;
  user: Located<string>;
  workingDir: Located<string>;
  env: Record<string, Located<string>>;
}

export interface Stage {
  index: number;
  name: string | null;
  line: number;
  /** The FROM reference as written, and after ARG substitution. */
  fromRaw: string;
  from: string;
  platform: string | null;
  base: BaseImage;
}

/** One file (or directory) of the image that a COPY/ADD put there. */
export interface CopiedFile {
  imagePath: string;
  source:
    | { kind: "context"; path: string }
    | { kind: "heredoc"; name: string; content: string; /** Dockerfile line of the first content line. */ line: number }
    | { kind: "stage"; stage: number; path: string }
    | { kind: "image"; image: string; path: string }
    | { kind: "url"; url: string }
    /** Written by a RUN (`cat <<EOF > f`, `echo … > f`), with the content it wrote. */
    | { kind: "run"; line: number; how: string; content: string };
  type: "file" | "dir" | "unknown";
  /** Permission bits, or null when unknown. */
  mode: number | null;
  chown: string | null;
  line: number;
  /** Set when a later `RUN chmod` changed the mode. */
  chmodLine?: number;
}

/** A file that a COPY --from brings from a stage whose RUN built it: `go build -o <that path>` (or `go install`), or a file named from a stage on the golang image that a RUN made. */
export interface BuiltBy {
  tool: "go" | "next";
  /**
   * `go build -o` / `go install` names it ("go-build"), or a RUN of a stage on the golang image made it ("golang-stage");
   * `next build` generated it: the server.js of a Next.js project built with output: 'standalone' ("next-standalone").
   */
  how: "go-build" | "golang-stage" | "next-standalone";
  /** The stage it was built in (index and name). */
  stage: number;
  stageName: string | null;
}

export type PathResolution =
  | { kind: "context"; imagePath: string; file: CopiedFile; executable: boolean | null; content: () => string | null }
  | {
      kind: "base-image"; imagePath: string | null; certain: boolean; file: BaseImageFile | null; builtBy?: BuiltBy;
      /** Installed by a RUN with a package manager, as the package table (data/packages.json) says. */
      package?: { name: string; manager: string; line: number; source: string };
    }
  | {
      kind: "not-found"; imagePath: string | null; searched: string[];
      /** A package removal took it away (`apk del .deps at line 4 removes su-exec`). */
      removedBy?: string;
    }
  | {
      kind: "unknown"; imagePath: string | null; reason: string; builtBy?: BuiltBy;
      /** The file is a COPY source missing from the build context (a build artifact), copied at `line`. */
      artifact?: { line: number; source: string };
      /** Only possibly there: a COPY of a directory or glob, an archive, a RUN under a condition may have put it. */
      maybe?: boolean;
      /** A name a PATH lookup surely finds (a RUN that fails without it ran it by that name), in a directory not known. */
      onPath?: boolean;
    };

export interface DockerfileModel {
  file: string;
  stages: Stage[];
  target: Stage | null;
  config: EffectiveConfig | null;
  command: ResolvedCommand | null;
  effects: Effect[];
  diagnostics: Diagnostic[];
  /** Files copied into the target stage, in instruction order (later entries win). */
  files: CopiedFile[];
  /** Which program /bin/sh is in the target image: the base image's, unless a RUN relinked it. */
  binSh: BinSh;
  /** The directories the Dockerfile declares with VOLUME (target stage and the stages of this file under it): what a run leaves there, the next one finds. */
  volumes?: string[];
  /** Resolve a path or a command word in the target image (absolute, relative to WORKDIR, or via PATH).
   * Answers are memoised and shared between callers: treat them as read-only. */
  resolve(pathOrCommand: string, opts?: { cwd?: string; path?: string }): PathResolution;
  /** The names in a directory of the target image that COPY/ADD and the base-image catalog account for
   * (files made by RUN steps are not listed); `unknown` says why names may be missing. */
  list(dir: string): { names: string[]; unknown: string[] };
  /** Where the container runs, when the image is audited as a deployment runs it (applyDeployment). */
  deployment?: import("./deploy.js").Deployment;
  /** With `deployment`: the image's own model, as a bare `docker run IMAGE` runs it. */
  image?: DockerfileModel;
  /** The model is partial: a bound was hit (build-time expansions grew past their budget), and where. */
  truncated?: { reason: string; line: number } | null;
}

/** Read-only view of the build context. Paths are relative to the context root, `/`-separated. */
export interface ContextFS {
  stat(path: string): ContextStat | null;
  /** File contents as text (bounded by the implementation); null when missing or unreadable. */
  readFile(path: string): string | null;
  /** Names in a directory; null when not a directory. */
  list(path: string): string[] | null;
}

export interface ContextStat {
  type: "file" | "dir" | "other";
  mode: number;
  size: number;
}
