#!/usr/bin/env bash
# scripts/bench's noise guard and publishing order, run for real on a copy of
# the script in a scratch repository. What it calls is faked, and only that:
# scripts/setup, cmake, poolbench and poolbench-zoo (--noise-check says busy
# or quiet as FAKE_BUSY says; a run writes its --out, or with FAKE_FAIL=1
# fails and writes nothing), poolbench-server (prints its
# "listening on" line, runs until SIGTERM), scripts/reference/run and
# scripts/render-results (each logs its arguments).
#   tests/scripts/bench_test.sh SOURCE_DIR
set -euo pipefail
src=$1
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
repo=$scratch/repo
build=$scratch/build
log=$scratch/log
mkdir -p "$repo/scripts/reference" "$repo/results" "$build/bench/runner" "$build/bench/zoo" \
  "$build/server" "$scratch/bin"
cp "$src/scripts/bench" "$repo/scripts/bench"
printf '#!/bin/sh\nexit 0\n' > "$repo/scripts/setup"
printf '#!/bin/sh\necho "cmake $*" >> "%s"\n' "$log" > "$scratch/bin/cmake"
for program in runner/poolbench zoo/poolbench-zoo; do
  cat > "$build/bench/$program" <<EOS
#!/usr/bin/env bash
echo "${program#*/} \$*" >> "$log"
if [ "\${1:-}" = --noise-check ]; then
  echo "{\"busy\": \$FAKE_BUSY, \"reasons\": []}"
  [ "\$FAKE_BUSY" = true ] && exit 1
  exit 0
fi
[ "\${FAKE_FAIL:-0}" = 1 ] && exit 1
out=""
while [ \$# -gt 0 ]; do [ "\$1" = --out ] && out=\$2; shift; done
echo '{"new": true}' > "\$out"
EOS
done
cat > "$build/server/poolbench-server" <<EOS
#!/usr/bin/env bash
echo \$\$ >> "$scratch/server.pid"
echo "server \$*" >> "$log"
trap 'echo "server stopped" >> "$log"; exit 0' TERM
echo "listening on http://127.0.0.1:4242"
while :; do sleep 0.05; done
EOS
cat > "$repo/scripts/reference/run" <<EOS
#!/usr/bin/env bash
echo "reference \$*" >> "$log"
EOS
cat > "$repo/scripts/render-results" <<EOS
#!/usr/bin/env bash
echo "render-results" >> "$log"
EOS
chmod +x "$repo/scripts/"* "$repo/scripts/reference/run" "$scratch/bin/cmake" \
  "$build/bench/runner/poolbench" "$build/bench/zoo/poolbench-zoo" "$build/server/poolbench-server"

fail() {
  echo "FAIL: $*" >&2
  echo "--- log:" >&2
  cat "$log" >&2 || true
  exit 1
}
published() { cat "$repo"/results/* 2> /dev/null | md5sum; }
run_bench() {  # FAKE_BUSY, then scripts/bench's arguments; sets status and err
  local busy=$1
  shift
  : > "$log"
  rm -f "$scratch/server.pid"
  status=0
  err=$(cd "$repo" && PATH="$scratch/bin:$PATH" BUILD_DIR="$build" FAKE_BUSY=$busy \
    timeout 30 scripts/bench "$@" 2>&1 > /dev/null) || status=$?
}

echo '{"published": "before"}' > "$repo/results/latest.json"
echo '{"published": "before"}' > "$repo/results/open-loop.json"
before=$(published)

# Busy: refused before any measurement, results/ as it was, the word "busy" said.
run_bench true
[ "$status" -eq 1 ] || fail "busy: exit $status, want 1"
[[ "$err" == *busy* ]] || fail "busy: stderr does not say busy: $err"
[[ "$err" == *--allow-busy* ]] || fail "busy: stderr does not name --allow-busy: $err"
[ "$(grep -c '^poolbench' "$log")" -eq 1 ] && grep -q '^poolbench --noise-check --settle 180$' "$log" ||
  fail "busy: poolbench ran more than the noise check"
! grep -q '^reference\|^render-results\|^server' "$log" || fail "busy: something else ran"
[ "$(published)" = "$before" ] || fail "busy: results/ changed"
[ -z "$(ls -A "$repo/results" | grep -v '^latest.json$\|^open-loop.json$')" ] ||
  fail "busy: files left in results/: $(ls -A "$repo/results")"

# Busy with --allow-busy: no check, every poolbench run gets --allow-busy.
run_bench true --allow-busy
[ "$status" -eq 0 ] || fail "allow-busy: exit $status: $err"
! grep -q -- '--noise-check' "$log" || fail "allow-busy: ran the noise check"
[ "$(grep -c '^poolbench .*--allow-busy' "$log")" -eq 5 ] || fail "allow-busy: not passed to every run"
grep -q '"new": true' "$repo/results/latest.json" || fail "allow-busy: latest.json not published"

# Quiet: the check, then the closed loop, the Python reference against two
# poolbench-servers of its own (one plain, one admitting 16 at a time; both
# stopped after), the open loop, the three backend experiments, the page.
run_bench false
[ "$status" -eq 0 ] || fail "quiet: exit $status: $err"
! grep -q -- '--allow-busy' "$log" || fail "quiet: --allow-busy appeared"
order=$(sed -E -e 's/^poolbench --extra-budget [0-9]+ --out.*/poolbench --extra-budget N --out/' -e 's/^(poolbench --noise-check|poolbench --extra-budget N --out|poolbench --rate|poolbench --strategies|server stopped|server|reference|render-results|cmake).*/\1/' "$log" |
  grep -v '^cmake$' | tr '\n' ',')
[ "$order" = "poolbench --noise-check,poolbench --extra-budget N --out,server,server,reference,server stopped,server stopped,poolbench --rate,poolbench --strategies,poolbench --strategies,poolbench --strategies,render-results," ] ||
  fail "quiet: order $order"
for f in limited-api long-tail overload; do
  grep -q "^poolbench --strategies .*--out results/$f.json --out-only-if-all-measured" "$log" ||
    fail "quiet: results/$f.json not published by a guarded run"
done
grep -q '^server --address 127.0.0.1 --port 0 --threads 1 --max-in-flight 16 --over-limit reject$' "$log" ||
  fail "quiet: no limited server for the reference"
# Each step waits for a load average left by the build or the step before.
[ "$(grep -c '^poolbench .*--settle 180' "$log")" -eq 6 ] || fail "quiet: --settle 180 not passed to every step"
grep -q '^server --address 127.0.0.1 --port 0' "$log" || fail "quiet: server not on 127.0.0.1 port 0"
grep -q '^reference --url http://127.0.0.1:4242 --limited-url http://127.0.0.1:4242 --limit 16 results/python-reference.json$' "$log" ||
  fail "quiet: reference not run against the servers"
while read -r pid; do
  ! kill -0 "$pid" 2> /dev/null || fail "quiet: a server ($pid) is still running"
done < "$scratch/server.pid"

# Not publishing (--quick): no refusal; poolbench warns by itself.
run_bench true --quick
[ "$status" -eq 0 ] || fail "quick: exit $status: $err"
! grep -q -- '--noise-check' "$log" || fail "quick: ran the noise check"
grep -q '^poolbench --quick --out build/poolbench-last.json$' "$log" || fail "quick: not run"
# The zoo alone: poolbench-zoo is built and checks the machine, then one
# guarded run publishes results/zoo.json, then the page; nothing else runs.
run_bench false --zoo
[ "$status" -eq 0 ] || fail "zoo: exit $status: $err"
grep -q '^cmake --build .* --target poolbench-zoo poolbench-report$' "$log" || fail "zoo: not built"
order=$(grep -v '^cmake' "$log" | tr '\n' ',')
[ "$order" = "poolbench-zoo --noise-check --settle 180,poolbench-zoo --zoo --out results/zoo.json --out-only-if-all-measured --settle 180,render-results," ] ||
  fail "zoo: order $order"
grep -q '"new": true' "$repo/results/zoo.json" || fail "zoo: results/zoo.json not published"
echo '{"published": "before"}' > "$repo/results/zoo.json"
before=$(published)

# The zoo on a busy machine: refused, its file as it was.
run_bench true --zoo
[ "$status" -eq 1 ] || fail "zoo busy: exit $status, want 1"
[ "$(grep -vc '^cmake' "$log")" -eq 1 ] && grep -q '^poolbench-zoo --noise-check --settle 180$' "$log" ||
  fail "zoo busy: more than the noise check ran"
[ "$(published)" = "$before" ] || fail "zoo busy: results/ changed"

# A zoo run that fails: its exit status, the old file kept, no page.
FAKE_FAIL=1 run_bench false --zoo
[ "$status" -eq 1 ] || fail "zoo failed: exit $status, want 1"
[[ "$err" == *"results/zoo.json left as it was"* ]] || fail "zoo failed: stderr: $err"
! grep -q '^render-results' "$log" || fail "zoo failed: the page was rendered"
[ "$(published)" = "$before" ] || fail "zoo failed: results/ changed"

# The zoo with flags (--quick): into build/, nothing published.
run_bench true --zoo --quick
[ "$status" -eq 0 ] || fail "zoo quick: exit $status: $err"
grep -q '^poolbench-zoo --zoo --quick --out build/poolbench-zoo-last.json$' "$log" || fail "zoo quick: not run"
[ "$(grep -vc '^cmake' "$log")" -eq 1 ] || fail "zoo quick: something else ran"

# --help: the script's usage, naming the zoo and its time; nothing built or run.
run_bench false --help
[ "$status" -eq 0 ] || fail "help: exit $status"
help=$(cd "$repo" && scripts/bench --help)
[[ "$help" == *"--zoo"*"about 5 minutes"* ]] || fail "help: no zoo or its time: $help"
[ ! -s "$log" ] || fail "help: something ran"
echo "bench_test: ok"
