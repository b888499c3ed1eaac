exec redis-server
