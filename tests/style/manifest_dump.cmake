# manifest_dump.cmake: prints what cmake/manifest.cmake reads from MANIFEST, one
# "key<TAB>value" line per key (cmake -DMANIFEST=PATH -P manifest_dump.cmake).
include(${CMAKE_CURRENT_LIST_DIR}/../../cmake/manifest.cmake)
racelab_manifest_read(${MANIFEST} m)
foreach(key IN LISTS m_KEYS)
  string(ASCII 9 tab)
  message(NOTICE "${key}${tab}${m_${key}}")
endforeach()
