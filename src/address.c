#include <idn2.h>
#include <stdio.h>
#include <string.h>

#include "address.h"
#include "mail.h"

#define DOMAIN_MAX 253
#define LABEL_MAX 63
/* Longer than any address whose domain could fit: not worth converting. */
#define TYPED_MAX 1024

/* Special-use names (RFC 6761, 6762, 7686, 8375, 9476; ICANN's .internal)
 * and the one a host's resolver often invents: mail never reaches them. */
static const char *const reserved[] = {
	"localhost", "local", "invalid", "test", "onion", "internal", "alt",
	"localdomain", "arpa", NULL
};

/* An ASCII domain, as IDNA gave it: the reason it is refused, or OK. */
static enum address_why
domain_why(const char *d)
{
	const char *label = d, *last = d, *p;
	size_t i, len = strlen(d), labels = 1;
	int numeric = 1;

	if (len == 0 || len > DOMAIN_MAX)
		return len ? ADDRESS_TOO_LONG : ADDRESS_SYNTAX;
	for (p = d; ; p++) {
		if (*p == '.' || !*p) {
			if (p == label || p - label > LABEL_MAX ||
			    *label == '-' || p[-1] == '-')
				return ADDRESS_DOMAIN;
			if (!*p)
				break;
			labels++;
			label = last = p + 1;
			numeric = 1;
		} else if ((*p >= 'a' && *p <= 'z') || *p == '-') {
			numeric = 0;
		} else if (!(*p >= '0' && *p <= '9')) {
			return ADDRESS_DOMAIN;
		}
	}
	/* No top-level domain is all figures: that is an IPv4 address. */
	if (numeric)
		return ADDRESS_LITERAL;
	for (i = 0; reserved[i]; i++)
		if (strcmp(last, reserved[i]) == 0)
			return ADDRESS_RESERVED;
	return labels < 2 ? ADDRESS_DOTLESS : ADDRESS_OK;
}

static int
fail(char *out, enum address_why w, enum address_why *why)
{
	out[0] = '\0';
	*why = w;
	return -1;
}

int
address_read(const char *typed, char out[ADDRESS_MAX + 1],
	     enum address_why *why)
{
	char domain[TYPED_MAX + 1], *ascii = NULL;
	const char *s = typed, *at, *end;
	size_t n, local;
	enum address_why w;
	int rc;

	*why = ADDRESS_OK;
	s += strspn(s, " \t");
	for (end = s + strlen(s); end > s && (end[-1] == ' ' || end[-1] == '\t');)
		end--;
	n = (size_t)(end - s);
	if (n == 0)
		return fail(out, ADDRESS_EMPTY, why);
	if (n > TYPED_MAX)
		return fail(out, ADDRESS_TOO_LONG, why);
	if (!(at = memchr(s, '@', n)) || at == s || at + 1 == end ||
	    memchr(at + 1, '@', (size_t)(end - at - 1)))
		return fail(out, ADDRESS_SYNTAX, why);
	local = (size_t)(at - s);
	if (!mail_local_part_ok(s, local))
		return fail(out, ADDRESS_LOCAL, why);
	memcpy(domain, at + 1, (size_t)(end - at - 1));
	domain[end - at - 1] = '\0';
	if (domain[0] == '[')
		return fail(out, ADDRESS_LITERAL, why);
	rc = idn2_to_ascii_8z(domain, &ascii,
			      IDN2_NONTRANSITIONAL | IDN2_NFC_INPUT);
	if (rc != IDN2_OK)
		return fail(out, rc == IDN2_TOO_BIG_DOMAIN ? ADDRESS_TOO_LONG :
			    ADDRESS_DOMAIN, why);
	w = domain_why(ascii);
	if (w == ADDRESS_OK && local + 1 + strlen(ascii) > ADDRESS_MAX)
		w = ADDRESS_TOO_LONG;
	if (w == ADDRESS_OK) {
		memcpy(out, s, local);
		out[local] = '@';
		strcpy(out + local + 1, ascii);
	}
	idn2_free(ascii);
	return w == ADDRESS_OK ? 0 : fail(out, w, why);
}

const char *
address_why_text(enum address_why why, const char *lang)
{
	static const char *const text[][2] = {
		[ADDRESS_EMPTY] = { "ange företagets e-postadress.",
				    "give the firm's e-mail address." },
		[ADDRESS_SYNTAX] = { "en e-postadress ser ut som "
				     "namn@företaget.se.",
				     "an e-mail address looks like "
				     "name@firm.se." },
		[ADDRESS_LOCAL] = { "delen före @ får bara ha bokstäverna a–z, "
				    "siffror och tecken som . - _ + (inte å, ä, "
				    "ö, mellanslag eller två punkter i rad).",
				    "the part before @ may hold only the letters "
				    "a–z, figures and signs such as . - _ + (no "
				    "å, ä, ö, spaces or two dots in a row)." },
		[ADDRESS_DOMAIN] = { "delen efter @ är inget giltigt domännamn.",
				     "the part after @ is not a valid domain "
				     "name." },
		[ADDRESS_DOTLESS] = { "delen efter @ ska vara ett domännamn med "
				      "punkt, som företaget.se.",
				      "the part after @ must be a domain name "
				      "with a dot, such as firm.se." },
		[ADDRESS_RESERVED] = { "domänen efter @ går inte att nå med "
				       "e-post från internet.",
				       "the domain after @ cannot be reached by "
				       "mail from the internet." },
		[ADDRESS_LITERAL] = { "skriv ett domännamn efter @, inte en "
				      "IP-adress.",
				      "write a domain name after @, not an IP "
				      "address." },
		[ADDRESS_TOO_LONG] = { "adressen är för lång.",
				       "the address is too long." },
	};

	return text[why][lang && strcmp(lang, "en") == 0];
}

int
address_display(const char *stored, char *out, size_t outlen)
{
	const char *at = strrchr(stored, '@');
	char *unicode = NULL, back[ADDRESS_MAX + 1];
	enum address_why why;
	int n = -1;

	if (at && strstr(at, "xn--") &&
	    idn2_to_unicode_8z8z(at + 1, &unicode, 0) == IDN2_OK)
		n = snprintf(out, outlen, "%.*s@%s", (int)(at - stored), stored,
			     unicode);
	idn2_free(unicode);
	/* decoding checks little: shown is only what reads back the same */
	if (n >= 0 && (size_t)n < outlen && address_read(out, back, &why) == 0 &&
	    strcmp(back, stored) == 0)
		return 0;
	n = snprintf(out, outlen, "%s", stored);
	return n >= 0 && (size_t)n < outlen ? 0 : -1;
}
