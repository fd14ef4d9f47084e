#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "atom.h"
#include "category.h"
#include "ical.h"
#include "meetings.h"
#include "outbox.h"
#include "pages.h"
#include "store.h"
#include "template.h"
#include "token.h"

/*
 * What anyone may read: the lists of open RFIs, meetings and notices,
 * each also as Atom, an RFI's page, a meeting's page and its calendar
 * entry. They are the same for everyone, so a connection keeps them.
 */

/* Bytes of a search on the notices' page read; a longer one is ignored. */
#define SEARCH_MAX 200

/* The public lists show this many a page; deeper pages are refused. */
#define PUBLIC_LIST_MAX 100
#define PUBLIC_PAGES_MAX 1000

static int
set_notice_fields(struct tpl_vars *v, const struct public_notice *p,
		  const struct visit *vi)
{
	const struct category_set *cs = vi->site->o.categories;
	struct buf names;
	char flag[32], path[256];
	const char *c, *end;
	int rc = -1;

	buf_init(&names, 4096);
	for (c = p->categories; c && *c; c = *end ? end + 1 : end) {
		const struct category *cat;
		char key[64];

		end = strchr(c, ',');
		if (!end)
			end = c + strlen(c);
		snprintf(key, sizeof key, "%.*s", (int)(end - c), c);
		if ((cat = category_find(cs, key)) &&
		    buf_printf(&names, "%s%s", names.len ? ", " : "",
			       category_name(cat, site_lang(vi))) < 0)
			goto out;
	}
	snprintf(flag, sizeof flag, "kind_%s", p->kind);
	snprintf(path, sizeof path, "/rfi/%s", p->notice_id);
	if (tpl_set(v, "title", p->title) < 0 ||
	    tpl_set(v, "buyer", p->buyer) < 0 ||
	    tpl_set(v, flag, "1") < 0 ||
	    tpl_set(v, "published", p->published) < 0 ||
	    (names.len && tpl_set(v, "category_names", buf_str(&names)) < 0) ||
	    (p->has_deadline &&
	     site_set_time(v, "deadline", p->deadline, vi) < 0))
		goto out;
	/* the unit's RFIs have their page here; others link to theirs */
	if (p->own ? site_set_url(v, "url", path, vi->en) < 0 :
	    (p->url && strncmp(p->url, "https://", 8) == 0 &&
	     tpl_set(v, "url", p->url) < 0))
		goto out;
	rc = 0;
out:
	buf_release(&names);
	return rc;
}

static int
add_rfis(struct tpl_vars *v, const struct visit *vi, size_t limit)
{
	struct public_query q = { .kind = "rfi", .open_at = vi->now,
				  .limit = limit };
	struct public_notice *p = NULL;
	struct tpl_vars *item;
	char path[256];
	size_t n = 0, i;
	int rc = -1;

	if (store_public_notices(vi->conn->store, &q, &p, &n) < 0)
		return -1;
	for (i = 0; i < n; i++) {
		snprintf(path, sizeof path, "/rfi/%s", p[i].notice_id);
		if (!(item = tpl_add(v, "rfis")) ||
		    set_notice_fields(item, &p[i], vi) < 0 ||
		    site_set_url(item, "url", path, vi->en) < 0 ||
		    (p[i].own && tpl_set(item, "own", "1") < 0))
			goto out;
	}
	rc = 0;
out:
	public_notices_free(p, n);
	return rc;
}

static int
set_meeting_fields(struct tpl_vars *v, const struct meeting *m,
		   const struct visit *vi)
{
	const struct category *c = m->category ?
		category_find(vi->site->o.categories, m->category) : NULL;
	struct stored_notice *notice = NULL;
	char path[64];
	int rc = -1;

	snprintf(path, sizeof path, "/meetings/%lld", (long long)m->id);
	if (m->notice_id &&
	    store_get_notice(vi->conn->store, m->notice_id, &notice) < 0)
		return -1;
	if (tpl_set(v, "title", m->title) < 0 ||
	    site_set_url(v, "url", path, vi->en) < 0 ||
	    site_set_time(v, "starts", m->start, vi) < 0 ||
	    site_set_time(v, "ends", m->end, vi) < 0 ||
	    tpl_set(v, "location", m->location) < 0 ||
	    tpl_set(v, "video_url", m->video_url) < 0 ||
	    tpl_set(v, "description", m->description) < 0 ||
	    (c && tpl_set(v, "category_name", category_name(c, site_lang(vi))) < 0) ||
	    (notice && tpl_set(v, "notice_title", notice->title) < 0) ||
	    (m->cancelled && tpl_set(v, "cancelled", "1") < 0))
		goto out;
	rc = 0;
out:
	stored_notice_free(notice);
	return rc;
}

static int
add_meetings(struct tpl_vars *v, const struct visit *vi)
{
	struct meeting *m = NULL;
	struct tpl_vars *item;
	size_t n = 0, i;
	int rc = -1;

	if (store_meetings(vi->conn->store, vi->now, 0, &m, &n) < 0)
		return -1;
	for (i = 0; i < n && i < PUBLIC_LIST_MAX; i++)
		if (!(item = tpl_add(v, "meetings")) ||
		    set_meeting_fields(item, &m[i], vi) < 0)
			goto out;
	rc = 0;
out:
	meetings_free(m, n);
	return rc;
}

static int
add_category_links(struct tpl_vars *v, const struct visit *vi,
		   const char *selected)
{
	const struct category_set *cs = vi->site->o.categories;
	struct tpl_vars *item;
	char path[128];
	size_t i;

	for (i = 0; i < cs->n; i++) {
		snprintf(path, sizeof path, "/notices?category=%s", cs->v[i].key);
		if (!(item = tpl_add(v, "categories")) ||
		    tpl_set(item, "name", category_name(&cs->v[i],
							site_lang(vi))) < 0 ||
		    site_set_url(item, "url", path, vi->en) < 0 ||
		    (selected && strcmp(selected, cs->v[i].key) == 0 &&
		     tpl_set(item, "selected", "1") < 0))
			return -1;
	}
	return 0;
}

static void
page_index(struct visit *vi, const char *rest)
{
	struct tpl_vars *v = tpl_vars_new();

	if (!v || add_rfis(v, vi, PUBLIC_LIST_MAX) < 0 ||
	    add_meetings(v, vi) < 0 || add_category_links(v, vi, NULL) < 0)
		site_store_failed(vi);
	else
		site_render(vi, PAGE_INDEX, v, 200);
	tpl_vars_free(v);
}

/* ---- lists in pages ---- */

/* Which page of a list the query asks for: 1 when it names none. */
static int
page_number(const struct visit *vi, size_t *page)
{
	const char *s = vi->query ? form_get(vi->query, "page") : NULL;
	char *end;
	long n;

	*page = 1;
	if (!s)
		return 0;
	n = strtol(s, &end, 10);
	if (end == s || *end || n < 1 || n > PUBLIC_PAGES_MAX)
		return -1;
	*page = (size_t)n;
	return 0;
}

/*
 * A list's address: base ("" for a link within the site), path, page,
 * and the words searched for (NULL for none), escaped.
 */
static int
list_url(struct buf *out, const char *base, const char *path,
	 const char *category, const char *q, size_t page)
{
	buf_reset(out);
	if (buf_printf(out, "%s%s", base, path) < 0 ||
	    (category && buf_printf(out, "?category=%s", category) < 0))
		return -1;
	if (q && *q && (buf_adds(out, category ? "&q=" : "?q=") < 0 ||
			form_escape(q, out) < 0))
		return -1;
	if (page > 1 && buf_printf(out, "%spage=%zu",
				   category || (q && *q) ? "&" : "?", page) < 0)
		return -1;
	return 0;
}

/*
 * A page of the public notices: of a kind or a category (NULL for any),
 * from the page's first; *shown of the *n read are the page's, and *more
 * says an older page follows.
 */
static int
notices_page(struct visit *vi, const char *kind, const char *category,
	     const char *search, size_t page, struct public_notice **p,
	     size_t *n, size_t *shown, int *more)
{
	struct public_query q = {
		.kind = kind, .category = category, .search = search,
		.offset = (page - 1) * PUBLIC_LIST_MAX,
		.limit = PUBLIC_LIST_MAX + 1,
	};

	if (store_public_notices(vi->conn->store, &q, p, n) < 0)
		return -1;
	*more = *n > PUBLIC_LIST_MAX;
	*shown = *more ? PUBLIC_LIST_MAX : *n;
	return 0;
}

/* ---- Atom ---- */

/* A feed's own addresses: itself, the page it mirrors, its pages. */
struct feed_links {
	struct buf self, alternate, first, next, previous;
};

static void
feed_links_release(struct feed_links *l)
{
	buf_release(&l->self);
	buf_release(&l->alternate);
	buf_release(&l->first);
	buf_release(&l->next);
	buf_release(&l->previous);
}

/*
 * The links of page page of the feed of path: RFC 5005's paged feed, so a
 * reader that missed a while can go back, while a plain one reads the
 * newest. more: an older page follows.
 */
static int
feed_links_make(struct feed_links *l, const struct visit *vi, const char *path,
		const char *category, size_t page, int more)
{
	const char *base = vi->site->o.cfg->public_url;
	char atom[64];

	buf_init(&l->self, 2048);
	buf_init(&l->alternate, 2048);
	buf_init(&l->first, 2048);
	buf_init(&l->next, 2048);
	buf_init(&l->previous, 2048);
	snprintf(atom, sizeof atom, "%s.atom", path);
	if (list_url(&l->self, base, atom, category, NULL, page) < 0 ||
	    list_url(&l->alternate, base, path, category, NULL, page) < 0 ||
	    list_url(&l->first, base, atom, category, NULL, 1) < 0 ||
	    (more && list_url(&l->next, base, atom, category, NULL,
			      page + 1) < 0) ||
	    (page > 1 && list_url(&l->previous, base, atom, category, NULL,
				  page - 1) < 0))
		return -1;
	return 0;
}

static void
send_atom(struct visit *vi, const char *title, const struct feed_links *l,
	  const struct atom_entry *e, size_t n)
{
	time_t updated = vi->now;
	size_t i;

	for (i = 0; i < n; i++)
		if (i == 0 || e[i].updated > updated)
			updated = e[i].updated;
	{
		struct atom_feed f = {
			.id = buf_str(&l->first), .title = title,
			.self = buf_str(&l->self),
			.alternate = buf_str(&l->alternate),
			.first = buf_str(&l->first),
			.next = l->next.len ? buf_str(&l->next) : NULL,
			.previous = l->previous.len ? buf_str(&l->previous) : NULL,
			.author = vi->site->o.cfg->service_name,
			.lang = site_lang(vi), .updated = updated,
			.entries = e, .n = n,
		};

		buf_reset(&vi->res->body);
		if (atom_write(&f, &vi->res->body) < 0) {
			site_store_failed(vi);
			return;
		}
		vi->res->content_type = "application/atom+xml; charset=utf-8";
		vi->res->cache = 1;
	}
}

/*
 * Entries for notices, newest first a page at a time: their page here for
 * own RFIs, else their own.
 */
static void
atom_notices(struct visit *vi, const char *kind, const char *path,
	     const char *title)
{
	const char *category = vi->query ? form_get(vi->query, "category") : NULL;
	struct feed_links links;
	struct public_notice *p = NULL;
	struct atom_entry *e = NULL;
	struct buf *ids = NULL;
	size_t n = 0, shown = 0, i, page;
	int more = 0;

	memset(&links, 0, sizeof links);
	if (page_number(vi, &page) < 0 ||
	    (category && !category_find(vi->site->o.categories, category))) {
		site_not_found(vi);
		goto out;
	}
	if (notices_page(vi, kind, category, NULL, page, &p, &n, &shown,
			 &more) < 0 ||
	    feed_links_make(&links, vi, path, category, page, more) < 0 ||
	    !(e = calloc(n ? n : 1, sizeof *e)) ||
	    !(ids = calloc(n ? n : 1, sizeof *ids))) {
		site_store_failed(vi);
		goto out;
	}
	for (i = 0; i < shown; i++) {
		buf_init(&ids[i], 1024);
		if (buf_printf(&ids[i], "%s/rfi/%s", vi->site->o.cfg->public_url,
			       p[i].notice_id) < 0) {
			site_store_failed(vi);
			goto out;
		}
		e[i] = (struct atom_entry){
			.id = buf_str(&ids[i]), .title = p[i].title,
			.link = p[i].own ? buf_str(&ids[i]) :
				(p[i].url && strncmp(p[i].url, "https://", 8) == 0 ?
				 p[i].url : NULL),
			.updated = p[i].updated,
			.summary = p[i].description,
			.category = p[i].kind,
		};
	}
	send_atom(vi, title, &links, e, shown);
out:
	for (i = 0; ids && i < shown; i++)
		buf_release(&ids[i]);
	free(ids);
	free(e);
	public_notices_free(p, n);
	feed_links_release(&links);
}

static void
atom_meetings(struct visit *vi, const char *rest)
{
	struct feed_links links;
	struct meeting *m = NULL;
	struct atom_entry *e = NULL;
	struct buf *urls = NULL;
	size_t n = 0, i;

	memset(&links, 0, sizeof links);
	if (store_meetings(vi->conn->store, vi->now, 0, &m, &n) < 0 ||
	    !(e = calloc(n ? n : 1, sizeof *e)) ||
	    !(urls = calloc(n ? n : 1, sizeof *urls))) {
		site_store_failed(vi);
		goto out;
	}
	for (i = 0; i < n; i++) {
		buf_init(&urls[i], 1024);
		if (buf_printf(&urls[i], "%s/meetings/%lld",
			       vi->site->o.cfg->public_url,
			       (long long)m[i].id) < 0) {
			site_store_failed(vi);
			goto out;
		}
		e[i] = (struct atom_entry){
			.id = buf_str(&urls[i]), .title = m[i].title,
			.link = buf_str(&urls[i]), .updated = vi->now,
			.summary = m[i].description, .category = m[i].category,
		};
	}
	if (feed_links_make(&links, vi, "/meetings", NULL, 1, 0) < 0)
		site_store_failed(vi);
	else
		send_atom(vi, vi->en ? "Information meetings" :
			  "Informationsmöten", &links, e, n);
out:
	for (i = 0; urls && i < n; i++)
		buf_release(&urls[i]);
	free(urls);
	free(e);
	meetings_free(m, n);
	feed_links_release(&links);
}

static void
page_rfis(struct visit *vi, const char *rest)
{
	struct tpl_vars *v = tpl_vars_new();

	if (!v || add_rfis(v, vi, PUBLIC_LIST_MAX) < 0 ||
	    site_set_url(v, "atom_url", "/rfi.atom", 0) < 0)
		site_store_failed(vi);
	else
		site_render(vi, PAGE_RFIS, v, 200);
	tpl_vars_free(v);
}

static void
page_rfi(struct visit *vi, const char *notice_id)
{
	struct public_query q = { .kind = "rfi", .notice_id = notice_id,
				  .limit = 1 };
	struct public_notice *p = NULL;
	struct tpl_vars *v = tpl_vars_new(), *doc;
	const char *d, *end;
	size_t n = 0;

	if (!v || store_public_notices(vi->conn->store, &q, &p, &n) < 0) {
		site_store_failed(vi);
		goto out;
	}
	if (n == 0) {
		site_not_found(vi);
		goto out;
	}
	for (d = p->documents; d && *d; d = *end ? end + 1 : end) {
		end = strchr(d, ' ');
		if (!end)
			end = d + strlen(d);
		if (!(doc = tpl_add(v, "documents")) ||
		    tpl_setf(doc, "url", "%.*s", (int)(end - d), d) < 0)
			goto fail;
	}
	if (set_notice_fields(v, p, vi) < 0 ||
	    tpl_set(v, "description", p->description) < 0 ||
	    tpl_set(v, "contact", p->contact) < 0 ||
	    (!p->own && p->url && strncmp(p->url, "https://", 8) == 0 &&
	     tpl_set(v, "notice_url", p->url) < 0) ||
	    (p->own && tpl_set(v, "answer_info", "1") < 0) ||
	    (p->purged_at && tpl_set(v, "archived", "1") < 0) ||
	    ((p->closed_at || (p->has_deadline && p->deadline <= vi->now)) &&
	     tpl_set(v, "closed", "1") < 0))
		goto fail;
	vi->res->cache = 1;
	site_render(vi, PAGE_RFI, v, 200);
	goto out;
fail:
	site_store_failed(vi);
out:
	public_notices_free(p, n);
	tpl_vars_free(v);
}

static void
page_meetings(struct visit *vi, const char *rest)
{
	struct tpl_vars *v = tpl_vars_new();

	if (!v || add_meetings(v, vi) < 0 ||
	    site_set_url(v, "atom_url", "/meetings.atom", 0) < 0)
		site_store_failed(vi);
	else
		site_render(vi, PAGE_MEETINGS, v, 200);
	tpl_vars_free(v);
}

/* A meeting by its number in the path; NULL and answered if there is none. */
struct meeting *
public_meeting_of(struct visit *vi, const char *number, size_t *n)
{
	struct meeting *m = NULL;
	char *end;
	long long id = strtoll(number, &end, 10);

	*n = 0;
	if (id < 1 || *end) {
		site_not_found(vi);
		return NULL;
	}
	if (store_meetings(vi->conn->store, 0, id, &m, n) < 0) {
		site_store_failed(vi);
		return NULL;
	}
	if (*n == 0) {
		site_not_found(vi);
		free(m);
		return NULL;
	}
	return m;
}

/* Seats taken, by firms of the register and guests alike. */
static long
seats_taken(struct visit *vi, int64_t meeting)
{
	struct attendee *r = NULL;
	size_t n = 0, i;
	long taken = 0;

	if (store_attendees(vi->conn->store, meeting, &r, &n) < 0)
		return -1;
	for (i = 0; i < n; i++)
		taken += r[i].state == RS_REGISTERED;
	attendees_free(r, n);
	return taken;
}

int
public_set_meeting_page(struct tpl_vars *v, struct visit *vi,
			const struct meeting *m)
{
	long taken = seats_taken(vi, m->id);

	if (taken < 0 || set_meeting_fields(v, m, vi) < 0 ||
	    (m->has_registration_deadline &&
	     site_set_time(v, "registration_deadline", m->registration_deadline,
			   vi) < 0))
		return -1;
	if (m->capacity > 0 &&
	    (tpl_setf(v, "capacity", "%ld", m->capacity) < 0 ||
	     tpl_setf(v, "seats_left", "%ld", taken < m->capacity ?
		      m->capacity - taken : 0) < 0 ||
	     (taken >= m->capacity && tpl_set(v, "full", "1") < 0)))
		return -1;
	return 0;
}

int
public_set_meeting_form(struct tpl_vars *v, struct visit *vi,
			const struct meeting *m)
{
	char path[64], form[64];

	snprintf(path, sizeof path, "/meetings/%lld.ics", (long long)m->id);
	snprintf(form, sizeof form, "/register/%lld", (long long)m->id);
	if (public_set_meeting_page(v, vi, m) < 0 ||
	    site_set_url(v, "ics_url", path, 0) < 0)
		return -1;
	if (meetings_closed(m, vi->now) != REG_OK)
		return tpl_set(v, "closed", "1");
	/* the form's token lasts hours; a shared page is kept a minute */
	return site_set_url(v, "register_action", form, vi->en) < 0 ||
	       site_set_csrf(v, vi, 0, "register") < 0 ? -1 : 0;
}

static void
page_meeting(struct visit *vi, const char *number)
{
	struct tpl_vars *v = tpl_vars_new();
	struct meeting *m;
	size_t n;

	if (!(m = public_meeting_of(vi, number, &n)))
		goto out;
	if (!v || public_set_meeting_form(v, vi, m) < 0)
		site_store_failed(vi);
	else
		site_render(vi, PAGE_MEETING, v, 200);
out:
	meetings_free(m, m ? n : 0);
	tpl_vars_free(v);
}

static void
meeting_ics(struct visit *vi, const char *number)
{
	struct meeting *m;
	size_t n;

	if (!(m = public_meeting_of(vi, number, &n)))
		return;
	buf_reset(&vi->res->body);
	if (outbox_meeting_calendar(vi->conn->outbox, m, site_lang(vi), vi->now,
				    &vi->res->body) < 0) {
		site_store_failed(vi);
	} else {
		vi->res->content_type = ical_content_type(m->cancelled);
		snprintf(vi->res->filename, sizeof vi->res->filename,
			 "meeting-%lld.ics", (long long)m->id);
	}
	meetings_free(m, n);
}

static void
page_notices(struct visit *vi, const char *rest)
{
	const char *category = vi->query ? form_get(vi->query, "category") : NULL;
	const char *q = vi->query ? form_get(vi->query, "q") : NULL;
	const struct category *cat = NULL;
	struct public_notice *p = NULL;
	struct tpl_vars *v = tpl_vars_new(), *item;
	struct buf url;
	size_t n = 0, shown = 0, i, page;
	int more = 0;

	buf_init(&url, 2048);
	if (page_number(vi, &page) < 0 ||
	    (category && !(cat = category_find(vi->site->o.categories,
					      category)))) {
		site_not_found(vi);
		goto out;
	}
	/* a search is a few words: a longer one is ignored */
	if (q && strlen(q) > SEARCH_MAX)
		q = NULL;
	if (!v || notices_page(vi, NULL, category, q, page, &p, &n, &shown,
			       &more) < 0 ||
	    add_category_links(v, vi, category) < 0 ||
	    list_url(&url, "", "/notices.atom", category, NULL, page) < 0 ||
	    tpl_set(v, "atom_url", buf_str(&url)) < 0 ||
	    (q && *q && tpl_set(v, "q", q) < 0) ||
	    (page > 1 && tpl_setf(v, "page", "%zu", page) < 0) ||
	    (more && (list_url(&url, "", "/notices", category, q, page + 1) < 0 ||
		      site_set_url(v, "next_url", buf_str(&url), vi->en) < 0)) ||
	    (page > 1 && (list_url(&url, "", "/notices", category, q,
				   page - 1) < 0 ||
			  site_set_url(v, "prev_url", buf_str(&url), vi->en) < 0)) ||
	    (cat && tpl_set(v, "category_name", category_name(cat,
							      site_lang(vi))) < 0))
		goto fail;
	for (i = 0; i < shown; i++)
		if (!(item = tpl_add(v, "notices")) ||
		    set_notice_fields(item, &p[i], vi) < 0)
			goto fail;
	vi->res->cache = 1;
	site_render(vi, PAGE_NOTICES, v, 200);
	goto out;
fail:
	site_store_failed(vi);
out:
	buf_release(&url);
	public_notices_free(p, n);
	tpl_vars_free(v);
}

static void
feed_rfis(struct visit *vi, const char *rest)
{
	atom_notices(vi, "rfi", "/rfi", vi->en ? "Market dialogues" :
		     "Marknadsdialoger");
}

static void
feed_notices(struct visit *vi, const char *rest)
{
	atom_notices(vi, NULL, "/notices", vi->en ? "Procurements" :
		     "Upphandlingar");
}

/* A meeting's page, or with .ics its calendar entry. */
static void
meeting_path(struct visit *vi, const char *rest)
{
	char number[TOKEN_MAX], *ics;

	snprintf(number, sizeof number, "%s", rest);
	if ((ics = strstr(number, ".ics")) && ics[4] == '\0') {
		*ics = '\0';
		meeting_ics(vi, number);
	} else {
		page_meeting(vi, number);
	}
}

const struct route public_routes[] = {
	{ "/", ROUTE_SHARED, page_index, 0 },
	{ "/rfi", ROUTE_SHARED, page_rfis, 0 },
	{ "/rfi.atom", ROUTE_SHARED, feed_rfis, 0 },
	{ "/rfi/", ROUTE_PREFIX | ROUTE_SHARED, page_rfi, 0 },
	{ "/meetings", ROUTE_SHARED, page_meetings, 0 },
	{ "/meetings.atom", ROUTE_SHARED, atom_meetings, 0 },
	{ "/meetings/", ROUTE_PREFIX | ROUTE_SHARED, meeting_path, 0 },
	{ "/notices", ROUTE_SHARED, page_notices, 0 },
	{ "/notices.atom", ROUTE_SHARED, feed_notices, 0 },
	{ NULL, 0, NULL, 0 }
};
