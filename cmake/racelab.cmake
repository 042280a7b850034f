# racelab.cmake: warnings, the TSan flavour, and racelab_add_lab() — one call adds a lab,
# its solutions, and both flavours of each, all described by the lab's lab.manifest.
include(CheckCSourceCompiles)

# Flags every target of ours gets.
function(racelab_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra)
  # gcc warns whenever snprintf may truncate; the harness truncates on purpose into fixed
  # buffers of one-line messages, so that warning is all noise here.
  if(CMAKE_C_COMPILER_ID STREQUAL "GNU")
    target_compile_options(${target} PRIVATE -Wno-format-truncation)
  endif()
  target_compile_definitions(${target} PRIVATE _GNU_SOURCE)
endfunction()

# valgrind 3.19 (Helgrind, DRD: racelab run --detector) cannot read clang 14's default
# DWARF 5 ("Possibly corrupted debuginfo file. I can't recover."): measured on lab 3.
if(CMAKE_C_COMPILER_ID STREQUAL "Clang")
  add_compile_options(-gdwarf-4)
endif()

# Can this compiler build and link a ThreadSanitizer program?
set(RACELAB_TSAN_FLAGS -g -O1 -fno-omit-frame-pointer -fsanitize=thread)
set(CMAKE_REQUIRED_FLAGS "-fsanitize=thread")
set(CMAKE_REQUIRED_LINK_OPTIONS "-fsanitize=thread")
check_c_source_compiles("int main(void) { return 0; }" RACELAB_HAVE_TSAN)
unset(CMAKE_REQUIRED_FLAGS)
unset(CMAKE_REQUIRED_LINK_OPTIONS)
if(NOT RACELAB_HAVE_TSAN)
  message(WARNING "racelab: ${CMAKE_C_COMPILER_ID} cannot build with -fsanitize=thread: "
                  "TSan flavours are not built (install libclang-rt-14-dev or libtsan2)")
endif()

# Can this compiler instrument code for TSan (compile only)? The -sched flavour links its
# own runtime (labkit/sched) instead of TSan's, so only the instrumentation is needed.
set(CMAKE_REQUIRED_FLAGS "-fsanitize=thread")
set(CMAKE_TRY_COMPILE_TARGET_TYPE STATIC_LIBRARY)
check_c_source_compiles("int f(int *p) { return *p; }" RACELAB_HAVE_SCHED)
unset(CMAKE_TRY_COMPILE_TARGET_TYPE)
unset(CMAKE_REQUIRED_FLAGS)
# clang drops the load's call in `x = x + 1` (read-before-write); the trace wants it.
set(RACELAB_SCHED_FLAGS -g -O1 -fno-omit-frame-pointer -fsanitize=thread)
if(CMAKE_C_COMPILER_ID STREQUAL "Clang")
  list(APPEND RACELAB_SCHED_FLAGS -mllvm -tsan-instrument-read-before-write=1)
endif()

# Makes target a ThreadSanitizer build.
function(racelab_tsan target)
  target_compile_options(${target} PRIVATE ${RACELAB_TSAN_FLAGS})
  target_link_options(${target} PRIVATE -fsanitize=thread)
endfunction()

include(${CMAKE_CURRENT_LIST_DIR}/manifest.cmake)

# gcc's ThreadSanitizer as a second opinion (racelab run --detector tsan-gcc): when the
# project's compiler is not gcc but a gcc that links -fsanitize=thread is installed, each
# program also gets a NAME-tsan-gcc flavour, built by that gcc directly (one CMake tree has
# one C compiler), with the lab kit's sources compiled in.
set(RACELAB_GCC_TSAN "")
if(NOT CMAKE_C_COMPILER_ID STREQUAL "GNU")
  find_program(RACELAB_GCC gcc)
  if(RACELAB_GCC)
    set(probe ${CMAKE_BINARY_DIR}/CMakeFiles/racelab-gcc-tsan-probe)
    file(WRITE ${probe}.c "int main(void) { return 0; }\n")
    execute_process(COMMAND ${RACELAB_GCC} -fsanitize=thread ${probe}.c -o ${probe}
                    RESULT_VARIABLE gcc_tsan_status OUTPUT_QUIET ERROR_QUIET)
    if(gcc_tsan_status EQUAL 0)
      set(RACELAB_GCC_TSAN ${RACELAB_GCC})
    else()
      message(STATUS "racelab: gcc cannot link -fsanitize=thread: no -tsan-gcc flavour "
                     "(apt-get install libtsan2)")
    endif()
  endif()
endif()

# NAME-tsan-gcc from source (+ extra_sources and the lab kit) with gcc's TSan and the lab's
# plain_cflags last, as NAME-tsan gets them.
function(racelab_gcc_tsan_program name source cflags extra_sources lab_dir)
  if(NOT RACELAB_GCC_TSAN)
    return()
  endif()
  set(labkit_dir ${PROJECT_SOURCE_DIR}/labkit)
  file(GLOB labkit_files ${labkit_dir}/*.c ${labkit_dir}/*.h)
  file(GLOB labkit_sources ${labkit_dir}/*.c)
  set(out ${CMAKE_RUNTIME_OUTPUT_DIRECTORY}/${name}-tsan-gcc)
  add_custom_command(OUTPUT ${out}
    COMMAND ${RACELAB_GCC_TSAN} -std=c11 -D_GNU_SOURCE -Wall -Wextra -Wno-format-truncation
            ${RACELAB_TSAN_FLAGS} ${cflags} -I${lab_dir} -I${labkit_dir}
            ${source} ${extra_sources} ${labkit_sources} -o ${out} -pthread
    DEPENDS ${source} ${extra_sources} ${labkit_files}
    COMMENT "gcc TSan: ${name}-tsan-gcc" VERBATIM)
  add_custom_target(${name}-tsan-gcc ALL DEPENDS ${out})
endfunction()


# One program in both flavours: NAME (plain) and NAME-tsan. The TSan flavour gets the lab's
# plain_cflags too, last, so TSan checks the code the plain runs execute: at -O1 clang folds
# lab 3's loop into one read and one write per thread, and TSan, checking those two nearly
# simultaneous accesses, missed the race in about 1 run of 7 (measured; 0 of 80 at -O0).
function(racelab_lab_program name source cflags extra_sources lab_dir)
  add_executable(${name} ${source} ${extra_sources})
  target_include_directories(${name} PRIVATE ${lab_dir})
  target_compile_options(${name} PRIVATE ${cflags})
  target_link_libraries(${name} PRIVATE labkit Threads::Threads)
  racelab_warnings(${name})
  set(targets ${name})
  if(RACELAB_HAVE_TSAN)
    add_executable(${name}-tsan ${source} ${extra_sources})
    target_include_directories(${name}-tsan PRIVATE ${lab_dir})
    racelab_tsan(${name}-tsan)
    target_compile_options(${name}-tsan PRIVATE ${cflags})
    target_link_libraries(${name}-tsan PRIVATE labkit-tsan Threads::Threads)
    racelab_warnings(${name}-tsan)
    list(APPEND targets ${name}-tsan)
  endif()
  if(RACELAB_HAVE_SCHED AND RACELAB_LAB_SCHED)
    # NAME-sched: instrumented like the TSan flavour, linked with the schedule runtime
    # (labkit/sched) instead of TSan's: every shared access is a scheduling point.
    add_executable(${name}-sched ${source} ${extra_sources})
    target_include_directories(${name}-sched PRIVATE ${lab_dir})
    target_compile_options(${name}-sched PRIVATE ${RACELAB_SCHED_FLAGS} ${cflags})
    target_link_libraries(${name}-sched PRIVATE labkit-sched Threads::Threads)
    racelab_warnings(${name}-sched)
    list(APPEND targets ${name}-sched)
  endif()
  racelab_gcc_tsan_program(${name} ${source} "${cflags}" "${extra_sources}" ${lab_dir})
  if(RACELAB_GCC_TSAN)
    list(APPEND targets ${name}-tsan-gcc) # labNN-all (make labN) keeps it fresh too
  endif()
  set(RACELAB_PROGRAM_TARGETS ${targets} PARENT_SCOPE)
endfunction()

# racelab_add_lab(DIR): DIR is a folder of labs/ (e.g. 03-lost-update) holding lab.manifest.
# Builds labNN and labNN-tsan from labs/DIR/<program>, and labNN-<sol> and labNN-<sol>-tsan
# from solutions/DIR/<sol>.c for each solution the manifest names. labNN-all builds them all.
function(racelab_add_lab dir)
  set(lab_dir ${PROJECT_SOURCE_DIR}/labs/${dir})
  set(manifest ${lab_dir}/lab.manifest)
  if(NOT EXISTS ${manifest})
    message(FATAL_ERROR "racelab: labs/${dir}: no lab.manifest")
  endif()
  racelab_manifest_read(${manifest} m)
  set(id "${m_id}")
  set(program "${m_program}")
  set(cflags "${m_plain_cflags}")
  set(extra "${m_extra_sources}")
  set(solutions "${m_solutions}")
  set(RACELAB_LAB_SCHED OFF)
  if(m_sched STREQUAL "yes")
    set(RACELAB_LAB_SCHED ON) # read by racelab_lab_program: a -sched flavour too
  endif()
  separate_arguments(cflags UNIX_COMMAND "${cflags}")
  separate_arguments(extra UNIX_COMMAND "${extra}")
  separate_arguments(solutions UNIX_COMMAND "${solutions}")
  list(TRANSFORM extra PREPEND ${lab_dir}/)
  if(id STREQUAL "" OR program STREQUAL "")
    message(FATAL_ERROR "racelab: labs/${dir}/lab.manifest: needs id and program")
  endif()
  string(LENGTH "${id}" id_len)
  if(id_len EQUAL 1)
    set(id "0${id}")
  endif()
  set(lab lab${id})

  racelab_lab_program(${lab} ${lab_dir}/${program} "${cflags}" "${extra}" ${lab_dir})
  set(all ${RACELAB_PROGRAM_TARGETS})
  foreach(sol ${solutions})
    set(sol_source ${PROJECT_SOURCE_DIR}/solutions/${dir}/${sol}.c)
    if(NOT EXISTS ${sol_source})
      message(FATAL_ERROR "racelab: labs/${dir}/lab.manifest names solution '${sol}' "
                          "but solutions/${dir}/${sol}.c does not exist")
    endif()
    racelab_lab_program(${lab}-${sol} ${sol_source} "${cflags}" "${extra}" ${lab_dir})
    list(APPEND all ${RACELAB_PROGRAM_TARGETS})
  endforeach()
  add_custom_target(${lab}-all DEPENDS ${all} racelab)
  # Typical wrong fixes (tests/wrong-fixes/DIR/NAME.c) as labNN-wrong-NAME, for the tests
  # and the benchmark: racelab run labN --program bin/labNN-wrong-NAME must catch each.
  if(RACELAB_TESTS)
    file(GLOB wrong_fixes ${PROJECT_SOURCE_DIR}/tests/wrong-fixes/${dir}/*.c)
    foreach(wrong ${wrong_fixes})
      get_filename_component(name ${wrong} NAME_WE)
      racelab_lab_program(${lab}-wrong-${name} ${wrong} "${cflags}" "${extra}" ${lab_dir})
    endforeach()
  endif()
  set_property(GLOBAL APPEND PROPERTY RACELAB_LAB_DIRS ${dir})
endfunction()

# Can this compiler build with AddressSanitizer and UndefinedBehaviorSanitizer? Tests of code
# that reads or writes untrusted text run under them (tests/fuzz replays, the lab kit's
# result record), so an overflow fails the test rather than passing by luck.
set(RACELAB_ASAN_FLAGS -fsanitize=address,undefined -fno-sanitize-recover=all)
string(REPLACE ";" " " CMAKE_REQUIRED_FLAGS "${RACELAB_ASAN_FLAGS}")
set(CMAKE_REQUIRED_LINK_OPTIONS ${RACELAB_ASAN_FLAGS})
check_c_source_compiles("int main(void) { return 0; }" RACELAB_HAVE_ASAN)
unset(CMAKE_REQUIRED_FLAGS)
unset(CMAKE_REQUIRED_LINK_OPTIONS)

# Makes target an ASan+UBSan build; nothing (a note at configure time) without them.
function(racelab_asan target)
  if(RACELAB_HAVE_ASAN)
    target_compile_options(${target} PRIVATE -g -fno-omit-frame-pointer ${RACELAB_ASAN_FLAGS})
    target_link_options(${target} PRIVATE ${RACELAB_ASAN_FLAGS})
  else()
    message(STATUS "racelab: ${target} runs without ASan/UBSan (the compiler lacks them)")
  endif()
endfunction()
