// Command-line parsing, with no dependency so that --help and --version start instantly.
import { append } from "./append.js";
export type Format = "tty" | "json" | "sarif" | "github";

export interface CliArgs {
  paths: string[];
  target?: string;
  buildArgs: Record<string, string>;
  /** --env: variables of the container's environment (docker run -e). */
  env: Record<string, string>;
  /** --env NAME for a NAME this environment does not set: docker leaves it unset; taken as empty. */
  envMissing: string[];
  context?: string;
  format: Format;
  output?: string;
  /** --sarif-root: the directory SARIF artifact URIs are relative to (default: the repository's top level). */
  sarifRoot?: string;
  failOn?: "error" | "warning" | "info" | "none";
  stopTimeout?: number;
  platform?: "docker" | "compose" | "k8s";
  baseConfigs: { image: string; file: string }[];
  config?: string;
  noConfig: boolean;
  color: boolean | null;
  quiet: boolean;
  version: boolean;
  help: boolean;
  printSchema: boolean;
  /** --scripts: the PATHs are scripts; audit the Dockerfiles under the working directory that run them. */
  scripts: boolean;
  /** docker run's own flags: the container is audited as `docker run` with them runs it. */
  run: RunFlags;
  /** Compose: the service to audit (default: every service). */
  service?: string;
  /** --compose-file: Compose files merged in order into one project, as `docker compose -f a -f b`. */
  composeFiles: string[];
}

/** The flags of `docker run` that change what runs and how it stops, as docker run takes them. */
export interface RunFlags {
  init?: boolean;
  stopSignal?: string;
  /** --entrypoint: one executable (docker does not split it); "" resets the image's ENTRYPOINT. */
  entrypoint?: string;
  user?: string;
  workdir?: string;
  tty?: boolean;
  interactive?: boolean;
  /** The words after `--`: the command, which replaces the image's CMD (docker run IMAGE COMMAND…). */
  command?: string[];
}

export class UsageError extends Error {}

const FORMATS: readonly Format[] = ["tty", "json", "sarif", "github"];

export function parseArgs(argv: readonly string[], env: NodeJS.ProcessEnv): CliArgs {
  const a: CliArgs = { paths: [], buildArgs: {}, env: {}, envMissing: [], format: "tty", baseConfigs: [], noConfig: false, color: null, quiet: false, version: false, help: false, printSchema: false, scripts: false, run: {}, composeFiles: [] };
  let i = 0;
  for (; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === "--") {
      // As in `docker run [OPTIONS] IMAGE [COMMAND] [ARG…]`: what follows is the command.
      a.run.command = argv.slice(i + 1);
      break;
    }
    if (arg === "-" || !arg.startsWith("-")) {
      a.paths.push(arg);
      continue;
    }
    const eq = arg.startsWith("--") ? arg.indexOf("=") : -1;
    const name = eq > 0 ? arg.slice(0, eq) : arg;
    const inline = eq > 0 ? arg.slice(eq + 1) : undefined;
    const flag = FLAGS.get(name);
    if (flag) {
      if (inline !== undefined) throw new UsageError(`${name} takes no value`);
      flag(a);
      continue;
    }
    const value = (): string => {
      if (inline !== undefined) return inline;
      const v = argv[++i];
      if (v === undefined) throw new UsageError(`${name} needs a value`);
      return v;
    };
    setOption(a, name, value, env);
  }
  return a;
}

/** The options that take no value. */
const FLAGS = new Map<string, (a: CliArgs) => void>([
  ["--no-config", (a) => void (a.noConfig = true)],
  ["--no-color", (a) => void (a.color = false)],
  ["--no-colour", (a) => void (a.color = false)],
  ["--color", (a) => void (a.color = true)],
  ["--colour", (a) => void (a.color = true)],
  ["-q", (a) => void (a.quiet = true)],
  ["--quiet", (a) => void (a.quiet = true)],
  ["-V", (a) => void (a.version = true)],
  ["--version", (a) => void (a.version = true)],
  ["-h", (a) => void (a.help = true)],
  ["--help", (a) => void (a.help = true)],
  ["--print-schema", (a) => void (a.printSchema = true)],
  ["--scripts", (a) => void (a.scripts = true)],
  ["--init", (a) => void (a.run.init = true)],
  ["-t", (a) => void (a.run.tty = true)],
  ["--tty", (a) => void (a.run.tty = true)],
  ["-i", (a) => void (a.run.interactive = true)],
  ["--interactive", (a) => void (a.run.interactive = true)],
  ["-it", (a) => void ((a.run.interactive = true), (a.run.tty = true))],
  ["-ti", (a) => void ((a.run.interactive = true), (a.run.tty = true))],
]);

const oneOf = <T extends string>(name: string, v: string, allowed: readonly T[]): T => {
  if (!allowed.includes(v as T)) throw new UsageError(`${name} must be one of ${allowed.join(", ")} (got "${v}")`);
  return v as T;
};

/** An option that takes a value (`value()` reads it, from `--name=value` or the next argument). */
function setOption(a: CliArgs, name: string, value: () => string, env: NodeJS.ProcessEnv): void {
  switch (name) {
    case "--target":
      a.target = value();
      break;
    case "--build-arg": {
      const kv = value();
      const k = kv.indexOf("=");
      const key = k >= 0 ? kv.slice(0, k) : kv;
      if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(key)) throw new UsageError(`--build-arg expects NAME=VALUE (got "${kv}")`);
      // Like docker build: `--build-arg NAME` takes the value from the environment.
      if (k >= 0) a.buildArgs[key] = kv.slice(k + 1);
      else if (env[key] !== undefined) a.buildArgs[key] = env[key]!;
      break;
    }
    case "-e":
    case "--env": {
      const kv = value();
      const k = kv.indexOf("=");
      const key = k >= 0 ? kv.slice(0, k) : kv;
      if (key === "" || /[\s=\0]/.test(key)) throw new UsageError(`--env expects NAME=VALUE or NAME (got "${kv}")`);
      // Like docker run -e: `--env NAME` takes the value from this environment. When it has none, docker
      // leaves NAME unset in the container (docs.docker.com, docker run reference, "Set environment
      // variables"; moby/moby#10141), and an ENV value of the image becomes empty (docker/cli#1780): the
      // analysis takes it as empty, which the tests -z, -n, = and ${NAME:-…} read as they read unset.
      if (k >= 0) a.env[key] = kv.slice(k + 1);
      else if (env[key] !== undefined) a.env[key] = env[key]!;
      else {
        a.env[key] = "";
        a.envMissing.push(key);
      }
      break;
    }
    case "--context":
      a.context = value();
      break;
    case "-f":
    case "--format":
      a.format = oneOf(name, value(), FORMATS);
      break;
    case "-o":
    case "--output":
      a.output = value();
      break;
    case "--sarif-root":
      a.sarifRoot = value();
      break;
    case "--fail-on":
      a.failOn = oneOf(name, value(), ["error", "warning", "info", "none"] as const);
      break;
    case "--stop-timeout": {
      const v = value();
      const n = Number(v.replace(/s$/, ""));
      if (v.trim() === "" || !Number.isFinite(n) || n < 0) throw new UsageError(`--stop-timeout expects a number of seconds (got "${v}")`);
      a.stopTimeout = n;
      break;
    }
    case "--platform":
      a.platform = oneOf(name, value(), ["docker", "compose", "k8s"] as const);
      break;
    case "--base-config": {
      const v = value();
      const k = v.lastIndexOf("=");
      if (k <= 0 || k === v.length - 1) throw new UsageError(`--base-config expects IMAGE=FILE (got "${v}")`);
      a.baseConfigs.push({ image: v.slice(0, k), file: v.slice(k + 1) });
      break;
    }
    case "-c":
    case "--config":
      a.config = value();
      break;
    case "--stop-signal": {
      const v = value();
      const sig = normalizeSignalArg(v);
      if (!sig) throw new UsageError(`--stop-signal expects a signal name or number (got "${v}")`);
      a.run.stopSignal = sig;
      break;
    }
    case "--entrypoint":
      a.run.entrypoint = value();
      break;
    case "-u":
    case "--user":
      a.run.user = value();
      break;
    case "-w":
    case "--workdir":
      a.run.workdir = value();
      break;
    case "--service":
      a.service = value();
      break;
    case "--compose-file":
      a.composeFiles.push(value());
      break;
    default:
      throw new UsageError(`unknown option ${name}`);
  }
}

const SIGNALS = ["HUP", "INT", "QUIT", "ILL", "TRAP", "ABRT", "BUS", "FPE", "KILL", "USR1", "SEGV", "USR2", "PIPE", "ALRM", "TERM", "STKFLT", "CHLD", "CONT", "STOP", "TSTP", "TTIN", "TTOU", "URG", "XCPU", "XFSZ", "VTALRM", "PROF", "WINCH", "IO", "PWR", "SYS"];

/** SIGTERM, TERM, term or 15 → SIGTERM (as docker's signal.ParseSignal takes them); null when not a signal. */
export function normalizeSignalArg(v: string): string | null {
  const t = v.trim().toUpperCase().replace(/^SIG/, "");
  if (/^[0-9]+$/.test(t)) {
    const n = Number(t);
    return n >= 1 && n <= SIGNALS.length ? "SIG" + SIGNALS[n - 1] : n >= 34 && n <= 64 ? `SIGRTMIN+${n - 34}` : null;
  }
  return SIGNALS.includes(t) || /^RTM(IN|AX)([+-][0-9]+)?$/.test(t) ? "SIG" + t : null;
}

export const HELP = `Usage: audit-image [options] [PATH…]
       audit-image verify [options] …

Predict PID 1, the process tree and what \`docker stop\` does for a Dockerfile.
PATH is a Dockerfile, a Compose file, Kubernetes manifests, a directory
(scanned for Dockerfile, Containerfile, *.Dockerfile, *.containerfile,
Dockerfile.*, Containerfile.* and compose.yaml, skipping .git and
node_modules) or - for standard input.
Default: ./Dockerfile, else ./Containerfile

Options:
  --target STAGE          audit this stage (default: the last one)
  --build-arg K=V         set a build argument (repeatable; K alone reads $K)
  --env K=V, -e K=V       a variable of the container's environment, as with
                          docker run -e (repeatable; K alone reads $K): the
                          conditions on it are decided, which picks the run
  --context DIR           build context (default: the Dockerfile's directory)
  -f, --format FMT        tty (default), json, sarif or github
  -o, --output FILE       write the report to FILE instead of stdout
  --sarif-root DIR        SARIF paths are relative to DIR (default: the top
                          of the git repository, else the working directory)
  --fail-on LEVEL         exit 1 on findings at or above error (default),
                          warning, info; none never fails
  --stop-timeout SECONDS  grace period before SIGKILL (default 10)
  --platform P            docker (default), compose or k8s (grace 30 s)
  --base-config IMAGE=F   config of a base image (docker image inspect JSON)
  --service NAME          Compose: audit this service (default: all)
  --compose-file FILE     Compose files merged in order, as docker compose
                          -f a -f b (repeatable)

docker run's flags, taken as docker run takes them:
  --init                  docker-init (tini) is PID 1, the command its child
  --entrypoint CMD        a new ENTRYPOINT (one executable); drops the CMD
  --stop-signal SIG       the stop signal (over STOPSIGNAL)
  -u, --user USER         the user PID 1 runs as
  -w, --workdir DIR       the working directory
  -t, --tty / -i          a terminal / stdin kept open
  -- COMMAND [ARG…]       the command, which replaces the image's CMD
  -c, --config FILE       config file (default: .audit-image.json, searched
                          from the working directory upward)
  --no-config             do not read any config file
  --no-color              no colour (also when NO_COLOR is set)
  -q, --quiet             tty: findings only; no progress or warnings
  --scripts               the PATHs are scripts: audit the Dockerfiles under
                          the working directory whose analysis reads them (a
                          pre-commit hook on entrypoint scripts)
  --print-schema          print the JSON Schema of --format json
  -V, --version           print the version
  -h, --help              print this help

Exit codes: 0 nothing at or above --fail-on; 1 findings at or above it;
2 usage error, unreadable input or an incomplete audit; 3 no Dockerfile
found; 4 a Dockerfile that cannot be parsed.
`;
