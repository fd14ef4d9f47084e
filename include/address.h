#ifndef TENDERLOTS_ADDRESS_H
#define TENDERLOTS_ADDRESS_H

#include <stddef.h>

/*
 * The e-mail address a firm types (into the subscribe form, or into the
 * firm register), as tenderlots stores it and sends to it:
 *
 *	local@domain
 *
 * The local part is an RFC 5321 dot-atom of ASCII: letters, digits and
 * ! # $ % & ' * + - / = ? ^ _ ` { | } ~, with single dots between them;
 * at most 64 bytes. Quoted local parts and non-ASCII ones (SMTPUTF8) are
 * refused: few servers take them.
 *
 * The domain is converted with libidn2 (IDNA2008, UTS #46 nontransitional
 * mapping, so "Räksmörgås.SE" is "räksmörgås.se") to its ASCII form:
 * "räksmörgås.se" becomes "xn--rksmrgs-5wao1o.se", the form that is
 * stored and sent. It needs at least two labels; each is letters, digits
 * and hyphens, 1-63 bytes; at most 253 bytes in all. Refused besides: IP
 * address literals ("[192.0.2.1]", "192.0.2.1"), and the special-use
 * names that no mail reaches: localhost, local, invalid, test, onion,
 * internal, alt, localdomain, home.arpa and all of arpa. "example"
 * (RFC 2606) is accepted, as the sample data's addresses use it.
 *
 * Spaces and tabs around the address are dropped; the address is
 * otherwise taken as written, the domain in lower case.
 */

#define ADDRESS_MAX 254		/* bytes of a stored address, RFC 5321 */

enum address_why {
	ADDRESS_OK,
	ADDRESS_EMPTY,
	ADDRESS_SYNTAX,		/* not local@domain */
	ADDRESS_LOCAL,		/* the local part */
	ADDRESS_DOMAIN,		/* not a domain name, IDNA's or DNS's */
	ADDRESS_DOTLESS,
	ADDRESS_RESERVED,	/* a special-use name */
	ADDRESS_LITERAL,	/* an IP address */
	ADDRESS_TOO_LONG
};

/*
 * Reads typed (NUL-terminated) into out as "local@a-label.domain". 0, or
 * -1 with the reason in *why (out is then ""). out needs ADDRESS_MAX + 1
 * bytes; -1 when memory runs out, as ADDRESS_DOMAIN.
 */
int address_read(const char *typed, char out[ADDRESS_MAX + 1],
		 enum address_why *why);

/*
 * The reason, as a clause that follows the field's name and a colon on a
 * page, in lang "sv" or "en"; NULL for ADDRESS_OK.
 */
const char *address_why_text(enum address_why why, const char *lang);

/*
 * A stored address as a person reads it: the domain's A-labels as
 * Unicode ("info@räksmörgås.se"), which address_read takes back to the
 * same address. The address as stored if it cannot be converted or does
 * not fit; -1 only if even that does not fit in outlen.
 */
int address_display(const char *stored, char *out, size_t outlen);

#endif
