// A rule tester in the manner of ESLint's RuleTester (https://eslint.org/docs/latest/integrate/nodejs-api#ruletester):
//
//   new RuleTester().run(rule, {
//     valid: [{ fromDoc: "good" }, { name: "…", dockerfile: "FROM …", files: { "e.sh": { content, mode: 0o755 } } }],
//     invalid: [{ fromDoc: "bad", errors: [{ file: "Dockerfile", line: 4, severity: "error", message: /…/ }] }],
//   });
//
// Each case is one vitest test. A case is the Bad or Good example of docs/rules/<id>.md (`fromDoc`), possibly
// edited, or a Dockerfile with its build-context files; options of analyze() and buildModel() (stopTimeout,
// stopSignal, limits, rules, baseConfigs, buildArgs, target, …) and `platform` go on the case, or on the tester
// as defaults. The whole analyzer runs (every rule, as in production); the tester looks at the rule's findings:
//   - valid: the rule reports nothing (and does not throw);
//   - invalid: it reports exactly the listed findings, in report order (by file, then line), each at its file,
//     line and severity, with its message (a string is compared whole, a RegExp must match) or its messageId;
//     optionally also column, fix and related locations.
// `check(analysis, findings)` holds any further assertion (the prediction, for instance).
//
// Message ids: rules declare `meta.messages` (id → template with {{placeholders}}, as ESLint's), and an expected
// finding may name `messageId` (and `data`) instead of `message`. The tester then checks that the id is one of the
// rule's, that the finding carries it (`finding.messageId`), and, given `data`, that the message is the template
// filled in. Every message of the rule must come out of at least one invalid case: a sentence no test
// produces is a sentence nobody has read.
//
// Test support only: it lives outside src/, so it is neither compiled into dist nor published.
import { afterAll, describe, expect, test } from "vitest";
import { applyDeployment, buildModel, memoryFs, type Deployment, type ModelOptions } from "@audit-image/dockerfile";
import { analyze, type Analysis, type AnalyzeOptions } from "../../src/analyze.js";
import type { Rule } from "../../src/rules/rule.js";
import type { Finding, Severity } from "../../src/types.js";
import { readDocPage } from "./doc-examples.js";
// The CLI reads Compose files and manifests; the pages' deployments are read the same way.
import { readCompose } from "../../../cli/src/deploy/compose.js";
import { readKubernetes } from "../../../cli/src/deploy/kubernetes.js";

/** As the CLI's --platform: k8s makes the default grace period 30 s, the others 10 s (packages/cli/src/audit.ts). */
export type Platform = "docker" | "compose" | "k8s";

/** The options of a case, or a tester's defaults: those of analyze() and of buildModel(), and the platform. */
export interface CaseOptions extends AnalyzeOptions, Omit<ModelOptions, "context"> {
  platform?: Platform;
  /** Where the container runs (docker run flags, a Compose service, a Kubernetes container): the image is analysed as it runs it. */
  deployment?: Deployment;
}

export type ContextFiles = Record<string, string | { content: string; mode?: number }>;

interface CaseCommon extends CaseOptions {
  /** The test's title. Default: derived from the case ("Bad: fires once, at entrypoint.sh:4"). */
  name?: string;
  /** Build-context files; with `fromDoc`, added to the page's (a file of the same path replaces the page's). */
  files?: ContextFiles;
  /** Further assertions, on the whole analysis and on the rule's findings. */
  check?: (analysis: Analysis, findings: Finding[]) => void;
}

/** Where the Dockerfile comes from: an example of the rule's page (edited or not), or the case itself. */
export type CaseSource =
  | {
      /** The Bad or Good example of docs/rules/<id>.md: its Dockerfile and its context files. */
      fromDoc: "bad" | "good";
      /** Replaces the page's Dockerfile (a string), or edits it (a function of the page's text). */
      dockerfile?: string | ((pageDockerfile: string) => string);
    }
  | { fromDoc?: undefined; dockerfile: string };

export type ValidCase = CaseCommon & CaseSource & { errors?: undefined };

export type InvalidCase<Id extends string = never> = CaseCommon &
  CaseSource & {
    /** The rule's findings, all of them, in report order. */
    errors: [ExpectedFinding<Id>, ...ExpectedFinding<Id>[]];
  };

export type MessageData = Record<string, string | number>;

interface ExpectedPlace {
  file: string;
  line: number;
  severity: Severity;
  column?: number;
  /** Each given field is compared: a string whole, a RegExp must match. */
  fix?: { description?: string | RegExp; replacement?: string | RegExp };
  /** Compared whole. */
  related?: NonNullable<Finding["related"]>;
}

/** The message, as text, or (once the rule has meta.messages) as an id; not both, as in ESLint. */
export type ExpectedMessage<Id extends string> =
  | { message: string | RegExp; messageId?: undefined; data?: undefined }
  | { messageId: Id; data?: MessageData; message?: undefined };

export type ExpectedFinding<Id extends string = never> = ExpectedPlace & ExpectedMessage<Id>;

/** The message ids of a rule: the keys of its meta.messages; `never` while rules have none. */
export type MessageIds<R extends Rule> = R["meta"] extends { messages?: infer M }
  ? NonNullable<M> extends Record<string, string>
    ? Extract<keyof NonNullable<M>, string>
    : never
  : never;

export interface RuleTests<Id extends string = never> {
  valid: ValidCase[];
  invalid: InvalidCase<Id>[];
}

// Every key a case or an expected finding may have, to catch a misspelt one (the tests are not type-checked).
// `satisfies` keeps these lists equal to the types' keys.
type Keys<T> = T extends unknown ? keyof T : never;
const CASE_KEYS = {
  name: true, fromDoc: true, dockerfile: true, files: true, check: true, errors: true, platform: true,
  stopTimeout: true, stopSignal: true, limits: true, rules: true, contextPrefix: true,
  file: true, target: true, buildArgs: true, dockerignore: true, catalogs: true, baseConfigs: true, maxBytes: true, deployment: true, env: true,
} satisfies Record<Keys<ValidCase | InvalidCase<string>>, true>;
const OPTION_KEYS = Object.keys(CASE_KEYS).filter((k) => !["name", "fromDoc", "dockerfile", "files", "check", "errors"].includes(k));
const FINDING_KEYS = {
  file: true, line: true, severity: true, column: true, fix: true, related: true, message: true, messageId: true, data: true,
} satisfies Record<Keys<ExpectedFinding<string>>, true>;
const SEVERITIES: readonly Severity[] = ["error", "warning", "info"];

export class RuleTester {
  constructor(private readonly defaults: CaseOptions = {}) {
    checkKeys(defaults, OPTION_KEYS, "RuleTester options");
  }

  /**
   * Declares one vitest test per case, under describe(<rule id>) › valid / invalid. The cases must include the
   * page's Good example as a valid case and its Bad example as an invalid one, unedited.
   */
  run<R extends Rule>(rule: R, tests: RuleTests<MessageIds<R>>): void {
    const id = rule.meta.id;
    checkTests(rule, tests);
    const produced = new Set<string>();
    let invalidRan = 0;
    const caseTest = (c: ValidCase | InvalidCase<string>, valid: boolean) => () => {
      const analysis = runCase(rule, c, this.defaults);
      assertNoCrash(rule, analysis);
      if (valid) assertValid(rule, analysis);
      else {
        assertInvalid(rule, analysis, (c as InvalidCase<string>).errors);
        for (const f of findingsFor(analysis, id)) if (f.messageId) produced.add(f.messageId);
        invalidRan++;
      }
      c.check?.(analysis, findingsFor(analysis, id));
    };
    afterAll(() => {
      // Only when every invalid case ran (a filtered run, -t, proves nothing about coverage).
      if (invalidRan < tests.invalid.length) return;
      const unused = Object.keys(rule.meta.messages).filter((m) => !produced.has(m));
      expect(unused, `${id}: no invalid case produces these messages of meta.messages`).toEqual([]);
    });
    describe(id, () => {
      describe("valid", () => {
        for (const c of tests.valid) test(c.name ?? caseName(c), caseTest(c, true));
      });
      describe("invalid", () => {
        for (const c of tests.invalid) test(c.name ?? caseName(c), caseTest(c, false));
      });
    });
  }
}

/** Builds the model of a case and analyzes it. */
export function runCase(rule: Rule, c: ValidCase | InvalidCase<string>, defaults: CaseOptions = {}): Analysis {
  let dockerfile: string;
  let files: ContextFiles;
  let docDeployment: Deployment | undefined;
  if (c.fromDoc !== undefined) {
    const example = readDocPage(rule.meta.id)[c.fromDoc];
    docDeployment = deploymentOf(example.blocks);
    dockerfile = typeof c.dockerfile === "function" ? c.dockerfile(example.dockerfile) : (c.dockerfile ?? example.dockerfile);
    files = { ...example.files, ...c.files };
  } else {
    dockerfile = c.dockerfile;
    files = c.files ?? {};
  }
  const o: CaseOptions = { ...defaults, ...pick(c, OPTION_KEYS) };
  const { platform, stopTimeout, stopSignal, limits, rules, contextPrefix, deployment: given, env, ...model } = o;
  const deployment = given ?? docDeployment;
  const grace = stopTimeout ?? (platform === "k8s" ? 30 : undefined);
  const analyzeOptions: AnalyzeOptions = defined({ stopTimeout: grace, stopSignal, limits, rules, contextPrefix, env });
  const built = buildModel(dockerfile, { ...defined(model), context: memoryFs(files) });
  return analyze(deployment ? applyDeployment(built, deployment) : built, analyzeOptions);
}

/**
 * A page's deployment: a fenced block with `deployment=<file>` in its info string (```yaml deployment=compose.yaml)
 * is a Compose file or a Kubernetes manifest, read as the CLI reads it; its first service or container is the
 * deployment the example runs in.
 */
export function deploymentOf(blocks: readonly { attrs: Record<string, string>; content: string }[]): Deployment | undefined {
  const b = blocks.find((x) => x.attrs.deployment);
  if (!b) return undefined;
  const file = b.attrs.deployment!;
  if (/compose/.test(file)) {
    const p = readCompose([{ file, text: b.content }], { read: () => null });
    if (!p.services[0]) throw new Error(`the page's ${file} has no service: ${JSON.stringify(p.errors)}`);
    return p.services[0].deployment;
  }
  const k = readKubernetes(file, b.content);
  if (!k.containers[0]) throw new Error(`the page's ${file} has no container: ${JSON.stringify(k.errors)}`);
  return k.containers[0].deployment;
}

export function findingsFor(a: Analysis, ruleId: string): Finding[] {
  return a.findings.filter((f) => f.ruleId === ruleId);
}

/** A one-line view of findings, for failure messages. */
export function describeFindings(fs: Finding[]): string {
  return fs.map((f) => `${f.ruleId} ${f.severity} ${f.file}:${f.line} ${f.message}`).join("\n") || "(no findings)";
}

/** The rule ran to its end: the runner turns a rule that throws into an internal-error finding. */
export function assertNoCrash(rule: Rule, a: Analysis): void {
  const crashes = a.findings.filter((f) => f.ruleId === "internal-error" && f.message.startsWith(`rule ${rule.meta.id} failed:`));
  expect(crashes, `${rule.meta.id} threw`).toEqual([]);
}

export function assertValid(rule: Rule, a: Analysis): void {
  expect(findingsFor(a, rule.meta.id), describeFindings(a.findings)).toEqual([]);
}

export function assertInvalid(rule: Rule, a: Analysis, errors: readonly ExpectedFinding<string>[]): void {
  const found = findingsFor(a, rule.meta.id);
  const all = describeFindings(a.findings);
  expect(found, all).toHaveLength(errors.length);
  errors.forEach((e, i) => {
    const f = found[i]!;
    const at = `finding ${i + 1} of ${errors.length}; the findings:\n${all}`;
    expect(f, at).toMatchObject({ file: e.file, line: e.line, severity: e.severity });
    if (e.column !== undefined) expect(f.column, `column, ${at}`).toBe(e.column);
    if (e.message !== undefined) expectText(f.message, e.message, `message, ${at}`);
    if (e.messageId !== undefined) {
      const messages = messagesOf(rule);
      expect(Object.keys(messages), `messageId "${e.messageId}" is not in ${rule.meta.id}'s meta.messages`).toContain(e.messageId);
      expect((f as Finding & { messageId?: string }).messageId, `messageId, ${at}`).toBe(e.messageId);
      if (e.data !== undefined) expect(f.message, `message from ${e.messageId} and data, ${at}`).toBe(interpolate(messages[e.messageId]!, e.data));
    }
    if (e.fix?.description !== undefined) expectText(f.fix?.description, e.fix.description, `fix.description, ${at}`);
    if (e.fix?.replacement !== undefined) expectText(f.fix?.replacement, e.fix.replacement, `fix.replacement, ${at}`);
    if (e.related !== undefined) expect(f.related, `related, ${at}`).toEqual(e.related);
  });
}

/** Fills a message template's {{name}} placeholders, as ESLint does (lib/linter/interpolate.js); unknown names stay. */
export function interpolate(template: string, data: MessageData): string {
  return template.replace(/\{\{([^{}]+?)\}\}/g, (whole, name: string) => {
    const key = name.trim();
    return key in data ? String(data[key]) : whole;
  });
}

function messagesOf(rule: Rule): Record<string, string> {
  const messages = (rule.meta as { messages?: Record<string, string> }).messages;
  if (!messages) throw new Error(`${rule.meta.id}: an expected finding names a messageId, but the rule has no meta.messages`);
  return messages;
}

function expectText(actual: string | undefined, expected: string | RegExp, what: string): void {
  if (typeof expected === "string") expect(actual, what).toBe(expected);
  else expect(actual, what).toMatch(expected);
}

/** The default title: where the Dockerfile comes from, the options, and what the rule must do. */
export function caseName(c: ValidCase | InvalidCase<string>): string {
  let source = c.fromDoc === "bad" ? "Bad" : c.fromDoc === "good" ? "Good" : "Dockerfile";
  if (c.fromDoc !== undefined && (c.dockerfile !== undefined || c.files !== undefined)) source += " (edited)";
  if (c.fromDoc === undefined) source += ` ${JSON.stringify(c.dockerfile.length > 60 ? c.dockerfile.slice(0, 57) + "…" : c.dockerfile)}`;
  const options = Object.entries(pick(c, OPTION_KEYS)).map(([k, v]) => `${k}=${JSON.stringify(v)}`);
  const head = [source, ...options].join(", ");
  if (!c.errors) return `${head}: does not fire`;
  const n = c.errors.length;
  return `${head}: fires ${n === 1 ? "once" : `${n} times`}, at ${c.errors.map((e) => `${e.file}:${e.line}`).join(", ")}`;
}

/** The checks ESLint's RuleTester makes on the cases themselves; a malformed case fails the whole file. */
function checkTests(rule: Rule, tests: RuleTests<string>): void {
  const id = rule.meta.id;
  const fail = (msg: string): never => {
    throw new Error(`RuleTester(${id}): ${msg}`);
  };
  if (!tests || !Array.isArray(tests.valid) || !Array.isArray(tests.invalid)) fail("the tests must have the arrays valid and invalid");
  checkKeys(tests, ["valid", "invalid"], "the tests");
  const check = (c: ValidCase | InvalidCase<string>, where: string) => {
    checkKeys(c, Object.keys(CASE_KEYS), where);
    if (c.fromDoc !== undefined && c.fromDoc !== "bad" && c.fromDoc !== "good") fail(`${where}: fromDoc must be "bad" or "good"`);
    if (c.fromDoc === undefined && typeof c.dockerfile !== "string") fail(`${where}: a case needs fromDoc or a dockerfile string`);
  };
  tests.valid.forEach((c, i) => {
    check(c, `valid[${i}]`);
    if (c.errors !== undefined) fail(`valid[${i}] has errors: move it to invalid`);
  });
  tests.invalid.forEach((c, i) => {
    check(c, `invalid[${i}]`);
    if (!Array.isArray(c.errors) || c.errors.length === 0) fail(`invalid[${i}] must list the findings it expects (errors)`);
    c.errors.forEach((e, j) => {
      const where = `invalid[${i}].errors[${j}]`;
      checkKeys(e, Object.keys(FINDING_KEYS), where);
      if (typeof e.file !== "string" || !Number.isInteger(e.line)) fail(`${where} needs file and line`);
      if (!SEVERITIES.includes(e.severity)) fail(`${where} needs a severity (${SEVERITIES.join(", ")})`);
      if ((e.message === undefined) === (e.messageId === undefined)) fail(`${where} needs either message or messageId (not both)`);
      if (e.data !== undefined && e.messageId === undefined) fail(`${where}: data goes with messageId`);
      if (e.fix !== undefined) checkKeys(e.fix, ["description", "replacement"], `${where}.fix`);
    });
  });
  const plain = (c: ValidCase | InvalidCase<string>) => c.dockerfile === undefined && c.files === undefined && Object.keys(pick(c, OPTION_KEYS)).length === 0;
  if (!tests.valid.some((c) => c.fromDoc === "good" && plain(c)) || !tests.invalid.some((c) => c.fromDoc === "bad" && plain(c))) {
    fail(`the examples of docs/rules/${id}.md are the rule's first tests: run the Good one as a valid case ({ fromDoc: "good" }) and the Bad one as an invalid case ({ fromDoc: "bad", errors: […] }), unedited`);
  }
}

function checkKeys(o: object, allowed: readonly string[], where: string): void {
  const unknown = Object.keys(o).filter((k) => !allowed.includes(k));
  if (unknown.length) throw new Error(`RuleTester: ${where}: unknown ${unknown.length === 1 ? "property" : "properties"} ${unknown.join(", ")} (known: ${allowed.join(", ")})`);
}

function pick(o: object, keys: readonly string[]): Record<string, unknown> {
  return Object.fromEntries(Object.entries(o).filter(([k, v]) => keys.includes(k) && v !== undefined));
}

function defined<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}
