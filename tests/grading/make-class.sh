#!/usr/bin/env bash
# make-class.sh: writes a class of synthetic lab 3 submissions for the grading tests and
# the throughput measurement: correct fixes (from solutions/), untouched racy labs, compile
# errors, a file that is not C, and hostile programs (each one the atomic fix with an
# attack run first: the attack's success turns into abort(), so "ok" means contained).
# usage: tests/grading/make-class.sh OUT_DIR [PROBE_DIR PORT] [--copies N]
#   PROBE_DIR: a host folder the attacks try to write into and read from; PORT: a TCP port
#   on the host's 127.0.0.1 with a listener the network attack tries to reach.
set -euo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)
out=${1:?usage: make-class.sh OUT_DIR [PROBE_DIR PORT] [--copies N]}
probe=${2:-/tmp/racelab-probe-none}
port=${3:-9}
copies=1
[ "${4:-}" = --copies ] && copies=${5:?}
lab=labs/03-lost-update
atomic=$repo/solutions/03-lost-update/atomic.c
mkdir -p "$out"

# put STUDENT FILE: the student's lab 3 source.
put() { mkdir -p "$out/$1/$lab"; cat >"$out/$1/$lab/lost_update.c"; }

# hostile STUDENT CODE: the atomic fix whose main() first runs CODE.
hostile() {
	local code=$2
	{
		printf '#include <stdio.h>\n#include <stdlib.h>\n#include <string.h>\n#include <signal.h>\n'
		printf '#include <unistd.h>\n#include <fcntl.h>\n#include <sys/prctl.h>\n#include <sys/socket.h>\n'
		printf '#include <netinet/in.h>\n#include <arpa/inet.h>\n'
		printf 'static void attack(void) {\n%s\n}\n' "$code"
		sed '/^int main/{n;s/^{$/{\n\tattack();/}' "$atomic"
	} | put "$1"
}

for c in $(seq 1 "$copies"); do
	s=${c#1}; [ "$copies" = 1 ] && s=
	put "good-atomic$s" <"$atomic"
	put "good-mutex$s" <"$repo/solutions/03-lost-update/mutex.c"
	mkdir -p "$out/untouched$s"             # hands in nothing: "missing"
	put "racy-copy$s" <"$repo/$lab/lost_update.c"
	printf 'int main(void) { return missing_function( }\n' | put "compile-error$s"
done

# A file that is not C at all.
head -c 4096 /dev/urandom | put not-c
hostile fork-bomb 'for (;;) fork();'
hostile infinite-loop 'for (volatile int x = 1; x; ) ;'
hostile memory-hog 'for (;;) { char *p = malloc(64 << 20); if (p) memset(p, 1, 64 << 20); }'
hostile output-flood 'char line[129]; memset(line, 0x41, 128); line[128] = 0;
	for (int i = 0; i < 100000; i++) { puts(line); fputs(line, stderr); }'
hostile ignores-sigterm 'signal(SIGTERM, SIG_IGN); signal(SIGINT, SIG_IGN); for (;;) pause();'
hostile setsid-daemon 'if (fork() == 0) { setsid(); if (fork() == 0) {
	prctl(PR_SET_NAME, "rl-daemon-t"); close(1); close(2); for (;;) sleep(1); } _exit(0); }'
hostile write-outside "FILE *f = fopen(\"$probe/escaped\", \"w\"); if (f) { fputs(\"out\", f); fclose(f); abort(); }
	f = fopen(\"/tmp/../$probe/escaped2\", \"w\"); if (f) abort();"
hostile read-other "int fd = open(\"$out/good-atomic/$lab/lost_update.c\", O_RDONLY); if (fd >= 0) abort();
	fd = open(\"$probe/secret\", O_RDONLY); if (fd >= 0) abort();"
hostile network "int s = socket(AF_INET, SOCK_STREAM, 0); struct sockaddr_in a = { .sin_family = AF_INET,
	.sin_port = htons($port) }; inet_pton(AF_INET, \"127.0.0.1\", &a.sin_addr);
	if (s >= 0 && connect(s, (struct sockaddr *)&a, sizeof a) == 0) abort();"

# An archive that tries to climb out of its folder, and a good one packed as .tar.gz/.zip.
mkdir -p "$out/.evil/x" && echo pwned >"$out/.evil/escape.c"
tar -czPf "$out/traversal.tar.gz" -C "$out/.evil/x" "../escape.c"
rm -rf "$out/.evil"
tar -czf "$out/packed-tgz.tar.gz" -C "$out/good-atomic" labs
(cd "$out/good-mutex" && zip -qr "$out/packed-zip.zip" labs)
mkdir -p "$out/.link" && ln -s /etc/passwd "$out/.link/lost_update.c"
(cd "$out/.link" && zip -qy "$out/symlink-zip.zip" lost_update.c)
rm -rf "$out/.link"
