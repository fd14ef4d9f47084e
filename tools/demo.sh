#!/bin/sh
# The bundled demo, as `make run` and `make web` start it, in the current
# directory, which holds config/, feeds/ and templates/ (the project, or
# a copy of them):
#
#	demo.sh run BIN		import the sample firms (an update when they
#				are there), one pass over the sample notices
#				into the Maildir var/mail/, and the
#				participation report var/report.html
#	demo.sh web BIN		the web endpoint the demo's links lead to
#
# Both replay the sample notices' week on any day: the clock is fixed the
# morning after the last of them was published (24 November 2026), before
# the first deadline (11 December), so the pass prints the summary the
# README shows, and the web endpoint takes the links it mails as valid.
set -eu

usage() {
	echo "usage: $0 run|web BIN" >&2
	exit 2
}

[ $# -eq 2 ] || usage
bin=$2
TENDERLOTS_NOW=2026-11-25T08:00:00Z
export TENDERLOTS_NOW
case $1 in
run)
	"$bin" firm import -c config/tenderlots.conf config/firms.example.csv
	"$bin" run --once -c config/tenderlots.conf
	"$bin" report -c config/tenderlots.conf -o var/report.html
	;;
web)
	exec "$bin" web -c config/tenderlots.conf
	;;
*)
	usage
	;;
esac
