// su-wrapper-parent claims that util-linux su "turns any stop signal into TERM for its child"; simulate.ts
// implements it (react(): a signal forwarded by su or runuser is sent on as SIGTERM). These tests fail if
// that changes. They use a stop signal other than TERM and a service whose catalog reaction tells the
// two signals apart, so the delivery's action shows which signal reached the service.
//
// Grounding:
// - Source: util-linux login-utils/su-common.c (the su and runuser code; stored commit 00749b05b939).
//   parent_setup_signals() blocks every signal, installs su's handler for SIGTERM, and for SIGINT and
//   SIGQUIT only when not in "same session" mode, then unblocks just those. create_watching_parent():
//   once a signal was caught it prints "Session terminated, killing shell...", sends the child SIGTERM
//   whichever signal it caught, sleeps 2 s, SIGKILLs the child, then re-raises the caught signal on
//   itself. su_main() picks same-session mode for --session-command, for no -c command, and for a root
//   target user.
// - Measured (packages/analyzer/test/ground-truth/shells.ns.test.ts, "privilege droppers", util-linux
//   2.38.1): `su -s /bin/sh nobody -c …` as PID 1 catches INT, QUIT and TERM. On QUIT (or INT) its child
//   reports "child got TERM", and su exits 131 (130) after 2 s.
//
// So the claim holds for `su USER -c CMD` (and `runuser USER -c CMD`) with a non-root USER. It does not hold
// for `su -c CMD` to root or for `runuser -u USER CMD`: they keep INT and QUIT blocked, and nothing happens
// (measured in the same section). The catalog's su and runuser entries say so with modes (same-session mode:
// no -c command, --session-command, a root target user), and the last cases below pin it.
import { describe, expect, test } from "vitest";
import { buildModel, memoryFs } from "@audit-image/dockerfile";
import { analyze, programCatalog } from "../src/index.js";

const entry = (name: string) => programCatalog.programs.find((p) => p.name === name)!;

function stopOf(dockerfile: string, script?: string) {
  const files: Record<string, { content: string; mode: number }> = script ? { "entrypoint.sh": { content: script, mode: 0o755 } } : {};
  const a = analyze(buildModel(dockerfile, { context: memoryFs(files) }));
  return { stop: a.prediction.stop, findings: a.findings };
}
const delivery = (stop: ReturnType<typeof stopOf>["stop"], argv0: string) => stop.deliveries.find((d) => d.argv0 === argv0);

describe("su passes SIGTERM to its child whatever the stop signal (simulate.ts, su-wrapper-parent)", () => {
  test("the catalog tells the signals apart for the services used here", () => {
    expect(entry("nginx").signals).toMatchObject({ SIGTERM: "fast-stop", SIGQUIT: "graceful-stop" });
    expect(entry("postgres").signals).toMatchObject({ SIGTERM: "graceful-stop", SIGINT: "fast-stop" });
  });

  test("STOPSIGNAL SIGQUIT, `su app -c 'exec nginx …'`: nginx gets TERM (fast stop), not QUIT (graceful stop)", () => {
    const { stop, findings } = stopOf(
      'FROM debian:bookworm\nSTOPSIGNAL SIGQUIT\nCOPY entrypoint.sh /\nENTRYPOINT ["/entrypoint.sh"]\n',
      "#!/bin/sh\nexec su app -c \"exec nginx -g 'daemon off;'\"\n",
    );
    expect(stop.signal).toBe("SIGQUIT");
    expect(delivery(stop, "su")).toMatchObject({ receives: true, action: "forward", via: "docker stop" });
    expect(delivery(stop, "nginx")).toMatchObject({ receives: true, action: "fast-stop", via: "forwarded by su" });
    expect(findings.filter((f) => f.ruleId === "su-wrapper-parent").map((f) => f.message)).toEqual(["su stays as the parent of nginx and is PID 1"]);
  });

  test("STOPSIGNAL SIGINT, `su postgres -c 'exec postgres'`: postgres gets TERM (smart shutdown), not INT (fast shutdown)", () => {
    const { stop } = stopOf('FROM debian:bookworm\nSTOPSIGNAL SIGINT\nENTRYPOINT ["su", "postgres", "-c", "exec postgres"]\n');
    expect(stop.signal).toBe("SIGINT");
    expect(delivery(stop, "su")).toMatchObject({ action: "forward" });
    expect(delivery(stop, "postgres")).toMatchObject({ receives: true, action: "graceful-stop", via: "forwarded by su" });
  });

  test("STOPSIGNAL SIGTERM: the same delivery (TERM in, TERM out)", () => {
    const { stop } = stopOf("FROM debian:bookworm\nENTRYPOINT [\"su\", \"app\", \"-c\", \"exec nginx -g 'daemon off;'\"]\n");
    expect(delivery(stop, "nginx")).toMatchObject({ action: "fast-stop", via: "forwarded by su" });
  });
});

describe("where su and runuser do not act on the stop signal (measured: same-session mode keeps INT and QUIT blocked)", () => {
  test("STOPSIGNAL SIGQUIT, `su -c 'exec nginx …'` to root: su keeps QUIT blocked, nginx never hears of it, SIGKILL after the grace period", () => {
    const { stop } = stopOf("FROM debian:bookworm\nSTOPSIGNAL SIGQUIT\nENTRYPOINT [\"su\", \"-c\", \"exec nginx -g 'daemon off;'\"]\n");
    expect(stop.outcome).toBe("killed");
  });
  test("STOPSIGNAL SIGQUIT, `runuser -u app -- nginx …`: runuser keeps QUIT blocked, SIGKILL after the grace period", () => {
    const { stop } = stopOf("FROM debian:bookworm\nSTOPSIGNAL SIGQUIT\nENTRYPOINT [\"runuser\", \"-u\", \"app\", \"--\", \"nginx\", \"-g\", \"daemon off;\"]\n");
    expect(stop.outcome).toBe("killed");
  });
});
