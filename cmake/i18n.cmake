# Translations (GNU gettext). po/LANG.po is compiled into build/locale/LANG/LC_MESSAGES/
# racelab.mo, where racelab looks for it (RACELAB_LOCALEDIR; $RACELAB_LOCALEDIR at run
# time overrides). msgfmt is a build-time tool only (Debian package gettext, installed by
# scripts/configure as root): without it racelab is built and runs in English, and
# CMake says so. `make po-update` (scripts/po-update) re-extracts the marked strings.
set(RACELAB_LOCALEDIR ${CMAKE_BINARY_DIR}/locale)
set(RACELAB_LINGUAS ru)

find_program(RACELAB_MSGFMT msgfmt)
if(RACELAB_MSGFMT)
  set(racelab_mo_files)
  foreach(lang ${RACELAB_LINGUAS})
    set(po ${PROJECT_SOURCE_DIR}/po/${lang}.po)
    if(NOT EXISTS ${po})
      continue() # a tree without po/ (a partial copy) is built English only
    endif()
    set(mo ${RACELAB_LOCALEDIR}/${lang}/LC_MESSAGES/racelab.mo)
    add_custom_command(OUTPUT ${mo}
      COMMAND ${CMAKE_COMMAND} -E make_directory ${RACELAB_LOCALEDIR}/${lang}/LC_MESSAGES
      COMMAND ${RACELAB_MSGFMT} --check -o ${mo} ${po}
      DEPENDS ${po}
      COMMENT "Compiling the ${lang} translation (po/${lang}.po)")
    list(APPEND racelab_mo_files ${mo})
  endforeach()
  if(racelab_mo_files)
    add_custom_target(racelab_translations ALL DEPENDS ${racelab_mo_files})
  endif()
else()
  message(WARNING "racelab: msgfmt (Debian package gettext) is missing: racelab is built "
    "without its Russian translation and prints English whatever --lang says "
    "(apt-get install gettext, or run scripts/configure as root)")
endif()
