/* strptime() reads the date of a conditional GET */
#define _XOPEN_SOURCE 700

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#include "alert.h"
#include "form.h"
#include "ini.h"
#include "log.h"
#include "outbox.h"
#include "pages.h"
#include "store.h"
#include "template.h"
#include "token.h"

static const char *const page_names[NPAGES] = {
	"index", "rfis", "rfi", "meetings", "meeting", "notices", "subscribe",
	"subscribe_sent", "confirm", "confirmed", "manage", "unsubscribe",
	"unsubscribed", "stop", "stopped", "rsvp", "answer", "deleted", "error",
	"feedback", "survey",
	"staff_login", "staff_password", "staff_logout", "staff_home",
	"staff_accounts", "staff_audit", "staff_meetings", "staff_meeting_form",
	"staff_meeting", "staff_checkin", "staff_rfis", "staff_rfi_form",
	"staff_rfi", "staff_advice",
	"staff_report", "staff_firms", "staff_firm", "staff_notices",
	"staff_plan", "staff_plan_form", "staff_plan_entry"
};

/* A firm manages its subscription on the subscribe form, with more. */
static const char *
page_file(enum page p)
{
	return page_names[p == PAGE_MANAGE ? PAGE_SUBSCRIBE : p];
}

static const char *const langs[] = { "sv", "en" };

/*
 * Where a request's page is looked for, in turn, on each listener: the
 * public one never finds a staff page.
 */
static const struct route *const site_audiences[] = {
	public_routes, firm_routes, feedback_routes, NULL
};
const struct route *const staff_audiences[] = {
	staff_routes, unit_routes, report_routes, notice_routes, plan_routes,
	NULL
};

/* Every field a page may use; templates/web/README says what each holds. */
static const char *const known_fields[] = {
	"lang", "service", "page_title", "home_url", "rfis_url", "meetings_url",
	"notices_url", "subscribe_url", "other_lang_url", "action", "csrf",
	"errors", "message", "rfis", "title", "url", "deadline", "buyer",
	"meetings", "starts", "ends", "location", "video_url", "category_name",
	"cancelled", "categories", "name", "own", "atom_url", "description",
	"documents", "contact", "notice_url", "closed", "category_names",
	"answer_info", "archived", "notice_title", "capacity", "seats_left",
	"registration_deadline", "full", "ics_url", "selected", "notices",
	"kind_planning", "kind_rfi", "kind_competition", "kind_result",
	"published", "orgnr", "email", "cpv", "employees", "turnover", "key",
	"municipality", "keywords", "exclude",
	"checked", "regions", "code", "sweden_checked", "abroad_checked",
	"divided_checked", "not_divided_checked", "later_checked",
	"parts_value", "note_value",
	"kind_planning_checked",
	"kind_rfi_checked", "kind_competition_checked", "kind_result_checked",
	"freq_immediately_checked", "freq_daily_checked",
	"freq_weekly_checked", "lang_sv_checked", "lang_en_checked", "saved",
	"unsubscribed", "export_url", "delete_action", "firm_name",
	"manage_url", "registered", "result", "status", "manage",
	"new_email", "address", "next_url", "prev_url", "page", "field",
	"bounced_at", "bounce_reason", "done", "answers", "text", "text_max",
	"files_max", "file_max", "total_max", "types", "rfi_url",
	"register_action", "sent", "waiting",
	"lot_title", "relevant_checked", "not_relevant_checked", "comment",
	"comment_max", "meeting_title", "ratings", "value", "label",
	"changeable", "answered",
	/* the staff's pages */
	"user", "role", "staff_home_url", "accounts_url", "audit_url",
	"logout_url", "login_url", "upphandling", "naringsliv", "token",
	"registrations", "deadlines", "advice", "incidents", "when",
	"what", "object", "client", "since", "accounts", "entries",
	"has_password", "created", "report_url", "firms_url",
	"unit_meetings_url", "unit_rfis_url", "ahead", "past", "new_url",
	"preview", "reach", "changing", "notice", "category", "start", "end",
	"participants", "change_url", "cancel_url",
	"surveys", "rating", "survey_count", "survey_mean",
	"checkin_url", "invited", "answer_deadline", "attachments",
	"procedure", "reached", "duplicates", "answers_given", "text", "files",
	"withdrawn", "ted", "edit_url", "close_url", "withdraw_url",
	"candidates", "record_url", "decision", "decided_by", "decided_at",
	"reasons", "unit_advice_url", "moving", "confirm", "guest", "print_url",
	"is_unregistered", "is_pending", "is_registered", "is_waiting",
	"is_cancelled",
	"periods", "from", "to", "q", "municipality",
	"unit_notices_url", "kind", "value", "one",
	/* the procurement plan's pages */
	"unit_plan_url", "ref", "announce", "contract_start",
	"divisible_yes", "divisible_no", "linked", "proposals", "score",
	"import_url", "import_errors", "imported", "dry_run", "added",
	"updated", "unchanged", "bad", "postpone_url", "drop_url", "link_url",
	"unlink_url", "why", "line", "open", "file_name", "id",
	NULL
};

/* CSRF tokens outlive a page left open over lunch, not more. */
#define CSRF_LIFETIME (4 * 3600)

/*
 * The public pages are the same for everyone until the database or the
 * minute changes (what is open depends on the clock): each connection
 * keeps the last ones it made, so a busy list costs a copy, not a scan.
 */
#define CACHE_SLOTS 32
#define CACHE_KEY_MAX 512
#define CACHE_BODY_MAX (1024 * 1024)

struct cached_page {
	char key[CACHE_KEY_MAX];	/* "" for an empty slot */
	long long version;
	time_t minute;
	int status;
	const char *content_type;
	char filename[128];
	int cache;
	struct buf body;
	char etag[48];
	time_t last_modified;
};

/* The public pages a connection made; a new one takes slot next. */
struct page_cache {
	struct cached_page slot[CACHE_SLOTS];
	size_t next;
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
	for (i = 0; c->cache && i < CACHE_SLOTS; i++)
		buf_release(&c->cache->slot[i].body);
	free(c->cache);
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
	if (!(c = calloc(1, sizeof *c)) ||
	    !(c->cache = calloc(1, sizeof *c->cache))) {
		free(c);
		error("out of memory");
		return NULL;
	}
	for (i = 0; i < CACHE_SLOTS; i++)
		buf_init(&c->cache->slot[i].body, CACHE_BODY_MAX);
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
	s->audiences = o->staff ? staff_audiences : site_audiences;
	if (load_page(dir, NULL, "head", &s->head) < 0)
		rc = -1;
	for (l = 0; l < NLANGS; l++) {
		if (load_page(dir, langs[l], o->staff ? "staff_nav" : "nav",
			      &s->nav[l]) < 0 ||
		    load_page(dir, langs[l], o->staff ? "staff_foot" : "foot",
			      &s->foot[l]) < 0 ||
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
int
site_set_url(struct tpl_vars *v, const char *name, const char *path, int en)
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
	rc = site_set_url(v, "other_lang_url", buf_str(&url), !en);
out:
	buf_release(&url);
	return rc;
}

/* The page in the frame, with html (trusted markup, or NULL) after it. */
static void
render(struct visit *vi, enum page p, struct tpl_vars *v,
       const struct buf *html, int status)
{
	struct site *s = vi->site;
	const char *path = vi->req->path;
	struct buf *out = &vi->res->body;

	buf_reset(out);
	vi->res->status = status;
	if (tpl_set(v, "lang", langs[vi->en]) < 0 ||
	    tpl_set(v, "service", s->o.cfg->service_name) < 0 ||
	    tpl_set(v, "page_title", s->title[vi->en][p]) < 0 ||
	    site_set_url(v, "home_url", "/", vi->en) < 0 ||
	    site_set_url(v, "rfis_url", "/rfi", vi->en) < 0 ||
	    site_set_url(v, "meetings_url", "/meetings", vi->en) < 0 ||
	    site_set_url(v, "notices_url", "/notices", vi->en) < 0 ||
	    site_set_url(v, "subscribe_url", "/subscribe", vi->en) < 0 ||
	    set_other_lang_url(v, path, vi->en) < 0 ||
	    (s->o.staff && staff_set_frame(v, vi) < 0) ||
	    tpl_render(s->head, v, TPL_HTML, out) < 0 ||
	    tpl_render(s->nav[vi->en], v, TPL_HTML, out) < 0 ||
	    tpl_render(s->page[vi->en][p], v, TPL_HTML, out) < 0 ||
	    (html && buf_add(out, html->data ? html->data : "",
			     html->len) < 0) ||
	    tpl_render(s->foot[vi->en], v, TPL_HTML, out) < 0) {
		buf_reset(out);
		buf_adds(out, "Internal error\n");
		vi->res->status = 500;
		vi->res->content_type = "text/plain; charset=utf-8";
	}
}

void
site_render(struct visit *vi, enum page p, struct tpl_vars *v, int status)
{
	render(vi, p, v, NULL, status);
}

void
site_render_html(struct visit *vi, enum page p, struct tpl_vars *v,
		 const struct buf *html, int status)
{
	render(vi, p, v, html, status);
}

void
site_fail(struct visit *vi, int status, const char *sv, const char *en)
{
	struct tpl_vars *v = tpl_vars_new();

	if (!v || tpl_setf(v, "status", "%d", status) < 0 ||
	    tpl_set(v, "message", vi->en ? en : sv) < 0) {
		vi->res->status = 500;
		buf_adds(&vi->res->body, "Internal error\n");
	} else {
		site_render(vi, PAGE_ERROR, v, status);
	}
	tpl_vars_free(v);
}

void
site_not_found(struct visit *vi)
{
	site_fail(vi, 404, "Sidan finns inte.", "There is no such page.");
}

void
site_store_failed(struct visit *vi)
{
	site_fail(vi, 500, "Något gick fel hos oss. Försök igen om en stund.",
		  "Something went wrong on our side. Please try again later.");
}

const char *
site_lang(const struct visit *vi)
{
	return langs[vi->en];
}

int
site_set_time(struct tpl_vars *v, const char *name, time_t t,
	      const struct visit *vi)
{
	return alert_set_time(v, name, t, site_lang(vi));
}

/* A signed token for a form on this page, tied to firm and purpose. */
int
site_set_csrf(struct tpl_vars *v, const struct visit *vi, int64_t firm,
	      const char *form)
{
	char f[24], token[TOKEN_MAX];

	snprintf(f, sizeof f, "%lld", (long long)firm);
	if (token_make(vi->site->o.key, "csrf", f, form, vi->now + CSRF_LIFETIME,
		       token, sizeof token) < 0)
		return -1;
	return tpl_set(v, "csrf", token);
}

int
site_form_error(struct tpl_vars *v, const struct visit *vi, const char *field,
		const char *sv, const char *en, const char *why)
{
	struct tpl_vars *e = tpl_add(v, "errors");
	const char *what = vi->en ? en : sv;

	if (!e || tpl_set(e, "field", field) < 0)
		return -1;
	return why ? tpl_setf(e, "message", "%s: %s", what, why) :
		     tpl_set(e, "message", what);
}

int
site_csrf_ok(const struct visit *vi, int64_t firm, const char *form)
{
	const char *token = vi->body ? form_get(vi->body, "csrf") : NULL;
	char f[TOKEN_FIELD_MAX + 1], o[TOKEN_FIELD_MAX + 1];

	if (!token || token_check(vi->site->o.key, token, "csrf", vi->now,
				  f, sizeof f, o, sizeof o) != TOKEN_OK)
		return 0;
	return strtoll(f, NULL, 10) == firm && strcmp(o, form) == 0;
}

/* ---- routing ---- */

/* The route of the request's path and method; NULL if there is none. */
static const struct route *
find_route(const struct site *s, const struct web_request *req,
	   const char **rest)
{
	int post = req->method == WEB_POST;
	const struct route *const *a, *r;
	size_t n;

	for (a = s->audiences; *a; a++)
		for (r = *a; r->path; r++) {
			n = strlen(r->path);
			if ((r->flags & ROUTE_PREFIX ?
			     strncmp(req->path, r->path, n) != 0 :
			     strcmp(req->path, r->path) != 0) ||
			    (post && !(r->flags & ROUTE_POST)))
				continue;
			*rest = req->path + n;
			return r;
		}
	return NULL;
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
		site_store_failed(vi);
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
 * A page the same for everyone: from this connection's pages while the
 * database and the minute are the same as when it was made, else made
 * and kept.
 */
static void
serve_shared(struct visit *vi, const struct route *r, const char *rest)
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
		r->serve(vi, rest);
		return;
	}
	for (i = 0; i < CACHE_SLOTS && !p; i++)
		if (strcmp(c->cache->slot[i].key, key) == 0)
			p = &c->cache->slot[i];
	if (p && p->version == version && p->minute == minute) {
		answer_from(vi, p);
		return;
	}
	if (!p) {
		p = &c->cache->slot[c->cache->next];
		c->cache->next = (c->cache->next + 1) % CACHE_SLOTS;
		p->etag[0] = '\0';
	}
	r->serve(vi, rest);
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
		c->cache->slot[i].key[0] = '\0';
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
	const struct route *r;
	const char *lang, *rest;
	char why[128];

	vi.now = vi.site->o.now();
	if (req->method == WEB_OTHER) {
		res->allow = 1 << WEB_POST;
		site_fail(&vi, 405, "Metoden stöds inte.",
			  "Method not allowed.");
		return;
	}
	if (form_parse(req->query, strlen(req->query), &vi.query, why,
		       sizeof why) < 0) {
		site_fail(&vi, 400, "Adressen är felaktig.",
			  "The address is malformed.");
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
		site_fail(&vi, 400, "Formuläret kunde inte läsas.",
			  "The form could not be read.");
		goto out;
	}
	if (!(vi.conn = conn_take(vi.site))) {
		site_store_failed(&vi);
		goto out;
	}
	if (!(r = find_route(vi.site, req, &rest))) {
		site_not_found(&vi);
	} else if (!vi.site->o.staff || staff_admit(&vi, r) == 0) {
		if (req->method != WEB_POST && r->flags & ROUTE_SHARED)
			serve_shared(&vi, r, rest);
		else
			r->serve(&vi, rest);
	}
	if (req->method == WEB_POST)
		forget_pages(vi.conn);
	conn_give(vi.site, vi.conn);
	if (not_modified(req, res)) {
		res->status = 304;
		buf_reset(&res->body);
	}
out:
	staff_session_free(vi.staff);
	form_free(vi.query);
	form_free(vi.body);
}
