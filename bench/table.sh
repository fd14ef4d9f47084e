#!/bin/sh
# Runs each benchmark given, in turn, passing its report through, then
# prints one table of every figure they measured:
#
#	sh bench/table.sh build/bench/ingest build/bench/match ...
#
# A benchmark gives its figures as lines of the form (bench_row in
# bench/bench.h)
#
#	row<TAB>bench<TAB>figure<TAB>value<TAB>unit<TAB>baseline<TAB>ratio
#
# which go into the table rather than through. A benchmark that fails
# stops the run.

out=$(mktemp) && rows=$(mktemp) || exit 1
trap 'rm -f "$out" "$rows"' EXIT
trap 'exit 1' HUP INT TERM

tab=$(printf '\t')
for b
do
	# Its output is read at the end anyway: stdout into a file is buffered.
	if ! "$b" >"$out"; then
		cat "$out"
		echo "$b failed" >&2
		exit 1
	fi
	grep -v "^row$tab" "$out"
	grep "^row$tab" "$out" >>"$rows"
done

echo
awk -F "$tab" '
function cell(r, c, s) {
	t[r, c] = s
	if (length(s) > w[c])
		w[c] = length(s)
}
BEGIN {
	cell(0, 1, "bench"); cell(0, 2, "figure"); cell(0, 3, "value")
	cell(0, 4, "baseline"); cell(0, 5, "value/baseline")
}
{
	cell(NR, 1, $2); cell(NR, 2, $3); cell(NR, 3, $4 " " $5)
	cell(NR, 4, $6 " " $5); cell(NR, 5, $7 "x")
}
END {
	fmt = "%-" w[1] "s  %-" w[2] "s  %" w[3] "s  %" w[4] "s  %" w[5] "s\n"
	for (r = 0; r <= NR; r++) {
		printf fmt, t[r, 1], t[r, 2], t[r, 3], t[r, 4], t[r, 5]
		if (r == 0) {
			rule = sprintf("%" (w[1] + w[2] + w[3] + w[4] + w[5] + 8) "s", "")
			gsub(/ /, "-", rule)
			print rule
		}
	}
}' "$rows"
