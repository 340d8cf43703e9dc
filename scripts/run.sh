#!/usr/bin/env bash
# Starts the web server, a Celery worker and Celery beat on the configured database
# and broker (SQLite and the filesystem transport under var/ by default).
# Ctrl-C stops all three.
set -euo pipefail
cd "$(dirname "$0")/.."

PY=.venv/bin/python
CELERY=.venv/bin/celery
PORT="${PORT:-8000}"
HOST="${HOST:-127.0.0.1}"
# VAR_DIR as the settings read it: the environment, else .env, else ./var.
if [ -z "${VAR_DIR:-}" ] && [ -f .env ]; then
    VAR_DIR="$(sed -n 's/^VAR_DIR=//p' .env | tail -n 1 | tr -d "\"'")"
fi
VAR_DIR="${VAR_DIR:-$PWD/var}"
export VAR_DIR
mkdir -p "$VAR_DIR/log"

# A secret key of this installation, generated once and kept in VAR_DIR/secret_key
# (read by the settings when SECRET_KEY is not set): no published key, even for a demo.
if [ ! -s "$VAR_DIR/secret_key" ]; then
    (umask 077 && "$PY" -c 'import secrets; print(secrets.token_urlsafe(50))' >"$VAR_DIR/secret_key")
fi
# The demo users (admin, canbo.tinh, canbo.huyen) with the published demo password
# are created only in demo mode.
export DEMO=1

"$PY" manage.py migrate --noinput -v 0
"$PY" manage.py collectstatic --noinput -v 0
"$PY" manage.py setup_demo

pids=()
stop() {
    trap - INT TERM EXIT
    echo "Đang dừng..."
    kill -TERM "${pids[@]}" 2>/dev/null || true
    wait "${pids[@]}" 2>/dev/null || true
}
trap stop INT TERM EXIT

"$CELERY" -A config worker --loglevel INFO --concurrency 2 --hostname "worker@%h" \
    >>"$VAR_DIR/log/worker.log" 2>&1 &
pids+=($!)
"$CELERY" -A config beat --loglevel INFO --schedule "$VAR_DIR/celerybeat-schedule" \
    --pidfile "" >>"$VAR_DIR/log/beat.log" 2>&1 &
pids+=($!)
"$PY" manage.py runserver "$HOST:$PORT" --noreload --insecure &
pids+=($!)

echo
echo "Hệ thống đang chạy tại http://$HOST:$PORT/  (quản trị: http://$HOST:$PORT/admin/)"
echo "Nhật ký Celery: $VAR_DIR/log/   Thư điện tử gửi đi: $VAR_DIR/mail/"
echo "Nhấn Ctrl-C để dừng."
wait -n "${pids[@]}"
