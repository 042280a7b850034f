# report-text.jq: a student's report (OUT/reports/STUDENT.json) as text for people.
"Student: \(.student)    total \(.score) / \(.max_score)",
(if .note then "Note: \(.note)" else empty end),
"",
(.items[] |
  "Lab \(.lab) (\(.folder)): \(.status)  \(.score) / \(.max_score)",
  "  \(.summary)",
  "  points: " + (.points | to_entries | map("\(.key) \(.value)") | join(", ")),
  (if (.files | length) > 0 then "  your files used: " + (.files | join(", ")) else "  your files used: none (the lab as handed out)" end),
  (if (.build_errors | length) > 0 and (.build_ok | not) then "  first compiler errors:", (.build_errors[] | "    " + .) else empty end),
  (.sets | to_entries[] |
    "  set \(.key + 1): \(.value.args)",
    "    runs: \(.value.runs)   (. ok  S wrong  C crash  H hang  E error)" ,
    (if .value.counts then "    " + (.value.counts | to_entries | map("\(.key) \(.value)") | join("  ")) else empty end),
    (if (.value.details | length) > 0 then "    details: " + (.value.details | join("; ")) else empty end),
    "    \(.value.evidence // "")"),
  (if .tsan and (.tsan.findings | length) > 0 then "  TSan findings:", (.tsan.findings[] | "    \(.kind) at \(.file // "?"):\(.line // "?") in \(.function // "?")" + (if .variable then " on '\(.variable)'" else "" end)) else empty end),
  (if .speedup then "  speed: \(.speedup.metric) yours \(.speedup.mine) reference \(.speedup.reference) ratio \(.speedup.ratio) (needs \(.speedup.needed))" else empty end),
  "")
