// A small HTTP service that stops cleanly on SIGTERM.
const http = require("http");
const server = http.createServer((req, res) => res.end("ok\n")).listen(8080);
process.on("SIGTERM", () => {
  server.close(() => process.exit(0));
});
