#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>

#include "netaddr.h"

static const unsigned char v4_mapped[12] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
					     0xff, 0xff };

static void
from_v6(const unsigned char v6[16], struct netaddr *out)
{
	memset(out, 0, sizeof *out);
	if (memcmp(v6, v4_mapped, sizeof v4_mapped) == 0) {
		out->family = AF_INET;
		memcpy(out->bytes, v6 + 12, 4);
	} else {
		out->family = AF_INET6;
		memcpy(out->bytes, v6, 16);
	}
}

int
netaddr_parse(const char *s, struct netaddr *out)
{
	unsigned char v6[16];

	memset(out, 0, sizeof *out);
	if (inet_pton(AF_INET, s, out->bytes) == 1) {
		out->family = AF_INET;
		return 0;
	}
	if (inet_pton(AF_INET6, s, v6) == 1) {
		from_v6(v6, out);
		return 0;
	}
	return -1;
}

int
netaddr_from_sockaddr(const struct sockaddr *sa, struct netaddr *out)
{
	memset(out, 0, sizeof *out);
	if (sa && sa->sa_family == AF_INET) {
		out->family = AF_INET;
		memcpy(out->bytes, &((const struct sockaddr_in *)sa)->sin_addr, 4);
		return 0;
	}
	if (sa && sa->sa_family == AF_INET6) {
		from_v6(((const struct sockaddr_in6 *)sa)->sin6_addr.s6_addr, out);
		return 0;
	}
	return -1;
}

void
netaddr_format(const struct netaddr *a, char out[NETADDR_TEXT_MAX])
{
	if (!inet_ntop(a->family, a->bytes, out, NETADDR_TEXT_MAX))
		snprintf(out, NETADDR_TEXT_MAX, "unknown");
}

int
netaddr_equal(const struct netaddr *a, const struct netaddr *b)
{
	return a->family == b->family &&
	       memcmp(a->bytes, b->bytes, sizeof a->bytes) == 0;
}

int
netprefix_parse(const char *s, struct netprefix *out)
{
	char addr[NETADDR_TEXT_MAX];
	const char *slash = strchr(s, '/'), *p;
	size_t len = slash ? (size_t)(slash - s) : strlen(s);
	unsigned bits = 0, max, i;

	if (len >= sizeof addr)
		return -1;
	memcpy(addr, s, len);
	addr[len] = '\0';
	if (netaddr_parse(addr, &out->addr) < 0)
		return -1;
	max = out->addr.family == AF_INET ? 32 : 128;
	if (!slash) {
		out->bits = max;
		return 0;
	}
	for (p = slash + 1; *p >= '0' && *p <= '9' && bits <= 128; p++)
		bits = bits * 10 + (unsigned)(*p - '0');
	if (p == slash + 1 || *p || p - slash > 4)
		return -1;
	/* ::ffff:10.0.0.0/104 is 10.0.0.0/8, as the address became IPv4 */
	if (strchr(addr, ':') && out->addr.family == AF_INET) {
		if (bits < 96)
			return -1;
		bits -= 96;
	}
	if (bits > max)
		return -1;
	out->bits = bits;
	for (i = bits; i < 128; i++)
		out->addr.bytes[i / 8] &= (unsigned char)~(0x80u >> (i % 8));
	return 0;
}

int
netprefix_contains(const struct netprefix *p, const struct netaddr *a)
{
	unsigned whole = p->bits / 8, rest = p->bits % 8;
	unsigned char mask = (unsigned char)(0xff00u >> rest);

	if (a->family != p->addr.family ||
	    memcmp(a->bytes, p->addr.bytes, whole) != 0)
		return 0;
	return rest == 0 || (a->bytes[whole] & mask) == p->addr.bytes[whole];
}
