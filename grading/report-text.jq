# report-text.jq: a student's report (OUT/reports/KEY.json) as text, for the student:
# per lab the status, each rubric item's points with the evidence that decided them
# (observed vs expected and the run strip per argument set, TSan's findings with
# file:line, a deadlock's wait-for lines). Hidden argument sets show their result, never
# their arguments or values (grading/score.jq writes the evidence that way).
"Student: \(.student)    total \(.score) / \(.max_score)",
(if .note then "Note: \(.note)" else empty end),
"",
(.items[] |
  "Lab \(.lab) (\(.folder)): \(.status)  \(.score) / \(.max_score)",
  (.explain // [] | .[] |
    "  \(.item | . + " " * ([10 - length, 1] | max))\(.points) / \(.max)",
    (.evidence[] | "      " + .)),
  (if (.files | length) > 0 then "  your files used: " + (.files | join(", ")) else empty end),
  (if .runs_note then "  (\(.runs_note); runs: . right  S wrong  C crash  H hang  E error)" else empty end),
  "")
