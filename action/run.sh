#!/usr/bin/env bash
# The GitHub Action's run step (action.yml). Never fails itself: it writes exit-code (and sarif-file) to
# $GITHUB_OUTPUT, so that the SARIF upload runs before the last step fails the job on that exit code.
set -uo pipefail
: "${AUDIT_IMAGE_BIN:?}" "${GITHUB_OUTPUT:?}"
read -r -d '' -a paths <<< "${INPUT_PATHS:-.}" || true
[ "${#paths[@]}" -gt 0 ] || paths=(.)
# `--` would start a command for the container (as after docker run's image): a path that begins with - is
# written ./-name instead.
for i in "${!paths[@]}"; do case "${paths[$i]}" in -*) paths[$i]="./${paths[$i]}" ;; esac; done
read -r -d '' -a extra <<< "${INPUT_ARGS:-}" || true
opts=()
[ -n "${INPUT_CONFIG:-}" ] && opts+=(--config "$INPUT_CONFIG")
opts+=("${extra[@]}")

if [ "${INPUT_UPLOAD_SARIF:-false}" = "true" ]; then
  sarif="${INPUT_SARIF_FILE:-audit-image.sarif}"
  "$AUDIT_IMAGE_BIN" "${opts[@]}" --format sarif --output "$sarif" --fail-on none --quiet "${paths[@]}"
  code=$?
  # 0: written; 2, 3, 4 still write a report (with the errors as notifications) when they get that far
  if [ -s "$sarif" ]; then echo "sarif-file=$sarif" >> "$GITHUB_OUTPUT"; else echo "no SARIF written (exit $code)"; fi
fi

"$AUDIT_IMAGE_BIN" "${opts[@]}" --format "${INPUT_FORMAT:-github}" --fail-on "${INPUT_FAIL_ON:-error}" "${paths[@]}"
code=$?
echo "exit-code=$code" >> "$GITHUB_OUTPUT"
exit 0
