# set.jq: one argument set's result, condensed from racelab's JSON report (jq -c, with
# $args, $hidden (bool), $status (racelab's exit status), $limit (the sandbox limit hit,
# or "none") and $src (the box's source folder, taken off file names)). Keeps what scoring and the reports need: the run strip, counts,
# observed vs expected, a deadlock's wait-for lines, and TSan's findings with file:line.
def rel: if type == "string" and startswith($src) then .[($src | length):] else . end;
.experiments[0] as $e
| ($e.plain.runs // []) as $runs
| {
    args: $args,
    hidden: $hidden,
    racelab_status: $status,
    limit: $limit,
    counts: $e.plain.counts,
    n_runs: ($runs | length),
    runs: ([$runs[] | {OK: ".", SYMPTOM: "S", CRASH: "C", HANG: "H", ERROR: "E"}[.class] // "?"] | join("")),
    killed_runs: ([$runs[] | select(.killed_by_limit)] | length),
    details: ([$runs[] | select(.detail != "") | .detail | sub("; killed after [0-9.]+ s$"; "")] | unique | .[0:3]),
    what: $e.plain.what,
    expected: $e.plain.expected,
    observed: [($e.plain.distinct // [])[] | { value, count }],
    n_distinct: $e.plain.n_distinct,
    wait_for: (($e.plain.hang_diagnosis // "") | split("\n") | map(sub("^\\s+"; "")) | map(select(. != ""))),
    metric: { wall_s: $e.plain.wall_s.median, ns_per_op: $e.plain.ns_per_op.median },
    tsan: (if $e.tsan.wanted then {
      ran: $e.tsan.ran, error: $e.tsan.error, class: $e.tsan.class, args: $e.tsan.args,
      findings: [$e.tsan.findings[] | { kind, name, file: (.file | rel), line, function,
        variable, count, mutexes, cycle,
        accesses: [(.accesses // [])[] | { op, atomic, thread, file: (.file | rel), line, function }] }] }
      else null end),
    stopped: ($e.plain.stopped // false),
    verdict: $e.verdict,
    evidence: $e.evidence
  }
