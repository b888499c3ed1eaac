import Ajv2020 from "ajv/dist/2020.js";
import { describe, expect, test } from "vitest";
import packages from "./data/packages.json" with { type: "json" };
import schema from "./data/packages.schema.json" with { type: "json" };
import sourceBuilds from "./data/source-builds.json" with { type: "json" };
import sourceBuildsSchema from "./data/source-builds.schema.json" with { type: "json" };
import { runEffects, type RunEffect } from "./run-effects.js";

// What the RUN does to files (the programs it runs by name, `ran`, are tested by themselves below).
const effects = (text: string, vars: Record<string, string> = {}, workdir = "/") =>
  runEffects(text, [], 1, new Map(Object.entries(vars)), workdir)
    .filter((o) => o.effect.kind !== "ran")
    .map((o) => ({ ...o.effect, ...(o.conditional ? { conditional: true } : {}) }));
const ran = (text: string) => runEffects(text, [], 1, new Map(), "/").flatMap((o) => (o.effect.kind === "ran" ? [o.effect.name] : []));
const one = (text: string, vars: Record<string, string> = {}): RunEffect & { conditional?: boolean } => {
  const all = effects(text, vars).filter((e) => e.kind !== "mkdir");
  expect(all).toHaveLength(1);
  return all[0]!;
};

/** A data table validates against its schema (every error listed). */
function expectValid(tableSchema: object, table: unknown) {
  const ajv = new Ajv2020.default({ allErrors: true });
  const ok = ajv.validate(tableSchema, table);
  expect(ajv.errorsText(ajv.errors, { separator: "\n" })).toBe("No errors");
  expect(ok).toBe(true);
}

describe("the package table", () => {
  test("validates against its schema", () => expectValid(schema, packages));
  test("no package is listed twice for one manager", () => {
    const keys = packages.packages.map((p) => `${p.manager}:${p.name}`);
    expect(keys.filter((k, i) => keys.indexOf(k) !== i)).toEqual([]);
  });
});

describe("the source-build table", () => {
  test("validates against its schema", () => expectValid(sourceBuildsSchema, sourceBuilds));
});

describe("make install of a source tree the table knows (PHP with FPM)", () => {
  const FPM_CONF = "[global]\ninclude=/usr/local/etc/php-fpm.d/*.conf\n";
  const written = (text: string, vars: Record<string, string> = {}) =>
    effects(text, vars).flatMap((e) => (e.kind === "write" ? [{ path: e.path, content: e.content, ...(e.conditional ? { conditional: true } : {}) }] : []));
  test("configure --enable-fpm --sysconfdir, then make install in the same directory: the default configs", () => {
    expect(written('cd /usr/src/php && ./configure --build="$arch" --sysconfdir="${INI%/php}" --enable-fpm && make -j "$(nproc)" && make install', { INI: "/usr/local/etc/php" })).toEqual([
      { path: "/usr/local/etc/php-fpm.conf.default", content: FPM_CONF },
      { path: "/usr/local/etc/php-fpm.d/www.conf.default", content: "[www]\n" },
    ]);
  });
  test("--prefix without --sysconfdir: below the prefix, and the include names it", () => {
    expect(written("./configure --prefix=/opt/php --enable-fpm; make install")[0]).toEqual({ path: "/opt/php/etc/php-fpm.conf.default", content: "[global]\ninclude=/opt/php/etc/php-fpm.d/*.conf\n" });
  });
  test("neither: the file is there, but it names NONE/etc, which is not followed", () => {
    expect(written("./configure --enable-fpm; make install")[0]).toEqual({ path: "/usr/local/etc/php-fpm.conf.default", content: null });
  });
  test("nothing when the tree is not known, make install runs elsewhere or into DESTDIR, or a word may set a directory", () => {
    expect(written("./configure --with-openssl; make install")).toEqual([]);
    expect(written("cd /src/php && ./configure --enable-fpm && cd /src/other && make install")).toEqual([]);
    expect(written("./configure --enable-fpm && make DESTDIR=/tmp/root install")).toEqual([]);
    expect(written("./configure --enable-fpm --sysconfdir=$(dirname x) && make install")).toEqual([]);
    expect(written('./configure --enable-fpm "$EXTRA" && make install')).toEqual([]);
    expect(written("./configure --enable-fpm && make")).toEqual([]);
  });
  test("make -C the configured directory; a conditional make install is conditional", () => {
    expect(written("cd /src/php && ./configure --enable-fpm --sysconfdir=/etc/php && cd / && make -C /src/php install")[0]?.path).toBe("/etc/php/php-fpm.conf.default");
    expect(written("./configure --enable-fpm --sysconfdir=/etc/php; if [ -n \"$X\" ]; then make install; fi")[0]).toMatchObject({ conditional: true });
  });
});

describe("what a RUN does to files", () => {
  test("ln -s and ln -sf, relative targets kept as written", () => {
    expect(one("ln -sf /bin/bash /bin/sh")).toEqual({ kind: "link", path: "/bin/sh", target: "/bin/bash", into: null, hard: false });
    expect(one("ln -s ../lib/app/run.sh /usr/local/bin/run")).toMatchObject({ path: "/usr/local/bin/run", target: "../lib/app/run.sh" });
    expect(one("ln -s -t /usr/local/bin /opt/app/bin/app")).toMatchObject({ path: "/usr/local/bin/app", into: false });
    expect(one("ln /opt/a /opt/b")).toMatchObject({ hard: true });
  });
  test("mv and cp: several sources or a trailing slash go into a directory; -t", () => {
    expect(effects("mv /tmp/a.sh /tmp/b.sh /usr/bin")).toEqual([
      { kind: "move", from: "/tmp/a.sh", to: "/usr/bin", into: true, mode: null },
      { kind: "move", from: "/tmp/b.sh", to: "/usr/bin", into: true, mode: null },
    ]);
    expect(one("cp -a /src/app /opt/app/")).toMatchObject({ kind: "copy", into: true });
    expect(one("cp /src/app /opt/app")).toMatchObject({ kind: "copy", into: null });
    expect(one("install -m 0755 run.sh /usr/local/bin/run")).toMatchObject({ kind: "copy", from: "/run.sh", to: "/usr/local/bin/run", mode: "0755" });
  });
  test("variables of the stage (ENV, ARG) and of the RUN itself are expanded; unknown ones leave the path alone", () => {
    expect(one("mv /tmp/start.sh $APP/bin/", { APP: "/opt/app" })).toMatchObject({ to: "/opt/app/bin", into: true });
    expect(one('D=/srv/x && ln -s "${D}/run" /run.sh')).toMatchObject({ target: "/srv/x/run" });
    expect(effects("mv /tmp/start.sh $UNSET/bin")).toEqual([]);
    expect(effects("ln -s $(command -v bash) /bin/sh")).toEqual([]);
  });
  test("rm, mkdir, chmod", () => {
    expect(effects("rm -rf /tmp/x /var/lib/apt/lists/*")).toEqual([{ kind: "remove", path: "/tmp/x" }]);
    expect(effects("mkdir -p /a/b")).toEqual([{ kind: "mkdir", path: "/a/b" }]);
    expect(one("chmod -R +x /opt/app/bin")).toEqual({ kind: "chmod", mode: "+x", recursive: true, paths: ["/opt/app/bin"] });
    expect(one("chmod -x /run.sh")).toEqual({ kind: "chmod", mode: "-x", recursive: false, paths: ["/run.sh"] });
  });
  test("files written: echo and printf with known text, a redirection of anything else, tee, cat <<EOF", () => {
    expect(one("echo 'daemonize = no' > /etc/x.conf")).toMatchObject({ kind: "write", path: "/etc/x.conf", content: "daemonize = no\n" });
    expect(one("printf '#!/bin/sh\\nexec app\\n' > /run.sh")).toMatchObject({ content: "#!/bin/sh\nexec app\n" });
    expect(one("some-generator --flags > /etc/gen.conf")).toMatchObject({ kind: "write", content: null });
    expect(one("echo x >> /etc/x.conf")).toMatchObject({ kind: "write", append: true, content: null });
    expect(one("echo 'a=1' | tee /etc/a.conf")).toMatchObject({ kind: "write", path: "/etc/a.conf", content: "a=1\n" });
    expect(effects("make 2>/dev/null >&2")).toEqual([]);
    const ops = runEffects("cat <<'EOF' > /usr/local/bin/run", [{ name: "EOF", chomp: false, expand: false, content: "#!/bin/sh\nexec app\n", line: 2 }], 1, new Map(), "/");
    expect(ops.filter((o) => o.effect.kind !== "ran").map((o) => o.effect)).toEqual([{ kind: "write", path: "/usr/local/bin/run", content: "#!/bin/sh\nexec app\n", how: "written by cat at line 1", append: false }]);
  });
  test("a { …; } group of echo and printf piped to tee or redirected: what they print, in order", () => {
    expect(one("{ echo '[global]'; echo; printf 'a = 1\\n'; } | tee /etc/x.conf")).toMatchObject({ path: "/etc/x.conf", content: "[global]\n\na = 1\n" });
    expect(one("{ echo a; echo b; } > /etc/y")).toMatchObject({ path: "/etc/y", content: "a\nb\n" });
    // a command whose output is not known, or that sends its own elsewhere, leaves the content unknown
    expect(one("{ echo a; cat /etc/hosts; } | tee /etc/y")).toMatchObject({ content: null });
    expect(one("{ echo a; echo b >&2; } | tee /etc/y")).toMatchObject({ content: null });
    // a function's braces are not a group
    expect(effects("f() { echo a; }; echo b | tee /etc/z").filter((e) => e.kind === "write")).toMatchObject([{ path: "/etc/z", content: "b\n" }]);
  });
  test("${V%suffix}, ${V%%…}, ${V#prefix}, ${V##…} with literal text, * and ?", () => {
    const v = { V: "/usr/local/etc/php" };
    expect(one("ln -s /a ${V%/php}/x", v)).toMatchObject({ path: "/usr/local/etc/x" });
    expect(one("ln -s /a ${V%/*}/x", v)).toMatchObject({ path: "/usr/local/etc/x" });
    expect(one("ln -s /a /${V##*/}", v)).toMatchObject({ path: "/php" });
    expect(one("ln -s /a /opt/${V#/usr/}", v)).toMatchObject({ path: "/opt/local/etc/php" });
    expect(one("ln -s /a ${V%%/etc*}/y", v)).toMatchObject({ path: "/usr/local/y" });
    // an unknown variable, or a pattern this reader does not follow ([…]), leaves the word unknown
    expect(effects("ln -s /a ${W%/php}/x")).toEqual([]);
    expect(effects("ln -s /a ${V%[a-z]}/x", v)).toEqual([]);
  });
  test("touch: the file is there afterwards (not with -c); -d/-r take a value", () => {
    expect(effects("touch /use_fpm /a/b")).toEqual([{ kind: "touch", path: "/use_fpm", how: "touched at line 1" }, { kind: "touch", path: "/a/b", how: "touched at line 1" }]);
    expect(effects("touch -d 2020-01-01 /x")).toEqual([{ kind: "touch", path: "/x", how: "touched at line 1" }]);
    expect(effects("touch -c /x")).toEqual([]);
  });
  test("RUN <<EOF: the heredoc is the script", () => {
    const ops = runEffects("<<EOF", [{ name: "EOF", chomp: false, expand: true, content: "set -e\nln -s /opt/app/run /run\n", line: 2 }], 1, new Map(), "/");
    expect(ops.map((o) => o.effect.kind)).toEqual(["link", "ran"]); // set -e: ln is run by name and must succeed
  });
  test("dos2unix converts files in place (-n IN OUT writes OUT); tr -d '\\r' < a > b writes b", () => {
    expect(effects("dos2unix /entrypoint.sh /usr/local/bin/*.sh")).toEqual([
      { kind: "edit", path: "/entrypoint.sh", how: "converted by dos2unix at line 1", stripCr: "crlf" },
      { kind: "edit", path: "/usr/local/bin/*.sh", how: "converted by dos2unix at line 1", stripCr: "crlf" },
    ]);
    expect(effects("dos2unix -q -c ascii -- start.sh", {}, "/app")).toEqual([{ kind: "edit", path: "/app/start.sh", how: "converted by dos2unix at line 1", stripCr: "crlf" }]);
    expect(effects("dos2unix -n /in.sh /out.sh")).toEqual([{ kind: "write", path: "/out.sh", content: null, how: "converted by dos2unix at line 1", append: false }]);
    expect(one("sed -i 's/\\r$//' /e.sh")).toMatchObject({ kind: "edit", stripCr: "eol" });
    expect(one("sed -i 's/\\r//g' /e.sh")).toMatchObject({ kind: "edit", stripCr: "all" });
    expect(one("sed -i -e 's/\\r$//' /e.sh")).toMatchObject({ kind: "edit", path: "/e.sh", stripCr: "eol" });
    expect(one("sed -i -e 's/\\r$//' -e 's/a/b/' /e.sh")).not.toHaveProperty("stripCr");
    expect(one("sed -i 's/\\r//' /e.sh")).not.toHaveProperty("stripCr");
    expect(one("sed -i 's/\\r$/x/' /e.sh")).not.toHaveProperty("stripCr");
    expect(effects("tr -d '\\r' < /e.sh > /tmp/e && mv /tmp/e /e.sh").map((e) => e.kind)).toEqual(["write", "move"]);
  });
  test("sed -i changes a file; downloads and unpacked archives are unknown", () => {
    expect(one("sed -i 's/a/b/' /etc/nginx/nginx.conf")).toMatchObject({ kind: "edit", path: "/etc/nginx/nginx.conf" });
    expect(one("sed -i -e 's/a/b/' -e 's/c/d/' /etc/a /etc/b".replace(" /etc/b", ""))).toMatchObject({ kind: "edit", path: "/etc/a" });
    expect(one("curl -fsSL https://example.com/x -o /usr/local/bin/x")).toMatchObject({ kind: "unknown", path: "/usr/local/bin/x", under: false });
    expect(one("wget -q -O /usr/local/bin/y https://example.com/y")).toMatchObject({ kind: "unknown", path: "/usr/local/bin/y" });
    expect(one("tar xzf /tmp/k.tgz -C /opt")).toMatchObject({ kind: "unknown", path: "/opt", under: true });
  });
  test("packages installed with apt-get, apk, dnf/yum/microdnf", () => {
    expect(one("apt-get install -y --no-install-recommends tini=0.19.0-1 gosu")).toEqual({ kind: "install", manager: "apt", packages: ["tini", "gosu"] });
    expect(one("apk add --no-cache --virtual .deps bash su-exec")).toEqual({ kind: "install", manager: "apk", packages: ["bash", "su-exec"], virtual: ".deps" });
    expect(one("apk add -t .build-deps gcc")).toEqual({ kind: "install", manager: "apk", packages: ["gcc"], virtual: ".build-deps" });
    expect(one("microdnf install -y procps-ng")).toEqual({ kind: "install", manager: "dnf", packages: ["procps-ng"] });
    expect(effects("apt-get update")).toEqual([]);
  });
  test("packages removed: apk del (a package or a virtual group), apt-get purge/remove, dnf remove", () => {
    expect(one("apk del --no-network .deps")).toEqual({ kind: "uninstall", manager: "apk", packages: [".deps"], how: "apk del at line 1" });
    expect(one("apt-get purge -y --auto-remove tini gosu")).toEqual({ kind: "uninstall", manager: "apt", packages: ["tini", "gosu"], how: "apt-get purge at line 1" });
    expect(one("apt-get remove -y tini")).toMatchObject({ kind: "uninstall", manager: "apt", packages: ["tini"] });
    expect(one("dnf remove -y procps-ng")).toMatchObject({ kind: "uninstall", manager: "dnf", packages: ["procps-ng"] });
    // a package named at run time may be any: nothing is taken as removed
    expect(effects("apt-get purge -y $BUILD_DEPS")).toEqual([]);
  });
  test("inside if/case/loops/functions and after || an effect may not happen", () => {
    expect(one('if [ "$X" = y ]; then ln -sf /bin/bash /bin/sh; fi')).toMatchObject({ kind: "link", conditional: true });
    expect(one("test -e /x || ln -s /y /x")).toMatchObject({ conditional: true });
    expect(one('[ "$DEBUG" = 1 ] && ln -sf /bin/bash /bin/sh')).toMatchObject({ conditional: true });
    expect(one("mkdir -p /opt && ln -s /y /x")).not.toHaveProperty("conditional");
    expect(one("f() { rm -f /run.sh; }")).toMatchObject({ kind: "remove", conditional: true });
    expect(one("true; ln -s /y /x")).not.toHaveProperty("conditional");
  });
  test("cd changes where relative paths point", () => {
    expect(one("cd /opt/app && ln -s bin/run /run")).toMatchObject({ target: "bin/run", path: "/run" });
    expect(one("cd /opt/app && mv run.sh /usr/local/bin/")).toMatchObject({ from: "/opt/app/run.sh" });
  });
});

describe("bad input never crashes", () => {
  test("random RUN text (quotes, operators, expansions left open)", () => {
    const alphabet = ["'", '"', "$", "${", "$(", "`", "\\", "\n", ";", "&&", "||", "|", "&", ">", ">>", "<<", "2>", "(", ")", "{", "}", " ", "ln", "-s", "mv", "cp", "rm", "-rf", "/a", "b/", "*", "if", "then", "fi", "f()", "cat", "EOF", "apk", "add", "tee", "sed", "-i", "curl", "-o", "tar", "-C", "x"];
    let seed = 12;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
    for (let n = 0; n < 2000; n++) {
      const len = 1 + Math.floor(rnd() * 30);
      const text = Array.from({ length: len }, () => alphabet[Math.floor(rnd() * alphabet.length)]).join(rnd() < 0.5 ? " " : "");
      expect(() => runEffects(text, [], 1, new Map([["A", "/v"]]), "/w")).not.toThrow();
    }
  });
});

describe("programs a RUN runs by name where the build fails without them", () => {
  test("the && chain that ends the RUN, the last command, commands after set -e", () => {
    expect(ran("apt-get update && apt-get install -y x && x --version")).toEqual(["apt-get", "apt-get", "x"]);
    expect(ran("a; b && c")).toEqual(["b", "c"]);
    expect(ran("set -eux; a; b")).toEqual(["a", "b"]);
  });
  test("not a builtin, not under a condition, not before || or in a pipe, not after set +e", () => {
    expect(ran("cd /x && echo hi && export A=1")).toEqual([]);
    expect(ran("a || b")).toEqual([]);
    expect(ran("if [ -n \"$X\" ]; then a; fi")).toEqual([]);
    expect(ran("a | b")).toEqual(["b"]);
    expect(ran("set -e; set +e; a; true")).toEqual([]);
    expect(ran("/usr/local/bin/a --version")).toEqual([]);
  });
});
