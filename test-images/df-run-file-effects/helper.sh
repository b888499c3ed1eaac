prepare() {
  echo preparing
}
