#ifndef TENDERLOTS_NETADDR_H
#define TENDERLOTS_NETADDR_H

#include <stddef.h>
#include <sys/socket.h>

/*
 * IPv4 and IPv6 addresses and prefixes (10.0.0.0/8, ::1/128), for the
 * web endpoint's listen address, its trusted proxies and its clients.
 * An IPv4 address seen over IPv6 (::ffff:192.0.2.1, a dual-stack
 * socket's IPv4 peer) is taken as the IPv4 address, so one client has
 * one address however it came.
 */
struct netaddr {
	int family;		/* AF_INET or AF_INET6 */
	unsigned char bytes[16];	/* network order; IPv4 in the first 4 */
};

struct netprefix {
	struct netaddr addr;	/* bits past the prefix are zero */
	unsigned bits;
};

/* Longest text of an address, with its NUL. */
#define NETADDR_TEXT_MAX 46

/* An address in the usual text form, nothing around it. 0, or -1. */
int netaddr_parse(const char *s, struct netaddr *out);
/* A socket's address; -1 if it is neither IPv4 nor IPv6. */
int netaddr_from_sockaddr(const struct sockaddr *sa, struct netaddr *out);
/* The address as text, for logs and limits keyed by client. */
void netaddr_format(const struct netaddr *a, char out[NETADDR_TEXT_MAX]);
int netaddr_equal(const struct netaddr *a, const struct netaddr *b);

/* An address, or an address and "/bits"; a lone address is all its bits. */
int netprefix_parse(const char *s, struct netprefix *out);
int netprefix_contains(const struct netprefix *p, const struct netaddr *a);

#endif
