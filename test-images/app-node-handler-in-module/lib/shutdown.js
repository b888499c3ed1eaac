// Runs the registered callbacks, then exits, on the signals an orchestrator sends.
const callbacks = [];

function onShutdown(fn) {
  callbacks.push(fn);
}

for (const signal of ["SIGINT", "SIGTERM"]) {
  process.once(signal, async () => {
    await Promise.all(callbacks.map((fn) => fn()));
    process.exit(0);
  });
}

module.exports = { onShutdown };
