// keeps running; no signal handler
setInterval(() => {}, 1000);
