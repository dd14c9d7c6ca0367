#!/bin/sh
# Rebuild agent_desk/static/vendor/jssip/: JsSIP from npm, bundled for the browser with esbuild
# (one IIFE file, global JsSIP), and the licences of it and its dependencies. The desk serves the
# result as it is; this script is only for moving to another JsSIP version.
set -eu
VERSION=${1:-3.13.8}
OUT=$(cd "$(dirname "$0")/.." && pwd)/agent_desk/static/vendor/jssip
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
cd "$WORK"
npm init -y >/dev/null
npm install --no-audit --no-fund "jssip@$VERSION" esbuild >/dev/null
echo 'module.exports = require("jssip");' > entry.js
./node_modules/.bin/esbuild entry.js --bundle --format=iife --global-name=JsSIP --minify \
    --platform=browser --outfile="$OUT/jssip-$VERSION.min.js"
{
  echo "JsSIP $VERSION bundled (esbuild, IIFE, global JsSIP) with its dependencies debug, events,"
  echo "sdp-transform. Rebuild: scripts/vendor_jssip.sh"
  echo
  for p in jssip debug events sdp-transform; do
    f=$(ls node_modules/$p/ | grep -i -m1 licen)
    echo "==== $p $(node -p "require('./node_modules/$p/package.json').version") ($f)"
    cat "node_modules/$p/$f"
    echo
  done
} > "$OUT/LICENSES.txt"
