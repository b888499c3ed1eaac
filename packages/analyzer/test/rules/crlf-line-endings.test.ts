import { expect, test } from "vitest";
import { rule } from "../../src/rules/crlf-line-endings.js";
import { readDocPage } from "../support/doc-examples.js";
import { RuleTester } from "../support/rule-tester.js";

new RuleTester().run(rule, {
  valid: [{ fromDoc: "good" }],
  invalid: [
    {
      fromDoc: "bad",
      errors: [{ file: "entrypoint.sh", line: 1, severity: "error", message: /carriage return .*"\/bin\/sh\\r"/ }],
    },
  ],
});

test("the Bad page block is stored with CRLF endings, the Good one with LF", () => {
  const page = readDocPage(rule.meta.id);
  expect(page.bad.files["entrypoint.sh"]!.content).toBe('#!/bin/sh\r\nexec "$@"\r\n');
  expect(page.good.files["entrypoint.sh"]!.content).toBe('#!/bin/sh\nexec "$@"\n');
});
