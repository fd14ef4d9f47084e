/*
 * The firm register's fragments, rendered through the mail templates'
 * engine from templates kept here: it escapes every value, so nothing a
 * firm typed reaches the page as markup.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "log.h"
#include "register.h"
#include "template.h"

/* Each fragment's words are set as the fields w_*, from words[] below. */
static const char search_tpl[] =
	"<table class=\"firms\">\n"
	"<caption>{{w_firms}}{{#more}}, {{w_more}}{{/more}}</caption>\n"
	"<thead><tr><th scope=\"col\">{{w_orgnr}}</th>"
	"<th scope=\"col\">{{w_name}}</th>"
	"<th scope=\"col\">{{w_municipality}}</th>"
	"<th scope=\"col\">{{w_categories}}</th>"
	"<th scope=\"col\">{{w_email}}</th><th scope=\"col\">{{w_status}}</th>"
	"</tr></thead>\n<tbody>\n"
	"{{#firms}}<tr><td>{{#link}}<a href=\"{{link}}\">{{orgnr}}</a>{{/link}}"
	"{{^link}}{{orgnr}}{{/link}}</td><th scope=\"row\">{{name}}</th>"
	"<td>{{municipality}}</td><td>{{categories}}</td><td>{{email}}</td>"
	"<td>{{status}}</td></tr>\n{{/firms}}"
	"</tbody>\n</table>\n"
	"{{^firms}}<p class=\"empty\">{{w_no_firms}}</p>\n{{/firms}}";

static const char history_tpl[] =
	"<section class=\"firm-history\">\n"
	"<h2>{{name}}, {{orgnr}}</h2>\n"
	"<table>\n<caption>{{w_history}}</caption>\n"
	"<thead><tr><th scope=\"col\">{{w_date}}</th>"
	"<th scope=\"col\">{{w_what}}</th><th scope=\"col\">{{w_object}}</th>"
	"</tr></thead>\n<tbody>\n"
	"{{#events}}<tr><td>{{date}}</td><td>{{what}}</td><td>{{title}}"
	"{{#notice_id}} ({{notice_id}}){{/notice_id}}</td></tr>\n{{/events}}"
	"</tbody>\n</table>\n"
	"{{^events}}<p class=\"empty\">{{w_no_events}}</p>\n{{/events}}"
	"</section>\n";

static const struct {
	const char *field, *sv, *en;
} words[] = {
	{ "w_firms", "Företag", "Firms" },
	{ "w_more", "fler på nästa sida", "more on the next page" },
	{ "w_orgnr", "Org.nr", "Org. no." },
	{ "w_name", "Namn", "Name" },
	{ "w_municipality", "Kommun", "Municipality" },
	{ "w_categories", "Kategorier", "Categories" },
	{ "w_email", "E-post", "Email" },
	{ "w_status", "Status", "Status" },
	{ "w_no_firms", "Inga företag motsvarar sökningen.",
	  "No firm matches the search." },
	{ "w_history", "Företagets deltagande", "The firm's participation" },
	{ "w_date", "Datum", "Date" },
	{ "w_what", "Vad", "What" },
	{ "w_object", "Upphandling eller möte", "Procurement or meeting" },
	{ "w_no_events", "Inget registrerat ännu.", "Nothing recorded yet." },
};

static const struct {
	const char *what, *sv, *en;
} events[] = {
	{ "alerted", "Fick mejl", "Mailed" },
	{ "registered", "Anmälde sig till möte", "Registered for a meeting" },
	{ "attended", "Deltog i möte", "Attended a meeting" },
	{ "answered", "Svarade på RFI", "Answered an RFI" },
	{ "bid", "Lämnade anbud", "Bid" },
	{ "won", "Vann kontrakt", "Won a contract" },
};

static int
is_en(const char *lang)
{
	return lang && strcmp(lang, "en") == 0;
}

const char *
register_event_name(const char *what, const char *lang)
{
	size_t i;

	for (i = 0; i < sizeof events / sizeof *events; i++)
		if (strcmp(what, events[i].what) == 0)
			return is_en(lang) ? events[i].en : events[i].sv;
	return what;
}

static const char *
status_of(const struct firm_entry *e, const char *lang)
{
	if (!e->confirmed)
		return is_en(lang) ? "Awaiting confirmation" :
				     "Väntar på bekräftelse";
	if (e->unsubscribed)
		return is_en(lang) ? "Unsubscribed" : "Avslutad";
	return is_en(lang) ? "Subscribes" : "Prenumererar";
}

/* A firm's category keys as their names, comma-separated. */
static int
set_categories(struct tpl_vars *v, const struct category_set *cs,
	       const char *keys, const char *lang)
{
	const struct category *c;
	struct buf names;
	char key[64];
	const char *p = keys ? keys : "";
	size_t len;
	int rc;

	buf_init(&names, 4096);
	while (*p) {
		len = strcspn(p, " ");
		if (len > 0 && len < sizeof key) {
			memcpy(key, p, len);
			key[len] = '\0';
			c = category_find(cs, key);
			if ((names.len && buf_adds(&names, ", ") < 0) ||
			    buf_adds(&names, c ? category_name(c, lang) : key) < 0)
				break;
		}
		p += len;
		p += strspn(p, " ");
	}
	rc = *p ? error("out of memory") :
	     tpl_set(v, "categories", buf_str(&names));
	buf_release(&names);
	return rc;
}

/* Renders the template text with v and the words of lang into out. */
static int
render(const char *name, const char *text, struct tpl_vars *v,
       const char *lang, struct buf *out)
{
	struct tpl *t = NULL;
	size_t i;
	int rc;

	for (i = 0; i < sizeof words / sizeof *words; i++)
		if (tpl_set(v, words[i].field, is_en(lang) ? words[i].en :
			    words[i].sv) < 0)
			return -1;
	if (tpl_parse(name, text, strlen(text), &t) < 0)
		return -1;
	rc = tpl_render(t, v, TPL_HTML, out);
	tpl_free(t);
	return rc;
}

int
register_search_html(struct store *s, const struct category_set *cs,
		     const struct firm_search *q, const char *lang,
		     const char *history_base, struct buf *out, int *more)
{
	struct firm_entry *e = NULL;
	struct tpl_vars *v = NULL, *row;
	size_t n = 0, i;
	int rc = -1;

	if (store_search_firms(s, q, &e, &n, more) < 0)
		return -1;
	if (!(v = tpl_vars_new()) ||
	    tpl_set(v, "more", *more ? "1" : NULL) < 0)
		goto out;
	for (i = 0; i < n; i++)
		if (!(row = tpl_add(v, "firms")) ||
		    tpl_set(row, "orgnr", e[i].orgnr) < 0 ||
		    tpl_set(row, "name", e[i].name) < 0 ||
		    tpl_set(row, "municipality", e[i].municipality) < 0 ||
		    tpl_set(row, "email", e[i].email) < 0 ||
		    tpl_set(row, "status", status_of(&e[i], lang)) < 0 ||
		    set_categories(row, cs, e[i].categories, lang) < 0 ||
		    (history_base && tpl_setf(row, "link", "%s%s",
					      history_base, e[i].orgnr) < 0))
			goto out;
	rc = render("register search", search_tpl, v, lang, out);
out:
	tpl_vars_free(v);
	firm_entries_free(e, n);
	return rc;
}

static int
set_date(struct tpl_vars *v, time_t t)
{
	char day[16];
	struct tm tm;

	localtime_r(&t, &tm);
	strftime(day, sizeof day, "%Y-%m-%d", &tm);
	return tpl_set(v, "date", day);
}

int
register_history_html(struct store *s, const char *orgnr, const char *lang,
		      struct buf *out, int *found)
{
	struct firm_entry *f = NULL;
	struct firm_event *e = NULL;
	struct tpl_vars *v = NULL, *row;
	size_t n = 0, i;
	int rc = -1;

	*found = 0;
	if (store_firm_entry(s, orgnr, &f) < 0)
		return -1;
	if (!f)
		return 0;
	*found = 1;
	if (store_firm_history(s, f->id, FIRM_HISTORY_MAX, &e, &n) < 0 ||
	    !(v = tpl_vars_new()) || tpl_set(v, "name", f->name) < 0 ||
	    tpl_set(v, "orgnr", f->orgnr) < 0)
		goto out;
	for (i = 0; i < n; i++)
		if (!(row = tpl_add(v, "events")) || set_date(row, e[i].at) < 0 ||
		    tpl_set(row, "what", register_event_name(e[i].what,
							     lang)) < 0 ||
		    tpl_set(row, "title", e[i].title) < 0 ||
		    tpl_set(row, "notice_id", e[i].notice_id) < 0)
			goto out;
	rc = render("register history", history_tpl, v, lang, out);
out:
	tpl_vars_free(v);
	firm_events_free(e, n);
	firm_entry_free(f);
	return rc;
}
