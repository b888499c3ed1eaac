import { rule } from "../../src/rules/missing-interpreter.js";
import { RuleTester } from "../support/rule-tester.js";

new RuleTester().run(rule, {
  valid: [{ fromDoc: "good" }],
  invalid: [
    {
      fromDoc: "bad",
      errors: [{ file: "entrypoint.sh", line: 1, severity: "error", message: /the interpreter \/bin\/bash of \/entrypoint\.sh does not exist in the image/ }],
    },
    {
      name: "a #! chain five scripts deep: the kernel gives up after four (BINPRM_MAX_RECURSION)",
      dockerfile: 'FROM debian:bookworm\nCOPY . /\nENTRYPOINT ["/a"]\n',
      files: Object.fromEntries(
        [["a", "#!/b\n"], ["b", "#!/c\n"], ["c", "#!/d\n"], ["d", "#!/e\n"], ["e", "#!/f\n"], ["f", "#!/bin/sh\nexec sleep infinity\n"]].map(([n, c]) => [n!, { content: c!, mode: 0o755 }]),
      ),
      errors: [{ file: "e", line: 1, severity: "error", messageId: "chainTooLong", data: { path: "/e" } }],
    },
  ],
});
