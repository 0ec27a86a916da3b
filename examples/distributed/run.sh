#!/usr/bin/env bash
# Two instances of the web example on 127.0.0.1 sharing a throw-away PostgreSQL: their products (ConnectionStrings:Catalog)
# and their tag versions and values (ConnectionStrings:TagCache). With the argument "redis", the tag versions and values
# go through a throw-away redis-server instead (ConnectionStrings:Redis). Shows with curl that an update through one
# instance is seen through the other, although both had the product cached. Cleans everything up on exit.
#   bash examples/distributed/run.sh          # PostgreSQL
#   bash examples/distributed/run.sh redis    # Redis for TagCache, PostgreSQL for the products
set -euo pipefail
engine="${1:-postgres}"
cd "$(dirname "$0")/../.."

if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
  echo "installing PostgreSQL (apt-get install postgresql)"
  sudo_cmd=""; [ "$(id -u)" -ne 0 ] && sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq postgresql >/dev/null
fi
bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)

free_port() {
  local port
  for port in $(seq "$1" $(( $1 + 200 ))); do
    if ! (echo >"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then echo "$port"; return; fi
  done
  echo "no free port from $1" >&2; exit 1
}

dir=$(mktemp -d /tmp/tagcache-demo-XXXXXX)
pg_port=$(free_port 55432)
a_port=$(free_port 5081)
b_port=$(free_port $(( a_port + 1 )))
pids=()
as_pg() { if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  [ -n "${redis_pid:-}" ] && kill "$redis_pid" 2>/dev/null || true
  as_pg "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1 || true
  rm -rf "$dir"
}
trap cleanup EXIT
[ "$(id -u)" -eq 0 ] && chown postgres:postgres "$dir"

echo "== starting PostgreSQL on 127.0.0.1:$pg_port ($dir)"
as_pg "$bin/initdb" -D "$dir/data" -A trust -U postgres --no-sync >/dev/null
as_pg "$bin/pg_ctl" -D "$dir/data" -w -l "$dir/server.log" -o "-p $pg_port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off" start >/dev/null
db="Host=127.0.0.1;Port=$pg_port;Username=postgres;Database=postgres;Timeout=3"

share=(--ConnectionStrings:TagCache="$db")
if [ "$engine" = "redis" ]; then
  if [ ! -x /usr/bin/redis-server ]; then
    echo "installing Redis (apt-get install redis-server)"
    sudo_cmd=""; [ "$(id -u)" -ne 0 ] && sudo_cmd="sudo"
    $sudo_cmd apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq redis-server >/dev/null
  fi
  redis_port=$(free_port 56379)
  echo "== starting redis-server on 127.0.0.1:$redis_port"
  redis-server --port "$redis_port" --bind 127.0.0.1 --dir "$dir" --save '' --appendonly no >"$dir/redis.log" 2>&1 &
  redis_pid=$!
  for _ in $(seq 1 100); do (echo >"/dev/tcp/127.0.0.1/$redis_port") 2>/dev/null && break; sleep 0.05; done
  share=(--ConnectionStrings:Redis="127.0.0.1:$redis_port")
fi

echo "== building the web example"
dotnet build examples/TagCache.Examples.Web -c Release -v quiet -nologo >/dev/null
app=examples/TagCache.Examples.Web/bin/Release/net10.0/TagCache.Examples.Web.dll

for port in "$a_port" "$b_port"; do
  dotnet "$app" --urls "http://127.0.0.1:$port" --ConnectionStrings:Catalog="$db" "${share[@]}" \
    --Logging:LogLevel:Default=Warning >"$dir/app-$port.log" 2>&1 &
  pids+=($!)
done
for port in "$a_port" "$b_port"; do
  for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$port/products/1" >/dev/null && break; sleep 0.1; done
done
A="http://127.0.0.1:$a_port"; B="http://127.0.0.1:$b_port"

echo "== both instances read product 1 (and cache it)"
echo "A: $(curl -s "$A/products/1")"
echo "B: $(curl -s "$B/products/1")"
echo "B again (a hit): $(curl -s "$B/products/1")"

echo "== PUT through A"
curl -s -X PUT "$A/products/1" -H 'Content-Type: application/json' -d '{"id":1,"name":"Green tea","categoryId":10,"price":3.9}'
echo

start=$(date +%s%N)
for _ in $(seq 1 100); do
  body=$(curl -s "$B/products/1")
  if [[ "$body" == *"Green tea"* ]]; then break; fi
  sleep 0.02
done
elapsed=$(( ($(date +%s%N) - start) / 1000000 ))
echo "== B after the PUT on A: $body  (seen within ${elapsed} ms)"
[[ "$body" == *"Green tea"* ]] || { echo "FAILED: B still serves the old product" >&2; exit 1; }
echo "== B's /stats: $(curl -s "$B/stats")"
echo "OK: the update through A was seen through B"
