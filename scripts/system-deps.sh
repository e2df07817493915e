#!/usr/bin/env bash
# Installs the Debian packages that the test suite needs when they are missing.
# As root it installs them; otherwise it says loudly what is missing (browser tests will then fail).
set -euo pipefail

need=()
[ -x /usr/bin/chromium ] || need+=(chromium)
fc-list 2>/dev/null | grep -qi "Noto Sans CJK" || need+=(fonts-noto-cjk)
command -v initdb >/dev/null 2>&1 || [ -x /usr/lib/postgresql/15/bin/initdb ] \
  || ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || need+=(postgresql)
command -v pdftotext >/dev/null 2>&1 || need+=(poppler-utils)
# CJK mappings for poppler, so that PDFs with the standard Chinese CID fonts render and extract.
[ -d /usr/share/poppler/cMap ] || need+=(poppler-data)

[ ${#need[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -eq 0 ]; then
  echo "Installing Debian packages: ${need[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
else
  echo "WARNING: missing Debian packages (${need[*]}); run 'sudo apt-get install ${need[*]}'." >&2
  echo "WARNING: the browser and PostgreSQL tests fail without them." >&2
fi
