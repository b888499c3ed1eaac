// The readers of deployments, piece by piece: Compose's interpolation, word splitting, durations and env
// files (measured with docker-compose 1.29.2, docs/deployments.md), Kubernetes' $(VAR), and bad YAML.
import { describe, expect, test } from "vitest";
import { interpolate, parseDuration, parseEnvFile, readCompose, splitWords } from "../src/deploy/compose.js";
import { expandK8s, readKubernetes } from "../src/deploy/kubernetes.js";
import { parseArgs } from "../src/args.js";

describe("Compose", () => {
  test("a string command is split as a shell splits words, with no shell (measured: echo \"a b\" → [echo, a b])", () => {
    expect(splitWords(`echo "a b" 'c d' e\\ f "g\\"h"`)).toEqual(["echo", "a b", "c d", "e f", 'g"h']);
    expect(splitWords(`/bin/sh -c 'echo "$0 $1"' "x y"`)).toEqual(["/bin/sh", "-c", 'echo "$0 $1"', "x y"]);
    expect(splitWords(`unbalanced "quote`)).toBeNull();
  });
  test("interpolation: ${VAR}, defaults, $$ left for the literal $ (measured: ${WHO} from .env, $$HOME → $HOME)", () => {
    const vars = new Map([["WHO", "x"], ["EMPTY", ""]]);
    const unset = new Set<string>();
    expect(interpolate("${WHO} $WHO ${NOPE:-d} ${EMPTY:-e} ${EMPTY-f} ${WHO:+y} $$HOME", vars, unset)).toBe("x x d e  y $$HOME");
    expect(interpolate("${GONE}", vars, unset)).toBe("");
    expect([...unset]).toEqual(["GONE"]);
  });
  test("durations (measured: 1m30s → StopTimeout 90)", () => {
    expect(parseDuration("1m30s")).toBe(90);
    expect(parseDuration("10s")).toBe(10);
    expect(parseDuration("1.5s")).toBe(1.5);
    expect(parseDuration("500ms")).toBe(0.5);
    expect(parseDuration(20)).toBe(20);
    expect(parseDuration("soon")).toBeNull();
  });
  test("env files (measured: quotes and export removed)", () => {
    expect([...parseEnvFile('A=1\nB="quoted"\n# c\nC=\'single\'\nexport D=2\n')]).toEqual([["A", "1"], ["B", "quoted"], ["C", "single"], ["D", "2"]]);
  });
  test("YAML anchors and merge keys; a billion laughs is refused, not expanded", () => {
    const p = readCompose([{ file: "c.yaml", text: "x-common: &common\n  init: true\nservices:\n  a:\n    <<: *common\n    image: redis:7\n" }], { read: () => null });
    expect(p.services[0]!.deployment.init?.value).toBe(true);
    const laughs = ["a: &a [x,x,x,x,x,x,x,x,x,x]"];
    for (let i = 1; i < 9; i++) laughs.push(`${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(10).fill(`*${String.fromCharCode(96 + i)}`).join(",")}]`);
    const bomb = readCompose([{ file: "c.yaml", text: laughs.join("\n") + "\nservices:\n  s:\n    image: x\n" }], { read: () => null });
    expect(bomb.errors[0]?.message).toMatch(/too many values/);
  });
});

describe("Kubernetes", () => {
  test("$(VAR) from the container's env; $$ is $; an unknown reference stays as written", () => {
    const unknown = new Set<string>();
    expect(expandK8s("$(A)-$$(A)-$(B)", new Map([["A", "1"]]), unknown)).toBe("1-$(A)-$(B)");
    expect([...unknown]).toEqual(["B"]);
  });
  test("a later env entry may refer to an earlier one; valueFrom is unknown", () => {
    const k = readKubernetes("k.yaml", "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n    - name: c\n      image: x\n      env:\n        - name: A\n          value: one\n        - name: B\n          value: $(A)-two\n        - name: S\n          valueFrom:\n            secretKeyRef: {name: s, key: k}\n");
    const d = k.containers[0]!.deployment;
    expect(d.env).toEqual({ A: { value: "one", line: 10 }, B: { value: "one-two", line: 12 } });
    expect(k.containers[0]!.warnings.join(" ")).toMatch(/S comes from valueFrom/);
  });
  test("preStop exec sleep and sh -c sleep have a known time; runAsUser of the container over the pod's", () => {
    const k = readKubernetes("k.yaml", "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  securityContext:\n    runAsUser: 1\n  containers:\n    - name: c\n      image: x\n      securityContext:\n        runAsUser: 2\n        runAsGroup: 3\n      lifecycle:\n        preStop:\n          exec:\n            command: [\"/bin/sh\", \"-c\", \"sleep 5\"]\n");
    const d = k.containers[0]!.deployment;
    expect(d.preStop?.value).toEqual({ kind: "exec", what: "/bin/sh -c sleep 5", seconds: 5 });
    expect(d.user?.value).toBe("2:3");
    expect(d.gracePeriod?.value).toBe(30);
  });
});

describe("docker run flags", () => {
  test("parsed as docker run takes them", () => {
    const a = parseArgs(["--init", "-it", "--stop-signal", "term", "-u", "1000:1000", "-w", "/srv", "--entrypoint", "", "Dockerfile", "--", "x", "-y"], {});
    expect(a.run).toEqual({ init: true, interactive: true, tty: true, stopSignal: "SIGTERM", user: "1000:1000", workdir: "/srv", entrypoint: "", command: ["x", "-y"] });
    expect(parseArgs(["--stop-signal", "9"], {}).run.stopSignal).toBe("SIGKILL");
  });
});
