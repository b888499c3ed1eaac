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
  const tomcat = (cmd: string, env = "") =>
    `FROM eclipse-temurin:21-jre\n${env}ENV CATALINA_HOME=/opt/tomcat PATH=/opt/tomcat/bin:$PATH\nRUN curl -fsSL https://downloads.example.org/tomcat.tar.gz | tar xz -C /opt && mv /opt/apache-tomcat-* /opt/tomcat\nENTRYPOINT []\nCMD ${cmd}\n`;
  test("catalina.sh run (a mode of the launcher) execs java in its place", () => {
    const a = run(tomcat('["catalina.sh", "run"]'));
    expect(pid1(a).argv).toEqual(["java", "org.apache.catalina.startup.Bootstrap", "start"]);
    expect(pid1(a).note).toMatch(/catalina\.sh execs java org\.apache\.catalina\.startup\.Bootstrap in its place/);
    expect(pid1(a).note).toMatch(/releases before 7\.0\.17 did not exec/);
    expect(a.prediction.stop.outcome).toBe("graceful");
  });
  test("catalina.sh start backgrounds java and exits: the container does not keep running", () => {
    const a = run(tomcat('["catalina.sh", "start"]'));
    expect(a.prediction.stop.outcome).toBe("not-running");
  });
  test("catalina.sh run of a release older than the exec (TOMCAT_VERSION) is not followed", () => {
    const a = run(tomcat('["catalina.sh", "run"]', "ENV TOMCAT_VERSION=7.0.12\n"));
    expect(pid1(a).note).toMatch(/TOMCAT_VERSION=7\.0\.12 is older than 7\.0\.17/);
    expect(a.prediction.stop.outcome).toBe("unknown");
    const b = run(tomcat('["catalina.sh", "run"]', "ENV TOMCAT_VERSION=10.1.30\n"));
    expect(pid1(b).argv[0]).toBe("java");
    expect(pid1(b).note).toMatch(/TOMCAT_VERSION=10\.1\.30, at least 7\.0\.17/);
  });
  const zk = (cmd: string, env = "") =>
    `FROM eclipse-temurin:21-jre\n${env}RUN curl -fsSL https://downloads.example.org/zookeeper-bin.tar.gz | tar xz -C /opt && mv /opt/apache-zookeeper-* /opt/zk\nENTRYPOINT []\nCMD ${cmd}\n`;
  test("zkServer.sh start-foreground execs java; --config DIR before it is the script's own", () => {
    const a = run(zk('["/opt/zk/bin/zkServer.sh", "start-foreground"]'));
    expect(pid1(a).argv).toEqual(["java", "org.apache.zookeeper.server.quorum.QuorumPeerMain"]);
    expect(a.prediction.stop.outcome).toBe("graceful");
    const b = run(zk('["/opt/zk/bin/zkServer.sh", "--config", "/conf", "start-foreground", "zoo.cfg"]'));
    expect(pid1(b).argv).toEqual(["java", "org.apache.zookeeper.server.quorum.QuorumPeerMain", "zoo.cfg"]);
  });
  test("zkServer.sh with ZOO_NOEXEC keeps bash as java's parent: not followed; start exits", () => {
    const a = run(zk('["/opt/zk/bin/zkServer.sh", "start-foreground"]', "ENV ZOO_NOEXEC=1\n"));
    expect(pid1(a).note).toMatch(/ZOO_NOEXEC set/);
    expect(a.prediction.stop.outcome).toBe("unknown");
    expect(run(zk('["/opt/zk/bin/zkServer.sh", "start"]')).prediction.stop.outcome).toBe("not-running");
  });
  test("docker-php-entrypoint outside the php images execs its command; an option first is left unknown", () => {
    const php = (cmd: string) =>
      `FROM debian:bookworm\nRUN apt-get update && apt-get install -y --no-install-recommends nginx-light\nRUN curl -fsSL https://example.org/docker-php-entrypoint -o /usr/local/bin/docker-php-entrypoint && chmod +x /usr/local/bin/docker-php-entrypoint\nENTRYPOINT ["docker-php-entrypoint"]\nCMD ${cmd}\n`;
    const a = run(php('["nginx", "-g", "daemon off;"]'));
    expect(pid1(a).argv[0]).toBe("nginx");
    expect(pid1(a).note).toMatch(/docker-php-entrypoint execs its arguments in its place/);
    const b = run(php('["-F"]'));
    expect(pid1(b).note).toMatch(/its first argument -F is an option/);
    expect(b.prediction.stop.outcome).toBe("unknown");
  });
  test("WildFly's standalone.sh runs java as its child: without LAUNCH_JBOSS_IN_BACKGROUND PID 1 has no trap (killed); with it, the script passes TERM on and waits", () => {
    const wf = (env: string) =>
      `FROM eclipse-temurin:21-jdk\n${env}RUN curl -fsSL https://downloads.example.org/wildfly.tar.gz | tar xz -C /opt && mv /opt/wildfly-* /opt/wildfly\nENTRYPOINT []\nCMD ["/opt/wildfly/bin/standalone.sh", "-b", "0.0.0.0"]\n`;
    const a = run(wf(""));
    expect(pid1(a).argv[0]).toBe("/opt/wildfly/bin/standalone.sh");
    expect(pid1(a).children.map((c) => c.argv[0])).toEqual(["java"]);
    expect(pid1(a).note).toMatch(/runs java org\.jboss\.as\.standalone as its child and stays its parent/);
    expect(a.prediction.stop.outcome).toBe("killed");
    const b = run(wf("ENV LAUNCH_JBOSS_IN_BACKGROUND=true\n"));
    expect(pid1(b).children.map((c) => c.argv[0])).toEqual(["java"]);
    expect(b.prediction.stop.outcome).toBe("graceful");
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
