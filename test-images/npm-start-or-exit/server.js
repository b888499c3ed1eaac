const http = require("node:http");

const port = Number(process.env.PORT || 3000);
const server = http.createServer((req, res) => res.end("notes\n"));
server.listen(port);

process.on("SIGTERM", () => server.close(() => process.exit(0)));
