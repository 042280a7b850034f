# manifest.cmake: reads a lab.manifest in CMake, which runs before racelab is built and so
# cannot ask it (`racelab manifest`). Follows the one grammar (docs/manifest.md,
# harness/manifest.c): "key = value" with the key at column 0, each key at most once, '#'
# comment lines and blank lines; anything else stops the configure with file:line. Which
# keys are known is racelab's to say; tests/style/manifest_readers.sh checks that both
# readers read every manifest the same way.

# racelab_manifest_read(MANIFEST PREFIX): sets PREFIX_<key> to each key's value (blanks
# around it stripped) and PREFIX_KEYS to the keys, in the caller's scope.
function(racelab_manifest_read manifest prefix)
  file(READ ${manifest} text)
  # Keep ';' and brackets out of CMake's list splitting; put back in each value.
  string(REPLACE ";" "@RL_SEMI@" text "${text}")
  string(REPLACE "[" "@RL_LB@" text "${text}")
  string(REPLACE "]" "@RL_RB@" text "${text}")
  string(REPLACE "\n" ";" lines "${text}")
  set(keys "")
  set(n 0)
  foreach(line IN LISTS lines)
    math(EXPR n "${n} + 1")
    string(REGEX REPLACE "[ \t\r]+$" "" line "${line}")
    if(line MATCHES "^[ \t]*(#|$)")
      continue()
    elseif(line MATCHES "^[ \t]")
      message(FATAL_ERROR "${manifest}:${n}: '${line}' is indented: a key starts at column 0")
    elseif(NOT line MATCHES "^([A-Za-z0-9_]+)[ \t]*=[ \t]*(.*)$")
      message(FATAL_ERROR "${manifest}:${n}: expected 'key = value', got '${line}'")
    endif()
    set(key ${CMAKE_MATCH_1})
    set(value "${CMAKE_MATCH_2}")
    if(DEFINED line_of_${key})
      message(FATAL_ERROR "${manifest}:${n}: '${key}' given twice (first on line ${line_of_${key}})")
    endif()
    set(line_of_${key} ${n})
    string(REPLACE "@RL_SEMI@" ";" value "${value}")
    string(REPLACE "@RL_LB@" "[" value "${value}")
    string(REPLACE "@RL_RB@" "]" value "${value}")
    list(APPEND keys ${key})
    set(${prefix}_${key} "${value}" PARENT_SCOPE)
  endforeach()
  set(${prefix}_KEYS "${keys}" PARENT_SCOPE)
endfunction()
