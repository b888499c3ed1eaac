// The registry of rules, in report order. Each module holds one rule; its doc is docs/rules/<id>.md.
import { rule as r0 } from "./analysis-truncated.js";
import { rule as r1 } from "./background-never-signalled.js";
import { rule as r2 } from "./bad-trap-signal-name.js";
import { rule as r3 } from "./bashism.js";
import { rule as rBA } from "./build-artifact.js";
import { rule as r4 } from "./container-exits.js";
import { rule as r5 } from "./crlf-line-endings.js";
import { rule as r6 } from "./dead-instruction.js";
import { rule as r7 } from "./dockerfile-syntax.js";
import { rule as r8 } from "./exec-form-shell-wrapper.js";
import { rule as r9 } from "./exec-in-pipeline.js";
import { rule as r10 } from "./inherited-cmd-reset.js";
import { rule as r11 } from "./json-fallback.js";
import { rule as r12 } from "./literal-dollar-exec-form.js";
import { rule as r13 } from "./missing-interpreter.js";
import { rule as r14 } from "./missing-program.js";
import { rule as r15 } from "./multiple-services.js";
import { rule as r16 } from "./no-command.js";
import { rule as r17 } from "./no-shebang.js";
import { rule as r18 } from "./not-executable.js";
import { rule as r19 } from "./pid1-no-handler.js";
import { rule as rRS } from "./run-script-cuts-stop.js";
import { rule as r20 } from "./script-parse-error.js";
import { rule as r21 } from "./service-daemonizes.js";
import { rule as r22 } from "./shell-form-cmd.js";
import { rule as r23 } from "./shell-form-entrypoint.js";
import { rule as r24 } from "./shell-form-without-shell.js";
import { rule as r25 } from "./shell-stays-pid1.js";
import { rule as r26 } from "./stopsignal-mismatch.js";
import { rule as r27 } from "./su-wrapper-parent.js";
import { rule as r28 } from "./tini-option-confusion.js";
import { rule as r29 } from "./trap-exits-without-waiting.js";
import { rule as r30 } from "./trap-misses-stop-signal.js";
import { rule as r31 } from "./unknown-base-image.js";
import { rule as r32 } from "./unknown-program.js";
import { rule as r33 } from "./unquoted-args.js";
import { rule as rD1 } from "./command-ignored.js";
import { rule as rD2 } from "./init-doubled.js";
import { rule as rD3 } from "./prestop-eats-grace.js";
import { rule as rD4 } from "./shared-pid-namespace.js";
import { rule as rD5 } from "./stop-signal-unhandled.js";
import { rule as rD6 } from "./fixed-by-deployment.js";
import { rule as rD7 } from "./grace-too-short.js";
import type { Rule } from "./rule.js";

export const allRules: Rule[] = [r0, r1, r2, r3, rBA, r4, r5, r6, r7, r8, r9, r10, r11, r12, r13, r14, r15, r16, r17, r18, r19, rRS, r20, r21, r22, r23, r24, r25, r26, r27, r28, r29, r30, r31, r32, r33, rD1, rD2, rD3, rD4, rD5, rD7,
  // Last: it compares the image's errors with what the rules before it found for the deployment.
  rD6];
