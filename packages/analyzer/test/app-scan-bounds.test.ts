// The application scan's patterns stay linear on text that looks like the start of an import (prose after
// the word "import" made a nested quantifier backtrack exponentially: a real server's source hung the CLI).
import { describe, expect, test } from "vitest";
import { scanText } from "../src/app/scan.js";

describe("scanText on hostile JavaScript", () => {
  test("prose after `import` and `export` is scanned in linear time", () => {
    const prose = "import the app here because the initial migrations need to run before anything else is started\n";
    const text = `const s = \`\n${prose.repeat(2000)}${"export all of these words and more words and still more words ".repeat(2000)}\`;\nconsole.log(s);\n`;
    const t0 = performance.now();
    const f = scanText("node", text);
    expect(performance.now() - t0).toBeLessThan(1000);
    expect(f.imports).toEqual([]);
  });
  test("the import forms are still found", () => {
    const f = scanText("node", [
      "import express from 'express';",
      "import * as path from \"node:path\";",
      "import {\n  a,\n  b as c,\n} from './lib/x.js';",
      "import './side-effect.js';",
      "export { y } from './y.js';",
      "const z = require('./z');",
      "const w = await import('./w.js');",
    ].join("\n"));
    expect(f.imports.map((i) => i.spec)).toEqual(["express", "node:path", "./lib/x.js", "./side-effect.js", "./y.js", "./z", "./w.js"]);
  });
});
