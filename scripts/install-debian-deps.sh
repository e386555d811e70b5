#!/usr/bin/env bash
# Debian packages the platform needs, installed only when missing (quick and silent when all are there).
#
#   scripts/install-debian-deps.sh --runtime   what `make run` needs: Tesseract with Thai data (OCR) and
#                                               Pango (PDF layout). Not root: prints the one apt-get line
#                                               and carries on (OCR then shows as unavailable, never a crash).
#   scripts/install-debian-deps.sh             the runtime packages plus what `make test` needs:
#                                               PostgreSQL and redis-server (throw-away test servers), Chromium
#                                               (browser tests), poppler-utils (pdfsig checks our signatures), zbar-tools
#                                               (zbarimg decodes the Thai QR PNGs in tests),
#                                               OpenLDAP slapd, and the compiler and headers the optional
#                                               `[ldap]` extra (python-ldap, no wheel) builds against.
set -euo pipefail
mode=test
[ "${1:-}" = "--runtime" ] && mode=runtime

runtime=(tesseract-ocr tesseract-ocr-tha libpango-1.0-0 libpangoft2-1.0-0)
testing=(postgresql redis-server chromium poppler-utils zbar-tools slapd ldap-utils libldap2-dev libsasl2-dev gcc)
wanted=("${runtime[@]}")
[ "$mode" = test ] && wanted+=("${testing[@]}")

is_installed() {
  dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed"
}
missing=()
if command -v dpkg-query >/dev/null 2>&1; then
  for package in "${wanted[@]}"; do is_installed "$package" || missing+=("$package"); done
else
  # Not Debian: check the programs themselves and leave packaging to the operator.
  command -v tesseract >/dev/null 2>&1 || missing+=(tesseract-ocr tesseract-ocr-tha)
fi
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then
  echo "missing Debian packages: ${missing[*]} — install them with: sudo apt-get install --no-install-recommends ${missing[*]}" >&2
  if [ "$mode" = runtime ]; then
    echo "carrying on: OCR is shown as unavailable until they are installed" >&2
    exit 0
  fi
  exit 1
fi
echo "installing Debian packages: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
# Services Debian starts on install: the tests start their own servers on free ports instead.
if command -v service >/dev/null 2>&1; then
  for service in slapd redis-server; do service "$service" stop >/dev/null 2>&1 || true; done
fi
if command -v pg_ctlcluster >/dev/null 2>&1; then
  for cluster in /etc/postgresql/*/main; do
    [ -d "$cluster" ] && pg_ctlcluster "$(basename "$(dirname "$cluster")")" main stop 2>/dev/null || true
  done
fi
