// The rule tester itself: it must fail on every mismatch it claims to check, so that a rule test is as strong
// as its cases read.
import { describe, expect, test } from "vitest";
import type { Analysis } from "../../src/analyze.js";
import type { Rule } from "../../src/rules/rule.js";
import type { Finding, Prediction } from "../../src/types.js";
import { rule as shellStaysPid1 } from "../../src/rules/shell-stays-pid1.js";
import { RuleTester, assertInvalid, assertNoCrash, assertValid, caseName, interpolate, runCase, type ExpectedFinding, type MessageIds } from "./rule-tester.js";

const meta = { id: "x-rule", title: "A rule for the tester's tests", severity: "warning", rationale: "r", fix: "f", aliases: [] } as const;
const rule: Rule = { meta: { ...meta, aliases: [] }, check() {} };
// A rule as it will look once rules declare their messages (ESLint's meta.messages).
const withMessages = {
  meta: { ...meta, aliases: [], messages: { stays: "{{ shell }} stays PID 1 and waits for {{child}}" } },
  check() {},
} satisfies Rule & { meta: { messages: Record<string, string> } };
// The types (checked by tsc on this file, not by vitest): the ids are the keys of meta.messages, and none before.
const someId: MessageIds<typeof withMessages> = "stays";
// @ts-expect-error a rule without meta.messages has no message ids
const noId: MessageIds<typeof shellStaysPid1> = "stays";
void [someId, noId];

const finding = (f: Partial<Finding> & { messageId?: string } = {}): Finding =>
  ({ ruleId: "x-rule", severity: "warning", file: "entrypoint.sh", line: 4, column: 1, message: "sh stays PID 1 and waits for nginx", ...f }) as Finding;
const analysis = (...findings: Finding[]): Analysis => ({ prediction: {} as Prediction, findings, issues: [] });
/** Fails with an assertion error (not any error: a TypeError would hide a broken check). */
const assertionFails = (f: () => void) => {
  let error: unknown;
  try {
    f();
  } catch (e) {
    error = e;
  }
  expect((error as Error | undefined)?.name, String(error)).toBe("AssertionError");
};
const expected: ExpectedFinding = { file: "entrypoint.sh", line: 4, severity: "warning", message: "sh stays PID 1 and waits for nginx" };

describe("assertInvalid", () => {
  test("passes when the findings are the expected ones", () => {
    assertInvalid(rule, analysis(finding(), finding({ ruleId: "other" })), [expected]);
    assertInvalid(rule, analysis(finding({ column: 6, fix: { description: "use exec", replacement: 'exec "$@"' }, related: [{ file: "Dockerfile", line: 5, message: "m" }] })), [
      { ...expected, message: /waits for nginx$/, column: 6, fix: { description: /exec/, replacement: 'exec "$@"' }, related: [{ file: "Dockerfile", line: 5, message: "m" }] },
    ]);
  });
  test.each([
    ["one finding too many", [finding(), finding({ line: 5 })], [expected]],
    ["one finding missing", [finding()], [expected, { ...expected, line: 5 }]],
    ["another file", [finding({ file: "Dockerfile" })], [expected]],
    ["another line", [finding({ line: 3 })], [expected]],
    ["another severity", [finding({ severity: "error" })], [expected]],
    ["a string message is compared whole", [finding({ message: "sh stays PID 1 and waits for nginx!" })], [expected]],
    ["a RegExp message must match", [finding()], [{ ...expected, message: /waits for java/ }]],
    ["another column", [finding({ column: 2 })], [{ ...expected, column: 6 }]],
    ["no fix", [finding()], [{ ...expected, fix: { replacement: "x" } }]],
    ["another fix description", [finding({ fix: { description: "add exec" } })], [{ ...expected, fix: { description: /chmod/ } }]],
    ["other related locations", [finding({ related: [{ file: "Dockerfile", line: 5, message: "m" }] })], [{ ...expected, related: [] }]],
    ["the findings in another order", [finding({ line: 2 }), finding()], [expected, { ...expected, line: 2 }]],
  ] as [string, Finding[], ExpectedFinding[]][])("fails on %s", (_what, found, errors) => {
    assertionFails(() => assertInvalid(rule, analysis(...found), errors));
  });
});

describe("messageId", () => {
  const e = { file: "entrypoint.sh", line: 4, severity: "warning" } as const;
  test("checks the id, and the message filled in from data", () => {
    assertInvalid(withMessages, analysis(finding({ messageId: "stays" })), [{ ...e, messageId: "stays" }]);
    assertInvalid(withMessages, analysis(finding({ messageId: "stays" })), [{ ...e, messageId: "stays", data: { shell: "sh", child: "nginx" } }]);
  });
  test("fails on another message, an id the finding lacks, or an id the rule lacks", () => {
    assertionFails(() => assertInvalid(withMessages, analysis(finding({ messageId: "stays" })), [{ ...e, messageId: "stays", data: { shell: "bash", child: "nginx" } }]));
    assertionFails(() => assertInvalid(withMessages, analysis(finding()), [{ ...e, messageId: "stays" }]));
    expect(() => assertInvalid(withMessages, analysis(finding({ messageId: "other" })), [{ ...e, messageId: "other" as "stays" }])).toThrow(/not in x-rule's meta.messages/);
    expect(() => assertInvalid(rule, analysis(finding({ messageId: "stays" })), [{ ...e, messageId: "stays" } as unknown as ExpectedFinding])).toThrow(/has no meta.messages/);
  });
  test("interpolate fills {{name}} as ESLint does and leaves unknown names", () => {
    expect(interpolate("{{ a }}-{{b}}-{{c}}-{{}}", { a: 1, b: "x" })).toBe("1-x-{{c}}-{{}}");
  });
});

describe("assertValid and assertNoCrash", () => {
  test("valid fails when the rule fires, whatever other rules do", () => {
    assertValid(rule, analysis(finding({ ruleId: "other" })));
    assertionFails(() => assertValid(rule, analysis(finding())));
  });
  test("a rule that throws is caught through the runner's internal-error finding", () => {
    assertNoCrash(rule, analysis(finding({ ruleId: "internal-error", message: "rule other failed: boom" })));
    expect(() => assertNoCrash(rule, analysis(finding({ ruleId: "internal-error", message: "rule x-rule failed: boom" })))).toThrow(/x-rule threw/);
  });
});

describe("malformed tests fail the file, before any test runs", () => {
  const tester = new RuleTester();
  const good = { fromDoc: "good" } as const;
  const bad = { fromDoc: "bad", errors: [expected] } as const;
  test.each([
    ["a misspelt option", { valid: [good, { fromDoc: "good", stopTimout: 30 }], invalid: [bad] }, /unknown property stopTimout/],
    ["a misspelt expected field", { valid: [good], invalid: [{ fromDoc: "bad", errors: [{ ...expected, lines: 4 }] }] }, /unknown property lines/],
    ["an invalid case without errors", { valid: [good], invalid: [bad, { fromDoc: "bad" }] }, /must list the findings/],
    ["a valid case with errors", { valid: [good, bad], invalid: [bad] }, /move it to invalid/],
    ["a finding without severity", { valid: [good], invalid: [{ fromDoc: "bad", errors: [{ file: "a", line: 1, message: "m" }] }] }, /needs a severity/],
    ["a finding with message and messageId", { valid: [good], invalid: [{ fromDoc: "bad", errors: [{ ...expected, messageId: "m" }] }] }, /either message or messageId/],
    ["a case with neither fromDoc nor dockerfile", { valid: [good, {}], invalid: [bad] }, /needs fromDoc or a dockerfile/],
    ["no unedited Good example", { valid: [{ fromDoc: "good", stopTimeout: 30 }], invalid: [bad] }, /run the Good one as a valid case/],
    ["no Bad example", { valid: [good], invalid: [{ dockerfile: "FROM scratch\n", errors: [expected] }] }, /the Bad one as an invalid case/],
  ])("%s", (_what, tests, error) => {
    expect(() => tester.run(rule, tests as never)).toThrow(error);
  });
  test("unknown tester options", () => {
    expect(() => new RuleTester({ stopTimout: 30 } as never)).toThrow(/unknown property stopTimout/);
  });
});

describe("runCase", () => {
  test("a page example, edited, with its context files and options", () => {
    const a = runCase(shellStaysPid1, { fromDoc: "bad", dockerfile: (d) => d.replace("STOPSIGNAL SIGQUIT\n", ""), stopTimeout: 15 });
    expect(a.prediction.stop).toMatchObject({ signal: "SIGTERM", gracePeriod: 15 });
    expect(a.prediction.processTree?.argv).toEqual(["/bin/sh", "/entrypoint.sh", "nginx", "-g", "daemon off;"]);
  });
  test("files replace the page's; platform k8s sets a 30 s grace unless stopTimeout says otherwise; defaults apply", () => {
    const script = { content: '#!/bin/sh\nexec "$@"\n', mode: 0o755 };
    const a = runCase(shellStaysPid1, { fromDoc: "bad", files: { "entrypoint.sh": script }, platform: "k8s" });
    expect(a.prediction.processTree?.argv).toEqual(["nginx", "-g", "daemon off;"]);
    expect(a.prediction.stop.gracePeriod).toBe(30);
    expect(runCase(shellStaysPid1, { fromDoc: "bad", platform: "k8s", stopTimeout: 5 }).prediction.stop.gracePeriod).toBe(5);
    expect(runCase(shellStaysPid1, { fromDoc: "bad" }, { platform: "k8s" }).prediction.stop.gracePeriod).toBe(30);
    expect(runCase(shellStaysPid1, { fromDoc: "bad" }).prediction.stop.gracePeriod).toBe(10);
  });
  test("a Dockerfile of its own, with a base image config and a build arg", () => {
    const inspect = { Config: { Cmd: ["redis-server"], Entrypoint: null, Env: [], StopSignal: "SIGINT" } };
    const a = runCase(rule, { dockerfile: "ARG BASE=acme/redis:1\nFROM $BASE\n", buildArgs: { BASE: "acme/redis:2" }, baseConfigs: { "acme/redis:2": inspect } });
    expect(a.prediction.stop.signal).toBe("SIGINT");
    expect(a.prediction.processTree?.argv).toEqual(["redis-server"]);
  });
});

test("default titles", () => {
  expect(caseName({ fromDoc: "bad", errors: [expected] })).toBe("Bad: fires once, at entrypoint.sh:4");
  expect(caseName({ fromDoc: "good" })).toBe("Good: does not fire");
  expect(caseName({ fromDoc: "bad", stopSignal: "SIGQUIT" })).toBe('Bad, stopSignal="SIGQUIT": does not fire');
  expect(caseName({ fromDoc: "good", dockerfile: "FROM a\n", errors: [expected, { ...expected, line: 5 }] })).toBe("Good (edited): fires 2 times, at entrypoint.sh:4, entrypoint.sh:5");
  expect(caseName({ dockerfile: "FROM scratch\n" })).toBe('Dockerfile "FROM scratch\\n": does not fire');
});
