# Test runs: the library API (cmocka, assembled programs, no clang needed)
# and the CLI (`uebpf test-run`, `uebpf map`, `uebpf disasm OBJ`) over the
# example objects, as shell scripts run with the tool, the examples folder
# and the source folder.
add_executable(test_testrun ${CMAKE_CURRENT_LIST_DIR}/test_testrun.c)
target_link_libraries(test_testrun PRIVATE uebpf_static PkgConfig::CMOCKA)
add_test(NAME testrun.api COMMAND test_testrun)
set_tests_properties(testrun.api PROPERTIES SKIP_RETURN_CODE 77 TIMEOUT 300)

get_property(UEBPF_TESTRUN_EXAMPLES_DIR GLOBAL PROPERTY UEBPF_EXAMPLES_DIR)
file(GLOB UEBPF_TESTRUN_CLI_TESTS CONFIGURE_DEPENDS ${CMAKE_CURRENT_LIST_DIR}/test_*.sh)
foreach(script ${UEBPF_TESTRUN_CLI_TESTS})
  get_filename_component(name ${script} NAME_WE)
  string(REGEX REPLACE "^test_" "" name ${name})
  add_test(NAME testrun.${name}
    COMMAND bash ${script} $<TARGET_FILE:uebpf> ${UEBPF_TESTRUN_EXAMPLES_DIR} ${CMAKE_SOURCE_DIR})
  set_tests_properties(testrun.${name} PROPERTIES SKIP_RETURN_CODE 77 TIMEOUT 300)
endforeach()
