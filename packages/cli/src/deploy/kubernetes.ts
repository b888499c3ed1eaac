// Kubernetes manifests (several documents; the output of `helm template` and `kustomize build` as it is):
// each container of a Pod, Deployment, StatefulSet, DaemonSet, ReplicaSet, Job or CronJob (or of a List of
// them) is one unit. The rules, each documented by Kubernetes (docs/deployments.md cites them):
// - `command` replaces the image's ENTRYPOINT and drops its CMD; `args` replaces CMD;
// - `$(VAR)` in command and args is expanded by Kubernetes from the container's env (not by a shell, not from
//   the image's ENV); a reference that cannot be resolved stays as written; `$$` is a literal `$`;
// - the stop signal is the image's STOPSIGNAL unless `lifecycle.stopSignal` is set;
// - terminationGracePeriodSeconds (default 30) counts from the start of the preStop hook;
// - shareProcessNamespace: the pod's pause process is PID 1;
// - tty / stdin, securityContext.runAsUser (the container's over the pod's), workingDir.
import type { Deployment, PreStop, Setting } from "@audit-image/dockerfile";
import type { Unit } from "./manifest.js";
import { get, keyLine, parseYamlDocuments, str, YamlError, type Y } from "./yaml-doc.js";

/** Where each kind keeps its pod spec. */
const POD_SPEC: Record<string, string[]> = {
  Pod: ["spec"],
  Deployment: ["spec", "template", "spec"],
  StatefulSet: ["spec", "template", "spec"],
  DaemonSet: ["spec", "template", "spec"],
  ReplicaSet: ["spec", "template", "spec"],
  ReplicationController: ["spec", "template", "spec"],
  Job: ["spec", "template", "spec"],
  CronJob: ["spec", "jobTemplate", "spec", "template", "spec"],
};

/** The grace period when the pod spec sets none (PodSpec.terminationGracePeriodSeconds: "Defaults to 30 seconds"). */
export const DEFAULT_GRACE = 30;

/**
 * `$(VAR)` as Kubernetes expands it (k8s.io/kubernetes third_party/forked/golang/expansion): from the
 * variables given, `$$` is a `$`, a reference to a variable not given stays as written.
 */
export function expandK8s(s: string, vars: ReadonlyMap<string, string>, unknown: Set<string>): string {
  return s.replace(/\$\$|\$\(([A-Za-z_][A-Za-z0-9_.-]*)\)/g, (m, name: string | undefined) => {
    if (m === "$$") return "$";
    const v = vars.get(name!);
    if (v === undefined) unknown.add(name!);
    return v ?? m;
  });
}

/** Seconds a preStop exec command is known to take: `sleep N`, or a shell whose whole string is `sleep N`. */
function execSeconds(cmd: string[]): number | null {
  const sleep = (w: string[]) => (w.length === 2 && /(^|\/)sleep$/.test(w[0]!) && /^[0-9]+(\.[0-9]+)?s?$/.test(w[1]!) ? Number(w[1]!.replace(/s$/, "")) : null);
  const direct = sleep(cmd);
  if (direct !== null) return direct;
  if (cmd.length === 3 && /(^|\/)(ba|da|a)?sh$/.test(cmd[0]!) && cmd[1] === "-c") return sleep(cmd[2]!.trim().split(/\s+/));
  return null;
}

export function readKubernetes(file: string, text: string): { containers: Unit[]; errors: { line: number | null; message: string }[] } {
  const errors: { line: number | null; message: string }[] = [];
  let docs: Y[];
  try {
    docs = parseYamlDocuments(text);
  } catch (e) {
    return { containers: [], errors: [{ line: e instanceof YamlError ? e.line : null, message: `not a valid YAML file: ${(e as Error).message}` }] };
  }
  const objects: Y[] = [];
  for (const d of docs) {
    if (str(get(d, "kind")) === "List") {
      const items = get(d, "items");
      if (items?.t === "seq") objects.push(...items.items);
    } else objects.push(d);
  }
  const units: Unit[] = [];
  for (const o of objects) {
    const kind = str(get(o, "kind"));
    if (!kind || !POD_SPEC[kind]) continue;
    const name = str(get(get(o, "metadata"), "name")) ?? "?";
    let spec: Y | undefined = o;
    for (const k of POD_SPEC[kind]!) spec = get(spec, k);
    const containers = get(spec, "containers");
    if (!spec || containers?.t !== "seq") {
      errors.push({ line: o.line, message: `${kind}/${name}: no containers in its pod spec` });
      continue;
    }
    for (const c of containers.items) units.push(containerUnit(file, `${kind.toLowerCase()}/${name}`, spec, c));
  }
  if (units.length === 0 && errors.length === 0) errors.push({ line: null, message: "no Pod, Deployment, StatefulSet, DaemonSet, ReplicaSet, Job or CronJob with containers here" });
  return { containers: units, errors };
}

function containerUnit(file: string, workload: string, pod: Y, c: Y): Unit {
  const warnings: string[] = [];
  const cname = str(get(c, "name")) ?? "?";
  const at = <T>(value: T, line: number | null): Setting<T> => ({ value, line });
  const d: Deployment = { kind: "kubernetes", file, workload, container: cname, line: get(c, "name")?.line ?? c.line };
  // The container's env, in order: a value may refer to the ones before it.
  const vars = new Map<string, string>();
  const env = get(c, "env");
  const unknownRefs = new Set<string>();
  if (env?.t === "seq") {
    d.env = {};
    for (const e of env.items) {
      const n = str(get(e, "name"));
      if (!n) continue;
      const v = get(e, "value");
      if (get(e, "valueFrom")) {
        warnings.push(`env ${n} comes from valueFrom (a secret, a config map, a field): its value is known only in the cluster`);
        continue;
      }
      const value = expandK8s(str(v) ?? "", vars, new Set());
      vars.set(n, value);
      d.env[n] = at(value, e.line);
    }
  }
  if (get(c, "envFrom")) warnings.push("envFrom: the variables of a config map or secret are known only in the cluster");
  const words = (k: "command" | "args"): Setting<string[]> | undefined => {
    const y = get(c, k);
    if (y?.t !== "seq") return undefined;
    return at(y.items.map((i) => expandK8s(str(i) ?? "", vars, unknownRefs)), keyLine(c, k));
  };
  const command = words("command");
  const args = words("args");
  // command is the ENTRYPOINT (the image's CMD goes with it); args is the CMD.
  if (command) d.entrypoint = command;
  if (args) d.command = args;
  for (const r of unknownRefs) warnings.push(`$(${r}) is not a variable of the container's env: Kubernetes leaves it as written`);
  const lifecycle = get(c, "lifecycle");
  const sig = str(get(lifecycle, "stopSignal"));
  if (sig) d.stopSignal = at(sig.toUpperCase().startsWith("SIG") ? sig.toUpperCase() : "SIG" + sig.toUpperCase(), keyLine(lifecycle, "stopSignal"));
  const graceY = get(pod, "terminationGracePeriodSeconds");
  const grace = graceY?.t === "scalar" && typeof graceY.value === "number" ? graceY.value : DEFAULT_GRACE;
  d.gracePeriod = at(grace, graceY ? keyLine(pod, "terminationGracePeriodSeconds") : null);
  const pre = get(lifecycle, "preStop");
  if (pre) {
    const line = keyLine(lifecycle, "preStop");
    let p: PreStop | null = null;
    const exec = get(get(pre, "exec"), "command");
    const http = get(pre, "httpGet");
    const sleep = get(get(pre, "sleep"), "seconds");
    if (exec?.t === "seq") {
      const cmd = exec.items.map((i) => str(i) ?? "");
      p = { kind: "exec", what: cmd.join(" "), seconds: execSeconds(cmd) };
    } else if (http) p = { kind: "httpGet", what: `${str(get(http, "path")) ?? "/"} on port ${str(get(http, "port")) ?? "?"}`, seconds: null };
    else if (sleep) {
      const n = sleep.t === "scalar" && typeof sleep.value === "number" ? sleep.value : null;
      p = { kind: "sleep", what: `${n ?? "?"} s`, seconds: n };
    } else if (get(pre, "tcpSocket")) p = { kind: "tcpSocket", what: "a TCP connection (deprecated: not run)", seconds: 0 };
    if (p) d.preStop = at(p, line);
  }
  const share = get(pod, "shareProcessNamespace");
  if (share?.t === "scalar" && share.value === true) d.sharedPid = at(true, keyLine(pod, "shareProcessNamespace"));
  const bool = (k: string) => {
    const y = get(c, k);
    return y?.t === "scalar" && y.value === true ? at(true, keyLine(c, k)) : undefined;
  };
  const tty = bool("tty");
  if (tty) d.tty = tty;
  const stdin = bool("stdin");
  if (stdin) d.stdin = stdin;
  const uid = (sc: Y | undefined) => get(sc, "runAsUser");
  const csc = get(c, "securityContext");
  const psc = get(pod, "securityContext");
  const u = uid(csc) ?? uid(psc);
  if (u?.t === "scalar" && u.value !== null) {
    const g = get(csc, "runAsGroup") ?? get(psc, "runAsGroup");
    d.user = at(`${u.value}${g?.t === "scalar" && g.value !== null ? `:${g.value}` : ""}`, u.line);
  }
  const wd = str(get(c, "workingDir"));
  if (wd) d.workingDir = at(wd, keyLine(c, "workingDir"));
  const image = str(get(c, "image"));
  const from: Unit["from"] = image ? { kind: "image", image, line: get(c, "image")!.line } : { kind: "none", line: c.line };
  return { deployment: d, from, warnings };
}
