import { originLine, type DockerfileModel } from "@audit-image/dockerfile";

/** The Dockerfile line that starts PID 1: the ENTRYPOINT, or the CMD when the ENTRYPOINT is inherited. */
export function startLine(model: DockerfileModel): number | null {
  const c = model.command;
  const part = [c?.entrypoint, c?.cmd].find((x) => x?.origin.kind === "instruction");
  return part ? originLine(part.origin) : null;
}
