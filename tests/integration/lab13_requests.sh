#!/usr/bin/env bash
# lab13_requests.sh LAB13 FIXTURES: lab 13's server (--serve 0) answers the requests of
# FIXTURES/http one connection each: every bad-*.txt (malformed: no version, a bare CR, a
# chunked body, a bad Content-Length, a head too long, JSON it does not take, ...) gets
# 400 and the server lives on; curl's captured requests get 201, 200, 404 and 405 as the
# API says. While it serves it listens on 127.0.0.1 only; after SIGTERM it exits 0 and
# nothing of it is left: no process, no listening socket.
set -u
lab=$1 dir=$2/http
log=$(mktemp)
fail() { echo "FAIL: $*"; cat "$log"; exit 1; }
cleanup() { kill -KILL "$pid" 2>/dev/null; rm -f "$log"; }
"$lab" --serve 0 >"$log" 2>&1 &
pid=$!
trap cleanup EXIT
port=
for _ in $(seq 100); do
	port=$(sed -n 's|.*http://127\.0\.0\.1:\([0-9]*\)/.*|\1|p' "$log" | head -1)
	[ -n "$port" ] && break
	sleep 0.05
done
[ -n "$port" ] || fail "no 'serving http://127.0.0.1:PORT/' line"

# status FILE: sends FILE on a new connection; prints the status code of the answer.
status() {
	exec 3<>"/dev/tcp/127.0.0.1/$port" || return 1
	cat "$1" >&3
	local line=
	IFS= read -r -t 5 line <&3
	exec 3<&- 3>&-
	set -- $line
	echo "${2:-none}"
}

n=0
for f in "$dir"/bad-*.txt; do
	got=$(status "$f")
	[ "$got" = 400 ] || fail "$(basename "$f"): status $got, wanted 400"
	kill -0 "$pid" 2>/dev/null || fail "the server died on $(basename "$f")"
	n=$((n + 1))
done
[ "$n" -ge 10 ] || fail "only $n malformed requests found in $dir"
echo "$n malformed requests: 400 each, the server still up"

# In this order: the first POST makes item 1.
for want in "curl-get-item.txt 404" "curl-post-item.txt 201" "curl-get-item.txt 200" \
	"curl-get-items.txt 200" "curl-get-stats.txt 200" "curl-delete-items.txt 405" \
	"curl-http10-post.txt 201"; do
	set -- $want
	got=$(status "$dir/$1")
	[ "$got" = "$2" ] || fail "$1: status $got, wanted $2"
done
echo "curl's requests: 404, 201, 200, 200, 200, 405, 201 as the API says"

listening=$(ss -Hltnp 2>/dev/null | grep "pid=$pid," || true)
echo "$listening" | grep -q "127.0.0.1:$port " || fail "not seen listening on 127.0.0.1:$port: $listening"
echo "$listening" | grep -vq "127.0.0.1:$port " && fail "listens elsewhere too: $listening"

kill -TERM "$pid"
for _ in $(seq 100); do
	kill -0 "$pid" 2>/dev/null || break
	sleep 0.05
done
wait "$pid"
rc=$?
[ "$rc" = 0 ] || fail "exit status $rc after SIGTERM, wanted 0"
[ -z "$(ss -Hltn "sport = :$port" 2>/dev/null)" ] || fail "port $port still listening"
echo "SIGTERM: exit 0, port $port closed"
