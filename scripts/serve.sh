#!/usr/bin/env bash
# Builds the page and serves it with live reload at http://127.0.0.1:${PORT:-8080}.
# Installs what is missing first (scripts/setup.sh, no browser needed to serve).
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
scripts/setup.sh --no-browser
export PATH="$root/.tools/node_modules/.bin:$PATH"
echo "serve: http://127.0.0.1:${PORT:-8080}/ (Ctrl-C stops)"
exec trunk serve --release --address 127.0.0.1 --port "${PORT:-8080}"
