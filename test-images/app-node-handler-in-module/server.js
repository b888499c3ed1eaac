const http = require("http");
const { onShutdown } = require("./lib/shutdown");

const server = http.createServer((req, res) => res.end("ok"));
server.listen(3000);
onShutdown(() => new Promise((done) => server.close(done)));
