# junit.jq: JUnit XML from every student's report (jq -rs): a <testsuite> per student, a
# <testcase> per lab; anything but "ok" is a <failure> with the summary as its message.
def esc: tostring | gsub("&"; "&amp;") | gsub("<"; "&lt;") | gsub(">"; "&gt;") | gsub("\""; "&quot;");
"<?xml version=\"1.0\" encoding=\"UTF-8\"?>",
"<testsuites name=\"racelab grades\" tests=\"\([.[].items[]] | length)\" failures=\"\([.[].items[] | select(.status != "ok")] | length)\">",
(.[] |
  "  <testsuite name=\"\(.student | esc)\" tests=\"\(.items | length)\" failures=\"\([.items[] | select(.status != "ok")] | length)\" skipped=\"0\" time=\"\([.items[].seconds] | add // 0)\">",
  (.items[] as $i |
    "    <testcase classname=\"\($i.student | esc)\" name=\"lab\($i.lab) \($i.folder | esc)\" time=\"\($i.seconds)\">",
    (if $i.status != "ok" then "      <failure message=\"\($i.status | esc): \($i.summary | esc)\">\($i.score)/\($i.max_score)</failure>" else empty end),
    "      <system-out>\($i.summary | esc) (\($i.score)/\($i.max_score))</system-out>",
    "    </testcase>"),
  "  </testsuite>"),
"</testsuites>"
