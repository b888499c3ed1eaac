// verify's heredoc rewrite (src/verify/heredoc.ts) reads the Dockerfile with the analyzer's parser
// (parseDockerfile). These cases are where its own regexps used to read a different Dockerfile than
// BuildKit (and the analyzer) do: the escape directive, continuation lines, `<<-`, several heredocs on one
// line, quoted `<<`, CRLF, and where `# syntax=` is a directive.
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parseDockerfile } from "@audit-image/dockerfile";
import { rewriteHeredocs } from "../src/verify/heredoc.js";

const FIX = path.resolve(__dirname, "../../../test-images");
const body = (rw: ReturnType<typeof rewriteHeredocs>, name: string) => rw.files.find((f) => f.rel.endsWith("/" + name))?.content;

describe("heredoc rewrite: today's fixtures", () => {
  it("df-heredoc-entrypoint", () => {
    const rw = rewriteHeredocs(fs.readFileSync(path.join(FIX, "df-heredoc-entrypoint/Dockerfile"), "utf8"));
    expect(rw.text).toBe('FROM debian:bookworm\nCOPY --chmod=755 .audit-image-heredoc/1/EOF /entrypoint.sh\nENTRYPOINT ["/entrypoint.sh"]\nCMD ["redis-server"]\n');
    expect(rw.files).toEqual([{ rel: ".audit-image-heredoc/1/EOF", content: '#!/bin/sh\necho start\nexec "$@"\n', mode: 0o644 }]);
    expect(rw.notes).toEqual([
      `removed "# syntax=docker/dockerfile:1": the frontend it names cannot be fetched offline; the daemon's built-in frontend builds instead`,
      "line 3: COPY heredoc EOF rewritten to COPY of context file (flags such as --chmod kept)",
    ]);
  });
  it("df-heredoc-chomp-two", () => {
    const rw = rewriteHeredocs(fs.readFileSync(path.join(FIX, "df-heredoc-chomp-two/Dockerfile"), "utf8"));
    expect(rw.text).toBe('FROM debian:bookworm\nCOPY --chmod=755 .audit-image-heredoc/1/EOT .audit-image-heredoc/1/LIB /opt/\nCMD ["/opt/EOT"]\n');
    expect(rw.files.map((f) => [f.rel, f.content])).toEqual([
      [".audit-image-heredoc/1/EOT", "#!/bin/sh\n. /opt/LIB\nexec redis-server\n"],
      [".audit-image-heredoc/1/LIB", 'log() { echo "$@"; }\n'],
    ]);
    expect(rw.notes[1]).toBe("line 3: COPY heredocs EOT, LIB rewritten to COPY of context files (flags such as --chmod kept)");
  });
  it("every fixture: the rewrite leaves no heredoc, and each body is what the parser read", () => {
    for (const d of fs.readdirSync(FIX)) {
      const p = path.join(FIX, d, "Dockerfile");
      if (!fs.existsSync(p)) continue;
      const text = fs.readFileSync(p, "utf8");
      const rw = rewriteHeredocs(text);
      const before = parseDockerfile(text).instructions.flatMap((i) => i.heredocs.map((h) => h.content));
      expect(rw.files.map((f) => f.content), d).toEqual(before);
      expect(parseDockerfile(rw.text).instructions.some((i) => i.heredocs.length > 0), d).toBe(false);
      if (!rw.changed) expect(rw.text).toBe(text);
    }
  });
});

describe("heredoc rewrite: read as BuildKit reads it (the old regexps misread most of these)", () => {
  it("escape directive: a backtick continues the line, and the heredoc on the next line is found", () => {
    const rw = rewriteHeredocs("# escape=`\nFROM debian\nCOPY --chmod=755 `\n  <<EOF /x.sh\n#!/bin/sh\nEOF\nCMD [\"/x.sh\"]\n");
    expect(rw.text).toBe('# escape=`\nFROM debian\nCOPY --chmod=755 .audit-image-heredoc/1/EOF /x.sh\nCMD ["/x.sh"]\n');
    expect(body(rw, "EOF")).toBe("#!/bin/sh\n");
  });
  it("escape directive: with a backtick escape, a trailing backslash is not a continuation", () => {
    const rw = rewriteHeredocs("# escape=`\nFROM debian\nCOPY <<EOF C:\\\nbody\nEOF\n");
    expect(rw.text).toBe("# escape=`\nFROM debian\nCOPY .audit-image-heredoc/1/EOF C:\\\n");
    expect(body(rw, "EOF")).toBe("body\n");
  });
  it("continuation: the heredoc word on a continuation line", () => {
    const rw = rewriteHeredocs('FROM debian\nCOPY --chmod=755 \\\n  <<EOF /x.sh\n#!/bin/sh\nEOF\nCMD ["/x.sh"]\n');
    expect(rw.text).toBe('FROM debian\nCOPY --chmod=755 .audit-image-heredoc/1/EOF /x.sh\nCMD ["/x.sh"]\n');
  });
  it("continuation: the body starts after the logical line, not after the line with <<", () => {
    const rw = rewriteHeredocs('FROM debian\nCOPY <<EOF \\\n  /x.sh\nhello\nEOF\nCMD ["/x.sh"]\n');
    expect(rw.text).toBe('FROM debian\nCOPY .audit-image-heredoc/1/EOF   /x.sh\nCMD ["/x.sh"]\n');
    expect(body(rw, "EOF")).toBe("hello\n"); // the regexps took "  /x.sh\nhello\n" and lost the destination
  });
  it("continuation: RUN whose heredoc is on a continuation line (comments inside are dropped, as BuildKit does)", () => {
    const rw = rewriteHeredocs("FROM debian\nRUN set -e && \\\n# a comment\n  cat <<EOF > /etc/x.conf\na=1\nEOF\n");
    expect(rw.text).toBe("FROM debian\nCOPY .audit-image-heredoc/1/EOF /tmp/.audit-image-heredoc-1-EOF\nRUN set -e &&   cat < /tmp/.audit-image-heredoc-1-EOF > /etc/x.conf\n");
    expect(body(rw, "EOF")).toBe("a=1\n");
  });
  it("<<-: tabs are stripped from the body and the terminator; any name BuildKit accepts (1EOF)", () => {
    const rw = rewriteHeredocs("FROM debian\nCOPY <<-1EOF /x\n\tbody\n\t\tindented\n\t1EOF\n");
    expect(rw.text).toBe("FROM debian\nCOPY .audit-image-heredoc/1/1EOF /x\n");
    expect(body(rw, "1EOF")).toBe("body\nindented\n");
  });
  it("<<-: a quoted chomped delimiter; without -, a tab-indented terminator is body", () => {
    const rw = rewriteHeredocs("FROM debian\nCOPY <<-'A' <<B /d/\n\ta $x\n\tA\n\tB\nb\nB\n");
    expect(body(rw, "A")).toBe("a $x\n");
    expect(body(rw, "B")).toBe("\tB\nb\n");
    expect(rw.notes.some((n) => /unquoted/.test(n))).toBe(false); // A is quoted, B has no $
  });
  it("several heredocs on one line: a quoted \"<<B\" is an argument, not a heredoc", () => {
    const rw = rewriteHeredocs('FROM debian\nRUN cat <<A "<<B" > /x\na\nA\nCMD ["x"]\n');
    expect(rw.text).toBe('FROM debian\nCOPY .audit-image-heredoc/1/A /tmp/.audit-image-heredoc-1-A\nRUN cat < /tmp/.audit-image-heredoc-1-A "<<B" > /x\nCMD ["x"]\n');
    expect(rw.files).toHaveLength(1);
  });
  it("several heredocs on one line: RUN with two redirects, an fd kept", () => {
    const rw = rewriteHeredocs("FROM debian\nRUN cat <<A 3<<B /dev/fd/3 > /x\na\nA\nb\nB\n");
    expect(rw.text).toBe(
      "FROM debian\nCOPY .audit-image-heredoc/1/A /tmp/.audit-image-heredoc-1-A\nCOPY .audit-image-heredoc/1/B /tmp/.audit-image-heredoc-1-B\n" +
        "RUN cat < /tmp/.audit-image-heredoc-1-A 3< /tmp/.audit-image-heredoc-1-B /dev/fd/3 > /x\n",
    );
    expect([body(rw, "A"), body(rw, "B")]).toEqual(["a\n", "b\n"]);
  });
  it("a << inside a quoted string opens no heredoc (the regexps took the rest of the file as its body)", () => {
    const text = 'FROM debian\nRUN echo "x <<EOF"\nCMD ["x"]\n';
    const rw = rewriteHeredocs(text);
    expect(rw.changed).toBe(false);
    expect(rw.text).toBe(text);
  });
  it("a partly quoted delimiter E\"O\"F is EOF, not expanded", () => {
    const rw = rewriteHeredocs('FROM debian\nCOPY <<E"O"F /x\n$body\nEOF\n');
    expect(rw.text).toBe("FROM debian\nCOPY .audit-image-heredoc/1/EOF /x\n");
    expect(body(rw, "EOF")).toBe("$body\n");
    expect(rw.notes.some((n) => /unquoted/.test(n))).toBe(false);
  });
  it("CRLF: bodies lose their CRs, untouched lines keep them, # syntax is removed", () => {
    const rw = rewriteHeredocs('# syntax=docker/dockerfile:1\r\nFROM debian\r\nCOPY <<EOF /x.sh\r\n#!/bin/sh\r\nEOF\r\nCMD ["/x.sh"]\r\n');
    expect(rw.text).toBe('FROM debian\r\nCOPY .audit-image-heredoc/1/EOF /x.sh\r\nCMD ["/x.sh"]\r\n');
    expect(body(rw, "EOF")).toBe("#!/bin/sh\n");
    expect(rw.notes[0]).toBe(`removed "# syntax=docker/dockerfile:1": the frontend it names cannot be fetched offline; the daemon's built-in frontend builds instead`);
  });
  it("# syntax= is removed only while it is a parser directive", () => {
    expect(rewriteHeredocs("# escape=\\\n#syntax = docker/dockerfile:1.7\nFROM debian\n").text).toBe("# escape=\\\nFROM debian\n");
    for (const text of ["# hello\n# syntax=docker/dockerfile:1\nFROM debian\n", "FROM debian\n# syntax=docker/dockerfile:1\n", "\n# syntax=docker/dockerfile:1\nFROM debian\n"]) {
      const rw = rewriteHeredocs(text);
      expect(rw.changed, text).toBe(false);
    }
  });
  it("RUN flags stay in front of a heredoc script", () => {
    const rw = rewriteHeredocs("FROM debian\nRUN --network=none <<EOF\necho hi\nEOF\n");
    expect(rw.text).toBe("FROM debian\nCOPY .audit-image-heredoc/1/EOF /tmp/.audit-image-heredoc-1-EOF\nRUN --network=none /bin/sh /tmp/.audit-image-heredoc-1-EOF\n");
  });
  it("an unterminated heredoc is noted; its body runs to the end of the file", () => {
    const rw = rewriteHeredocs("FROM debian\nCOPY <<EOF /x\nbody\n");
    expect(body(rw, "EOF")).toBe("body\n");
    expect(rw.notes[0]).toMatch(/^line 2: unterminated heredoc <<EOF/);
  });
});
