#!/usr/bin/env bash
# Fetches the real tools the tests run against — the Prometheus server and promtool, node_exporter, Pushgateway,
# Alertmanager (Debian .debs, unpacked, no service started), shellcheck, systemd-analyze and sqlite3 —
# into ${AUTHWATCH_TOOLS_DIR:-/opt/authwatch-tools}/bin. Idempotent.
set -euo pipefail

dir="${AUTHWATCH_TOOLS_DIR:-/opt/authwatch-tools}"
bin="$dir/bin"
mkdir -p "$bin" "$dir/debs" "$dir/root"

have() { [ -x "$bin/$1" ]; }
updated=""
apt_update() { [ -n "$updated" ] || { apt-get update -qq; updated=1; }; }

unpacked=(prometheus promtool prometheus-node-exporter prometheus-pushgateway prometheus-alertmanager amtool)
if ! (have prometheus && have promtool && have prometheus-node-exporter && have prometheus-pushgateway && have prometheus-alertmanager && have amtool); then
  apt_update
  (cd "$dir/debs" && apt-get download -qq prometheus prometheus-node-exporter prometheus-pushgateway prometheus-alertmanager)
  for deb in "$dir"/debs/*.deb; do dpkg-deb -x "$deb" "$dir/root"; done
  for tool in "${unpacked[@]}"; do ln -sf "$dir/root/usr/bin/$tool" "$bin/$tool"; done
fi
# Debian's Alertmanager reads its templates from this fixed path and exits without them.
if [ ! -f /usr/share/prometheus/alertmanager/default.tmpl ] && [ -d "$dir/root/usr/share/prometheus/alertmanager" ]; then
  mkdir -p /usr/share/prometheus/alertmanager
  cp -r "$dir/root/usr/share/prometheus/alertmanager/." /usr/share/prometheus/alertmanager/
fi

missing=()
command -v shellcheck >/dev/null || missing+=(shellcheck)
command -v systemd-analyze >/dev/null || missing+=(systemd)
# The SQLite tests make their databases (and hold their locks) with the real sqlite3.
command -v sqlite3 >/dev/null || missing+=(sqlite3)
# The mail test renders the HTML part the way a person sees it (test/alerts/mail-render.e2e.test.ts).
command -v chromium >/dev/null || missing+=(chromium)
# The completion test loads the script into a real zsh; the link-denied shim (Android's refusal
# of link()) is compiled with gcc.
command -v zsh >/dev/null || missing+=(zsh)
command -v gcc >/dev/null || missing+=(gcc)
if [ ${#missing[@]} -gt 0 ]; then
  apt_update
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
for tool in shellcheck systemd-analyze; do ln -sf "$(command -v "$tool")" "$bin/$tool"; done

for tool in "${unpacked[@]}" shellcheck systemd-analyze; do
  printf '%-26s %s\n' "$tool" "$("$bin/$tool" --version 2>&1 | head -n 1)"
done
