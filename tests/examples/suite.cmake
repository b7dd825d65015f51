# The helper examples (examples/helpers/*.bpf.c) run through `uebpf test-run`
# with exact expectations: return values, output packets, map contents. One
# shell script per helper family, run as
#   bash test_X.sh UEBPF_BINARY EXAMPLES_DIR SOURCE_DIR
# (tests/testrun's conventions); without clang-19 they skip.
get_property(UEBPF_EXAMPLE_TESTS_DIR GLOBAL PROPERTY UEBPF_EXAMPLES_DIR)
file(GLOB UEBPF_EXAMPLE_TEST_SCRIPTS CONFIGURE_DEPENDS ${CMAKE_CURRENT_LIST_DIR}/test_*.sh)
foreach(script ${UEBPF_EXAMPLE_TEST_SCRIPTS})
  get_filename_component(name ${script} NAME_WE)
  string(REGEX REPLACE "^test_" "" name ${name})
  add_test(NAME examples.${name}
    COMMAND bash ${script} $<TARGET_FILE:uebpf> ${UEBPF_EXAMPLE_TESTS_DIR} ${CMAKE_SOURCE_DIR})
  set_tests_properties(examples.${name} PROPERTIES SKIP_RETURN_CODE 77 TIMEOUT 300)
endforeach()
