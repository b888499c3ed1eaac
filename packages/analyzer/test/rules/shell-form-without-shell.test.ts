import { rule } from "../../src/rules/shell-form-without-shell.js";
import { RuleTester } from "../support/rule-tester.js";

new RuleTester().run(rule, {
  valid: [
    { fromDoc: "good" },
    {
      name: "distroless :debug with its own shell as SHELL",
      dockerfile: 'FROM gcr.io/distroless/base-debian12:debug\nSHELL ["/busybox/sh", "-c"]\nCMD echo ready && exec sleep 1000\n',
    },
    {
      name: "a shell copied from another image, without a RUN",
      dockerfile: "FROM gcr.io/distroless/static-debian12\nCOPY --from=busybox:1.36 /bin/busybox /bin/sh\nCMD exec sleep 1000\n",
    },
    {
      name: "a shell copied from a build stage",
      dockerfile: "FROM debian:12 AS build\nRUN true\nFROM scratch\nCOPY --from=build /bin/sh /bin/sh\nCMD exec sleep 1000\n",
    },
  ],
  invalid: [
    {
      fromDoc: "bad",
      errors: [{ file: "Dockerfile", line: 3, severity: "error", message: /CMD in shell form needs \/bin\/sh, but the base image gcr\.io\/distroless\/static-debian12 has no shell/ }],
    },
    {
      name: "a directory copied from another image may hold the shell: a warning",
      dockerfile: "FROM gcr.io/distroless/static-debian12\nCOPY --from=busybox:1.36 /bin /bin\nCMD exec sleep 1000\n",
      errors: [{ file: "Dockerfile", line: 3, severity: "warning", messageId: "maybeNoShell" }],
    },
    {
      name: "distroless :debug without SHELL: /bin/sh is still not there",
      dockerfile: "FROM gcr.io/distroless/base-debian12:debug\nCMD exec sleep 1000\n",
      errors: [{ file: "Dockerfile", line: 2, severity: "error", messageId: "noShell" }],
    },
  ],
});
