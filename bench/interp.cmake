# Interpreter speed: ns per executed instruction on a tight ALU loop, and the
# ratio to the same loop compiled natively. Not a test: run it by hand
# (`build/bench/bench_interp`), it prints its figures.
add_executable(bench_interp ${CMAKE_CURRENT_LIST_DIR}/bench_interp.c)
target_link_libraries(bench_interp PRIVATE uebpf_static)
