import { walkTree, type Rule } from "./rule.js";

export const rule: Rule = {
  meta: {
    id: "build-artifact",
    title: "A COPY source is not in the build context: a build artifact?",
    severity: "warning",
    rationale: "docker build fails unless the file is made first (a binary, a .deb, a tarball, dist/ built before docker build, by make or CI); the prediction takes the copied file as there but with unknown content, so what depends on it is unknown.",
    fix: "Build the artifact before auditing (or docker build), or build it in a stage of the Dockerfile and COPY --from that stage.",
    aliases: [],
    messages: {
      artifact: "{{keyword}} source \"{{source}}\" is not in the build context: most likely a build artifact made before docker build (docker build fails here without it); its content is not known{{dependents}}",
      pattern: "{{keyword}} source pattern \"{{source}}\" matches no file of the build context: most likely build artifacts made before docker build (without them docker build fails here); what they hold is not known{{dependents}}",
    },
  },
  check(ctx) {
    const artifacts = ctx.model.effects.filter((e) => e.kind === "build-artifact");
    if (!artifacts.length) return;
    // What runs from it: the processes whose program (or script) is one of these files.
    const users = new Map<number, string[]>();
    const seen = new Set<string>();
    for (const { tree } of ctx.trees()) {
      walkTree(tree, (n) => {
        for (const word of n.argv.slice(0, 2)) {
          if (!word || seen.has(`${n.pid}\u0000${word}`)) continue;
          seen.add(`${n.pid}\u0000${word}`);
          const r = ctx.model.resolve(word);
          if (r.kind !== "unknown" || !r.artifact) continue;
          const who = `${n.pid === 1 ? "PID 1 " : ""}${word}`;
          const list = users.get(r.artifact.line) ?? [];
          if (!list.includes(who)) list.push(who);
          users.set(r.artifact.line, list);
        }
      });
    }
    for (const e of artifacts) {
      if (e.kind !== "build-artifact") continue;
      const who = users.get(e.line);
      const dependents = who?.length ? `: ${who.join(", ")} ${who.length > 1 ? "come" : "comes"} from it, so what ${who.length > 1 ? "they do" : "it does"} is not known` : "";
      ctx.report({ file: ctx.model.file, line: e.line, messageId: e.glob ? "pattern" : "artifact", data: { keyword: e.keyword, source: e.source, dependents } });
    }
  },
};
