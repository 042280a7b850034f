# gradescope.jq: Gradescope's results.json from one student's report (jq, $t = seconds,
# $text = the text report). One test per lab; hidden argument sets are named only by
# their number in the output students see.
{
  score: .score,
  execution_time: $t,
  output: $text,
  tests: [ .items[] | {
    name: "Lab \(.lab) (\(.folder))",
    score: .score,
    max_score: .max_score,
    status: (if .status == "ok" then "passed" else "failed" end),
    output: "\(.status): \(.summary)",
    visibility: "visible"
  } ]
}
