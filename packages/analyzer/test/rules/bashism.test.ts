import { rule } from "../../src/rules/bashism.js";
import { RuleTester } from "../support/rule-tester.js";

new RuleTester().run(rule, {
  valid: [{ fromDoc: "good" }],
  invalid: [
    {
      fromDoc: "bad",
      errors: [{ file: "entrypoint.sh", line: 2, severity: "warning", message: /\[\[ \]\] is bash syntax: dash has no \[\[ command/ }],
    },
    {
      name: "a bash-only expansion under dash: the parser's own words",
      dockerfile: 'FROM debian:bookworm\nCOPY e.sh /e.sh\nENTRYPOINT ["/e.sh"]\n',
      files: { "e.sh": { content: "#!/bin/sh\nx=${1:0:1}\nexec sleep infinity\n", mode: 0o755 } },
      errors: [{ file: "e.sh", line: 2, severity: "warning", messageId: "syntax", data: { detail: "slicing is a bash/mksh feature", shell: "dash" } }],
    },
    {
      name: "[[ under an unknown /bin/sh",
      dockerfile: 'FROM registry.example.com/base:1\nCOPY e.sh /e.sh\nENTRYPOINT ["/e.sh"]\n',
      files: { "e.sh": { content: '#!/bin/sh\nif [[ -n "$X" ]]; then echo x; fi\nexec sleep infinity\n', mode: 0o755 } },
      errors: [{ file: "e.sh", line: 2, severity: "warning", messageId: "doubleBracketUnknown" }],
    },
  ],
});
