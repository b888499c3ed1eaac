// Preloaded (node --require) into a CLI run by hostile-input.test.ts: at exit, writes the process's CPU
// time (ms) and peak resident memory (MB) to the file named by AUDIT_IMAGE_MEASURE.
const fs = require("node:fs");
process.on("exit", () => {
  const u = process.resourceUsage();
  fs.writeFileSync(process.env.AUDIT_IMAGE_MEASURE, JSON.stringify({ cpuMs: (u.userCPUTime + u.systemCPUTime) / 1000, rssMB: u.maxRSS / 1024 }));
});
