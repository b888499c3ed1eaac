const http = require("node:http");

const server = http.createServer((req, res) => res.end("board\n"));
server.listen(8080);

process.on("SIGTERM", () => {
  server.close(() => process.exit(0));
});
