const http = require("node:http");
const server = http.createServer((req, res) => res.end("ok\n")).listen(8080);
process.on("SIGTERM", () => {
  console.log("SIGTERM: closing the server");
  server.close(() => process.exit(0));
});
