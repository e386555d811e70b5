#!/usr/bin/env bash
# Debian packages the platform and its tests need: PostgreSQL (second test database), Chromium (browser
# tests), Tesseract with Thai (OCR), poppler-utils (pdfsig validates our signatures), OpenLDAP slapd (LDAP
# login tests) and the headers python-ldap builds against.
set -euo pipefail
missing=()
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing+=(postgresql)
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v tesseract >/dev/null 2>&1 || missing+=(tesseract-ocr)
[ -f /usr/share/tesseract-ocr/5/tessdata/tha.traineddata ] || ls /usr/share/tesseract-ocr/*/tessdata/tha.traineddata >/dev/null 2>&1 || missing+=(tesseract-ocr-tha)
command -v pdfsig >/dev/null 2>&1 || missing+=(poppler-utils)
command -v slapd >/dev/null 2>&1 || [ -x /usr/sbin/slapd ] || missing+=(slapd ldap-utils)
[ -f /usr/include/ldap.h ] || missing+=(libldap2-dev libsasl2-dev)
command -v gcc >/dev/null 2>&1 || missing+=(gcc)
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" != 0 ]; then
  echo "missing Debian packages: ${missing[*]} — install them with: sudo apt-get install ${missing[*]}" >&2
  exit 1
fi
echo "installing Debian packages: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
# slapd starts a server of its own on install; the tests start their own on a free port.
if command -v service >/dev/null 2>&1; then service slapd stop >/dev/null 2>&1 || true; fi
# Debian starts a cluster of its own on install; the tests use a throw-away one instead.
if command -v pg_ctlcluster >/dev/null 2>&1; then
  for cluster in /etc/postgresql/*/main; do
    [ -d "$cluster" ] && pg_ctlcluster "$(basename "$(dirname "$cluster")")" main stop 2>/dev/null || true
  done
fi
