// What a file test (`[ -e /use_fpm ]`, `[[ -x /app/run ]]`) can know from the image as built: a file the
// build puts there (a COPY, a RUN that writes or touches it, a catalogued file of the base image) is there
// when the container starts. Only that much is decided. A file the build does not make may still be there
// at run time (a bind mount, a volume, an earlier start of the same container), so its absence stays a
// run-time condition; and places the run itself fills (/tmp, /run, /dev, /proc, /sys) are not decided at all.
import { cleanAbs, joinAbs } from "@audit-image/dockerfile";
import { type Path, type World, sh } from "../world.js";

/** A file test the image answers: true when the build shows it holds, null when it does not know. */
export type FileOracle = (op: string, path: string) => true | null;

const RUNTIME_DIRS = /^\/(tmp|run|var\/run|var\/lock|dev|proc|sys)(\/|$)/;

export function imageFileOracle(w: World, p: Path): FileOracle {
  return (op, path) => {
    const cwd = p.stack.length ? sh(p).proc.cwd : undefined;
    let abs: string;
    if (path.startsWith("/")) abs = cleanAbs(path);
    else if (cwd === undefined) abs = joinAbs(w.model.config?.workingDir.value ?? "/", path);
    else if (cwd === null) return null;
    else abs = joinAbs(cwd, path);
    if (abs === "/" || RUNTIME_DIRS.test(abs)) return null;
    const r = w.model.resolve(abs);
    switch (op) {
      case "-e":
      case "-a":
        return r.kind === "context" || (r.kind === "base-image" && r.certain) || (r.kind === "unknown" && !r.maybe) ? true : null;
      case "-f":
        return r.kind === "context" && r.file.type === "file" ? true : null;
      case "-d":
        return r.kind === "context" && r.file.type === "dir" ? true : null;
      case "-x":
        return r.kind === "context" && r.executable === true ? true : null;
      case "-s": {
        const text = r.kind === "context" && r.file.type === "file" ? r.content() : null;
        return text ? true : null;
      }
      default:
        return null;
    }
  };
}
