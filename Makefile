# racelab's front door. The two commands: `make lab3` (build lab 3 and run it through the
# harness) and `make test` (build everything and run every test). CMake does the building;
# scripts/configure picks the compiler and installs what a fresh machine lacks.
BUILD ?= build
RACELAB = $(BUILD)/bin/racelab
CONFIGURED = $(BUILD)/CMakeCache.txt

.PHONY: help all configure test labs check bench clean po-update FORCE

help:
	@echo "racelab: a race-condition laboratory"
	@echo ""
	@echo "  make lab3      build lab 3 (after your edits too) and run it: runs, statistics,"
	@echo "                 ThreadSanitizer findings explained, cost of the fixes, verdict"
	@echo "  make labN      the same for lab N (./racelab list shows them)"
	@echo "  make lab3 ARGS=\"--threads 1\"   the same with racelab run options (./racelab --help)"
	@echo "  make labN-py   run lab N's Python twin (labs/DIR/python/): the same runs and"
	@echo "                 verdict on CPython, no TSan (./racelab run labN --python)"
	@echo "  make labs      one table of all labs for your current code"
	@echo "                 (DETECTOR=all: what each race detector finds, and its time)"
	@echo "  make check     the course gate: every lab shows its bug, every solution is"
	@echo "                 correct and TSan-clean (JUnit XML in $(BUILD)/junit.xml)"
	@echo "  make test      build everything and run the unit and integration tests"
	@echo "  make fuzz      fuzz each parser FUZZ_SECONDS (60) s; fails on a crash, leak or UB"
	@echo "  make bench     the benchmark: symptom rates, make labN time, harness overhead"
	@echo "  make all       build everything"
	@echo "  make clean     remove $(BUILD)/"
	@echo "  make po-update re-extract the marked messages into po/ (then translate po/ru.po)"
	@echo ""
	@echo "Exit status of make labN: 0 when racelab says \"looks fixed\"; 2 otherwise, GNU make's"
	@echo "only failure status: after the compiler's first errors when the build failed (no"
	@echo "runs, no verdict), else with racelab's status in make's last line: \"Error 1\" the bug"
	@echo "showed, \"Error 3\" cannot run, \"Error 4\" TSan could not run, \"Error 5\" the machine was too busy to judge (README: Exit statuses)."
	@echo ""
	@echo "More: ./racelab --help (./racelab builds the harness if needed, then runs it)"

# Translations: new or changed messages into po/racelab.pot and po/ru.po (README: Languages).
po-update:
	@scripts/po-update

$(CONFIGURED):
	@scripts/configure $(BUILD)

configure:
	@scripts/configure $(BUILD)

all: $(CONFIGURED)
	@cmake --build $(BUILD)

# make lab3 / make lab03: build that lab's programs (both flavours of the lab and of its
# solutions, the harness: one build command, its no-op check costs a few tenths of a
# second), then run it. ARGS: more racelab run options (make lab3 ARGS="--threads 1"). A build that fails stops here: the compiler's first errors, no
# runs, exit status 2. Otherwise the status is racelab's: make exits 0 when racelab does
# (looks fixed), and 2 otherwise, naming racelab's status in its last line ("Error 1": the
# bug showed). GNU make has no other failure status. See README.md, "Exit statuses".
lab%: $(CONFIGURED) FORCE
	@n=$$(printf '%02d' "$$(echo '$*' | sed 's/^0*//')" 2>/dev/null) || \
		{ echo "racelab: lab$*: not a lab number (make help)" >&2; exit 2; }; \
	if ! ls -d labs/$$n-*/ >/dev/null 2>&1; then \
		last=$$(ls labs | sed -n 's/^0*\([0-9][0-9]*\)-.*/\1/p' | sort -n | tail -1); \
		echo "racelab: no lab $$(echo $$n | sed 's/^0//'): labs are 1-$$last (make help)" >&2; \
		exit 2; fi; \
	log=$(BUILD)/lab$$n-build.log; \
	if ! cmake --build $(BUILD) --target lab$$n-all >$$log 2>&1; then \
		if grep -Eq "unknown target 'lab$$n-all'|No rule to make target '?lab$$n-all'" $$log; then \
			echo "racelab: lab$*: no such lab (./racelab list shows them)" >&2; exit 2; fi; \
		scripts/first-errors "$(CURDIR)" $$log >&2; \
		echo "racelab: lab$*: the build failed: nothing was run; fix the errors above" \
			"(all of them: $$log), then make lab$* again" >&2; \
		exit 2; \
	fi; \
	scripts/first-errors "$(CURDIR)" $$log 10 >&2; \
	status=0; $(RACELAB) run lab$$n $(ARGS) || status=$$?; \
	if [ $$status = 3 ] || [ $$status = 4 ]; then \
		echo "racelab: lab$*: this machine may lack what it needs (./racelab doctor" \
			"shows all):" >&2; \
		$(RACELAB) doctor --quick >&2 || true; \
	fi; \
	if [ "$$($(RACELAB) manifest lab$$n sched 2>/dev/null)" = yes ]; then \
		echo "See the threads take turns, step by step: ./racelab explore lab$*"; fi; \
	exit $$status

# make labs: the build is quiet (its log in $(BUILD)/labs-build.log) unless it fails.
# make labs DETECTOR=all: a column per race detector (tsan, tsan-gcc, helgrind, drd) instead.
labs: $(CONFIGURED)
	@cmake --build $(BUILD) >$(BUILD)/labs-build.log 2>&1 || \
		{ scripts/first-errors "$(CURDIR)" $(BUILD)/labs-build.log >&2; \
		  echo "racelab: labs: the build failed (all of it: $(BUILD)/labs-build.log)" >&2; \
		  exit 2; }
	@$(RACELAB) labs $(if $(DETECTOR),--detector $(DETECTOR))

# make lab3-py: lab 3's Python twin. Nothing of the lab is compiled; only racelab is built
# (quietly) when it is missing or stale. Exit status as for make lab3.
lab%-py: $(CONFIGURED) FORCE
	@log=$(BUILD)/racelab-build.log; \
	cmake --build $(BUILD) --target racelab >$$log 2>&1 || \
		{ scripts/first-errors "$(CURDIR)" $$log >&2; exit 2; }; \
	exec $(RACELAB) run lab$* --python

# The C labs, then the Python twins (both always run; the first failing status is make's).
check: all
	@s=0; $(RACELAB) check --junit $(BUILD)/junit.xml --sarif $(BUILD)/racelab.sarif || s=$$?; \
	$(RACELAB) check --python --junit $(BUILD)/junit-python.xml || [ $$s != 0 ] || s=$$?; \
	exit $$s

test: FORCE
	@scripts/configure $(BUILD) --tests
	@cmake --build $(BUILD)
	@cd $(BUILD) && ctest --output-on-failure --output-junit ctest-junit.xml

bench: all
	@scripts/bench $(BUILD)

# make fuzz: each libFuzzer target of tests/fuzz for FUZZ_SECONDS, in its own tree.
FUZZ_SECONDS ?= 60
fuzz: FORCE
	@scripts/fuzz build-fuzz $(FUZZ_SECONDS)

clean:
	rm -rf $(BUILD)

FORCE:
