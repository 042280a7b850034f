# gradescope.jq: Gradescope's results.json from one student's report (jq, $t = seconds,
# $text = the text report, $vis = { "LAB": { visibility, hidden_visibility } } from the
# rubrics). One test per lab with the rubric's `visibility`; when the lab has hidden
# argument sets, their share of the correctness points is a test of its own with the
# rubric's `hidden_visibility` (e.g. after_due_date). Outputs name a hidden set by its
# number only (the evidence in the report is written that way).
def vis(lab): $vis["\(lab)"] // { visibility: "visible", hidden_visibility: "after_due_date" };
def hidden_share: # the correctness points earned and possible on hidden sets
  (.sets | length) as $n
  | (.explain // [] | map(select(.item == "correct"))[0].max // 0) as $max
  | if $n == 0 then { score: 0, max: 0 } else
    { score: (([.sets[] | select(.hidden and .counts != null and (.counts | add) > 0 and .counts.OK == (.counts | add))] | length) * $max / $n),
      max: (([.sets[] | select(.hidden)] | length) * $max / $n) } end
  | map_values(. * 100 | round / 100);
{
  score: .score,
  execution_time: $t,
  output: $text,
  tests: [ .items[] | . as $i | hidden_share as $h | vis($i.lab) as $v |
    {
      name: "Lab \(.lab) (\(.folder))",
      score: ((.score - $h.score) * 100 | round / 100),
      max_score: (.max_score - $h.max),
      status: (if .status == "ok" then "passed" else "failed" end),
      output: ([.summary] + [.explain // [] | .[] | "\(.item) \(.points)/\(.max): " + (.evidence | join("\n    "))] | join("\n")),
      visibility: $v.visibility
    },
    (if $h.max > 0 then {
      name: "Lab \(.lab) (\(.folder)): hidden argument sets",
      score: $h.score,
      max_score: $h.max,
      status: (if $h.score == $h.max then "passed" else "failed" end),
      output: ([$i.explain // [] | .[] | select(.item == "correct") | .evidence[] | select(startswith("hidden set"))] | join("\n")),
      visibility: $v.hidden_visibility
    } else empty end)
  ]
}
