// What the build put into the image, as the interpreter sees it (issue 12): programs from outside the build
// context (a tarball's launcher, a package, a download, a build artifact) are there, with what is known of
// them; a launcher the catalog knows is followed to the program it execs.
import { describe, expect, test } from "vitest";
import { buildModel, memoryFs } from "@audit-image/dockerfile";
import { analyze } from "../src/index.js";
import type { ProcessNode } from "../src/types.js";

const run = (dockerfile: string, files: Record<string, string> = {}) =>
  analyze(buildModel(dockerfile, { context: memoryFs(Object.fromEntries(Object.entries(files).map(([k, v]) => [k, { content: v, mode: 0o755 }]))) }));
const pid1 = (a: ReturnType<typeof run>): ProcessNode => a.prediction.processTree!;

describe("launchers and programs from outside the build context", () => {
  const kafka = (cmd: string) =>
    `FROM eclipse-temurin:21-jre\nADD https://downloads.example.org/kafka_2.13-3.7.0.tgz /tmp/k.tgz\nRUN tar xzf /tmp/k.tgz -C /opt && ln -s /opt/kafka_2.13-3.7.0 /opt/kafka\nENTRYPOINT []\nCMD ${cmd}\n`;
  test("kafka-server-start.sh from a tarball execs java in its place (catalog: launches)", () => {
    const a = run(kafka('["/opt/kafka/bin/kafka-server-start.sh", "/opt/kafka/config/server.properties"]'));
    expect(pid1(a).argv).toEqual(["java", "kafka.Kafka", "/opt/kafka/config/server.properties"]);
    expect(pid1(a).note).toMatch(/from outside the build context: unpacked by tar/);
    expect(pid1(a).note).toMatch(/execs java kafka\.Kafka in its place/);
    expect(a.prediction.stop.outcome).toBe("graceful");
  });
  test("with -daemon the launcher backgrounds java and exits: not followed, unknown", () => {
    const a = run(kafka('["/opt/kafka/bin/kafka-server-start.sh", "-daemon", "/opt/kafka/config/server.properties"]'));
    expect(pid1(a).argv[0]).toBe("/opt/kafka/bin/kafka-server-start.sh");
    expect(a.prediction.stop.outcome).toBe("unknown");
  });
  test("a program installed from a package is there, named with its package", () => {
    const a = run('FROM debian:bookworm\nRUN apt-get update && apt-get install -y --no-install-recommends tini\nENTRYPOINT ["/usr/bin/tini", "--"]\nCMD ["redis-server"]\n');
    expect(pid1(a).argv[0]).toBe("/usr/bin/tini");
    expect(pid1(a).note).toMatch(/comes from the package tini/);
    expect(a.findings.map((f) => f.ruleId)).not.toContain("missing-program");
  });
  test("a download is there with unknown content: unknown, never missing", () => {
    const a = run('FROM debian:bookworm\nRUN curl -fsSL https://example.com/app -o /usr/local/bin/app && chmod +x /usr/local/bin/app\nCMD ["app"]\n');
    expect(a.findings.map((f) => f.ruleId)).not.toContain("missing-program");
    expect(pid1(a).note).toMatch(/downloaded by curl/);
    expect(a.prediction.stop.outcome).toBe("unknown");
  });
  test("an entrypoint moved into place by RUN mv is followed", () => {
    const a = run('FROM debian:bookworm\nCOPY start.sh /tmp2/\nRUN chmod a+x /tmp2/*.sh && mv /tmp2/start.sh /usr/bin && rm -rf /tmp2\nCMD ["start.sh"]\n', { "start.sh": "#!/bin/sh\nexec redis-server\n" });
    expect(pid1(a).argv).toEqual(["redis-server"]);
  });
});
