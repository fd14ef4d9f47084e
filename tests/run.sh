#!/bin/sh
# Runs each test program and sums the "N passed, N failed" line each prints
# last. A program that dies without printing one counts as one failure.
passed=0
failed=0
for t in "$@"; do
	out=$(${TENDERLOTS_WRAPPER:-} "$t" 2>"$t.log")
	rc=$?
	line=$(printf '%s\n' "$out" | tail -n 1)
	p=$(printf '%s\n' "$line" | sed -n 's/.*: \([0-9][0-9]*\) passed, \([0-9][0-9]*\) failed$/\1/p')
	f=$(printf '%s\n' "$line" | sed -n 's/.*: \([0-9][0-9]*\) passed, \([0-9][0-9]*\) failed$/\2/p')
	if [ -z "$p" ]; then
		p=0
		f=1
		line="$(basename "$t"): no result (exit $rc)"
	elif [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
		f=1
		line="$line (exit $rc)"
	fi
	echo "$line"
	if [ "$f" -ne 0 ]; then
		sed 's/^/    /' "$t.log" | grep -v '^    ok ' | tail -n 40
	fi
	passed=$((passed + p))
	failed=$((failed + f))
done
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
