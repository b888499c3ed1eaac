// Entry point of the `audit-image` bundle. Kept tiny: everything else is imported on demand.
export {};
const argv = process.argv.slice(2);
const io = { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin, env: process.env, cwd: process.cwd() };
process.stdout.on("error", (e: NodeJS.ErrnoException) => {
  if (e.code === "EPIPE") process.exit(process.exitCode ?? 0);
});
try {
  process.exitCode =
    argv[0] === "verify"
      ? await (await import("./verify/index.js")).runVerify(argv.slice(1), io)
      : await (await import("./cli.js")).run(argv, io);
} catch (e) {
  const msg = e instanceof Error ? e.message : String(e);
  process.stderr.write(`audit-image: internal error: ${msg}\nPlease report this with the Dockerfile that caused it.\n`);
  process.exitCode = 2;
}
