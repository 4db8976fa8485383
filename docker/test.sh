#!/bin/sh
# make docker-test: build the image, run it, bring the compose stack up on local images and push
# one recording through it (upload -> RQ worker -> highlights), then take the stack down.
set -eu
cd "$(dirname "$0")/.."
COMPOSE="docker-compose"
command -v docker-compose >/dev/null 2>&1 || COMPOSE="docker compose"
FILES="-f docker-compose.yml -f docker/local-images.yml"
PORT=${AW_API_PORT:-18000}
export AW_API_PORT=$PORT COMPOSE_PROJECT_NAME=awtest

docker/base-image.sh aw-base:bookworm
docker build -q --build-arg BASE=aw-base:bookworm -t alignment-worker .
docker build -q -f docker/local/s3-standin.Dockerfile -t aw-s3-standin .
echo "== image: --help and models prepare"
docker run --rm alignment-worker --help | sed -n 1,5p
docker run --rm alignment-worker models prepare

echo "== compose stack up"
cleanup() { $COMPOSE $FILES down -v --remove-orphans >/dev/null 2>&1 || true; }
trap cleanup EXIT
$COMPOSE $FILES up -d
tries=0
until curl -fsS "http://127.0.0.1:$PORT/readyz" >/dev/null 2>&1; do
  tries=$((tries + 1))
  if [ $tries -gt 120 ]; then $COMPOSE $FILES logs --tail=50; echo "API not ready" >&2; exit 1; fi
  sleep 1
done
TOKEN=$($COMPOSE $FILES exec -T api alignment-worker token create --name docker-test --scope admin | tail -1)
AUTH="Authorization: Bearer $TOKEN"
API="http://127.0.0.1:$PORT"

echo "== one recording through the stack"
ACCOUNT=$(python3 -c 'import json; print(json.load(open("samples/demo-account.json"))["account_id"])')
curl -fsS -X PUT -H "$AUTH" -H "Content-Type: application/json" --data @samples/demo-account.json \
  "$API/v1/accounts/$ACCOUNT" >/dev/null
MEETING=$(curl -fsS -H "$AUTH" -F "file=@samples/demo-meeting.flac" -F "account_id=$ACCOUNT" \
  -F "title=docker-test" "$API/v1/meetings" | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')
echo "meeting $MEETING"
tries=0
while :; do
  STATUS=$(curl -fsS -H "$AUTH" "$API/v1/meetings/$MEETING" | python3 -c 'import json,sys; print(json.load(sys.stdin)["status"])')
  [ "$STATUS" = done ] && break
  if [ "$STATUS" = failed ] || [ $tries -gt 600 ]; then
    curl -sS -H "$AUTH" "$API/v1/meetings/$MEETING"; $COMPOSE $FILES logs --tail=80; exit 1
  fi
  tries=$((tries + 1)); sleep 1
done
N=$(curl -fsS -H "$AUTH" "$API/v1/meetings/$MEETING/highlights" \
  | python3 -c 'import json,sys; d=json.load(sys.stdin); print(len(d if isinstance(d, list) else d.get("highlights", d.get("items", []))))')
echo "meeting $MEETING done with $N highlights, taken by a worker of the stack"
[ "$N" -gt 0 ]
echo "docker-test passed"
