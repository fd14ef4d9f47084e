# Turns a code list (TSV: code, Swedish label, English label; one header
# line; sorted by code) into a C table, so the binary carries its reference
# data and needs no data files at run time.
#   awk -v name=cpv -f tools/gen-codes.awk data/cpv.tsv > cpv_codes.c
function cstr(s) {
	gsub(/\\/, "\\\\", s)
	gsub(/"/, "\\\"", s)
	return "\"" s "\""
}
BEGIN {
	FS = "\t"
	print "/* Generated from a TSV code list by tools/gen-codes.awk; do not edit. */"
	print "#include \"codes.h\""
	print ""
	print "const struct code_label " name "_codes[] = {"
}
NR > 1 && NF >= 3 {
	sub(/\r$/, "", $3)
	if (prev != "" && $1 <= prev) {
		print "tools/gen-codes.awk: " FILENAME ":" NR ": codes out of order" > "/dev/stderr"
		exit 1
	}
	prev = $1
	printf "\t{%s, %s, %s},\n", cstr($1), cstr($2), cstr($3)
	n++
}
END {
	print "};"
	print ""
	print "const size_t " name "_ncodes = " n ";"
}
