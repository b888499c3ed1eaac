// `docker run` flags as a deployment of the image: what each flag sets, as the docker CLI and the daemon
// take it (measured on the engine, docs/deployments.md): --entrypoint is one executable and drops the
// image's CMD (with no command after it, `--entrypoint ""` leaves no command at all: "No command
// specified"); the words after the image replace CMD; --init runs `/sbin/docker-init -- <argv>`.
import type { Deployment } from "@audit-image/dockerfile";
import type { RunFlags } from "../args.js";

export const COMMAND_LINE = "<command line>";

export function hasRunFlags(f: RunFlags): boolean {
  return Object.values(f).some((v) => v !== undefined);
}

export function runDeployment(f: RunFlags): Deployment {
  const at = <T>(value: T) => ({ value, line: null });
  const d: Deployment = { kind: "docker-run", file: COMMAND_LINE };
  if (f.entrypoint !== undefined) d.entrypoint = at(f.entrypoint === "" ? [] : [f.entrypoint]);
  if (f.command !== undefined && f.command.length) d.command = at([...f.command]);
  if (f.init) d.init = at(true);
  if (f.stopSignal !== undefined) d.stopSignal = at(f.stopSignal);
  if (f.user !== undefined) d.user = at(f.user);
  if (f.workdir !== undefined) d.workingDir = at(f.workdir);
  if (f.tty) d.tty = at(true);
  if (f.interactive) d.stdin = at(true);
  return d;
}
