#!/usr/bin/env bash
# Compares two server jars on one scenario, alternating A, B, A, B… so that a machine's drift
# during the runs falls on both alike (single runs on a shared 2-core VM move by ±25 %).
# No relay: A and B are compared with each other. Prints each run's table row, then the median
# p99 and server CPU per op of each.
#
#   bench/compare-jars.sh ROUNDS JAR_A JAR_B [bench options…]
#   bench/compare-jars.sh 4 /tmp/before.jar server/target/linkboard.jar --scenario S1
#
# Run from the repo root after `mvn -q -pl bench -am package -DskipTests`; copy the jar under
# test aside first (a rebuild replaces server/target/linkboard.jar). Default scenario: S1.
# JSON of every run: bench/target/compare/{A,B}-N.json.
set -euo pipefail

if [ $# -lt 3 ]; then
  sed -n '2,13p' "$0" | sed 's/^# \{0,1\}//'
  exit 2
fi
rounds=$1 jar_a=$2 jar_b=$3
shift 3
args=("$@")
if ! printf '%s\n' "${args[@]+"${args[@]}"}" | grep -q -- '--scenario'; then
  args+=(--scenario S1)
fi
for jar in "$jar_a" "$jar_b"; do
  [ -f "$jar" ] || { echo "no such jar: $jar" >&2; exit 2; }
done
bench=bench/target/linkboard-bench.jar
[ -f "$bench" ] || { echo "build first: mvn -q -pl bench -am package -DskipTests" >&2; exit 2; }
out=bench/target/compare
mkdir -p "$out"
rows=$(mktemp)
trap 'rm -f "$rows"' EXIT

for ((i = 1; i <= rounds; i++)); do
  for side in A B; do
    jar=$jar_a
    [ "$side" = B ] && jar=$jar_b
    java -jar "$bench" --no-relay --jar "$jar" --out "$out/$side-$i.json" "${args[@]}" \
      | grep -E '^S[0-9]' | grep '| linkboard' | sed "s/^/$side $i  /" | tee -a "$rows"
  done
done

# A table row split at "|": p99 ms is the 7th field, server CPU us/op the 13th.
for side in A B; do
  grep "^$side " "$rows" | awk -F'|' -v side="$side" '
    { gsub(/[ ,]/, "", $7); gsub(/[ ,]/, "", $13); p99[NR] = $7 + 0; cpu[NR] = $13 + 0 }
    function median(a, n,   i, j, t) {
      for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (a[j] < a[i]) { t = a[i]; a[i] = a[j]; a[j] = t }
      return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
    }
    END { if (NR) printf "%s: %d runs, median p99 %.2f ms, median server cpu %.0f us/op\n", side, NR, median(p99, NR), median(cpu, NR) }'
done
