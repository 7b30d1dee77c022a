#!/usr/bin/env bash
# Puts the Pulumi engine in .tools/bin: `pulumi` (built from the Go module proxy unless a
# new-enough one is on PATH), `pulumi-language-python` and `pulumi-resource-pulumi-python`
# (both run this project's virtualenv). Idempotent: a second run builds nothing.
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
bin="$root/.tools/bin"
python="$root/.venv/bin/python"
version="v3.274.1"          # keep in step with tools/engine/go.mod
minimum="3.216.0"
mkdir -p "$bin"

log() { echo "install-engine: $*" >&2; }

version_ok() {  # $1: output of `pulumi version`; true when >= $minimum
  local v="${1#v}"
  [ -n "$v" ] && [ "$(printf '%s\n%s\n' "$minimum" "$v" | sort -V | head -n1)" = "$minimum" ]
}

# 1. The CLI.
if [ -x "$bin/pulumi" ] && [ "$("$bin/pulumi" version 2>/dev/null)" = "$version" ]; then
  :
elif existing="$(PATH="$(echo "$PATH" | tr ':' '\n' | grep -v "^$bin\$" | paste -sd:)" command -v pulumi 2>/dev/null)" \
     && version_ok "$("$existing" version 2>/dev/null)"; then
  log "using $existing ($("$existing" version))"
  ln -sf "$existing" "$bin/pulumi"
else
  command -v go >/dev/null || { log "Go is needed to build the Pulumi CLI; install Go >= 1.26"; exit 1; }
  log "building pulumi $version from the Go module proxy (first time: several minutes)..."
  start=$SECONDS
  (cd "$root/tools/engine" && go build -trimpath -o "$bin/pulumi.tmp" \
      -ldflags "-s -w -X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=$version" \
      github.com/pulumi/pulumi/pkg/v3/cmd/pulumi)
  mv "$bin/pulumi.tmp" "$bin/pulumi"
  log "built $("$bin/pulumi" version) in $((SECONDS - start)) s"
fi

# 2. The language host and the dynamic-provider plugin: small launchers bound to this
#    checkout's virtualenv (rewritten on every run, so a moved checkout heals itself).
write_launcher() {  # $1: name, rest: command
  local name="$1"; shift
  local tmp="$bin/.$name.tmp"
  printf '#!/bin/sh\nexec %s "$@"\n' "$*" > "$tmp"
  chmod +x "$tmp"
  if ! cmp -s "$tmp" "$bin/$name" 2>/dev/null; then mv "$tmp" "$bin/$name"; else rm -f "$tmp"; fi
}
if [ -L "$bin/pulumi" ] && [ -x "$(dirname "$(readlink -f "$bin/pulumi")")/pulumi-language-python" ]; then
  ln -sf "$(dirname "$(readlink -f "$bin/pulumi")")/pulumi-language-python" "$bin/pulumi-language-python"
else
  write_launcher pulumi-language-python "'$python' -u '$root/tools/language_host.py'"
fi
write_launcher pulumi-resource-pulumi-python "'$python' -u -m pulumi.dynamic"
