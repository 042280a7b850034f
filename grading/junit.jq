# junit.jq: JUnit XML from every student's report (jq -rs): a <testsuite> per student, a
# <testcase> per lab; anything but "ok" is a <failure> with the summary as its message.
# esc: text for an XML attribute or element: markup escaped, line breaks and tabs kept as
# character references (a parser would fold them to spaces), other control characters
# (not allowed in XML 1.0) dropped.
def esc: tostring | gsub("&"; "&amp;") | gsub("<"; "&lt;") | gsub(">"; "&gt;")
  | gsub("\""; "&quot;") | gsub("'"; "&apos;") | gsub("\n"; "&#10;") | gsub("\r"; "&#13;")
  | gsub("\t"; "&#9;") | gsub("[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]"; "");
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
