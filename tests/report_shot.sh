#!/bin/sh
# What a browser makes of an HTML file or a page (an http:// URL), for
# tests/test_report.c, test_scenario.c and test_web.c:
#
#	report_shot.sh FILE.html OUT.png	a 1200x2000 screenshot by headless
#						Chromium
#	report_shot.sh --dom FILE.html		the DOM Chromium built, on stdout
#	report_shot.sh --colours OUT.png RRGGBB...
#						how many pixels of the screenshot
#						have each colour, "RRGGBB N" a line
#
# The DOM shows what Chromium parsed; only the pixels show what it drew.
# Each Chromium run gets a profile and home of its own, removed after,
# and at most 60 seconds; its chatter is shown only when it fails.
set -eu

usage() {
	echo "usage: $0 FILE.html OUT.png | --dom FILE.html |" \
	     "--colours OUT.png RRGGBB..." >&2
	exit 2
}

# Decodes the PNG (8-bit RGB or RGBA, not interlaced, as Chromium writes
# it) with nothing but Python's standard library.
colours() {
	python3 - "$@" <<'EOF'
import struct, sys, zlib

data = open(sys.argv[1], 'rb').read()
if data[:8] != b'\x89PNG\r\n\x1a\n':
	sys.exit('%s: not a PNG' % sys.argv[1])
pos, idat = 8, []
while pos < len(data):
	n, kind = struct.unpack('>I4s', data[pos:pos + 8])
	if kind == b'IHDR':
		w, h, depth, ctype, _, _, interlace = struct.unpack(
			'>IIBBBBB', data[pos + 8:pos + 21])
	elif kind == b'IDAT':
		idat.append(data[pos + 8:pos + 8 + n])
	pos += 12 + n
if depth != 8 or ctype not in (2, 6) or interlace:
	sys.exit('%s: not 8-bit RGB(A)' % sys.argv[1])
raw = zlib.decompress(b''.join(idat))
bpp = 3 if ctype == 2 else 4
stride = w * bpp
want = {bytes.fromhex(c): 0 for c in sys.argv[2:]}
prev = bytes(stride)
for y in range(h):
	start = y * (stride + 1)
	f, line = raw[start], bytearray(raw[start + 1:start + 1 + stride])
	if f == 2:
		line = bytearray(map(lambda x, b: (x + b) & 255, line, prev))
	for i in range(stride) if f in (1, 3, 4) else ():
		a = line[i - bpp] if i >= bpp else 0
		b = prev[i]
		c = prev[i - bpp] if i >= bpp else 0
		if f == 1:
			line[i] = (line[i] + a) & 255
		elif f == 3:
			line[i] = (line[i] + (a + b) // 2) & 255
		else:
			p = a + b - c
			pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
			line[i] = (line[i] + (a if pa <= pb and pa <= pc else
					      b if pb <= pc else c)) & 255
	prev = bytes(line)
	# Most lines have none of the colours: look closer only where one is.
	if not any(c in prev for c in want):
		continue
	for i in range(0, stride, bpp):
		px = prev[i:i + 3]
		if px in want:
			want[px] += 1
for c in sys.argv[2:]:
	print(c, want[bytes.fromhex(c)])
EOF
}

[ $# -ge 2 ] || usage
case $1 in
--colours)
	shift
	colours "$@"
	exit
	;;
--dom)
	[ $# -eq 2 ] || usage
	file=$2
	set -- --dump-dom
	;;
*)
	[ $# -eq 2 ] || usage
	file=$1
	set -- --screenshot="$2" --window-size=1200,2000 --hide-scrollbars
	;;
esac
# Chromium makes a URL of a path; a relative one would be read as a host.
case $file in
http://*) ;;
/*) ;;
*) file=$(pwd)/$file ;;
esac
case $file in
http://*) ;;
*)
	if [ ! -r "$file" ]; then
		echo "$0: $file: cannot read" >&2
		exit 1
	fi
	;;
esac
home=$(mktemp -d "${TMPDIR:-/tmp}/report_shot.XXXXXX")
trap 'rm -rf "$home"' EXIT
# The budget lets a page that submits a form load what it submitted to.
if ! HOME=$home timeout 60 "${CHROMIUM:-chromium}" --headless --no-sandbox \
	--disable-gpu --user-data-dir="$home/profile" \
	--virtual-time-budget=5000 "$@" "$file" \
	2>"$home/log"; then
	cat "$home/log" >&2
	exit 1
fi
