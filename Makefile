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
	@echo "  make labN      the same for lab N (racelab list shows them)"
	@echo "  make labs      one table of all labs for your current code"
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
	@echo "More: $(RACELAB) --help"

# Translations: new or changed messages into po/racelab.pot and po/ru.po (README: Languages).
po-update:
	@scripts/po-update

$(CONFIGURED):
	@scripts/configure $(BUILD)

configure:
	@scripts/configure $(BUILD)

all: $(CONFIGURED)
	@cmake --build $(BUILD)

# make lab3 / make lab03: build that lab's programs (the lab first, so errors in the
# student's code come before the rest is built; then both flavours, its solutions, the
# harness), then run it. A build that fails stops here: the compiler's first errors, no
# runs, exit status 2. Otherwise the status is racelab's: make exits 0 when racelab does
# (looks fixed), and 2 otherwise, naming racelab's status in its last line ("Error 1": the
# bug showed). GNU make has no other failure status. See README.md, "Exit statuses".
lab%: $(CONFIGURED) FORCE
	@n=$$(printf '%02d' "$$(echo '$*' | sed 's/^0*//')" 2>/dev/null) || \
		{ echo "racelab: lab$*: not a lab number (make help)" >&2; exit 2; }; \
	log=$(BUILD)/lab$$n-build.log; \
	if ! { cmake --build $(BUILD) --target lab$$n && \
	       cmake --build $(BUILD) --target lab$$n-all; } >$$log 2>&1; then \
		if grep -Eq "unknown target 'lab$$n'|No rule to make target '?lab$$n'" $$log; then \
			echo "racelab: lab$*: no such lab ($(RACELAB) list shows them)" >&2; exit 2; fi; \
		scripts/first-errors "$(CURDIR)" $$log >&2; \
		echo "racelab: lab$*: the build failed: nothing was run; fix the errors above" \
			"(all of them: $$log), then make lab$* again" >&2; \
		exit 2; \
	fi; \
	scripts/first-errors "$(CURDIR)" $$log 10 >&2; \
	exec $(RACELAB) run lab$$n

labs: all
	@$(RACELAB) labs

check: all
	@$(RACELAB) check --junit $(BUILD)/junit.xml

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
