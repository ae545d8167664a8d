#!/usr/bin/env bash
# The installed package, as a user meets it: cmake --install this build into
# a temporary prefix, check what landed there, then configure, build and run
# a project of its own (consumer/) that finds poolbench with find_package;
# with the harness, also build examples/own-executor against the prefix, run
# it on its own strategy and read its rows back with poolbench-report show.
#
#   install_test.sh CMAKE BUILD_DIR CONSUMER_DIR CXX_COMPILER GENERATOR MAKE_PROGRAM SANITIZE BENCH
#                   EXAMPLE_DIR
#
# BENCH is ON when the build has the benchmark programs (POOLBENCH_BUILD_BENCH).
#
# Exit 0 pass, 1 fail, 77 skipped (sanitizer builds, see below).
set -euo pipefail
cmake=$1 build_dir=$2 consumer_dir=$3 compiler=$4 generator=$5 make_program=$6 sanitize=$7 bench=$8
example_dir=$9

fail() {
  echo "install_test: $*" >&2
  exit 1
}

# The installed static libraries of a sanitizer build carry its
# instrumentation, so a consumer would have to link the sanitizer runtime,
# which no user of poolbench does; what users install is tested in the
# release and debug builds.
if [ -n "$sanitize" ]; then
  echo "install_test: skipped: a -fsanitize=$sanitize build is not what users install"
  exit 77
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/poolbench-install.XXXXXX")
server_pid=
cleanup() {
  if [ -n "$server_pid" ]; then
    kill -TERM "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT
prefix=$work/prefix

"$cmake" --install "$build_dir" --prefix "$prefix" >"$work/install.log" 2>&1 ||
  { cat "$work/install.log" >&2; fail "cmake --install $build_dir failed"; }

# What the prefix must hold, and one internal header it must not.
installed=(bin/poolbench-server include/poolbench/executor/thread_pool_executor.hpp
  lib/cmake/poolbench/poolbenchConfig.cmake lib/cmake/poolbench/poolbenchConfigVersion.cmake)
if [ "$bench" = ON ]; then
  installed+=(bin/poolbench bin/poolbench-report include/poolbench/runner/client_strategy.hpp
    include/poolbench/program/run_main.hpp include/poolbench/runner/blocking_executor.hpp
    include/poolbench/runner/awaitable_executor.hpp)
fi
for file in "${installed[@]}"; do
  [ -e "$prefix/$file" ] || fail "the prefix has no $file"
done
[ ! -e "$prefix/include/poolbench/executor/detail/process_pool_impl.hpp" ] ||
  fail "an internal header (executor/detail/process_pool_impl.hpp) was installed"

# Every poolbench header an installed header includes was installed too.
while IFS= read -r header; do
  while IFS= read -r included; do
    [ -e "$prefix/include/$included" ] ||
      fail "${header#"$prefix"/} includes <$included>, which was not installed"
  done < <(sed -n 's|^#include <\(poolbench/[^>]*\)>.*|\1|p' "$header")
done < <(find "$prefix/include" -name '*.hpp')

# The installed programs run from the prefix.
version=$("$prefix/bin/poolbench-server" --version) ||
  fail "the installed poolbench-server --version failed"
echo "installed: $version"

# The consumer: same compiler and generator as this build, only the prefix
# to find poolbench in; with the harness where this build has it.
"$cmake" -S "$consumer_dir" -B "$work/build" -G "$generator" -DCMAKE_MAKE_PROGRAM="$make_program" \
  -DCMAKE_CXX_COMPILER="$compiler" -DCMAKE_PREFIX_PATH="$prefix" -DCMAKE_BUILD_TYPE=Release \
  -DCMAKE_EXPORT_COMPILE_COMMANDS=ON -DCONSUMER_WITH_HARNESS="$bench" >"$work/configure.log" 2>&1 ||
  { cat "$work/configure.log" >&2; fail "the consumer did not configure against the prefix"; }
"$cmake" --build "$work/build" >"$work/build.log" 2>&1 ||
  { cat "$work/build.log" >&2; fail "the consumer did not build against the prefix"; }
cat "$work/build.log"

# It built although its own code has a warning: check the warning was
# really reported (so -Werror had something to fail on), and that the
# commands that compiled it have none of poolbench's own flags but the C++
# standard and the definition poolbench's headers need.
grep -q 'unused_on_purpose.*-Wunused-variable' "$work/build.log" ||
  fail "the consumer's deliberate warning was not reported: the test proves nothing"
commands=0
while IFS= read -r command; do
  commands=$((commands + 1))
  for flag in -Werror -Wpedantic -Wextra -fsanitize; do
    case $command in
      *"$flag"*) fail "the consumer compiles with poolbench's own flag $flag: $command" ;;
    esac
  done
  case $command in
    *-std=c++20* | *-std=gnu++20*) ;;
    *) fail "the consumer is not compiled as C++20: $command" ;;
  esac
  case $command in
    *-DBOOST_ASIO_NO_DEPRECATED*) ;;
    *) fail "the consumer lacks -DBOOST_ASIO_NO_DEPRECATED: $command" ;;
  esac
done < <(grep '"command"' "$work/build/compile_commands.json")
[ "$commands" -gt 0 ] || fail "the consumer's compile_commands.json has no command"

output=$("$work/build/consumer") || fail "the consumer exited with $?"
expected=$'Hello, romeo\nHello, julliet'
[ "$output" = "$expected" ] || fail "the consumer printed '$output', not '$expected'"

# The harness: one round of its thread-pool strategy against the installed
# server, started on a free port and stopped (and reaped) by cleanup.
if [ "$bench" = ON ]; then
  "$prefix/bin/poolbench-server" --port 0 >"$work/server.out" 2>"$work/server.err" &
  server_pid=$!
  url=
  for _ in $(seq 300); do  # 30 s at most for the 'listening on' line
    url=$(sed -n 's/^listening on \(http:[^ ]*\).*/\1/p' "$work/server.out")
    [ -n "$url" ] && break
    kill -0 "$server_pid" 2>/dev/null ||
      { cat "$work/server.err" >&2; fail "poolbench-server exited"; }
    sleep 0.1
  done
  [ -n "$url" ] || fail "the installed poolbench-server printed no 'listening on' line in 30 s"
  output=$("$work/build/harness_consumer" "$url") || fail "harness_consumer exited with $?"
  [ "$output" = "$expected" ] || fail "harness_consumer printed '$output', not '$expected'"

  # examples/own-executor: built against the prefix as its README says, then
  # a tiny run of its own strategy beside serial. Nothing is next to the
  # example's binary: run_main starts the prefix's poolbench-server.
  "$cmake" -S "$example_dir" -B "$work/example" -G "$generator" -DCMAKE_MAKE_PROGRAM="$make_program" \
    -DCMAKE_CXX_COMPILER="$compiler" -DCMAKE_PREFIX_PATH="$prefix" -DCMAKE_BUILD_TYPE=Release \
    >"$work/example-configure.log" 2>&1 ||
    { cat "$work/example-configure.log" >&2; fail "examples/own-executor did not configure"; }
  "$cmake" --build "$work/example" >"$work/example-build.log" 2>&1 ||
    { cat "$work/example-build.log" >&2; fail "examples/own-executor did not build"; }
  [ ! -e "$work/example/poolbench-server" ] || fail "a server next to the example proves nothing"
  "$work/example/own-executor" --strategies my_pool,serial --batch 3 --workers 2 --delay-ms 1 \
    --repetitions 1 --rounds 2 --allow-busy --out "$work/own.json" >"$work/own.out" 2>"$work/own.err" ||
    { code=$?; cat "$work/own.err" >&2; fail "the example's run exited with $code"; }
  shown=$("$prefix/bin/poolbench-report" show "$work/own.json") ||
    fail "poolbench-report show could not read the example's file"
  for row in my_pool/warm/batch:3/workers:2/delay_ms:1 my_pool/cold/batch:3/workers:2/delay_ms:1 \
    serial/warm/batch:3/workers:1/delay_ms:1; do
    grep -q "^$row " <<<"$shown" || fail "poolbench-report show has no row $row:
$shown"
  done
  grep -q '"strategy": "my_pool"' "$work/own.json" || fail "the result file has no my_pool workload"
fi
echo "install_test: the consumer built against $prefix (warning kept a warning) and ran"
