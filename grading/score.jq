# score.jq: one (submission, lab) item's status and points, from the results of each
# argument set (racelab's reports, condensed by scripts/grade-one) and the rubric's points.
# Status, first that applies: build-failed, killed (a sandbox limit: wall clock, memory,
# processes, CPU or file size), hung, crashed (a signal), wrong (a wrong result or a bad
# exit in some run), racy (TSan findings), error (TSan or racelab could not run), ok.
def total(k): [$sets[] | (.counts // {})[k] // 0] | add // 0;
def round2: (. * 100 | round) / 100;

($built == "yes") as $built_ok
| ($sets | length) as $nsets
| ([$sets[] | select(.limit != "none") | .limit] + (if $limit != "none" then [$limit] else [] end)) as $limits
| ($sets[0].tsan // null) as $tsan
| (total("HANG") + (if $tsan != null and $tsan.class == "HANG" then 1 else 0 end)) as $hangs
| ([$sets[] | .killed_runs] | add // 0) as $killed_runs
| total("CRASH") as $crashes
| (total("SYMPTOM") + total("ERROR")) as $wrong
| ([$sets[] | select(.counts == null)] | length) as $no_report
| ($tsan != null and $tsan.ran and ($tsan.findings | length) == 0 and $tsan.class == "OK") as $tsan_clean
| ($tsan != null and ($tsan.findings | length) > 0) as $racy
| ([$sets[] | select(.counts != null and (.counts | add) > 0 and .counts.OK == (.counts | add))] | length) as $sets_correct
| (if $built_ok | not then (if ($limits | length) > 0 then "killed" else "build-failed" end)
   elif ($limits | length) > 0 or $killed_runs > 0 then "killed"
   elif $hangs > 0 then "hung"
   elif $crashes > 0 then "crashed"
   elif $wrong > 0 then "wrong"
   elif $racy then "racy"
   elif $no_report > 0 or $nsets == 0 or ($tsan_clean | not) then "error"
   else "ok" end) as $status
| ($sets[0].metric // {})[$speed_metric] as $mine
| (if $p_speed > 0 and $ref != null and $mine != null and $mine > 0 and ($ref[$speed_metric] // null) != null
   then ($ref[$speed_metric] / $mine) else null end) as $ratio
| {
    build: (if $built_ok then $p_build else 0 end),
    correct: (if $built_ok and $nsets > 0 then ($p_correct * $sets_correct / $nsets | round2) else 0 end),
    tsan: (if $built_ok and $tsan_clean then $p_tsan else 0 end),
    no_hang: (if $built_ok and $hangs == 0 and ($limits | length) == 0 and $no_report == 0 then $p_hang else 0 end),
    speedup: (if $sets_correct == $nsets and $nsets > 0 and $ratio != null and $ratio >= $speed_min then $p_speed else 0 end)
  } as $points
| {
    student: $student,
    lab: $lab,
    folder: $folder,
    status: $status,
    score: ($points | add | round2),
    max_score: ($p_build + $p_correct + $p_tsan + $p_hang + $p_speed),
    points: $points,
    summary: (
      if $status == "build-failed" then "does not build: " + (($errors | split("\n"))[0] // "")
      elif $status == "killed" then "killed by a sandbox limit: " + (($limits + (if $killed_runs > 0 then ["\($killed_runs) run(s) killed (SIGKILL/SIGXCPU/SIGXFSZ)"] else [] end)) | unique | join(", "))
      elif $status == "error" then "could not be judged: " + ([$sets[] | .evidence] | map(select(. != null)) | .[0] // "no argument set ran")
      else "\($sets_correct)/\($nsets) argument sets correct in every run; runs: "
        + ([$sets[] | .runs] | join(" | "))
        + "; TSan: " + (if $tsan == null then "not run"
                        elif ($tsan.ran | not) then "could not run (\($tsan.error // "?"))"
                        elif $racy then ([$tsan.findings[] | "\(.kind) at \(.file // "?"):\(.line // "?")"] | join(", "))
                        else "clean" end)
        + (if $ratio != null then "; speed vs reference: \($ratio | round2)x (needs \($speed_min))" else "" end)
      end),
    build_ok: $built_ok,
    build_errors: ($errors | split("\n") | map(select(. != ""))),
    limit: $limit,
    sets: $sets,
    tsan: $tsan,
    speedup: (if $p_speed > 0 then { metric: $speed_metric, mine: $mine, reference: (if $ref != null then $ref[$speed_metric] else null end), ratio: $ratio, needed: $speed_min } else null end),
    files: ($files | split("\n") | map(select(. != ""))),
    rubric: $rubric,
    seconds: $seconds
  }
