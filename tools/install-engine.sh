#!/usr/bin/env bash
# Puts the Pulumi engine in .tools/bin: `pulumi` (built from the Go module proxy unless a
# new-enough one is on PATH), `pulumi-language-python` and `pulumi-resource-pulumi-python`.
# Both run programs and dynamic providers with the project's virtualenv (Pulumi.yaml
# `runtime.options.virtualenv`), or with this checkout's .venv when a project names none
# (inline Automation API programs). Idempotent: a second run builds nothing.
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
#    checkout (rewritten on every run, so a moved checkout heals itself).
install_if_changed() {  # $1: name; the new content is in "$bin/.$1.tmp"
  local tmp="$bin/.$1.tmp"
  chmod +x "$tmp"
  if ! cmp -s "$tmp" "$bin/$1" 2>/dev/null; then mv "$tmp" "$bin/$1"; else rm -f "$tmp"; fi
}
if [ -L "$bin/pulumi" ] && [ -x "$(dirname "$(readlink -f "$bin/pulumi")")/pulumi-language-python" ]; then
  ln -sf "$(dirname "$(readlink -f "$bin/pulumi")")/pulumi-language-python" "$bin/pulumi-language-python"
else
  # tools/language_host.py itself switches to the project's virtualenv for each program.
  printf '#!/bin/sh\nexec %s "$@"\n' "'$python' -u '$root/tools/language_host.py'" \
    > "$bin/.pulumi-language-python.tmp"
  install_if_changed pulumi-language-python
fi

# The engine passes the project's runtime options to this plugin as PULUMI_RUNTIME_<OPTION>. Like
# upstream's launcher of the same name it runs `python -m pulumi.dynamic` from
# PULUMI_RUNTIME_VIRTUALENV, so the provider unpickles with the same packages as the program that
# pickled it. The engine starts it in the *program* directory (Pulumi.yaml `main:`), so a relative
# virtualenv is resolved from the project directory: the nearest one up holding Pulumi.yaml.
cat > "$bin/.pulumi-resource-pulumi-python.tmp" <<LAUNCHER
#!/bin/sh
# Written by tools/install-engine.sh: the Pulumi dynamic-provider plugin.
venv="\${PULUMI_RUNTIME_VIRTUALENV:-}"
if [ -z "\$venv" ] && [ "\${PULUMI_RUNTIME_TOOLCHAIN:-}" = "uv" ]; then venv=".venv"; fi
if [ -z "\$venv" ]; then
  exec '$python' -u -m pulumi.dynamic "\$@"
fi
venv="\${venv%/}"
root="\$PWD"
while [ "\$root" != / ] && [ ! -f "\$root/Pulumi.yaml" ] && [ ! -f "\$root/Pulumi.yml" ]; do
  root="\$(dirname "\$root")"
done
if [ ! -f "\$root/Pulumi.yaml" ] && [ ! -f "\$root/Pulumi.yml" ]; then root="\$PWD"; fi
case "\$venv" in /*) ;; *) venv="\$root/\$venv" ;; esac
if [ ! -x "\$venv/bin/python" ]; then
  echo "The 'virtualenv' option in Pulumi.yaml names \"\$venv\", which is not a virtual environment" \\
    "(no bin/python): create it with 'python3 -m venv \$venv' and install the program's dependencies into it." >&2
  exit 1
fi
PATH="\$venv/bin:\$PATH"; VIRTUAL_ENV="\$venv"; export PATH VIRTUAL_ENV; unset PYTHONHOME
exec "\$venv/bin/python" -u -m pulumi.dynamic "\$@"
LAUNCHER
install_if_changed pulumi-resource-pulumi-python
