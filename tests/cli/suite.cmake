# Behaviour tests of the `uebpf` tool: every tests/cli/test_*.sh is one CTest
# test, run as `bash test_X.sh UEBPF_BINARY SHARED_DIR SOURCE_DIR`.
file(GLOB UEBPF_CLI_TESTS CONFIGURE_DEPENDS ${CMAKE_CURRENT_LIST_DIR}/test_*.sh)
foreach(script ${UEBPF_CLI_TESTS})
  get_filename_component(name ${script} NAME_WE)
  string(REGEX REPLACE "^test_" "" name ${name})
  add_test(NAME cli.${name}
    COMMAND bash ${script} $<TARGET_FILE:uebpf> ${UEBPF_SHARED_DIR} ${CMAKE_SOURCE_DIR})
  set_tests_properties(cli.${name} PROPERTIES SKIP_RETURN_CODE 77 TIMEOUT 300)
endforeach()
