# csv.jq: grades.csv from every student's report (jq -rs): one row per student, a score
# and a status column per lab, the total. Labs are the union over all reports.
# A text cell that a spreadsheet would run as a formula (= + - @, tab, CR first) gets a
# leading ' : a name is data, never code. Numbers stay numbers.
def cell: if type == "string" and test("^[=+\\-@\t\r]") then "'" + . else . end;
([.[].items[].lab] | unique) as $labs
| (["student"] + ($labs | map("lab\(.)", "lab\(.)_status")) + ["total", "max"]),
  (.[] | . as $r
   | ($r.items | map({ key: "\(.lab)", value: . }) | from_entries) as $by
   | [$r.student] + ($labs | map(($by["\(.)"] // null) as $i
       | (if $i then $i.score else "" end), (if $i then $i.status else "not-graded" end)))
     + [$r.score, $r.max_score])
| map(cell) | @csv
