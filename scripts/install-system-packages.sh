#!/usr/bin/env bash
# Installs the Debian packages the helpline needs, when run as root and only those missing.
# As a normal user it says what to install and carries on: the tests then fail with that message.
set -euo pipefail
wanted=(espeak-ng sox libsox-fmt-base postgresql debootstrap chromium chromium-driver fonts-lohit-deva sip-tester)
missing=()
for pkg in "${wanted[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -ne 0 ]; then
  echo "helpline: missing Debian packages: ${missing[*]} (run: sudo apt-get install ${missing[*]})" >&2
  exit 0
fi
echo "helpline: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq || apt-get update
apt-get install -y -qq --no-install-recommends "${missing[@]}" > /dev/null
