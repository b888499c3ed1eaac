start_service() {
  exec redis-server "$@"
}
