# Hands the example objects (examples/*.cmake) to tests/unit/test_helpers_elf.c,
# which runs the maps/ringbuf/callbacks/prog_array examples through the Linux
# helpers. Without clang-19 the objects do not exist and the test skips.
get_property(_helpers_examples_dir GLOBAL PROPERTY UEBPF_EXAMPLES_DIR)
if(TARGET test_helpers_elf)
  target_compile_definitions(test_helpers_elf PRIVATE
    UEBPF_EXAMPLES_DIR="${_helpers_examples_dir}")
  if(TARGET uebpf_examples)
    add_dependencies(test_helpers_elf uebpf_examples)
  endif()
endif()
