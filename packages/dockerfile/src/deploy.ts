// Where the container really runs: `docker run` flags, a Compose service or a Kubernetes container set
// what the image's config says (ENTRYPOINT, CMD, Env, User, WorkingDir, StopSignal) and add what the image
// cannot say (an init injected as PID 1, a terminal, the grace period, a preStop hook, a shared PID
// namespace). applyDeployment() gives the model of the image as that deployment runs it: the analyzer then
// reads it as it reads any image.
//
// The one rule for ENTRYPOINT and CMD is the Docker daemon's (docker run --entrypoint, Compose
// entrypoint:/command:, Kubernetes command:/args: all come to it): a new entrypoint drops the image's CMD
// unless a command is given too; a new command replaces CMD and keeps the ENTRYPOINT.
import { cleanAbs, joinAbs } from "./paths.js";
import type { CommandPart, DockerfileModel, Effect, Located, Origin, PathResolution } from "./types.js";

export type DeploymentKind = "docker-run" | "compose" | "kubernetes";

/** A value the deployment sets, and the line of the manifest that sets it (null: the command line, or not known). */
export interface Setting<T> {
  value: T;
  line: number | null;
  /** Set in another file than the deployment's own (an extends: file, a second -f file, an env_file). */
  file?: string;
}

/** Kubernetes lifecycle.preStop: what runs before the stop signal, and the seconds it is known to take. */
export interface PreStop {
  kind: "exec" | "httpGet" | "sleep" | "tcpSocket";
  /** exec: the command; httpGet: the path; sleep: the seconds. */
  what: string;
  /** Seconds it takes when known (sleep N, exec `sleep N`), else null. */
  seconds: number | null;
}

export interface Deployment {
  kind: DeploymentKind;
  /** The manifest (a path as the user names it), or "<command line>" for docker run flags. */
  file: string;
  service?: string;
  workload?: string;
  container?: string;
  /** A new ENTRYPOINT (exec form); [] or [""] resets it to none. It drops the image's CMD unless `command` is set. */
  entrypoint?: Setting<string[]>;
  /** A new CMD (exec form). */
  command?: Setting<string[]>;
  env?: Record<string, Setting<string>>;
  user?: Setting<string>;
  workingDir?: Setting<string>;
  stopSignal?: Setting<string>;
  /** docker run --init, Compose init: true: docker-init (tini) is PID 1 and runs the command as its child. */
  init?: Setting<boolean>;
  tty?: Setting<boolean>;
  stdin?: Setting<boolean>;
  /** Seconds between the stop signal and SIGKILL (stop_grace_period, terminationGracePeriodSeconds). */
  gracePeriod?: Setting<number>;
  preStop?: Setting<PreStop>;
  /** Kubernetes shareProcessNamespace: the pod's pause process is PID 1; the container's command is not. */
  sharedPid?: Setting<boolean>;
  /** The line that names the service or container, for findings the deployment causes. */
  line?: number | null;
}

/** Where Docker mounts its init in the container (docker run --init; dockerd --init-path is on the host). */
export const DOCKER_INIT = "/sbin/docker-init";

const originOf = (d: Deployment, s: Setting<unknown>): Origin => ({ kind: "deployment", file: s.file ?? d.file, line: s.line, deployment: d.kind });

/** The model of the image as the deployment runs it. The model given is not changed. */
export function applyDeployment(model: DockerfileModel, d: Deployment): DockerfileModel {
  if (!model.config || !model.command) return { ...model, deployment: d, image: model };
  const config = { ...model.config, env: { ...model.config.env } };
  const cmdPart = (keyword: "ENTRYPOINT" | "CMD", s: Setting<string[]>): CommandPart | null =>
    s.value.length === 0 || (s.value.length === 1 && s.value[0] === "")
      ? null
      : { keyword, form: "exec", words: [...s.value], text: null, shell: null, jsonFallback: null, origin: originOf(d, s) };
  if (d.entrypoint) {
    config.entrypoint = cmdPart("ENTRYPOINT", d.entrypoint);
    config.cmd = d.command ? cmdPart("CMD", d.command) : null;
  } else if (d.command) config.cmd = cmdPart("CMD", d.command);
  const located = <T>(s: Setting<T>): Located<T> => ({ value: s.value, origin: originOf(d, s) });
  for (const [k, v] of Object.entries(d.env ?? {})) config.env[k] = located(v);
  if (d.user) config.user = located(d.user);
  if (d.workingDir) config.workingDir = located({ ...d.workingDir, value: cleanAbs(joinAbs(model.config.workingDir.value, d.workingDir.value)) });
  if (d.stopSignal) config.stopSignal = located(d.stopSignal);

  const commandChanged = d.entrypoint !== undefined || d.command !== undefined;
  let effects = model.effects;
  let command = model.command;
  if (commandChanged) {
    // The effects about the image's own command no longer describe what runs.
    const stale = new Set<Effect["kind"]>(["cmd-ignored", "no-command", "command-unknown", "inherited-cmd-reset"]);
    effects = model.effects.filter((e) => !stale.has(e.kind));
    const ep = config.entrypoint;
    const cmd = config.cmd;
    const argv = [...(ep?.words ?? []), ...(cmd?.words ?? [])];
    const cmdIgnored = ep?.form === "shell" && (cmd?.words.length ?? 0) > 0;
    if (cmdIgnored) effects.push({ kind: "cmd-ignored", entrypointLine: ep!.origin.kind === "instruction" || ep!.origin.kind === "stage" ? ep!.origin.line : null, cmd: cmd! });
    const unknownBase = model.command.unknownBase;
    if (argv.length === 0 && unknownBase === null) effects.push({ kind: "no-command", line: d.entrypoint?.line ?? model.target?.line ?? null });
    command = {
      argv: argv.length ? argv : null,
      path: argv[0] ?? null,
      args: argv.slice(1),
      entrypoint: ep,
      cmd,
      cmdIgnored,
      resetCmd: null,
      unknownBase: argv.length ? model.command.unknownBase : unknownBase,
    };
  }
  if (d.init?.value && command.argv) {
    // docker-init is started as `docker-init -- <argv>` (moby: daemon/oci_linux.go, WithInit / the init
    // path and "--" before the container's args; Compose's init: true sets the same HostConfig.Init).
    command = { ...command, argv: [DOCKER_INIT, "--", ...command.argv], path: DOCKER_INIT, args: ["--", ...command.argv] };
  }
  const workdir = config.workingDir.value;
  const pathVar = config.env.PATH?.value;
  const initRes: PathResolution = { kind: "base-image", imagePath: DOCKER_INIT, certain: true, file: null };
  const resolve: DockerfileModel["resolve"] = (word, opts = {}) => {
    if (d.init?.value && word === DOCKER_INIT) return initRes;
    return model.resolve(word, { cwd: opts.cwd ?? workdir, ...(opts.path ?? pathVar ? { path: opts.path ?? pathVar } : {}) });
  };
  return { ...model, config, command, effects, resolve, deployment: d, image: model };
}
