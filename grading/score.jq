# score.jq: one (submission, lab) item's status, points and the evidence behind each
# point, from the results of each argument set (grading/set.jq) and the rubric's points.
#
# Each point is decided by evidence that does not flip from one grading to the next:
#   build    both flavours compiled;
#   correct  a set's share when every plain run of it gave the right result;
#   tsan     TSan ran to the end of its run and reported nothing. Only its findings
#            count: whether the TSan run's own result happened to be right is luck of
#            the schedule (an atomic balance checked apart from the withdrawal is wrong
#            in some TSan runs and right in others) and is judged by the plain runs;
#   no_hang  no run (plain or TSan) hung and no sandbox limit was hit.
# The one source of chance left is a bug that shows only in some runs: a set of n runs
# misses a bug that shows with probability p per run with probability (1-p)^n; each item
# says, for its n, which p is caught 99 times in 100 (docs/grading.md).
#
# Status, first that applies: build-failed, killed (a sandbox limit), hung, crashed,
# wrong (a wrong result or a bad exit in some run), racy (TSan findings), error (TSan or
# racelab could not run: the grader's problem), ok.
#
# Evidence and summary are written for the student: a hidden set is named by its number,
# never by its arguments or values. The instructor's copy of everything is in .sets.
def total(k): [$sets[] | (.counts // {})[k] // 0] | add // 0;
def round2: (. * 100 | round) / 100;
def base: tostring | sub(".*/"; "");
def at: "\(.file // "?" | base):\(.line // "?")";
def setname(i): if .hidden then "hidden set \(i + 1)" else "set \(i + 1) (\(.args))" end;
def values_text:
  if .hidden or .what == null or (.observed | length) == 0 then ""
  else ": \(.what) expected \(.expected), observed " +
    (.observed[0:4] | map("\(.value)" + (if .count > 1 then " x\(.count)" else "" end)) | join(", ")) +
    (if (.n_distinct // 0) > 4 then ", ... (\(.n_distinct) distinct)" else "" end) end;
def finding_text:
  if .kind == "lock-order-inversion" then
    "lock-order inversion (potential deadlock) at \(at) in \(.function // "?")" +
    (if (.cycle | length) > 0 then ": lock cycle " + (.cycle | map("M\(.)") | join(" => ")) else "" end)
  elif (.accesses | length) > 0 then
    "\(.name // .kind)" + (if .variable then " on '\(.variable)'" else "" end) + ": " +
    (.accesses | map("\(if .atomic then "atomic " else "" end)\(.op) at \(at) in \(.function // "?") (thread T\(.thread))") | join(" vs "))
  else "\(.name // .kind) at \(at) in \(.function // "?")" end;

($built == "yes") as $built_ok
| ($sets | length) as $nsets
| ([$sets[] | select(.limit != "none") | .limit] + (if $limit != "none" then [$limit] else [] end) | unique) as $limits
| ($sets[0].tsan // null) as $tsan
| ($tsan != null and $tsan.class == "HANG") as $tsan_hung
| (total("HANG") + (if $tsan_hung then 1 else 0 end)) as $hangs
| ([$sets[] | .killed_runs] | add // 0) as $killed_runs
| (total("CRASH") + (if $tsan != null and $tsan.class == "CRASH" then 1 else 0 end)) as $crashes
| (total("SYMPTOM") + total("ERROR")) as $wrong
| ([$sets[] | select(.counts == null)] | length) as $no_report
| ($tsan != null and $tsan.ran and $tsan.error == null) as $tsan_ran
# racelab --fail-fast skips TSan after a plain run hung or hit a limit: the student's
# doing, not the grader's (the status is hung or killed; TSan gives no verdict).
| ($tsan != null and ($tsan.ran | not) and (($tsan.error // "") | test("fail-fast"))) as $tsan_skipped
| ($tsan_ran and ([$tsan.class] | inside(["OK", "SYMPTOM", "ERROR"]))) as $tsan_finished
| ($tsan != null and (($tsan.findings // []) | length) > 0) as $racy
| ($tsan_finished and ($racy | not)) as $tsan_clean
| [$sets[] | .counts != null and (.counts | add) > 0 and .counts.OK == (.counts | add)] as $set_ok
| ($set_ok | map(select(.)) | length) as $sets_correct
| ([$sets[] | .n_runs // 0] | max // 0) as $n_runs
| (if $built_ok | not then (if ($limits | length) > 0 then "killed" else "build-failed" end)
   elif ($limits | length) > 0 or $killed_runs > 0 then "killed"
   elif $hangs > 0 then "hung"
   elif $crashes > 0 then "crashed"
   elif $wrong > 0 then "wrong"
   elif $racy then "racy"
   elif $no_report > 0 or $nsets == 0 or (($tsan_ran or $tsan_skipped) | not) then "error"
   else "ok" end) as $status
| ($sets[0].metric // {})[$speed_metric] as $mine
| (if $p_speed > 0 and $ref != null and $mine != null and $mine > 0 and ($ref[$speed_metric] // null) != null
   then ($ref[$speed_metric] / $mine) else null end) as $ratio
| ($errors | split("\n") | map(select(. != ""))) as $error_lines
| (if $tsan == null or ($tsan.args // "") == "" then "TSan" elif $tsan_public then "TSan (\($tsan.args))" else "TSan (hidden arguments)" end) as $tsan_name
| ([
    { item: "build", max: $p_build,
      points: (if $built_ok then $p_build else 0 end),
      evidence: (if $built_ok then ["built in both flavours (plain and TSan)"]
                 elif ($limits | length) > 0 then ["the build was stopped by a sandbox limit: \($limits | join(", "))"]
                 else ["does not build"] + ($error_lines[0:3] | map("  " + .)) end) },
    { item: "correct", max: $p_correct,
      points: (if $built_ok and $nsets > 0 then ($p_correct * $sets_correct / $nsets | round2) else 0 end),
      evidence: (if ($built_ok | not) then ["not run: it does not build"]
                 elif $nsets == 0 then ["no argument set ran"]
                 else [$sets | to_entries[] | .key as $i | .value |
                   setname($i) + ": " +
                   (if .counts == null then "no result (\(.evidence // "racelab did not report"))"
                    else "\(.counts.OK)/\(.counts | add) runs right [\(.runs)]" + values_text +
                      (if (.details | length) > 0 then "; " + (.details | join("; ")) else "" end) end)
                   + (if $set_ok[$i] then " - earned" else " - lost" end)] end) },
    { item: "tsan", max: $p_tsan,
      points: (if $built_ok and $tsan_clean then $p_tsan else 0 end),
      evidence: (if ($built_ok | not) then ["not run: it does not build"]
                 elif $tsan == null then ["\($tsan_name) did not run"]
                 elif $tsan_skipped then ["\($tsan_name) not run: a plain run hung or hit a limit, so grading stopped there (no verdict)"]
                 elif ($tsan_ran | not) then ["\($tsan_name) could not run: \($tsan.error // "?") (the grader's problem; ask your instructor)"]
                 elif $racy then ["\($tsan_name) found \($tsan.findings | length) problem(s):"] + ($tsan.findings | map("  " + finding_text))
                 elif $tsan_hung then ["\($tsan_name): its run hung, so TSan gave no verdict (a program that deadlocks under TSan prints nothing)"]
                 elif ($tsan_finished | not) then ["\($tsan_name): its run did not end normally (\($tsan.class)), so TSan gave no verdict"]
                 else ["\($tsan_name) ran to the end and found nothing" +
                   (if $tsan.class == "SYMPTOM" then " (its own result was wrong: the plain runs judge results)" else "" end)] end) },
    { item: "no_hang", max: $p_hang,
      points: (if $built_ok and $hangs == 0 and ($limits | length) == 0 and $no_report == 0 then $p_hang else 0 end),
      evidence: (if ($built_ok | not) then ["not run: it does not build"]
                 elif ($limits | length) > 0 then ["stopped by a sandbox limit: \($limits | join(", "))"]
                 elif $hangs > 0 then
                   [$sets | to_entries[] | .key as $i | .value | select((.counts.HANG // 0) > 0) |
                     "\(setname($i)): \(.counts.HANG) of \(.n_runs) runs hung [\(.runs)]" +
                     (if (.details | length) > 0 then ": " + (.details | join("; ")) else "" end)]
                   + (if $tsan_hung then ["the TSan run hung"] else [] end)
                   + ([$sets[] | select((.wait_for | length) > 0) | .wait_for][0] // [] |
                       if length > 0 then ["wait-for (who waits for whom, seen live by gdb):"] + map("  " + .) else [] end)
                   + ([($tsan.findings // [])[] | select(.kind == "lock-order-inversion") | "  TSan: " + finding_text])
                 elif $no_report > 0 then ["some set gave no report (see correct)"]
                 else ["no run hung, no sandbox limit hit"] end) }
  ]
  + (if $p_speed > 0 then [
    { item: "speedup", max: $p_speed,
      points: (if $sets_correct == $nsets and $nsets > 0 and $ratio != null and $ratio >= $speed_min then $p_speed else 0 end),
      evidence: [if $ratio == null then "no timing to compare (\($speed_metric))"
                 else "\($speed_metric): yours \($mine) vs reference \($ref[$speed_metric]): \($ratio | round2)x (needs \($speed_min)x" +
                   (if $sets_correct == $nsets then ")" else " and every set correct)" end) end] } ] else [] end))
  as $explain
| ($explain | map({ key: .item, value: .points }) | from_entries) as $points
| {
    student: $student,
    lab: $lab,
    folder: $folder,
    status: $status,
    score: ($points | add | round2),
    max_score: ($explain | map(.max) | add),
    points: $points,
    explain: $explain,
    runs_note: (if $n_runs > 0 then "each set ran \($n_runs) time(s): a bug that shows in at least \((1 - pow(0.01; 1 / $n_runs)) * 100 | ceil)% of runs fails its set 99 times in 100" else null end),
    summary: ("\($status): " + (
      if $status == "ok" then "correct in every run of every set, TSan clean"
      else [$explain[] | select(.points < .max) | "\(.item) \(.points)/\(.max): " +
        (if .item == "correct" and $built_ok then "\($sets_correct)/\($nsets) sets right in every run"
         elif .item == "tsan" and $racy then .evidence[1] | ltrimstr("  ")
         else .evidence[0] | if length > 160 then .[0:157] + "..." else . end end)]
        | join("; ") end)),
    build_ok: $built_ok,
    build_errors: $error_lines,
    limit: $limit,
    sets: $sets,
    tsan: $tsan,
    speedup: (if $p_speed > 0 then { metric: $speed_metric, mine: $mine, reference: (if $ref != null then $ref[$speed_metric] else null end), ratio: $ratio, needed: $speed_min } else null end),
    files: ($files | split("\n") | map(select(. != ""))),
    rubric: $rubric,
    seconds: $seconds
  }
