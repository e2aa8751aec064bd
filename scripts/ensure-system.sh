#!/usr/bin/env bash
# System parts the tests need beyond Python packages: Debian's chromium (browser journeys)
# and a running PostgreSQL server at 127.0.0.1:5432 (the organization database tests).
set -euo pipefail
if ! command -v chromium >/dev/null 2>&1; then
    echo "installing chromium (Debian package) for the browser tests" >&2
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
fi
if command -v pg_isready >/dev/null 2>&1 && ! pg_isready -q -h 127.0.0.1 -p 5432; then
    echo "starting PostgreSQL" >&2
    pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql)" main start
fi
