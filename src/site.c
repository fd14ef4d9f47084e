/* strptime() reads the date of a conditional GET */
#define _XOPEN_SOURCE 700

#include <arpa/inet.h>
#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#include "address.h"
#include "alert.h"
#include "amount.h"
#include "atom.h"
#include "codes.h"
#include "cpv.h"
#include "form.h"
#include "ical.h"
#include "ini.h"
#include "json.h"
#include "log.h"
#include "mail.h"
#include "outbox.h"
#include "participation.h"
#include "site.h"
#include "store.h"
#include "template.h"

enum page {
	PAGE_INDEX, PAGE_RFIS, PAGE_RFI, PAGE_MEETINGS, PAGE_MEETING,
	PAGE_NOTICES, PAGE_SUBSCRIBE, PAGE_SUBSCRIBE_SENT, PAGE_CONFIRM,
	PAGE_CONFIRMED, PAGE_MANAGE, PAGE_UNSUBSCRIBE, PAGE_UNSUBSCRIBED,
	PAGE_STOP, PAGE_STOPPED, PAGE_RSVP, PAGE_DELETED, PAGE_ERROR, NPAGES
};

static const char *const page_names[NPAGES] = {
	"index", "rfis", "rfi", "meetings", "meeting", "notices", "subscribe",
	"subscribe_sent", "confirm", "confirmed", "manage", "unsubscribe",
	"unsubscribed", "stop", "stopped", "rsvp", "deleted", "error"
};

/* A firm manages its subscription on the subscribe form, with more. */
static const char *
page_file(enum page p)
{
	return page_names[p == PAGE_MANAGE ? PAGE_SUBSCRIBE : p];
}

static const char *const langs[] = { "sv", "en" };
#define NLANGS 2

/* Every field a page may use; templates/web/README says what each holds. */
static const char *const known_fields[] = {
	"lang", "service", "page_title", "home_url", "rfis_url", "meetings_url",
	"notices_url", "subscribe_url", "other_lang_url", "action", "csrf",
	"errors", "message", "rfis", "title", "url", "deadline", "buyer",
	"meetings", "starts", "ends", "location", "video_url", "category_name",
	"cancelled", "categories", "name", "own", "atom_url", "description",
	"documents", "contact", "notice_url", "closed", "category_names",
	"answer_info", "notice_title", "capacity", "seats_left",
	"registration_deadline", "full", "ics_url", "selected", "notices",
	"kind_planning", "kind_rfi", "kind_competition", "kind_result",
	"published", "orgnr", "email", "cpv", "employees", "turnover", "key",
	"checked", "regions", "code", "sweden_checked", "abroad_checked",
	"kind_planning_checked",
	"kind_rfi_checked", "kind_competition_checked", "kind_result_checked",
	"freq_immediately_checked", "freq_daily_checked",
	"freq_weekly_checked", "lang_sv_checked", "lang_en_checked", "saved",
	"unsubscribed", "export_url", "delete_action", "firm_name",
	"manage_url", "registered", "result", "status", "manage",
	"new_email", "address", "next_url", "prev_url", "page", "field",
	"bounced_at", "bounce_reason",
	NULL
};

/* Valid subscriptions are limited per client address, over an hour. */
#define CLIENT_WINDOW 3600
/* Mails the forms send are limited per recipient, over a day. */
#define RECIPIENT_WINDOW (24L * 3600)
/* A confirmation link, and an unconfirmed subscription, last a week. */
#define CONFIRM_LIFETIME (7L * 24 * 3600)
/* CSRF tokens outlive a page left open over lunch, not more. */
#define CSRF_LIFETIME (4 * 3600)
/* The public lists show this many a page; deeper pages are refused. */
#define PUBLIC_LIST_MAX 100
#define PUBLIC_PAGES_MAX 1000

/*
 * The public pages are the same for everyone until the database or the
 * minute changes (what is open depends on the clock): each connection
 * keeps the last ones it made, so a busy list costs a copy, not a scan.
 * A change another connection commits shows within PAGE_GRACE_MS.
 */
#define CACHE_SLOTS 32
/* A page lives this long whatever else commits meanwhile. */
#define PAGE_GRACE_MS 1000
#define CACHE_KEY_MAX 512
#define CACHE_BODY_MAX (1024 * 1024)

struct cached_page {
	char key[CACHE_KEY_MAX];	/* "" for an empty slot */
	long long version;
	long long made_ms;		/* CLOCK_MONOTONIC */
	time_t minute;
	int status;
	const char *content_type;
	char filename[128];
	int cache;
	struct buf body;
	char etag[48];
	time_t last_modified;
};

/*
 * What a request borrows for its time: a connection to the database of
 * its own (SQLite's connections are not to be shared between threads),
 * the outbox over it, and that connection's pages.
 */
struct site_conn {
	struct store *store;
	struct outbox *outbox;
	struct cached_page cache[CACHE_SLOTS];
	size_t next_slot;
	struct site_conn *next;
};

struct site {
	struct site_options o;
	struct tpl *head;
	struct tpl *nav[NLANGS], *foot[NLANGS], *page[NLANGS][NPAGES];
	char *title[NLANGS][NPAGES];
	pthread_mutex_t lock;	/* guards idle */
	struct site_conn *idle;
};

/* What a request is about, parsed once. */
struct visit {
	struct site *site;
	struct site_conn *conn;
	const struct web_request *req;
	struct web_response *res;
	struct form *query;
	struct form *body;
	int en;
	time_t now;
};

static int
load_page(const char *dir, const char *lang, const char *name, struct tpl **t)
{
	struct buf path;
	int rc = -1;

	buf_init(&path, 4096);
	if (buf_printf(&path, "%s/web/%s%s%s.html", dir, lang ? lang : "",
		       lang ? "/" : "", name) < 0)
		error("%s: path too long", dir);
	else if (tpl_load(buf_str(&path), t) == 0)
		rc = tpl_check(*t, known_fields);
	buf_release(&path);
	return rc;
}

struct titles_ctx {
	char **title;		/* NPAGES */
	const char *file;
};

static int
titles_section(void *arg, const char *name, size_t line)
{
	struct titles_ctx *c = arg;

	if (strcmp(name, "titles") != 0)
		return error("%s:%zu: unknown section [%s]", c->file, line, name);
	return 0;
}

static int
titles_key(void *arg, const char *key, const char *value, size_t line)
{
	struct titles_ctx *c = arg;
	size_t i;

	for (i = 0; i < NPAGES; i++)
		if (strcmp(page_names[i], key) == 0)
			break;
	if (i == NPAGES)
		return error("%s:%zu: no page '%s'", c->file, line, key);
	free(c->title[i]);
	if (!(c->title[i] = strdup(value)))
		return error("out of memory");
	return 0;
}

/* The page titles of a language: titles.conf, one key per page. */
static int
load_titles(const char *dir, const char *lang, char **title)
{
	static const struct ini_handler h = { titles_section, titles_key };
	struct buf path, text;
	struct titles_ctx c = { title, NULL };
	size_t i;
	int rc = -1;

	buf_init(&path, 4096);
	buf_init(&text, INI_MAX_FILE);
	if (buf_printf(&path, "%s/web/%s/titles.conf", dir, lang) < 0 ||
	    ini_read(buf_str(&path), &text) < 0)
		goto out;
	c.file = buf_str(&path);
	if (ini_parse(c.file, buf_str(&text), text.len, &h, &c) < 0)
		goto out;
	rc = 0;
	for (i = 0; i < NPAGES; i++)
		if (!title[i])
			rc = error("%s: no title for page '%s'", c.file,
				   page_names[i]);
out:
	buf_release(&path);
	buf_release(&text);
	return rc;
}

static void
conn_free(struct site_conn *c)
{
	size_t i;

	if (!c)
		return;
	for (i = 0; i < CACHE_SLOTS; i++)
		buf_release(&c->cache[i].body);
	outbox_free(c->outbox);
	store_free(c->store);
	free(c);
}

/* A connection no other request holds: an idle one, or a new one. */
static struct site_conn *
conn_take(struct site *s)
{
	struct site_conn *c;
	size_t i;

	pthread_mutex_lock(&s->lock);
	if ((c = s->idle))
		s->idle = c->next;
	pthread_mutex_unlock(&s->lock);
	if (c)
		return c;
	if (!(c = calloc(1, sizeof *c))) {
		error("out of memory");
		return NULL;
	}
	for (i = 0; i < CACHE_SLOTS; i++)
		buf_init(&c->cache[i].body, CACHE_BODY_MAX);
	if (store_open(s->o.cfg->db_path, &c->store) < 0 ||
	    !(c->outbox = outbox_new(c->store, s->o.cfg, s->o.categories,
				     s->o.templates, s->o.key))) {
		conn_free(c);
		return NULL;
	}
	return c;
}

static void
conn_give(struct site *s, struct site_conn *c)
{
	pthread_mutex_lock(&s->lock);
	c->next = s->idle;
	s->idle = c;
	pthread_mutex_unlock(&s->lock);
}

void
site_free(struct site *s)
{
	struct site_conn *c;
	size_t l, p;

	if (!s)
		return;
	while ((c = s->idle)) {
		s->idle = c->next;
		conn_free(c);
	}
	pthread_mutex_destroy(&s->lock);
	tpl_free(s->head);
	for (l = 0; l < NLANGS; l++) {
		tpl_free(s->nav[l]);
		tpl_free(s->foot[l]);
		for (p = 0; p < NPAGES; p++) {
			tpl_free(s->page[l][p]);
			free(s->title[l][p]);
		}
	}
	free(s);
}

struct site *
site_new(const struct site_options *o)
{
	struct site *s = calloc(1, sizeof *s);
	const char *dir = o->cfg->templates_dir;
	size_t l, p;
	int rc = 0;

	if (!s) {
		error("out of memory");
		return NULL;
	}
	s->o = *o;
	pthread_mutex_init(&s->lock, NULL);
	if (load_page(dir, NULL, "head", &s->head) < 0)
		rc = -1;
	for (l = 0; l < NLANGS; l++) {
		if (load_page(dir, langs[l], "nav", &s->nav[l]) < 0 ||
		    load_page(dir, langs[l], "foot", &s->foot[l]) < 0 ||
		    load_titles(dir, langs[l], s->title[l]) < 0)
			rc = -1;
		for (p = 0; p < NPAGES; p++)
			if (load_page(dir, langs[l], page_file(p),
				      &s->page[l][p]) < 0)
				rc = -1;
	}
	if (rc < 0) {
		site_free(s);
		return NULL;
	}
	return s;
}

/*
 * A link within the site, with ?lang=en for English. Relative, so the
 * pages work behind any proxy and host name; only mails and feeds, read
 * elsewhere, need public_url.
 */
static int
set_url(struct tpl_vars *v, const char *name, const char *path, int en)
{
	return tpl_setf(v, name, "%s%s", path,
			en ? (strchr(path, '?') ? "&lang=en" : "?lang=en") : "");
}

/*
 * This page in the other language. The path is whatever the client sent,
 * so it is made a path on this site: "//host/x" or "/\host/x" would
 * lead a browser to another host.
 */
static int
set_other_lang_url(struct tpl_vars *v, const char *path, int en)
{
	static const char safe[] = "abcdefghijklmnopqrstuvwxyz"
		"ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~/!$&'()*+,;=:@";
	struct buf url;
	int rc = -1;

	buf_init(&url, 8192);
	path += strspn(path, "/\\");
	if (buf_addc(&url, '/') < 0)
		goto out;
	for (; *path; path++)
		if (strchr(safe, *path) ? buf_addc(&url, *path) < 0 :
		    buf_printf(&url, "%%%02X", (unsigned char)*path) < 0)
			goto out;
	rc = set_url(v, "other_lang_url", buf_str(&url), !en);
out:
	buf_release(&url);
	return rc;
}

static void
render(struct visit *vi, enum page p, struct tpl_vars *v, int status)
{
	struct site *s = vi->site;
	const char *path = vi->req->path;
	struct buf *out = &vi->res->body;

	buf_reset(out);
	vi->res->status = status;
	if (tpl_set(v, "lang", langs[vi->en]) < 0 ||
	    tpl_set(v, "service", s->o.cfg->service_name) < 0 ||
	    tpl_set(v, "page_title", s->title[vi->en][p]) < 0 ||
	    set_url(v, "home_url", "/", vi->en) < 0 ||
	    set_url(v, "rfis_url", "/rfi", vi->en) < 0 ||
	    set_url(v, "meetings_url", "/meetings", vi->en) < 0 ||
	    set_url(v, "notices_url", "/notices", vi->en) < 0 ||
	    set_url(v, "subscribe_url", "/subscribe", vi->en) < 0 ||
	    set_other_lang_url(v, path, vi->en) < 0 ||
	    tpl_render(s->head, v, TPL_HTML, out) < 0 ||
	    tpl_render(s->nav[vi->en], v, TPL_HTML, out) < 0 ||
	    tpl_render(s->page[vi->en][p], v, TPL_HTML, out) < 0 ||
	    tpl_render(s->foot[vi->en], v, TPL_HTML, out) < 0) {
		buf_reset(out);
		buf_adds(out, "Internal error\n");
		vi->res->status = 500;
		vi->res->content_type = "text/plain; charset=utf-8";
	}
}

static void
fail(struct visit *vi, int status, const char *sv, const char *en)
{
	struct tpl_vars *v = tpl_vars_new();

	if (!v || tpl_setf(v, "status", "%d", status) < 0 ||
	    tpl_set(v, "message", vi->en ? en : sv) < 0) {
		vi->res->status = 500;
		buf_adds(&vi->res->body, "Internal error\n");
	} else {
		render(vi, PAGE_ERROR, v, status);
	}
	tpl_vars_free(v);
}

static void
not_found(struct visit *vi)
{
	fail(vi, 404, "Sidan finns inte.", "There is no such page.");
}

static void
store_failed(struct visit *vi)
{
	fail(vi, 500, "Något gick fel hos oss. Försök igen om en stund.",
	     "Something went wrong on our side. Please try again later.");
}

static const char *
lang_of(const struct visit *vi)
{
	return langs[vi->en];
}

static int
set_time(struct tpl_vars *v, const char *name, time_t t, const struct visit *vi)
{
	return alert_set_time(v, name, t, lang_of(vi));
}

/* A signed token for a form on this page, tied to firm and purpose. */
static int
set_csrf(struct tpl_vars *v, const struct visit *vi, int64_t firm,
	 const char *form)
{
	char f[24], token[TOKEN_MAX];

	snprintf(f, sizeof f, "%lld", (long long)firm);
	if (token_make(vi->site->o.key, "csrf", f, form, vi->now + CSRF_LIFETIME,
		       token, sizeof token) < 0)
		return -1;
	return tpl_set(v, "csrf", token);
}

static int
csrf_ok(const struct visit *vi, int64_t firm, const char *form)
{
	const char *token = vi->body ? form_get(vi->body, "csrf") : NULL;
	char f[TOKEN_FIELD_MAX + 1], o[TOKEN_FIELD_MAX + 1];

	if (!token || token_check(vi->site->o.key, token, "csrf", vi->now,
				  f, sizeof f, o, sizeof o) != TOKEN_OK)
		return 0;
	return strtoll(f, NULL, 10) == firm && strcmp(o, form) == 0;
}

/*
 * The firm a signed link acts for: the token in the path after prefix,
 * for purpose. 0 if it is forged, altered or expired.
 */
static int64_t
link_firm(const struct visit *vi, const char *token, const char *purpose,
	  char *object, size_t objlen)
{
	char firm[TOKEN_FIELD_MAX + 1];
	char *end;
	long long id;

	if (token_check(vi->site->o.key, token, purpose, vi->now, firm,
			sizeof firm, object, objlen) != TOKEN_OK)
		return 0;
	id = strtoll(firm, &end, 10);
	return *end || id < 1 ? 0 : id;
}

static void
bad_link(struct visit *vi)
{
	fail(vi, 403, "Länken gäller inte: den är ändrad eller för gammal. "
	     "Använd länken i ert senaste mejl.",
	     "The link is not valid: it was altered or has expired. Use the "
	     "link in your latest mail.");
}

/* ---- public pages ---- */

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
			       category_name(cat, lang_of(vi))) < 0)
			goto out;
	}
	snprintf(flag, sizeof flag, "kind_%s", p->kind);
	snprintf(path, sizeof path, "/rfi/%s", p->notice_id);
	if (tpl_set(v, "title", p->title) < 0 ||
	    tpl_set(v, "buyer", p->buyer) < 0 ||
	    tpl_set(v, flag, "1") < 0 ||
	    tpl_set(v, "published", p->published) < 0 ||
	    (names.len && tpl_set(v, "category_names", buf_str(&names)) < 0) ||
	    (p->has_deadline && set_time(v, "deadline", p->deadline, vi) < 0))
		goto out;
	/* the unit's RFIs have their page here; others link to theirs */
	if (p->own ? set_url(v, "url", path, vi->en) < 0 :
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
		    set_url(item, "url", path, vi->en) < 0 ||
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
	    set_url(v, "url", path, vi->en) < 0 ||
	    set_time(v, "starts", m->start, vi) < 0 ||
	    set_time(v, "ends", m->end, vi) < 0 ||
	    tpl_set(v, "location", m->location) < 0 ||
	    tpl_set(v, "video_url", m->video_url) < 0 ||
	    tpl_set(v, "description", m->description) < 0 ||
	    (c && tpl_set(v, "category_name", category_name(c, lang_of(vi))) < 0) ||
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
							lang_of(vi))) < 0 ||
		    set_url(item, "url", path, vi->en) < 0 ||
		    (selected && strcmp(selected, cs->v[i].key) == 0 &&
		     tpl_set(item, "selected", "1") < 0))
			return -1;
	}
	return 0;
}

static void
page_index(struct visit *vi)
{
	struct tpl_vars *v = tpl_vars_new();

	if (!v || add_rfis(v, vi, PUBLIC_LIST_MAX) < 0 ||
	    add_meetings(v, vi) < 0 || add_category_links(v, vi, NULL) < 0)
		store_failed(vi);
	else
		render(vi, PAGE_INDEX, v, 200);
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

/* A list's address: base ("" for a link within the site), path, page. */
static int
list_url(struct buf *out, const char *base, const char *path,
	 const char *category, size_t page)
{
	buf_reset(out);
	if (buf_printf(out, "%s%s", base, path) < 0 ||
	    (category && buf_printf(out, "?category=%s", category) < 0) ||
	    (page > 1 && buf_printf(out, "%spage=%zu", category ? "&" : "?",
				    page) < 0))
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
	     size_t page, struct public_notice **p, size_t *n, size_t *shown,
	     int *more)
{
	struct public_query q = {
		.kind = kind, .category = category,
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
	if (list_url(&l->self, base, atom, category, page) < 0 ||
	    list_url(&l->alternate, base, path, category, page) < 0 ||
	    list_url(&l->first, base, atom, category, 1) < 0 ||
	    (more && list_url(&l->next, base, atom, category, page + 1) < 0) ||
	    (page > 1 && list_url(&l->previous, base, atom, category,
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
			.lang = lang_of(vi), .updated = updated,
			.entries = e, .n = n,
		};

		buf_reset(&vi->res->body);
		if (atom_write(&f, &vi->res->body) < 0) {
			store_failed(vi);
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
		not_found(vi);
		goto out;
	}
	if (notices_page(vi, kind, category, page, &p, &n, &shown, &more) < 0 ||
	    feed_links_make(&links, vi, path, category, page, more) < 0 ||
	    !(e = calloc(n ? n : 1, sizeof *e)) ||
	    !(ids = calloc(n ? n : 1, sizeof *ids))) {
		store_failed(vi);
		goto out;
	}
	for (i = 0; i < shown; i++) {
		buf_init(&ids[i], 1024);
		if (buf_printf(&ids[i], "%s/rfi/%s", vi->site->o.cfg->public_url,
			       p[i].notice_id) < 0) {
			store_failed(vi);
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
atom_meetings(struct visit *vi)
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
		store_failed(vi);
		goto out;
	}
	for (i = 0; i < n; i++) {
		buf_init(&urls[i], 1024);
		if (buf_printf(&urls[i], "%s/meetings/%lld",
			       vi->site->o.cfg->public_url,
			       (long long)m[i].id) < 0) {
			store_failed(vi);
			goto out;
		}
		e[i] = (struct atom_entry){
			.id = buf_str(&urls[i]), .title = m[i].title,
			.link = buf_str(&urls[i]), .updated = vi->now,
			.summary = m[i].description, .category = m[i].category,
		};
	}
	if (feed_links_make(&links, vi, "/meetings", NULL, 1, 0) < 0)
		store_failed(vi);
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
page_rfis(struct visit *vi)
{
	struct tpl_vars *v = tpl_vars_new();

	if (!v || add_rfis(v, vi, PUBLIC_LIST_MAX) < 0 ||
	    set_url(v, "atom_url", "/rfi.atom", 0) < 0)
		store_failed(vi);
	else
		render(vi, PAGE_RFIS, v, 200);
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
		store_failed(vi);
		goto out;
	}
	if (n == 0) {
		not_found(vi);
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
	    ((p->closed_at || (p->has_deadline && p->deadline <= vi->now)) &&
	     tpl_set(v, "closed", "1") < 0))
		goto fail;
	vi->res->cache = 1;
	render(vi, PAGE_RFI, v, 200);
	goto out;
fail:
	store_failed(vi);
out:
	public_notices_free(p, n);
	tpl_vars_free(v);
}

static void
page_meetings(struct visit *vi)
{
	struct tpl_vars *v = tpl_vars_new();

	if (!v || add_meetings(v, vi) < 0 ||
	    set_url(v, "atom_url", "/meetings.atom", 0) < 0)
		store_failed(vi);
	else
		render(vi, PAGE_MEETINGS, v, 200);
	tpl_vars_free(v);
}

/* A meeting by its number in the path; NULL and answered if there is none. */
static struct meeting *
meeting_of(struct visit *vi, const char *number, size_t *n)
{
	struct meeting *m = NULL;
	char *end;
	long long id = strtoll(number, &end, 10);

	*n = 0;
	if (id < 1 || *end) {
		not_found(vi);
		return NULL;
	}
	if (store_meetings(vi->conn->store, 0, id, &m, n) < 0) {
		store_failed(vi);
		return NULL;
	}
	if (*n == 0) {
		not_found(vi);
		free(m);
		return NULL;
	}
	return m;
}

static long
seats_taken(struct visit *vi, int64_t meeting)
{
	struct participant *p = NULL;
	size_t n = 0, i;
	long taken = 0;

	if (store_meeting_participants(vi->conn->store, meeting, &p, &n) < 0)
		return -1;
	for (i = 0; i < n; i++)
		taken += p[i].registered != 0;
	participants_free(p, n);
	return taken;
}

static int
set_meeting_page(struct tpl_vars *v, struct visit *vi, const struct meeting *m)
{
	long taken = seats_taken(vi, m->id);

	if (taken < 0 || set_meeting_fields(v, m, vi) < 0 ||
	    (m->has_registration_deadline &&
	     set_time(v, "registration_deadline", m->registration_deadline,
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

static void
page_meeting(struct visit *vi, const char *number)
{
	struct tpl_vars *v = tpl_vars_new();
	struct meeting *m;
	char path[64];
	size_t n;

	if (!(m = meeting_of(vi, number, &n)))
		goto out;
	snprintf(path, sizeof path, "/meetings/%lld.ics", (long long)m->id);
	if (!v || set_meeting_page(v, vi, m) < 0 ||
	    set_url(v, "ics_url", path, 0) < 0)
		store_failed(vi);
	else
		render(vi, PAGE_MEETING, v, 200);
out:
	meetings_free(m, m ? n : 0);
	tpl_vars_free(v);
}

static void
meeting_ics(struct visit *vi, const char *number)
{
	struct meeting *m;
	size_t n;

	if (!(m = meeting_of(vi, number, &n)))
		return;
	buf_reset(&vi->res->body);
	if (outbox_meeting_calendar(vi->conn->outbox, m, lang_of(vi), vi->now,
				    &vi->res->body) < 0) {
		store_failed(vi);
	} else {
		vi->res->content_type = ical_content_type(m->cancelled);
		snprintf(vi->res->filename, sizeof vi->res->filename,
			 "meeting-%lld.ics", (long long)m->id);
	}
	meetings_free(m, n);
}

static void
page_notices(struct visit *vi)
{
	const char *category = vi->query ? form_get(vi->query, "category") : NULL;
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
		not_found(vi);
		goto out;
	}
	if (!v || notices_page(vi, NULL, category, page, &p, &n, &shown,
			       &more) < 0 ||
	    add_category_links(v, vi, category) < 0 ||
	    list_url(&url, "", "/notices.atom", category, page) < 0 ||
	    tpl_set(v, "atom_url", buf_str(&url)) < 0 ||
	    (page > 1 && tpl_setf(v, "page", "%zu", page) < 0) ||
	    (more && (list_url(&url, "", "/notices", category, page + 1) < 0 ||
		      set_url(v, "next_url", buf_str(&url), vi->en) < 0)) ||
	    (page > 1 && (list_url(&url, "", "/notices", category, page - 1) < 0 ||
			  set_url(v, "prev_url", buf_str(&url), vi->en) < 0)) ||
	    (cat && tpl_set(v, "category_name", category_name(cat,
							      lang_of(vi))) < 0))
		goto fail;
	for (i = 0; i < shown; i++)
		if (!(item = tpl_add(v, "notices")) ||
		    set_notice_fields(item, &p[i], vi) < 0)
			goto fail;
	vi->res->cache = 1;
	render(vi, PAGE_NOTICES, v, 200);
	goto out;
fail:
	store_failed(vi);
out:
	buf_release(&url);
	public_notices_free(p, n);
	tpl_vars_free(v);
}

/* ---- subscriptions ---- */

static const char *const firm_fields[] = {
	"orgnr", "name", "email", "category", "cpv", "region", "employees",
	"turnover", "kind", "frequency", "language", "csrf", "abroad", NULL
};

/* What the form shows as the firm typed it when it comes back. */
static const char *const typed_fields[] = {
	"name", "email", "cpv", "employees", "turnover", NULL
};

/*
 * An error on the form, about field (the id of its input, so the message
 * can link to it): the message sv or en, after it why if not NULL.
 */
static int
add_error(struct tpl_vars *v, const struct visit *vi, const char *field,
	  const char *sv, const char *en, const char *why)
{
	struct tpl_vars *e = tpl_add(v, "errors");
	const char *what = vi->en ? en : sv;

	if (!e || tpl_set(e, "field", field) < 0)
		return -1;
	return why ? tpl_setf(e, "message", "%s: %s", what, why) :
		     tpl_set(e, "message", what);
}

static int
is_county(const char *code)
{
	size_t i;

	for (i = 0; i < nuts_ncodes; i++)
		if (strlen(nuts_codes[i].code) == 5 &&
		    strcmp(nuts_codes[i].code, code) == 0)
			return strcmp(code, "SEZZZ") != 0;
	return 0;
}

/* What the form offers: a county, or all of Sweden. */
static int
is_region(const char *code)
{
	return strcmp(code, "SE") == 0 || is_county(code);
}

/* The form names kinds as notices do: planning, rfi, competition, result. */
static unsigned
form_kind(const char *s)
{
	if (strcmp(s, "planning") == 0)
		return FIRM_KIND_PLANNED;
	if (strcmp(s, "rfi") == 0)
		return FIRM_KIND_RFI;
	if (strcmp(s, "competition") == 0)
		return FIRM_KIND_TENDER;
	if (strcmp(s, "result") == 0)
		return FIRM_KIND_RESULT;
	return 0;
}

/*
 * The number in a field of the form, -1 if blank: 0, or 1 with an error
 * on the page; -1 when memory runs out.
 */
static int
number_field(const struct visit *vi, struct tpl_vars *v, const char *field,
	     const char *sv, const char *en, enum amount_kind kind,
	     long long max, long long *out)
{
	const char *s = form_get(vi->body, field);
	enum amount_why why;

	if (amount_read(s ? s : "", kind, max, out, &why) == 0)
		return 0;
	return add_error(v, vi, field, sv, en,
			 amount_why_text(why, kind, lang_of(vi))) < 0 ? -1 : 1;
}

/*
 * A firm from the subscribe or manage form; each mistake becomes an error
 * on the page, and a field is only taken whole, as written: the caller
 * stores nothing while there are errors. -1 only when memory runs out.
 */
static int
firm_from_form(const struct visit *vi, struct firm *f, struct tpl_vars *v,
	       int *errors)
{
	const struct form *b = vi->body;
	const char *s, *name = form_get(b, "name");
	char orgnr[12], addr[ADDRESS_MAX + 1], cpv[CPV_LEN + 1], why[96];
	enum address_why awhy;
	long long n;
	size_t i;
	int e = 0, rc;

	if (!f->orgnr) {
		if (!(s = form_get(b, "orgnr")) || orgnr_normalize(s, orgnr) < 0)
			e |= add_error(v, vi, "orgnr", "Organisationsnumret "
				       "stämmer inte (tio siffror, NNNNNN-NNNN).",
				       "The organisation number is not valid "
				       "(ten digits, NNNNNN-NNNN).", NULL) < 0 ?
			     -1 : 1;
		else if (!(f->orgnr = strdup(orgnr)))
			return -1;
	}
	free(f->name);
	free(f->email);
	f->name = f->email = NULL;
	if (!name || !*name || strlen(name) > 200 || strpbrk(name, "\r\n"))
		e |= add_error(v, vi, "name", "Ange företagets namn.",
			       "Give the firm's name.", NULL) < 0 ? -1 : 1;
	else if (!(f->name = strdup(name)))
		return -1;
	s = form_get(b, "email");
	if (address_read(s ? s : "", addr, &awhy) < 0)
		e |= add_error(v, vi, "email", "E-postadress", "Email address",
			       address_why_text(awhy, lang_of(vi))) < 0 ?
		     -1 : 1;
	else if (!(f->email = strdup(addr)))
		return -1;
	strvec_free(f->categories, f->ncategories);
	strvec_free(f->cpv, f->ncpv);
	strvec_free(f->regions, f->nregions);
	f->categories = f->cpv = f->regions = NULL;
	f->ncategories = f->ncpv = f->nregions = 0;
	for (i = 0; i < form_count(b, "category"); i++) {
		s = form_get_nth(b, "category", i);
		if (!category_find(vi->site->o.categories, s))
			e |= add_error(v, vi, "category-hint", "Okänd kategori.",
				       "Unknown category.", NULL) < 0 ? -1 : 1;
		else if (strvec_push(&f->categories, &f->ncategories, s) < 0)
			return -1;
	}
	for (s = form_get(b, "cpv"); s && *s; ) {
		char word[32];
		size_t len = strcspn(s, " ,;"), cut = len < 31 ? len : 31;

		/* quoted in the message, so cut between characters */
		while (cut < len && ((unsigned char)s[cut] & 0xc0) == 0x80)
			cut--;
		snprintf(word, sizeof word, "%.*s", (int)cut, s);
		s += len;
		s += strspn(s, " ,;");
		if (!*word)
			continue;
		if (cpv_normalize(word, cpv) < 0 || !cpv_known(cpv)) {
			snprintf(why, sizeof why, vi->en ? "“%s” is no CPV code." :
				 "”%s” är ingen CPV-kod.", word);
			e |= add_error(v, vi, "cpv", "CPV-koder", "CPV codes",
				       why) < 0 ? -1 : 1;
		} else if (strvec_push(&f->cpv, &f->ncpv, cpv) < 0) {
			return -1;
		}
	}
	if (f->ncategories == 0 && f->ncpv == 0)
		e |= add_error(v, vi, "category-hint", "Välj minst en bransch "
			       "eller ange en CPV-kod.", "Choose an industry or "
			       "give a CPV code.", NULL) < 0 ? -1 : 1;
	for (i = 0; i < form_count(b, "region"); i++) {
		s = form_get_nth(b, "region", i);
		if (!is_region(s))
			e |= add_error(v, vi, "region-hint", "Okänt län.",
				       "Unknown county.", NULL) < 0 ? -1 : 1;
		else if (strvec_push(&f->regions, &f->nregions, s) < 0)
			return -1;
	}
	f->abroad = form_get(b, "abroad") != NULL;
	if (!(rc = number_field(vi, v, "employees", "Antal anställda",
				"Number of employees", AMOUNT_COUNT,
				FIRM_EMPLOYEES_MAX, &n)))
		f->employees = (long)n;
	e |= rc;
	if (!(rc = number_field(vi, v, "turnover", "Omsättning per år",
				"Annual turnover", AMOUNT_KRONOR,
				FIRM_TURNOVER_MAX, &n)))
		f->turnover = n;
	e |= rc;
	f->kinds = 0;
	for (i = 0; i < form_count(b, "kind"); i++) {
		unsigned k = form_kind(form_get_nth(b, "kind", i));

		if (!k)
			e |= add_error(v, vi, "kind-planning", "Okänd typ av "
				       "annons.", "Unknown kind of notice.",
				       NULL) < 0 ? -1 : 1;
		f->kinds |= k;
	}
	if (f->kinds == 0)
		e |= add_error(v, vi, "kind-planning", "Välj minst en typ av "
			       "annons.", "Choose at least one kind of notice.",
			       NULL) < 0 ? -1 : 1;
	if (!(s = form_get(b, "frequency")) ||
	    firm_frequency_parse(s, &f->frequency) < 0)
		e |= add_error(v, vi, "frequency-immediately", "Välj hur ofta ni "
			       "vill ha mejl.", "Choose how often you want "
			       "mails.", NULL) < 0 ? -1 : 1;
	s = form_get(b, "language");
	free(f->language);
	if (!(f->language = strdup(s && strcmp(s, "en") == 0 ? "en" : "sv")))
		return -1;
	if (e < 0)
		return -1;
	*errors = e;
	return 0;
}

/*
 * The form's fields. A form sent back with errors shows each field as
 * the firm typed it, so a mistake is put right where it was made and
 * nothing else is lost; otherwise the firm's data is shown in the forms
 * the readers take back unchanged ("1 800 000", "info@räksmörgås.se"),
 * so sending the manage form as it is changes nothing. Choices are
 * always the firm's.
 */
static int
set_firm_form(struct tpl_vars *v, const struct visit *vi, const struct firm *f)
{
	const struct category_set *cs = vi->site->o.categories;
	char email[1024], number[AMOUNT_FORMAT_MAX];
	struct tpl_vars *item;
	struct buf cpv;
	size_t i, k;
	int rc = -1;

	buf_init(&cpv, 4096);
	if (vi->body && tpl_isset(v, "errors")) {
		for (i = 0; typed_fields[i]; i++)
			if (tpl_set(v, typed_fields[i],
				    form_get(vi->body, typed_fields[i])) < 0)
				goto out;
		/* the manage form's orgnr is only ever the firm's own */
		if (tpl_set(v, "orgnr", f->id ? f->orgnr :
			    form_get(vi->body, "orgnr")) < 0)
			goto out;
	} else {
		for (i = 0; i < f->ncpv; i++)
			if (buf_printf(&cpv, "%s%s", i ? " " : "", f->cpv[i]) < 0)
				goto out;
		if (tpl_set(v, "orgnr", f->orgnr) < 0 ||
		    tpl_set(v, "name", f->name) < 0 ||
		    (f->email && (address_display(f->email, email,
						  sizeof email) < 0 ||
				  tpl_set(v, "email", email) < 0)) ||
		    tpl_set(v, "cpv", buf_str(&cpv)) < 0 ||
		    (f->employees >= 0 &&
		     (amount_format(f->employees, number, sizeof number) < 0 ||
		      tpl_set(v, "employees", number) < 0)) ||
		    (f->turnover >= 0 &&
		     (amount_format(f->turnover, number, sizeof number) < 0 ||
		      tpl_set(v, "turnover", number) < 0)))
			goto out;
	}
	for (i = 0; i < cs->n; i++) {
		if (!(item = tpl_add(v, "categories")) ||
		    tpl_set(item, "key", cs->v[i].key) < 0 ||
		    tpl_set(item, "name", category_name(&cs->v[i],
							lang_of(vi))) < 0)
			goto out;
		for (k = 0; k < f->ncategories; k++)
			if (strcmp(f->categories[k], cs->v[i].key) == 0 &&
			    tpl_set(item, "checked", "1") < 0)
				goto out;
	}
	for (i = 0; i < nuts_ncodes; i++) {
		const char *code = nuts_codes[i].code;

		if (!is_county(code))
			continue;
		if (!(item = tpl_add(v, "regions")) ||
		    tpl_set(item, "code", code) < 0 ||
		    tpl_set(item, "name", vi->en ? nuts_codes[i].en :
			    nuts_codes[i].sv) < 0)
			goto out;
		for (k = 0; k < f->nregions; k++)
			if (strcmp(f->regions[k], code) == 0 &&
			    tpl_set(item, "checked", "1") < 0)
				goto out;
	}
	for (k = 0; k < f->nregions; k++)
		if (strcmp(f->regions[k], "SE") == 0 &&
		    tpl_set(v, "sweden_checked", "1") < 0)
			goto out;
	if ((f->abroad && tpl_set(v, "abroad_checked", "1") < 0) ||
	    (f->kinds & FIRM_KIND_PLANNED && tpl_set(v, "kind_planning_checked", "1") < 0) ||
	    (f->kinds & FIRM_KIND_RFI && tpl_set(v, "kind_rfi_checked", "1") < 0) ||
	    (f->kinds & FIRM_KIND_TENDER &&
	     tpl_set(v, "kind_competition_checked", "1") < 0) ||
	    (f->kinds & FIRM_KIND_RESULT && tpl_set(v, "kind_result_checked", "1") < 0) ||
	    tpl_set(v, f->frequency == FREQ_DAILY ? "freq_daily_checked" :
		    f->frequency == FREQ_WEEKLY ? "freq_weekly_checked" :
		    "freq_immediately_checked", "1") < 0 ||
	    tpl_set(v, f->language && strcmp(f->language, "en") == 0 ?
		    "lang_en_checked" : "lang_sv_checked", "1") < 0)
		goto out;
	rc = 0;
out:
	buf_release(&cpv);
	return rc;
}

/*
 * The key a client's attempts count under: its address, and for IPv6 its
 * /64, which one subscriber line gets whole.
 */
static void
client_key(const char *client, char *out, size_t len)
{
	unsigned char a[16];
	char net[INET6_ADDRSTRLEN];

	if (strchr(client, ':') && inet_pton(AF_INET6, client, a) == 1) {
		memset(a + 8, 0, 8);
		inet_ntop(AF_INET6, a, net, sizeof net);
		snprintf(out, len, "client:%s/64", net);
	} else {
		snprintf(out, len, "client:%s", client);
	}
}

/* 1 when key may have one more attempt in window; -1 if the store failed. */
static int
attempt_allowed(struct visit *vi, const char *key, long window, long limit)
{
	int allowed;

	if (store_take_attempt(vi->conn->store, key, vi->now, window, limit,
			       &allowed) < 0)
		return -1;
	return allowed;
}

/*
 * The mail a subscription or an address change causes, to an address the
 * form's sender may not own: at most [web] mails_per_recipient a day, so
 * no one can flood a mailbox through the form. Over the limit nothing is
 * sent and the page says what it says anyway. 1 when it may be sent.
 */
static int
recipient_allowed(struct visit *vi, const char *email)
{
	char key[300];
	size_t i;

	snprintf(key, sizeof key, "rcpt:%s", email);
	for (i = 0; key[i]; i++)
		if (key[i] >= 'A' && key[i] <= 'Z')
			key[i] = (char)(key[i] - 'A' + 'a');
	return attempt_allowed(vi, key, RECIPIENT_WINDOW,
			       vi->site->o.cfg->web_mails_per_recipient);
}

/* A page queued a mail: whoever delivers them is told at once. */
static void
mail_queued(struct visit *vi)
{
	if (vi->site->o.queued)
		vi->site->o.queued(vi->site->o.queued_arg);
}

static void
subscribe_form(struct visit *vi, const struct firm *f, struct tpl_vars *v,
	       int status)
{
	if (set_firm_form(v, vi, f) < 0 || set_csrf(v, vi, 0, "subscribe") < 0 ||
	    set_url(v, "action", "/subscribe", vi->en) < 0)
		store_failed(vi);
	else
		render(vi, PAGE_SUBSCRIBE, v, status);
}

/*
 * What the subscribe form mails, and to whom: the form proves only that
 * someone typed an organisation number, so a firm already stored is
 * mailed at its stored address, never the one typed, and nothing stored
 * changes. -1 if the store failed.
 */
static int
queue_subscribe_mail(struct visit *vi, struct firm *typed)
{
	struct firm *stored = NULL;
	enum firm_state state;
	int64_t id;
	int allowed, rc = -1;

	if (store_subscribe_firm(vi->conn->store, typed, vi->now,
				 CONFIRM_LIFETIME, &id, &state) < 0)
		return -1;
	if (state == FIRM_NEW) {
		typed->id = id;
	} else if (store_get_firm(vi->conn->store, id, &stored) < 0 || !stored) {
		goto out;
	}
	if ((allowed = recipient_allowed(vi, stored ? stored->email :
					 typed->email)) < 0)
		goto out;
	/* a mail that could not be built is kept failed: nothing to show */
	if (allowed &&
	    (state == FIRM_NEW || state == FIRM_PENDING ?
	     outbox_queue_confirmation(vi->conn->outbox, stored ? stored : typed,
				       vi->now) :
	     outbox_queue_manage_link(vi->conn->outbox, stored, vi->now)) != 0)
		goto out;
	if (allowed)
		mail_queued(vi);
	rc = 0;
out:
	firm_free(stored);
	return rc;
}

/*
 * A known firm and a new one take different ways through the store; the
 * answer waits until this much time has passed since the request came, so
 * its timing tells no one which it was.
 */
#define SUBSCRIBE_ANSWER_NS (15L * 1000 * 1000)

static void
answer_no_sooner(const struct timespec *start)
{
	struct timespec until = *start;

	until.tv_nsec += SUBSCRIBE_ANSWER_NS;
	until.tv_sec += until.tv_nsec / 1000000000L;
	until.tv_nsec %= 1000000000L;
	while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &until, NULL) ==
	       EINTR)
		;
}

static void
page_subscribe(struct visit *vi)
{
	struct tpl_vars *v = tpl_vars_new();
	struct firm *f = firm_new();
	char why[128], key[96], shown[ADDRESS_MAX + 1];
	int errors = 0, allowed;
	struct timespec start;

	if (!v || !f) {
		store_failed(vi);
		goto out;
	}
	if (vi->req->method != WEB_POST) {
		f->kinds = FIRM_KIND_PLANNED | FIRM_KIND_RFI | FIRM_KIND_TENDER;
		f->frequency = FREQ_IMMEDIATELY;
		subscribe_form(vi, f, v, 200);
		goto out;
	}
	if (!csrf_ok(vi, 0, "subscribe")) {
		fail(vi, 403, "Formuläret är för gammalt. Ladda om sidan och "
		     "försök igen.", "The form has expired. Reload the page and "
		     "try again.");
		goto out;
	}
	if (form_only(vi->body, firm_fields, why, sizeof why) < 0 ||
	    firm_from_form(vi, f, v, &errors) < 0) {
		fail(vi, 400, "Formuläret innehåller okända fält.",
		     "The form has unknown fields.");
		goto out;
	}
	/* a mistake costs no try: the firm corrects it and sends again */
	if (errors) {
		subscribe_form(vi, f, v, 400);
		goto out;
	}
	client_key(vi->req->client, key, sizeof key);
	if ((allowed = attempt_allowed(vi, key, CLIENT_WINDOW,
				       vi->site->o.cfg->web_subscribe_per_hour)) < 0) {
		store_failed(vi);
		goto out;
	}
	if (!allowed) {
		fail(vi, 429, "För många försök. Försök igen om en timme.",
		     "Too many attempts. Try again in an hour.");
		goto out;
	}
	clock_gettime(CLOCK_MONOTONIC, &start);
	if (queue_subscribe_mail(vi, f) < 0) {
		store_failed(vi);
		goto out;
	}
	answer_no_sooner(&start);
	/* the same page whoever subscribes: it tells no one who does */
	if (address_display(f->email, shown, sizeof shown) < 0 ||
	    tpl_set(v, "email", shown) < 0)
		store_failed(vi);
	else
		render(vi, PAGE_SUBSCRIBE_SENT, v, 200);
out:
	firm_free(f);
	tpl_vars_free(v);
}

/* A page for a firm behind a signed link: NULL (answered) if none. */
static struct firm *
linked_firm(struct visit *vi, const char *token, const char *purpose,
	    char *object, size_t objlen)
{
	struct firm *f = NULL;
	int64_t id = link_firm(vi, token, purpose, object, objlen);

	if (!id) {
		bad_link(vi);
		return NULL;
	}
	if (store_get_firm(vi->conn->store, id, &f) < 0) {
		store_failed(vi);
		return NULL;
	}
	if (!f)
		fail(vi, 410, "Prenumerationen finns inte längre.",
		     "The subscription no longer exists.");
	return f;
}

/*
 * A page behind a signed link that asks before it acts: GET shows the
 * question with a button, POST with the button's CSRF token may act.
 * 1 when the caller is to act; 0 when the request is answered.
 */
static int
ask_first(struct visit *vi, struct tpl_vars *v, const struct firm *f,
	  const char *form, const char *token, enum page ask)
{
	char path[TOKEN_MAX + 32];

	if (vi->req->method != WEB_POST) {
		snprintf(path, sizeof path, "/%s/%s", form, token);
		if (set_csrf(v, vi, f->id, form) < 0 ||
		    set_url(v, "action", path, vi->en) < 0)
			store_failed(vi);
		else
			render(vi, ask, v, 200);
		return 0;
	}
	if (!csrf_ok(vi, f->id, form)) {
		fail(vi, 403, "Använd knappen på sidan: formuläret kan vara för "
		     "gammalt.", "Use the button on the page: the form may have "
		     "expired.");
		return 0;
	}
	return 1;
}

/* The link to a firm's manage page, as mails have it. */
static int
set_manage_url(struct tpl_vars *v, const struct visit *vi, int64_t firm)
{
	struct alert_links links = { vi->site->o.cfg->public_url,
				     vi->site->o.key, vi->now + 400L * 86400,
				     vi->en };
	struct buf url;
	int rc;

	buf_init(&url, 1024);
	rc = alert_link(&links, "manage", firm, "", &url);
	if (rc == 0)
		rc = tpl_set(v, "manage_url", buf_str(&url));
	buf_release(&url);
	return rc;
}

static void
page_confirm(struct visit *vi, const char *token)
{
	struct tpl_vars *v = tpl_vars_new();
	char object[TOKEN_FIELD_MAX + 1];
	struct firm *f;
	int found;

	if (!(f = linked_firm(vi, token, "confirm", object, sizeof object)))
		goto out;
	if (!v || tpl_set(v, "firm_name", f->name) < 0) {
		store_failed(vi);
		goto out;
	}
	if (!ask_first(vi, v, f, "confirm", token, PAGE_CONFIRM))
		goto out;
	if (store_confirm_firm(vi->conn->store, f->id, vi->now, &found) < 0 ||
	    set_manage_url(v, vi, f->id) < 0)
		store_failed(vi);
	else
		render(vi, PAGE_CONFIRMED, v, 200);
out:
	firm_free(f);
	tpl_vars_free(v);
}

static void
export_json(struct visit *vi, const struct firm *f)
{
	struct firm_record *r = NULL;
	struct buf *b = &vi->res->body;
	size_t n = 0, i;
	int rc = 0;

	if (store_firm_records(vi->conn->store, f->id, &r, &n) < 0) {
		store_failed(vi);
		return;
	}
	buf_reset(b);
	rc |= buf_adds(b, "{\"orgnr\": ");
	rc |= json_add_string(b, f->orgnr);
	rc |= buf_adds(b, ", \"name\": ");
	rc |= json_add_string(b, f->name);
	rc |= buf_adds(b, ", \"email\": ");
	rc |= json_add_string(b, f->email);
	rc |= buf_adds(b, ", \"language\": ");
	rc |= json_add_string(b, f->language);
	rc |= buf_adds(b, ", \"frequency\": ");
	rc |= json_add_string(b, firm_frequency_name(f->frequency));
	rc |= buf_printf(b, ", \"employees\": %ld, \"turnover\": %lld",
			 f->employees, f->turnover);
	rc |= buf_adds(b, ", \"categories\": [");
	for (i = 0; i < f->ncategories; i++) {
		rc |= buf_adds(b, i ? ", " : "");
		rc |= json_add_string(b, f->categories[i]);
	}
	rc |= buf_adds(b, "], \"cpv\": [");
	for (i = 0; i < f->ncpv; i++) {
		rc |= buf_adds(b, i ? ", " : "");
		rc |= json_add_string(b, f->cpv[i]);
	}
	rc |= buf_adds(b, "], \"regions\": [");
	for (i = 0; i < f->nregions; i++) {
		rc |= buf_adds(b, i ? ", " : "");
		rc |= json_add_string(b, f->regions[i]);
	}
	rc |= buf_printf(b, "], \"abroad\": %s", f->abroad ? "true" : "false");
	rc |= buf_adds(b, ",\n \"records\": [");
	for (i = 0; i < n; i++) {
		rc |= buf_adds(b, i ? ",\n  {\"what\": " : "\n  {\"what\": ");
		rc |= json_add_string(b, r[i].what);
		rc |= buf_adds(b, ", \"a\": ");
		rc |= json_add_string(b, r[i].a);
		rc |= buf_adds(b, ", \"b\": ");
		rc |= json_add_string(b, r[i].b);
		rc |= buf_adds(b, ", \"at\": ");
		rc |= r[i].t1 ? json_add_time(b, r[i].t1) : buf_adds(b, "null");
		if (r[i].has_t2) {
			rc |= buf_adds(b, ", \"until\": ");
			rc |= json_add_time(b, r[i].t2);
		}
		rc |= buf_adds(b, "}");
	}
	rc |= buf_adds(b, "]}\n");
	firm_records_free(r, n);
	if (rc) {
		store_failed(vi);
		return;
	}
	vi->res->content_type = "application/json; charset=utf-8";
	snprintf(vi->res->filename, sizeof vi->res->filename, "%s.json", f->orgnr);
}

/*
 * A new address typed on the manage page takes effect only once a link
 * mailed to it is opened: whoever holds a manage link (a forwarded mail)
 * cannot move a firm's mails elsewhere at once. The firm is saved with
 * its stored address meanwhile, and the page says where the link went.
 */
static int
request_address(struct visit *vi, struct firm *f, struct tpl_vars *v,
		const char *stored_email)
{
	char shown[ADDRESS_MAX + 1];
	int allowed;

	if (store_request_email(vi->conn->store, f->id, f->email, vi->now) < 0 ||
	    (allowed = recipient_allowed(vi, f->email)) < 0 ||
	    (allowed &&
	     outbox_queue_address(vi->conn->outbox, f, vi->now, vi->now) != 0) ||
	    address_display(f->email, shown, sizeof shown) < 0 ||
	    tpl_set(v, "new_email", shown) < 0)
		return -1;
	if (allowed)
		mail_queued(vi);
	free(f->email);
	return (f->email = strdup(stored_email)) ? 0 : -1;
}

static void
page_manage(struct visit *vi, const char *token, const char *action)
{
	struct tpl_vars *v = tpl_vars_new();
	char object[TOKEN_FIELD_MAX + 1], path[TOKEN_MAX + 32], why[128];
	char *stored_email = NULL;
	enum firm_state state;
	struct firm *f;
	int64_t id;
	int errors = 0, created, found;

	if (!(f = linked_firm(vi, token, "manage", object, sizeof object)))
		goto out;
	if (!v) {
		store_failed(vi);
		goto out;
	}
	if (action && strcmp(action, "export.json") == 0 &&
	    vi->req->method != WEB_POST) {
		export_json(vi, f);
		goto out;
	}
	if (action && strcmp(action, "delete") == 0) {
		if (vi->req->method != WEB_POST || !csrf_ok(vi, f->id, "manage")) {
			fail(vi, 403, "Radera med knappen på sidan.",
			     "Delete with the button on the page.");
		} else if (store_delete_firm(vi->conn->store, f->id, vi->now,
					     &found) < 0) {
			store_failed(vi);
		} else {
			render(vi, PAGE_DELETED, v, 200);
		}
		goto out;
	}
	if (action) {
		not_found(vi);
		goto out;
	}
	if (vi->req->method == WEB_POST) {
		if (!csrf_ok(vi, f->id, "manage")) {
			fail(vi, 403, "Formuläret är för gammalt. Ladda om sidan.",
			     "The form has expired. Reload the page.");
			goto out;
		}
		if (!(stored_email = strdup(f->email)))
			goto fail;
		if (form_only(vi->body, firm_fields, why, sizeof why) < 0 ||
		    firm_from_form(vi, f, v, &errors) < 0) {
			fail(vi, 400, "Formuläret innehåller okända fält.",
			     "The form has unknown fields.");
			goto out;
		}
		if (!errors && strcasecmp(f->email, stored_email) != 0 &&
		    request_address(vi, f, v, stored_email) < 0)
			goto fail;
		if (!errors &&
		    (store_put_firm(vi->conn->store, f, "web", vi->now,
				    &created) < 0 ||
		     store_resubscribe_firm(vi->conn->store, f->id, vi->now,
					    &found) < 0)) {
			store_failed(vi);
			goto out;
		}
		if (!errors && tpl_set(v, "saved", "1") < 0)
			goto fail;
	}
	if (store_firm_state(vi->conn->store, f->orgnr, &id, &state) < 0 ||
	    tpl_set(v, "manage", "1") < 0)
		goto fail;
	snprintf(path, sizeof path, "/manage/%s", token);
	if ((state == FIRM_UNSUBSCRIBED && tpl_set(v, "unsubscribed", "1") < 0) ||
	    (f->bounced_at &&
	     (set_time(v, "bounced_at", f->bounced_at, vi) < 0 ||
	      tpl_set(v, "bounce_reason", f->bounce_reason) < 0)) ||
	    set_firm_form(v, vi, f) < 0 || set_csrf(v, vi, f->id, "manage") < 0 ||
	    set_url(v, "action", path, vi->en) < 0)
		goto fail;
	snprintf(path, sizeof path, "/manage/%s/export.json", token);
	if (set_url(v, "export_url", path, 0) < 0)
		goto fail;
	snprintf(path, sizeof path, "/manage/%s/delete", token);
	if (set_url(v, "delete_action", path, vi->en) < 0)
		goto fail;
	render(vi, PAGE_MANAGE, v, errors ? 400 : 200);
	goto out;
fail:
	store_failed(vi);
out:
	free(stored_email);
	firm_free(f);
	tpl_vars_free(v);
}

/* The link mailed to a new address: the button makes it the firm's. */
static void
page_address(struct visit *vi, const char *token)
{
	struct tpl_vars *v = tpl_vars_new();
	char object[TOKEN_FIELD_MAX + 1], *end;
	long long requested_at;
	struct firm *f;
	int found;

	if (!(f = linked_firm(vi, token, "address", object, sizeof object)))
		goto out;
	requested_at = strtoll(object, &end, 10);
	if (!v || tpl_set(v, "firm_name", f->name) < 0 ||
	    tpl_set(v, "address", "1") < 0) {
		store_failed(vi);
		goto out;
	}
	if (*end || !ask_first(vi, v, f, "address", token, PAGE_CONFIRM))
		goto out;
	if (store_confirm_email(vi->conn->store, f->id, (time_t)requested_at,
				vi->now, &found) < 0 ||
	    set_manage_url(v, vi, f->id) < 0)
		store_failed(vi);
	else if (!found)
		fail(vi, 410, "Länken gäller inte längre: en senare ändring av "
		     "adressen har gjorts, eller den är redan bekräftad.",
		     "The link is no longer valid: the address was changed "
		     "again since, or it is already confirmed.");
	else
		render(vi, PAGE_CONFIRMED, v, 200);
out:
	firm_free(f);
	tpl_vars_free(v);
}

static void
page_unsubscribe(struct visit *vi, const char *token)
{
	struct tpl_vars *v = tpl_vars_new();
	char object[TOKEN_FIELD_MAX + 1];
	const char *one_click;
	struct firm *f;
	int found;

	if (!(f = linked_firm(vi, token, "unsubscribe", object, sizeof object)))
		goto out;
	/* RFC 8058: the mail program's POST carries no form of ours */
	one_click = vi->body ? form_get(vi->body, "List-Unsubscribe") : NULL;
	if (!v || tpl_set(v, "firm_name", f->name) < 0) {
		store_failed(vi);
		goto out;
	}
	if (!(one_click && strcmp(one_click, "One-Click") == 0 &&
	      vi->req->method == WEB_POST) &&
	    !ask_first(vi, v, f, "unsubscribe", token, PAGE_UNSUBSCRIBE))
		goto out;
	if (store_unsubscribe_firm(vi->conn->store, f->id, vi->now, &found) < 0 ||
	    set_manage_url(v, vi, f->id) < 0)
		store_failed(vi);
	else
		render(vi, PAGE_UNSUBSCRIBED, v, 200);
out:
	firm_free(f);
	tpl_vars_free(v);
}

static void
page_stop(struct visit *vi, const char *token)
{
	struct tpl_vars *v = tpl_vars_new();
	char notice_id[TOKEN_FIELD_MAX + 1];
	struct stored_notice *notice = NULL;
	struct firm *f;

	if (!(f = linked_firm(vi, token, "stop", notice_id, sizeof notice_id)))
		goto out;
	if (!v || store_get_notice(vi->conn->store, notice_id, &notice) < 0 ||
	    tpl_set(v, "notice_title", notice ? notice->title : notice_id) < 0) {
		store_failed(vi);
		goto out;
	}
	if (!ask_first(vi, v, f, "stop", token, PAGE_STOP))
		goto out;
	if (store_stop_notice(vi->conn->store, f->id, notice_id, vi->now) < 0)
		store_failed(vi);
	else
		render(vi, PAGE_STOPPED, v, 200);
out:
	stored_notice_free(notice);
	firm_free(f);
	tpl_vars_free(v);
}

static void
page_rsvp(struct visit *vi, const char *token)
{
	struct tpl_vars *v = tpl_vars_new();
	char object[TOKEN_FIELD_MAX + 1], path[TOKEN_MAX + 16];
	struct participant *p = NULL;
	struct meeting *m = NULL;
	enum registration reg = REG_OK;
	const char *answer = NULL;
	size_t nm = 0, np = 0, i;
	struct firm *f;
	int registered = 0, found, done = 0;

	if (!(f = linked_firm(vi, token, "rsvp", object, sizeof object)))
		goto out;
	if (!v || !(m = meeting_of(vi, object, &nm)))
		goto out;
	if (vi->req->method == WEB_POST) {
		answer = vi->body ? form_get(vi->body, "answer") : NULL;
		if (!csrf_ok(vi, f->id, "rsvp") || !answer) {
			fail(vi, 403, "Använd knapparna på sidan.",
			     "Use the buttons on the page.");
			goto out;
		}
		if (strcmp(answer, "register") == 0) {
			if (participation_register(vi->conn->store, m->id, f->id,
						   vi->now, "web", &reg) < 0)
				goto fail;
			done = 1;
		} else if (strcmp(answer, "cancel") == 0) {
			if (store_meeting_unregister(vi->conn->store, m->id, f->id,
						     vi->now, &found) < 0)
				goto fail;
			done = 2;
		}
	}
	if (store_meeting_participants(vi->conn->store, m->id, &p, &np) < 0)
		goto fail;
	for (i = 0; i < np; i++)
		if (p[i].firm_id == f->id)
			registered = p[i].registered;
	snprintf(path, sizeof path, "/rsvp/%s", token);
	if (set_meeting_page(v, vi, m) < 0 ||
	    (registered && tpl_set(v, "registered", "1") < 0) ||
	    ((m->cancelled || m->start <= vi->now ||
	      (m->has_registration_deadline &&
	       m->registration_deadline < vi->now)) &&
	     tpl_set(v, "closed", "1") < 0) ||
	    (done == 1 && tpl_set(v, "result", vi->en ? registration_text(reg) :
				  reg == REG_OK ? "Ni är anmälda." :
				  reg == REG_ALREADY ? "Ni var redan anmälda." :
				  reg == REG_FULL ? "Mötet är fullt." :
				  "Anmälan är stängd.") < 0) ||
	    (done == 2 && tpl_set(v, "result", vi->en ? "Registration cancelled." :
				  "Er anmälan är avbokad.") < 0) ||
	    set_csrf(v, vi, f->id, "rsvp") < 0 ||
	    set_url(v, "action", path, vi->en) < 0)
		goto fail;
	render(vi, PAGE_RSVP, v, done == 1 && reg != REG_OK &&
	       reg != REG_ALREADY ? 409 : 200);
	goto out;
fail:
	store_failed(vi);
out:
	participants_free(p, np);
	meetings_free(m, nm);
	firm_free(f);
	tpl_vars_free(v);
}

/* ---- routing ---- */

/* The path after prefix, if path starts with it; NULL otherwise. */
static const char *
after(const char *path, const char *prefix)
{
	size_t n = strlen(prefix);

	return strncmp(path, prefix, n) == 0 ? path + n : NULL;
}

static int
route(struct visit *vi)
{
	const char *path = vi->req->path, *rest;
	char token[TOKEN_MAX], *slash;
	int post = vi->req->method == WEB_POST;

	if (strcmp(path, "/") == 0 && !post)
		page_index(vi);
	else if (strcmp(path, "/rfi") == 0 && !post)
		page_rfis(vi);
	else if (strcmp(path, "/rfi.atom") == 0 && !post)
		atom_notices(vi, "rfi", "/rfi", vi->en ? "Market dialogues" :
			     "Marknadsdialoger");
	else if ((rest = after(path, "/rfi/")) && !post)
		page_rfi(vi, rest);
	else if (strcmp(path, "/meetings") == 0 && !post)
		page_meetings(vi);
	else if (strcmp(path, "/meetings.atom") == 0 && !post)
		atom_meetings(vi);
	else if ((rest = after(path, "/meetings/")) && !post) {
		snprintf(token, sizeof token, "%s", rest);
		if ((slash = strstr(token, ".ics")) && slash[4] == '\0') {
			*slash = '\0';
			meeting_ics(vi, token);
		} else {
			page_meeting(vi, token);
		}
	} else if (strcmp(path, "/notices") == 0 && !post)
		page_notices(vi);
	else if (strcmp(path, "/notices.atom") == 0 && !post)
		atom_notices(vi, NULL, "/notices", vi->en ? "Procurements" :
			     "Upphandlingar");
	else if (strcmp(path, "/subscribe") == 0)
		page_subscribe(vi);
	else if ((rest = after(path, "/confirm/")))
		page_confirm(vi, rest);
	else if ((rest = after(path, "/address/")))
		page_address(vi, rest);
	else if ((rest = after(path, "/unsubscribe/")))
		page_unsubscribe(vi, rest);
	else if ((rest = after(path, "/stop/")))
		page_stop(vi, rest);
	else if ((rest = after(path, "/rsvp/")))
		page_rsvp(vi, rest);
	else if ((rest = after(path, "/manage/"))) {
		snprintf(token, sizeof token, "%s", rest);
		slash = strchr(token, '/');
		if (slash)
			*slash++ = '\0';
		page_manage(vi, token, slash);
	} else
		return -1;
	return 0;
}

/* The pages the same for everyone: lists, feeds, RFIs and meetings. */
static int
is_public(const char *path)
{
	static const char *const pages[] = {
		"/", "/rfi", "/rfi.atom", "/meetings", "/meetings.atom",
		"/notices", "/notices.atom", NULL
	};
	size_t i;

	for (i = 0; pages[i]; i++)
		if (strcmp(path, pages[i]) == 0)
			return 1;
	return after(path, "/rfi/") || after(path, "/meetings/");
}

/* A strong validator of a page: a digest of what it says. */
static int
make_etag(const struct buf *body, char *out, size_t len)
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned mdlen = 0, i;

	if (EVP_Digest(body->data ? body->data : "", body->len, md, &mdlen,
		       EVP_sha256(), NULL) != 1 || len < 35)
		return -1;
	out[0] = '"';
	for (i = 0; i < 16; i++)
		snprintf(out + 1 + 2 * i, 3, "%02x", md[i]);
	out[33] = '"';
	out[34] = '\0';
	return 0;
}

static long long
monotonic_ms(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (long long)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

/* Keeps the page just made in slot p; a page that fails is not kept. */
static void
remember(struct visit *vi, struct cached_page *p, const char *key,
	 long long version, time_t minute)
{
	struct web_response *res = vi->res;
	char etag[sizeof p->etag];

	p->key[0] = '\0';
	if ((res->status != 200 && res->status != 404) ||
	    make_etag(&res->body, etag, sizeof etag) < 0)
		return;
	/* the same words as before are as old as before */
	if (strcmp(etag, p->etag) != 0)
		p->last_modified = vi->now;
	snprintf(p->etag, sizeof p->etag, "%s", etag);
	buf_reset(&p->body);
	if (buf_add(&p->body, res->body.data ? res->body.data : "",
		    res->body.len) < 0)
		return;
	snprintf(p->key, sizeof p->key, "%s", key);
	p->version = version;
	p->made_ms = monotonic_ms();
	p->minute = minute;
	p->status = res->status;
	p->content_type = res->content_type;
	snprintf(p->filename, sizeof p->filename, "%s", res->filename);
	p->cache = res->cache;
}

static void
answer_from(struct visit *vi, const struct cached_page *p)
{
	struct web_response *res = vi->res;

	buf_reset(&res->body);
	if (buf_add(&res->body, p->body.data ? p->body.data : "",
		    p->body.len) < 0) {
		store_failed(vi);
		return;
	}
	res->status = p->status;
	res->content_type = p->content_type;
	snprintf(res->filename, sizeof res->filename, "%s", p->filename);
	res->cache = p->cache;
	snprintf(res->etag, sizeof res->etag, "%s", p->etag);
	res->last_modified = p->last_modified;
}

/*
 * A public page: from this connection's pages while the database and the
 * minute are the same as when it was made, else made and kept.
 */
static void
serve_public(struct visit *vi)
{
	struct site_conn *c = vi->conn;
	struct cached_page *p = NULL;
	char key[CACHE_KEY_MAX];
	time_t minute = vi->now / 60;
	long long version;
	size_t i;
	int n;

	n = snprintf(key, sizeof key, "%s?%s", vi->req->path, vi->req->query);
	if (n < 0 || (size_t)n >= sizeof key ||
	    store_data_version(c->store, &version) < 0) {
		if (route(vi) < 0)
			not_found(vi);
		return;
	}
	for (i = 0; i < CACHE_SLOTS && !p; i++)
		if (strcmp(c->cache[i].key, key) == 0)
			p = &c->cache[i];
	if (p && p->version == version && p->minute == minute) {
		answer_from(vi, p);
		return;
	}
	if (!p) {
		p = &c->cache[c->next_slot];
		c->next_slot = (c->next_slot + 1) % CACHE_SLOTS;
		p->etag[0] = '\0';
	}
	if (route(vi) < 0)
		not_found(vi);
	remember(vi, p, key, version, minute);
	if (p->key[0]) {
		snprintf(vi->res->etag, sizeof vi->res->etag, "%s", p->etag);
		vi->res->last_modified = p->last_modified;
	}
}

/* This connection changed the database: its pages may be out of date. */
static void
forget_pages(struct site_conn *c)
{
	size_t i;

	for (i = 0; i < CACHE_SLOTS; i++)
		c->cache[i].key[0] = '\0';
}

/* Whether a conditional GET's validators say the client's copy is this. */
static int
not_modified(const struct web_request *req, const struct web_response *res)
{
	const char *m = req->if_none_match, *p;
	size_t len = strlen(res->etag);
	struct tm tm;

	if (res->status != 200 || !res->etag[0])
		return 0;
	if (m) {
		/* a list of tags, weak ones compared weakly (RFC 9110 13.1.2) */
		for (p = m; *p; p++) {
			if (*p == '*')
				return 1;
			if (strncmp(p, res->etag, len) == 0)
				return 1;
		}
		return 0;
	}
	memset(&tm, 0, sizeof tm);
	if (req->if_modified_since && res->last_modified &&
	    (p = strptime(req->if_modified_since, "%a, %d %b %Y %H:%M:%S GMT",
			  &tm)) && !*p)
		return timegm(&tm) >= res->last_modified;
	return 0;
}

void
site_handle(void *arg, const struct web_request *req, struct web_response *res)
{
	struct visit vi = { .site = arg, .req = req, .res = res };
	const char *lang;
	char why[128];

	vi.now = vi.site->o.now();
	if (req->method == WEB_OTHER) {
		res->allow = 1 << WEB_POST;
		fail(&vi, 405, "Metoden stöds inte.", "Method not allowed.");
		return;
	}
	if (form_parse(req->query, strlen(req->query), &vi.query, why,
		       sizeof why) < 0) {
		fail(&vi, 400, "Adressen är felaktig.", "The address is malformed.");
		return;
	}
	lang = form_get(vi.query, "lang");
	vi.en = lang && strcmp(lang, "en") == 0;
	if (req->method == WEB_POST &&
	    (!req->content_type ||
	     strncasecmp(req->content_type, "application/x-www-form-urlencoded",
			 33) != 0 ||
	     form_parse(req->body, req->body_len, &vi.body, why,
			sizeof why) < 0)) {
		fail(&vi, 400, "Formuläret kunde inte läsas.",
		     "The form could not be read.");
		goto out;
	}
	if (!(vi.conn = conn_take(vi.site))) {
		store_failed(&vi);
		goto out;
	}
	if (req->method != WEB_POST && is_public(req->path)) {
		serve_public(&vi);
	} else {
		if (route(&vi) < 0)
			not_found(&vi);
		if (req->method == WEB_POST)
			forget_pages(vi.conn);
	}
	conn_give(vi.site, vi.conn);
	if (not_modified(req, res)) {
		res->status = 304;
		buf_reset(&res->body);
	}
out:
	form_free(vi.query);
	form_free(vi.body);
}
