# racelab's front door. The two commands: `make lab3` (build lab 3 and run it through the
# harness) and `make test` (build everything and run every test). CMake does the building;
# scripts/configure picks the compiler and installs what a fresh machine lacks.
BUILD ?= build
RACELAB = $(BUILD)/bin/racelab
CONFIGURED = $(BUILD)/CMakeCache.txt

.PHONY: help all configure test labs check bench clean FORCE

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
	@echo ""
	@echo "More: $(RACELAB) --help"

$(CONFIGURED):
	@scripts/configure $(BUILD)

configure:
	@scripts/configure $(BUILD)

all: $(CONFIGURED)
	@cmake --build $(BUILD)

# make lab3 / make lab03: build that lab's programs (both flavours, its solutions, the
# harness), then run it. Exit status 1 only means "the bug showed": the point of a lab.
lab%: $(CONFIGURED) FORCE
	@n=$$(printf '%02d' "$$(echo '$*' | sed 's/^0*//')" 2>/dev/null) || \
		{ echo "racelab: lab$*: not a lab number (make help)" >&2; exit 2; }; \
	cmake --build $(BUILD) --target lab$$n-all | grep -v '^ninja: no work to do' || true; \
	test -x $(BUILD)/bin/lab$$n || { echo "racelab: lab$*: no such lab or build failed" >&2; exit 2; }; \
	$(RACELAB) run lab$$n; status=$$?; [ $$status -le 1 ]

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
