// the server is added here later
