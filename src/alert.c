#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "alert.h"
#include "log.h"
#include "mail.h"
#include "cpv.h"
#include "money.h"

static const char *const months_sv[12] = {
	"januari", "februari", "mars", "april", "maj", "juni", "juli",
	"augusti", "september", "oktober", "november", "december"
};

static const char *const months_en[12] = {
	"January", "February", "March", "April", "May", "June", "July",
	"August", "September", "October", "November", "December"
};

static const char *const weekdays_sv[7] = {
	"söndag", "måndag", "tisdag", "onsdag", "torsdag", "fredag", "lördag"
};

static const char *const weekdays_en[7] = {
	"Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday",
	"Saturday"
};

const char *
alert_month(int month, const char *lang)
{
	month = ((month % 12) + 12) % 12;
	return lang && strcmp(lang, "en") == 0 ? months_en[month] :
	       months_sv[month];
}

static const char *const langs[] = { "sv", "en" };
#define NLANGS (sizeof langs / sizeof langs[0])

static const char *const kind_files[ALERT_NKINDS] = {
	[ALERT_EARLY] = "early",
	[ALERT_TENDER] = "tender",
	[ALERT_DIGEST] = "digest",
	[ALERT_CHANGE] = "change",
	[ALERT_REMINDER] = "reminder",
	[ALERT_MEETING] = "meeting",
	[ALERT_AWARD] = "award",
	[ALERT_CONFIRM] = "confirm",
	[ALERT_MANAGE] = "manage",
	[ALERT_ADDRESS] = "address",
	[ALERT_ATTEND] = "attend",
	[ALERT_SURVEY] = "survey",
	[ALERT_OPENED] = "opened",
};

enum part { PART_SUBJECT, PART_TEXT, PART_HTML, NPARTS };

static const char *const part_suffix[NPARTS] = { "subject", "txt", "html" };

/* What every mail of a language shares: its footers. */
enum frame { FRAME_FOOT_HTML, FRAME_FOOT_TEXT, NFRAMES };

static const char *const frame_files[NFRAMES] = { "foot.html", "foot.txt" };

/* Every field a template may use; templates/README says what each holds. */
static const char *const known_fields[] = {
	"subject", "lang", "service", "public_url", "firm_name", "orgnr",
	"unsubscribe_url", "manage_url",
	"notice_title", "lot_id", "lot_title", "lot_number", "buyer",
	"buyer_email", "buyer_phone", "deadline", "questions_deadline",
	"value", "currency", "duration", "framework", "not_framework", "sme",
	"not_sme", "lot_description", "documents_url", "winners",
	"award_value", "url", "reason", "category", "stop_url", "answer_url",
	"kind_planning", "kind_rfi", "kind_competition", "kind_result",
	"count", "one_lot", "lots", "daily", "weekly", "categories",
	"changes", "old", "new", "what_deadline", "what_questions_deadline",
	"what_documents", "what_value", "what_title", "what_lot_added",
	"what_lot_cancelled", "what_announced", "withdrawn",
	"deadline_day",
	"meeting_title", "starts", "ends", "location", "video_url",
	"description", "registration_deadline", "capacity", "rsvp_url",
	"meeting_url", "updated", "cancelled", "reminder", "what_starts",
	"what_ends", "what_location", "what_video_url", "what_capacity",
	"what_registration_deadline",
	"confirm_url", "pending", "new_email",
	"attend_url", "registered", "waiting", "moved_up", "moved_down",
	"guest",
	"link", "summary", "published", "source_site", "place",
	"link_unknown", "no_deadline", "withdrawn_notice",
	"guest", "relevant_url", "not_relevant_url", "survey_url",
	"plan", "plan_title", "plan_dropped", "announce", "contract_start",
	NULL
};

struct alert_templates {
	struct tpl *t[NLANGS][ALERT_NKINDS][NPARTS];
	struct tpl *frame[NLANGS][NFRAMES];
	struct tpl *head;	/* the HTML document's start, for every language */
};

static int
is_english(const char *lang)
{
	return lang && strcmp(lang, "en") == 0;
}

void
alert_templates_free(struct alert_templates *t)
{
	size_t l, k, p;

	if (!t)
		return;
	for (l = 0; l < NLANGS; l++) {
		for (k = 0; k < ALERT_NKINDS; k++)
			for (p = 0; p < NPARTS; p++)
				tpl_free(t->t[l][k][p]);
		for (p = 0; p < NFRAMES; p++)
			tpl_free(t->frame[l][p]);
	}
	tpl_free(t->head);
	free(t);
}

/* Loads dir/lang/name.suffix into *t and checks its fields. */
static int
load_one(const char *dir, const char *lang, const char *name,
	 const char *suffix, struct tpl **t)
{
	struct buf path;
	int rc = -1;

	buf_init(&path, 4096);
	if (buf_printf(&path, "%s/%s%s%s%s%s", dir, lang ? lang : "",
		       lang ? "/" : "", name, suffix ? "." : "",
		       suffix ? suffix : "") < 0)
		error("%s: path too long", dir);
	else if (tpl_load(buf_str(&path), t) == 0)
		rc = tpl_check(*t, known_fields);
	buf_release(&path);
	return rc;
}

int
alert_templates_load(const char *dir, struct alert_templates **out)
{
	struct alert_templates *t = calloc(1, sizeof *t);
	size_t l, k, p;
	int rc = 0;

	*out = NULL;
	if (!t)
		return error("out of memory");
	if (load_one(dir, NULL, "head", "html", &t->head) < 0)
		rc = -1;
	for (l = 0; l < NLANGS; l++) {
		for (k = 0; k < ALERT_NKINDS; k++)
			for (p = 0; p < NPARTS; p++)
				if (load_one(dir, langs[l], kind_files[k],
					     part_suffix[p], &t->t[l][k][p]) < 0)
					rc = -1;
		for (p = 0; p < NFRAMES; p++)
			if (load_one(dir, langs[l], frame_files[p], NULL,
				     &t->frame[l][p]) < 0)
				rc = -1;
	}
	if (rc < 0)
		alert_templates_free(t);
	else
		*out = t;
	return rc;
}

void
alert_mail_init(struct alert_mail *m)
{
	buf_init(&m->subject, 4096);
	buf_init(&m->text, 1024 * 1024);
	buf_init(&m->html, 2 * 1024 * 1024);
}

void
alert_mail_release(struct alert_mail *m)
{
	buf_release(&m->subject);
	buf_release(&m->text);
	buf_release(&m->html);
}

/*
 * A subject is one line: runs of white space become one space. A title
 * that already says what kind of notice it is, as buyers often write
 * "Marknadsdialog: ...", would say it twice after the template's own
 * "Marknadsdialog: ": the repeat goes.
 */
static void
one_line(struct buf *b)
{
	const char *colon;
	size_t head;

	size_t i, k = 0;
	int space = 1;

	for (i = 0; i < b->len; i++) {
		char c = b->data[i];

		if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
			if (!space)
				b->data[k++] = ' ';
			space = 1;
		} else {
			b->data[k++] = c;
			space = 0;
		}
	}
	if (k > 0 && b->data[k - 1] == ' ')
		k--;
	b->len = k;
	if (!b->data)
		return;
	b->data[k] = '\0';
	if ((colon = strstr(b->data, ": ")) &&
	    (head = (size_t)(colon - b->data) + 2) * 2 <= b->len &&
	    strncasecmp(b->data, b->data + head, head) == 0) {
		memmove(b->data, b->data + head, b->len - head + 1);
		b->len -= head;
	}
}

/* One template rendered onto the end of a part of the mail. */
struct render_step {
	const struct tpl *t;
	enum tpl_escape esc;
	struct buf *out;
	const char *lang, *file, *suffix;	/* its name, for why */
};

/*
 * Renders a step; when it does not render, why names the template and
 * the cause: the cap of its part of the mail, or memory, the only things
 * that fail a render of a checked template.
 */
static int
render_step(const struct render_step *st, const struct tpl_vars *v, char *why,
	    size_t whylen)
{
	errno = 0;
	if (tpl_render(st->t, v, st->esc, st->out) == 0)
		return 0;
	if (errno == ENOMEM)
		snprintf(why, whylen, "out of memory");
	else
		snprintf(why, whylen, "%s%s%s%s%s: the rendered text is longer "
			 "than %zu bytes", st->lang ? st->lang : "",
			 st->lang ? "/" : "", st->file, st->suffix ? "." : "",
			 st->suffix ? st->suffix : "", st->out->max);
	return -1;
}

int
alert_render(const struct alert_templates *t, enum alert_kind kind,
	     const char *lang, struct tpl_vars *v, struct alert_mail *out,
	     char *why, size_t whylen)
{
	int en = is_english(lang);
	const char *l = langs[en], *file = kind_files[kind];
	struct tpl *const *parts = t->t[en][kind];
	struct tpl *const *frame = t->frame[en];
	const struct render_step subject = {
		parts[PART_SUBJECT], TPL_TEXT, &out->subject, l, file, "subject"
	};
	const struct render_step body[] = {
		{ parts[PART_TEXT], TPL_TEXT, &out->text, l, file, "txt" },
		{ frame[FRAME_FOOT_TEXT], TPL_TEXT, &out->text, l,
		  frame_files[FRAME_FOOT_TEXT], NULL },
		{ t->head, TPL_HTML, &out->html, NULL, "head", "html" },
		{ parts[PART_HTML], TPL_HTML, &out->html, l, file, "html" },
		{ frame[FRAME_FOOT_HTML], TPL_HTML, &out->html, l,
		  frame_files[FRAME_FOOT_HTML], NULL },
	};
	size_t i;

	buf_reset(&out->subject);
	buf_reset(&out->text);
	buf_reset(&out->html);
	if (render_step(&subject, v, why, whylen) < 0)
		return -1;
	one_line(&out->subject);
	if (tpl_set(v, "subject", buf_str(&out->subject)) < 0 ||
	    tpl_set(v, "lang", l) < 0) {
		snprintf(why, whylen, "out of memory");
		return -1;
	}
	for (i = 0; i < sizeof body / sizeof body[0]; i++)
		if (render_step(&body[i], v, why, whylen) < 0)
			return -1;
	return 0;
}

/* public_url without the slashes it may end in: paths add their own. */
static int
base_len(const char *url)
{
	size_t n = strlen(url);

	while (n > 0 && url[n - 1] == '/')
		n--;
	return (int)n;
}

static const char *
lang_query(const struct alert_links *l)
{
	return l->en ? "?lang=en" : "";
}

/* A signed link with a path after the token ("" for none). */
static int
link_to(const struct alert_links *l, const char *purpose, int64_t firm_id,
	const char *object, const char *after, struct buf *out)
{
	char firm[24], token[TOKEN_MAX];

	snprintf(firm, sizeof firm, "%lld", (long long)firm_id);
	if (token_make(l->key, purpose, firm, object, l->expires, token,
		       sizeof token) < 0)
		return -1;
	buf_reset(out);
	return buf_printf(out, "%.*s/%s/%s%s%s", base_len(l->public_url),
			  l->public_url, purpose, token, after, lang_query(l));
}

int
alert_link(const struct alert_links *l, const char *purpose, int64_t firm_id,
	   const char *object, struct buf *out)
{
	return link_to(l, purpose, firm_id, object, "", out);
}

int
alert_page(const struct alert_links *l, const char *path, struct buf *out)
{
	buf_reset(out);
	return buf_printf(out, "%.*s%s%s", base_len(l->public_url),
			  l->public_url, path, lang_query(l));
}

/* A signed link as the field name. */
static int
set_link(struct tpl_vars *v, const char *name, const struct alert_links *l,
	 const char *purpose, int64_t firm_id, const char *object)
{
	struct buf url;
	int rc;

	buf_init(&url, 1024);
	rc = alert_link(l, purpose, firm_id, object, &url);
	if (rc == 0)
		rc = tpl_set(v, name, buf_str(&url));
	buf_release(&url);
	return rc;
}

/*
 * The two answers about a match, relevant_url and not_relevant_url: its
 * page (FEEDBACK_PURPOSE, the match as object) with the answer chosen.
 */
static int
set_answer_links(struct tpl_vars *v, const struct alert_links *l,
		 int64_t firm_id, int64_t match_id)
{
	char object[24];
	struct buf url;
	int rc;

	snprintf(object, sizeof object, "%lld", (long long)match_id);
	buf_init(&url, 1024);
	rc = link_to(l, FEEDBACK_PURPOSE, firm_id, object, "/relevant", &url);
	if (rc == 0)
		rc = tpl_set(v, "relevant_url", buf_str(&url));
	if (rc == 0)
		rc = link_to(l, FEEDBACK_PURPOSE, firm_id, object,
			     "/not-relevant", &url);
	if (rc == 0)
		rc = tpl_set(v, "not_relevant_url", buf_str(&url));
	buf_release(&url);
	return rc;
}

int
alert_set_firm(struct tpl_vars *v, const char *service,
	       const struct alert_links *l, const struct firm *f)
{
	struct buf home;
	int rc = -1;

	buf_init(&home, 1024);
	if (tpl_set(v, "service", service) < 0 ||
	    alert_page(l, "/", &home) < 0 ||
	    tpl_set(v, "public_url", buf_str(&home)) < 0 ||
	    tpl_set(v, "firm_name", f->name) < 0 ||
	    tpl_set(v, "orgnr", f->orgnr) < 0 ||
	    (f->id &&
	     (set_link(v, "unsubscribe_url", l, "unsubscribe", f->id, "") < 0 ||
	      set_link(v, "manage_url", l, "manage", f->id, "") < 0)) ||
	    (!f->id && tpl_set(v, "guest", "1") < 0))
		goto out;
	rc = 0;
out:
	buf_release(&home);
	return rc;
}

int
alert_format_time(time_t t, const char *lang, struct buf *out)
{
	char zone[16];
	struct tm tm;

	if (!localtime_r(&t, &tm) || strftime(zone, sizeof zone, "%Z", &tm) == 0)
		return -1;
	if (is_english(lang))
		return buf_printf(out, "%d %s %d, %02d:%02d (%s)", tm.tm_mday,
				  months_en[tm.tm_mon], tm.tm_year + 1900,
				  tm.tm_hour, tm.tm_min, zone);
	return buf_printf(out, "%d %s %d kl. %02d:%02d (%s)", tm.tm_mday,
			  months_sv[tm.tm_mon], tm.tm_year + 1900, tm.tm_hour,
			  tm.tm_min, zone);
}

int
alert_set_time(struct tpl_vars *v, const char *name, time_t t,
	       const char *lang)
{
	struct buf b;
	int rc;

	buf_init(&b, 256);
	rc = alert_format_time(t, lang, &b);
	if (rc == 0)
		rc = tpl_set(v, name, buf_str(&b));
	buf_release(&b);
	return rc;
}

int
alert_set_day(struct tpl_vars *v, const char *name, time_t t,
	      const char *lang)
{
	struct tm tm;

	if (!localtime_r(&t, &tm))
		return -1;
	if (is_english(lang))
		return tpl_setf(v, name, "%s %d %s %d", weekdays_en[tm.tm_wday],
				tm.tm_mday, months_en[tm.tm_mon],
				tm.tm_year + 1900);
	return tpl_setf(v, name, "%s %d %s %d", weekdays_sv[tm.tm_wday],
			tm.tm_mday, months_sv[tm.tm_mon], tm.tm_year + 1900);
}

/* Links in mails lead to web pages only, whatever a notice says. */
static int
is_web_url(const char *url)
{
	return url && (strncasecmp(url, "https://", 8) == 0 ||
		       strncasecmp(url, "http://", 7) == 0);
}

/*
 * TED shows a notice in every EU language, the one in its link: the
 * firm's, where notices link the English page.
 */
#define TED_PAGES "https://ted.europa.eu/"

static int
set_notice_url(struct tpl_vars *v, const char *url, int en)
{
	size_t n = strlen(TED_PAGES);

	if (!is_web_url(url))
		return 0;
	if (strncmp(url, TED_PAGES, n) == 0 && url[n] && url[n + 1] &&
	    strncmp(url + n + 2, "/notice/", 8) == 0)
		return tpl_setf(v, "url", "%s%s%s", TED_PAGES, en ? "en" : "sv",
				url + n + 2);
	return tpl_set(v, "url", url);
}

/* An amount in kronor first, as money_say says it; none for 0. */
static int
set_money(struct tpl_vars *v, const char *name, int has, double value,
	  const char *currency, const struct money_rates *rates, int en)
{
	struct buf amount;
	int rc;

	/* Notices give 0 where they mean "not stated". */
	if (!has || value <= 0)
		return 0;
	buf_init(&amount, 64);
	rc = money_say(rates, value, currency, en, 0, &amount);
	if (rc == 0)
		rc = tpl_set(v, name, buf_str(&amount));
	buf_release(&amount);
	return rc;
}

/* A description can run to pages: a mail gives its first lines. */
#define DESCRIPTION_MAX 400

static int
set_trimmed(struct tpl_vars *v, const char *name, const char *text)
{
	size_t cut = DESCRIPTION_MAX;

	if (!text || strlen(text) <= DESCRIPTION_MAX)
		return tpl_set(v, name, text);
	while (cut > DESCRIPTION_MAX / 2 && text[cut] != ' ')
		cut--;
	/* no space in the second half: cut between two characters */
	if (text[cut] != ' ')
		for (cut = DESCRIPTION_MAX; (text[cut] & 0xc0) == 0x80; cut--)
			;
	while (cut > 0 && strchr(" ,;:.-", text[cut - 1]))
		cut--;
	return tpl_setf(v, name, "%.*s …", (int)cut, text);
}

/* An ISO 8601 duration of one unit as people say it: "48 månader". */
static int
set_duration(struct tpl_vars *v, const char *iso, int en)
{
	static const struct {
		char unit;
		const char *words[2][2];	/* [en][plural] */
	} units[] = {
		{ 'Y', { { "år", "år" }, { "year", "years" } } },
		{ 'M', { { "månad", "månader" }, { "month", "months" } } },
		{ 'W', { { "vecka", "veckor" }, { "week", "weeks" } } },
		{ 'D', { { "dag", "dagar" }, { "day", "days" } } },
	};
	char *end;
	long n;
	size_t i;

	if (!iso || iso[0] != 'P' || iso[1] < '0' || iso[1] > '9')
		return 0;
	n = strtol(iso + 1, &end, 10);
	for (i = 0; i < sizeof units / sizeof units[0]; i++)
		if (end[0] == units[i].unit && end[1] == '\0')
			return tpl_setf(v, "duration", "%ld %s", n,
					units[i].words[en][n != 1]);
	return 0;
}

/* A yes/no the notice may leave out: the flag for yes, or for no. */
static int
set_yes_no(struct tpl_vars *v, int value, const char *yes, const char *no)
{
	if (value == LOT_SME_UNKNOWN)
		return 0;
	return tpl_set(v, value ? yes : no, "1");
}

/* The buyer's address, when the notice gives one a mail can go to. */
static int
set_buyer_contact(struct tpl_vars *v, const struct match_item *it)
{
	char addr[256];

	if (it->buyer_email &&
	    mail_address(it->buyer_email, addr, sizeof addr) == 0 &&
	    tpl_set(v, "buyer_email", addr) < 0)
		return -1;
	return tpl_set(v, "buyer_phone", it->buyer_phone);
}

/* The host of a link, where a notice was published: "www.e-avrop.com". */
static int
set_site(struct tpl_vars *v, const char *url)
{
	const char *host = strstr(url, "://");
	size_t n;

	if (!host)
		return 0;
	host += 3;
	n = strcspn(host, "/?#:");
	return n ? tpl_setf(v, "source_site", "%.*s", (int)n, host) : 0;
}

/* A day YYYY-MM-DD as people write it: "25 november 2026". */
static int
set_date(struct tpl_vars *v, const char *name, const char *day, int en)
{
	int y, m, d;

	if (!day || sscanf(day, "%4d-%2d-%2d", &y, &m, &d) != 3 || m < 1 ||
	    m > 12)
		return 0;
	return en ? tpl_setf(v, name, "%d %s %d", d, months_en[m - 1], y) :
		    tpl_setf(v, name, "%d %s %d", d, months_sv[m - 1], y);
}

/* The places of space-separated NUTS codes by their names. */
static int
set_places(struct tpl_vars *v, const char *codes, const char *lang)
{
	char **w = NULL;
	const char *label;
	struct buf b;
	size_t n = 0, i;
	int rc = -1;

	buf_init(&b, 4096);
	if (strvec_split(codes, &w, &n) < 0)
		goto out;
	for (i = 0; i < n; i++) {
		label = nuts_label(w[i], lang);
		if (buf_printf(&b, "%s%s", i ? ", " : "", label ? label : w[i]) < 0)
			goto out;
	}
	rc = n ? tpl_set(v, "place", buf_str(&b)) : 0;
out:
	strvec_free(w, n);
	buf_release(&b);
	return rc;
}

/*
 * A notice known by its link alone (a feed's entry, the unit's own):
 * what is known of it, and in link_unknown, in words, what is not.
 */
static int
set_link_facts(struct tpl_vars *v, const struct match_item *it,
	       const char *lang)
{
	static const char *const words[2][4] = {
		{ "CPV-kod", "uppskattat värde", "sista anbudsdag", "plats" },
		{ "CPV code", "estimated value", "deadline", "place" },
	};
	int en = is_english(lang);
	int unknown[4] = {
		!it->lot_cpv || !*it->lot_cpv, !it->has_value,
		!it->has_deadline, !it->lot_nuts || !*it->lot_nuts,
	};
	size_t i, n = 0, shown = 0;
	struct buf b;
	int rc;

	for (i = 0; i < 4; i++)
		n += (size_t)unknown[i];
	buf_init(&b, 256);
	for (i = 0; i < 4; i++) {
		if (!unknown[i])
			continue;
		shown++;
		buf_printf(&b, "%s%s", shown == 1 ? "" : shown == n ?
			   (en ? " and " : " och ") : ", ", words[en][i]);
	}
	rc = tpl_set(v, "link", "1") < 0 ||
	     set_trimmed(v, "summary", it->notice_description) < 0 ||
	     set_date(v, "published", it->published, en) < 0 ||
	     (it->url && set_site(v, it->url) < 0) ||
	     set_places(v, it->lot_nuts, lang) < 0 ||
	     (n && tpl_set(v, "link_unknown", buf_str(&b)) < 0) ||
	     (!it->has_deadline && tpl_set(v, "no_deadline", "1") < 0) ? -1 : 0;
	buf_release(&b);
	return rc;
}

int
alert_set_head(struct tpl_vars *v, const struct match_item *it,
	       const char *lang, const struct alert_links *l, int64_t firm_id)
{
	char flag[32];

	snprintf(flag, sizeof flag, "kind_%s", it->kind);
	if (tpl_set(v, "notice_title", it->notice_title) < 0 ||
	    tpl_set(v, "buyer", it->buyer) < 0 ||
	    set_buyer_contact(v, it) < 0 ||
	    set_notice_url(v, it->url, l->en) < 0 ||
	    tpl_set(v, flag, "1") < 0 ||
	    (it->has_deadline &&
	     alert_set_time(v, "deadline", it->deadline, lang) < 0) ||
	    set_link(v, "stop_url", l, "stop", firm_id, it->notice_id) < 0 ||
	    (it->own_rfi && set_link(v, "answer_url", l, "answer", firm_id,
				     it->notice_id) < 0) ||
	    (it->subtype && strcmp(it->subtype, "link") == 0 &&
	     set_link_facts(v, it, lang) < 0))
		return -1;
	return 0;
}

int
alert_set_lot_name(struct tpl_vars *v, const struct match_item *it)
{
	const char *t = it->lot_title;

	if (t && (strcmp(t, it->notice_title) == 0 || strcmp(t, it->lot_id) == 0))
		t = NULL;
	if (tpl_set(v, "lot_title", t) < 0 ||
	    (it->nlots > 1 &&
	     tpl_setf(v, "lot_number", "%zu", it->lot_number) < 0))
		return -1;
	return 0;
}

int
alert_set_lot(struct tpl_vars *v, const struct match_item *it,
	      const char *lang, const char *category_name,
	      const struct alert_links *l, const struct money_rates *rates,
	      int64_t firm_id)
{
	int en = is_english(lang);

	if (alert_set_head(v, it, lang, l, firm_id) < 0 ||
	    tpl_set(v, "lot_id", it->lot_id) < 0 ||
	    alert_set_lot_name(v, it) < 0 ||
	    tpl_set(v, "reason", it->reason) < 0 ||
	    tpl_set(v, "category", category_name) < 0 ||
	    (it->has_questions_deadline &&
	     alert_set_time(v, "questions_deadline", it->questions_deadline,
			    lang) < 0) ||
	    set_money(v, "value", it->has_value, it->value, it->currency,
		      rates, en) < 0 ||
	    (it->has_value && it->value > 0 &&
	     tpl_set(v, "currency", it->currency ? it->currency : "SEK") < 0) ||
	    set_duration(v, it->duration, en) < 0 ||
	    set_yes_no(v, it->framework, "framework", "not_framework") < 0 ||
	    set_yes_no(v, it->sme_suitable, "sme", "not_sme") < 0 ||
	    set_trimmed(v, "lot_description", it->description) < 0 ||
	    (is_web_url(it->documents_url) &&
	     tpl_set(v, "documents_url", it->documents_url) < 0) ||
	    tpl_set(v, "winners", it->winners) < 0 ||
	    set_money(v, "award_value", it->has_award_value, it->award_value,
		      it->award_currency, rates, en) < 0 ||
	    (it->match_id && firm_id &&
	     set_answer_links(v, l, firm_id, it->match_id) < 0))
		return -1;
	return 0;
}

int
alert_set_notice(struct tpl_vars *v, const struct stored_notice *n,
		 const struct alert_links *l, int64_t firm_id)
{
	if (tpl_set(v, "notice_title", n->title) < 0 ||
	    tpl_set(v, "buyer", n->buyer) < 0 ||
	    set_notice_url(v, n->url, l->en) < 0 ||
	    set_link(v, "stop_url", l, "stop", firm_id, n->notice_id) < 0)
		return -1;
	return 0;
}
