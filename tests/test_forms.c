/*
 * The subscribe and manage forms over real HTTP (libcurl) against
 * `tenderlots web` on the loopback, the pages read with libxml2's HTML
 * parser as a browser would: what a firm types comes back exactly as
 * typed when something in the form is wrong, with the error naming the
 * field, and nothing is stored until the whole form is right; amounts are
 * read as Swedes write them and stored as written; addresses that mail
 * cannot reach are refused, internationalised domains stored as A-labels
 * and shown as typed; the manage form sent back as shown changes nothing,
 * also from headless Chromium, whose own checks it passes.
 */
#define _XOPEN_SOURCE 700

#include <libxml/HTMLparser.h>
#include <libxml/xpath.h>
#include <stdarg.h>

#include "buf.h"
#include "firm.h"
#include "form.h"
#include "test.h"
#include "testutil.h"
#include "testdb.h"
#include "testweb.h"
#include "testsite.h"

#define NOW "2026-11-25T08:00:00Z"

static char dir[PATH_MAX];
static char project[PATH_MAX];
static char db[PATH_MAX + 16];
static struct web_server server = { .pid = -1 };

/*
 * A firm of the register with an internationalised domain and a size
 * that the sample procurements fit, so it gets alerts with its manage
 * link.
 */
static const char firms_csv[] =
	"orgnr,name,email,cpv,regions,language,employees,turnover\n"
	"556734-2182,Räksmörgåsen AB,info@räksmörgås.se,45442100,SE232,sv,3,"
	"100 milj\n";

static void
setup(void)
{
	CHECK(site_dir(dir, project, "test_forms", "subscribe_per_hour = 100\n",
		       firms_csv, NOW) == 0);
	snprintf(db, sizeof db, "%s/var/t.db", dir);
	CHECK(tl_run(dir, NOW, "run --once -c tenderlots.conf") == 0);
}

static long
get(const char *path, struct reply *r)
{
	char url[2048];

	snprintf(url, sizeof url, "%s%s", server.base, path);
	fetch(url, NULL, 0, NULL, r);
	return r->status;
}

static long
post(const char *path, const struct buf *body, struct reply *r)
{
	char url[2048];

	snprintf(url, sizeof url, "%s%s", server.base, path);
	fetch(url, buf_str(body), body->len, NULL, r);
	return r->status;
}

/* Appends name=value, each percent-encoded, to an urlencoded body. */
static void
add_field(struct buf *b, const char *name, const char *value)
{
	if (b->len)
		buf_addc(b, '&');
	form_escape(name, b);
	buf_addc(b, '=');
	form_escape(value, b);
}

/*
 * A subscribe form with the CSRF token of a fresh form page and the
 * choices every test makes, then the fields given (name, value, ...,
 * NULL).
 */
static void
subscribe_form(struct buf *b, ...)
{
	char csrf[512];
	struct reply r;
	const char *name, *value;
	va_list ap;

	CHECK(get("/subscribe", &r) == 200);
	csrf_of(&r, csrf, sizeof csrf);
	release(&r);
	buf_init(b, 0);
	add_field(b, "csrf", csrf);
	add_field(b, "category", "maleri");
	add_field(b, "region", "SE232");
	add_field(b, "kind", "competition");
	add_field(b, "frequency", "daily");
	add_field(b, "language", "sv");
	va_start(ap, b);
	while ((name = va_arg(ap, const char *))) {
		value = va_arg(ap, const char *);
		add_field(b, name, value);
	}
	va_end(ap);
}

/* An organisation number of its own for each test: 559000-NNNC. */
static void
new_orgnr(int n, char out[12])
{
	char typed[16];
	int d;

	for (d = 0; d < 10; d++) {
		snprintf(typed, sizeof typed, "559000%03d%d", n, d);
		if (orgnr_normalize(typed, out) == 0)
			return;
	}
}

static htmlDocPtr
parse(const struct reply *r)
{
	return htmlReadMemory(buf_str(&r->body), (int)r->body.len, NULL, "utf-8",
			      HTML_PARSE_NONET | HTML_PARSE_NOERROR |
			      HTML_PARSE_NOWARNING);
}

/* The string value of an XPath expression on a page, or "". */
static void
xpath_text(const struct reply *r, const char *expr, char *out, size_t len)
{
	htmlDocPtr doc = parse(r);
	xmlXPathContextPtr x = doc ? xmlXPathNewContext(doc) : NULL;
	xmlXPathObjectPtr o = x ? xmlXPathEvalExpression(BAD_CAST expr, x) : NULL;
	xmlChar *s = o ? xmlXPathCastToString(o) : NULL;

	snprintf(out, len, "%s", s ? (const char *)s : "");
	xmlFree(s);
	xmlXPathFreeObject(o);
	xmlXPathFreeContext(x);
	xmlFreeDoc(doc);
}

/* The input with id shows want (its value attribute, entities decoded). */
static void
check_shown(const struct reply *r, const char *id, const char *want)
{
	char expr[128], value[1024];

	snprintf(expr, sizeof expr, "string(//input[@id='%s']/@value)", id);
	xpath_text(r, expr, value, sizeof value);
	if (strcmp(value, want) != 0)
		fprintf(stderr, "  input %s:\n", id);
	CHECK_STR(value, want);
}

/*
 * The page's first form as a browser sends it: every input with a name,
 * checkboxes and radio buttons only when checked; then the fields given
 * (name, value, ..., NULL) in place of those of the same name.
 */
static void
form_as_shown(const struct reply *r, struct buf *b, ...)
{
	htmlDocPtr doc = parse(r);
	xmlXPathContextPtr x = doc ? xmlXPathNewContext(doc) : NULL;
	xmlXPathObjectPtr o = x ? xmlXPathEvalExpression(BAD_CAST
		"(//form)[1]//input[@name and (not(@type='checkbox' or "
		"@type='radio') or @checked)]", x) : NULL;
	const char *name, *value;
	xmlChar *n, *v;
	va_list ap;
	int i, changed;

	buf_init(b, 0);
	for (i = 0; o && o->nodesetval && i < o->nodesetval->nodeNr; i++) {
		n = xmlGetProp(o->nodesetval->nodeTab[i], BAD_CAST "name");
		v = xmlGetProp(o->nodesetval->nodeTab[i], BAD_CAST "value");
		va_start(ap, b);
		changed = 0;
		while (!changed && (name = va_arg(ap, const char *))) {
			value = va_arg(ap, const char *);
			changed = strcmp(name, (const char *)n) == 0;
		}
		va_end(ap);
		add_field(b, (const char *)n, changed ? value :
			  v ? (const char *)v : "");
		xmlFree(n);
		xmlFree(v);
	}
	xmlXPathFreeObject(o);
	xmlXPathFreeContext(x);
	xmlFreeDoc(doc);
}

/* The text of the error box's messages, one a line. */
static void
errors_of(const struct reply *r, char *out, size_t len)
{
	xpath_text(r, "string(//div[@role='alert'])", out, len);
}

static long long
firm_value(const char *orgnr, const char *column)
{
	char sql[256];

	snprintf(sql, sizeof sql, "SELECT %s FROM firm WHERE orgnr = '%s'",
		 column, orgnr);
	return db_query(db, sql);
}

static int
firm_has(const char *orgnr, const char *column, const char *value)
{
	char sql[512];

	snprintf(sql, sizeof sql, "SELECT count(*) FROM firm WHERE orgnr = '%s'"
		 " AND %s = '%s'", orgnr, column, value);
	return db_query(db, sql) == 1;
}

/* A turnover written as Swedes write it is stored as the amount it is. */
static void
test_turnover_in_words(void)
{
	char orgnr[12];
	struct buf b;
	struct reply r;

	new_orgnr(1, orgnr);
	subscribe_form(&b, "orgnr", orgnr, "name", "Nya Måleriet",
		       "email", "kontakt@nyamaleriet.example",
		       "employees", "4", "turnover", "1,8 miljoner",
		       "municipality", "1480", NULL);
	CHECK(post("/subscribe", &b, &r) == 200);
	release(&r);
	buf_release(&b);
	CHECK(firm_value(orgnr, "turnover") == 1800000);
	CHECK(firm_value(orgnr, "employees") == 4);
	CHECK(firm_has(orgnr, "municipality", "1480"));
}

/*
 * A mistake in one field: the page comes back with every field as typed
 * and an error naming the field; nothing is stored. Sent again as the
 * page shows it, with the mistake put right, it stores what was typed.
 */
static void
test_mistake_keeps_what_was_typed(void)
{
	char orgnr[12], typed[16], value[256], errors[2048];
	struct buf b;
	struct reply r;

	new_orgnr(2, orgnr);
	/* as a person types it: digits only */
	snprintf(typed, sizeof typed, "%.6s%.4s", orgnr, orgnr + 7);
	subscribe_form(&b, "orgnr", typed, "name", "Åkessons Bygg & <Co>",
		       "email", "kontakt@bygg-åkesson.se",
		       "cpv", "45442100, 45000000", "employees", "två",
		       "turnover", "1,8 miljoner", NULL);
	CHECK(post("/subscribe", &b, &r) == 400);
	buf_release(&b);
	check_shown(&r, "orgnr", typed);
	check_shown(&r, "name", "Åkessons Bygg & <Co>");
	check_shown(&r, "email", "kontakt@bygg-åkesson.se");
	check_shown(&r, "cpv", "45442100, 45000000");
	check_shown(&r, "employees", "två");
	check_shown(&r, "turnover", "1,8 miljoner");
	xpath_text(&r, "string(//input[@id='category-maleri']/@checked)", value,
		   sizeof value);
	CHECK_STR(value, "checked");
	errors_of(&r, errors, sizeof errors);
	CHECK(strstr(errors, "Antal anställda: skriv antalet med siffror"));
	/* the only error, and it leads to its field */
	xpath_text(&r, "string(count(//div[@role='alert']//a))", value,
		   sizeof value);
	CHECK_STR(value, "1");
	xpath_text(&r, "string(//div[@role='alert']//a/@href)", value,
		   sizeof value);
	CHECK_STR(value, "#employees");
	CHECK(firm_value(orgnr, "count(*)") == 0);

	form_as_shown(&r, &b, "employees", "2", NULL);
	release(&r);
	CHECK(post("/subscribe", &b, &r) == 200);
	release(&r);
	buf_release(&b);
	CHECK(firm_value(orgnr, "turnover") == 1800000);
	CHECK(firm_value(orgnr, "employees") == 2);
	CHECK(firm_has(orgnr, "email", "kontakt@xn--bygg-kesson-18a.se"));
	CHECK(firm_has(orgnr, "name", "Åkessons Bygg & <Co>"));
}

/*
 * A new firm whose field is typed as typed: refused, shown again as
 * typed with error among the page's errors, nothing stored.
 */
static void
refused(int n, const char *field, const char *typed, const char *error)
{
	char orgnr[12], errors[2048];
	int email = strcmp(field, "email") == 0;
	struct buf b;
	struct reply r;

	new_orgnr(n, orgnr);
	/* the typed address in place of a good one, the list ending there */
	subscribe_form(&b, "orgnr", orgnr, "name", "Firma AB", "email",
		       email ? typed : "info@firma.example",
		       email ? NULL : field, typed, NULL);
	CHECK(post("/subscribe", &b, &r) == 400);
	buf_release(&b);
	check_shown(&r, field, typed);
	errors_of(&r, errors, sizeof errors);
	CHECK(strstr(errors, error));
	release(&r);
	CHECK(firm_value(orgnr, "count(*)") == 0);
}

/* Kronor with a fraction, a number in words. */
static void
test_numbers_refused(void)
{
	refused(3, "turnover", "1,8", "Omsättning per år: skriv hela kronor");
	refused(4, "turnover", "1.800.000",
		"Omsättning per år: skriv tusental med mellanslag");
	refused(5, "employees", "två",
		"Antal anställda: skriv antalet med siffror");
	refused(6, "municipality", "Göteborg",
		"Kommunkoden stämmer inte (fyra siffror, till exempel 1480).");
}

/* No mail reaches localhost; an internationalised domain is stored in
 * its A-label form. */
static void
test_addresses(void)
{
	char orgnr[12];
	struct buf b;
	struct reply r;

	refused(6, "email", "a@localhost",
		"E-postadress: domänen efter @ går inte att nå");
	refused(7, "email", "a@firma", "E-postadress: delen efter @ ska vara "
		"ett domännamn med punkt");
	new_orgnr(8, orgnr);
	subscribe_form(&b, "orgnr", orgnr, "name", "Räksmörgåsar AB",
		       "email", "kontakt@räksmörgås.se", NULL);
	CHECK(post("/subscribe", &b, &r) == 200);
	release(&r);
	buf_release(&b);
	CHECK(firm_has(orgnr, "email", "kontakt@xn--rksmrgs-5wao1o.se"));
}

/* The manage link in the mails to an address (every alert has it). */
static void
manage_link(const char *email, char *link, size_t len)
{
	char files[PATH_MAX + 32], header[256], *mail, *p, *next;

	snprintf(files, sizeof files, "'%s'/var/mail/new/*", dir);
	snprintf(header, sizeof header, "header To: %s\n", email);
	mail = mailcheck(project, files, dir);
	link[0] = '\0';
	for (p = mail ? strstr(mail, header) : NULL; p && !link[0];
	     p = next ? strstr(next + 1, header) : NULL) {
		if ((next = strstr(p, "\nfile: ")))
			*next = '\0';
		link_in(p, "https://upphandling.exempelkommun.se/manage/", link,
			len);
	}
	free(mail);
	CHECK(link[0] != '\0');
}

/*
 * The manage page shows the register's firm as typed and readable; sent
 * back unchanged it stores the same; a mistake stores nothing and keeps
 * what was typed, and the page sent back put right stores it.
 */
static void
test_manage_round_trip(void)
{
	char link[1024];
	struct buf b;
	struct reply r;

	manage_link("info@xn--rksmrgs-5wao1o.se", link, sizeof link);
	CHECK(get(link, &r) == 200);
	check_shown(&r, "email", "info@räksmörgås.se");
	check_shown(&r, "turnover", "100 000 000");
	check_shown(&r, "employees", "3");
	form_as_shown(&r, &b, NULL);
	release(&r);
	CHECK(post(link, &b, &r) == 200);
	release(&r);
	buf_release(&b);
	CHECK(firm_value("556734-2182", "turnover") == 100000000);
	CHECK(firm_value("556734-2182", "employees") == 3);
	CHECK(firm_has("556734-2182", "email", "info@xn--rksmrgs-5wao1o.se"));
	CHECK(firm_has("556734-2182", "name", "Räksmörgåsen AB"));

	/* the case: "två" employees, the turnover in millions */
	CHECK(get(link, &r) == 200);
	form_as_shown(&r, &b, "employees", "två", "turnover", "2,4 milj", NULL);
	release(&r);
	CHECK(post(link, &b, &r) == 400);
	buf_release(&b);
	check_shown(&r, "employees", "två");
	check_shown(&r, "turnover", "2,4 milj");
	CHECK(firm_value("556734-2182", "turnover") == 100000000);
	CHECK(firm_value("556734-2182", "employees") == 3);
	/* put right on the page as it came back; saved, it shows what is */
	form_as_shown(&r, &b, "employees", "4", NULL);
	release(&r);
	CHECK(post(link, &b, &r) == 200);
	check_shown(&r, "turnover", "2 400 000");
	release(&r);
	buf_release(&b);
	CHECK(firm_value("556734-2182", "employees") == 4);
	CHECK(firm_value("556734-2182", "turnover") == 2400000);
}

/* A firm can choose all of Sweden, and work abroad too, and keep both. */
static void
test_all_of_sweden_and_abroad(void)
{
	char link[1024], got[16];
	struct buf b;
	struct reply r;

	manage_link("info@xn--rksmrgs-5wao1o.se", link, sizeof link);
	CHECK(get(link, &r) == 200);
	form_as_shown(&r, &b, NULL);
	release(&r);
	add_field(&b, "region", "SE");
	add_field(&b, "abroad", "1");
	CHECK(post(link, &b, &r) == 200);
	release(&r);
	buf_release(&b);
	CHECK(firm_has("556734-2182", "regions", "SE232 SE"));
	CHECK(firm_value("556734-2182", "abroad") == 1);
	/* shown as chosen, and sent back unchanged, still so */
	CHECK(get(link, &r) == 200);
	xpath_text(&r, "string(count(//input[@checked and (@id='region-SE' or "
		   "@id='abroad')]))", got, sizeof got);
	CHECK_STR(got, "2");
	form_as_shown(&r, &b, NULL);
	release(&r);
	CHECK(post(link, &b, &r) == 200);
	release(&r);
	buf_release(&b);
	CHECK(firm_has("556734-2182", "regions", "SE SE232"));
	CHECK(firm_value("556734-2182", "abroad") == 1);
}

/*
 * In Chromium, the manage page as served passes the form's own checks
 * (the address shown with its Unicode domain in an input of type email,
 * the turnover with its spaces) and, submitted unchanged, changes nothing.
 */
static void
test_browser_submits_unchanged(void)
{
	char link[1024], url[1280], *dom;
	struct reply r;

	manage_link("info@xn--rksmrgs-5wao1o.se", link, sizeof link);
	CHECK(get(link, &r) == 200);
	CHECK(strstr(buf_str(&r.body), "value=\"2 400 000\""));
	release(&r);
	snprintf(url, sizeof url, "%s%s", server.base, link);
	dom = browser_dom(project, dir, url, "document.forms[0].requestSubmit();");
	CHECK(dom && strstr(dom, "Era ändringar är sparade."));
	free(dom);
	CHECK(firm_value("556734-2182", "turnover") == 2400000);
	CHECK(firm_value("556734-2182", "employees") == 4);
	CHECK(firm_has("556734-2182", "email", "info@xn--rksmrgs-5wao1o.se"));
}

/*
 * Keywords that are not words come back as typed, the error naming the
 * field (in English on the English page); put right, they are stored
 * lowercase, each once, with the exclude words.
 */
static void
test_keywords_field(void)
{
	char orgnr[12], errors[2048];
	struct buf b;
	struct reply r;

	new_orgnr(20, orgnr);
	subscribe_form(&b, "orgnr", orgnr, "name", "Snö & Halka AB",
		       "email", "info@snohalka.example",
		       "keywords", "Snöröjning, e/handel", "exclude", "fasad",
		       NULL);
	CHECK(post("/subscribe", &b, &r) == 400);
	buf_release(&b);
	check_shown(&r, "keywords", "Snöröjning, e/handel");
	check_shown(&r, "exclude", "fasad");
	errors_of(&r, errors, sizeof errors);
	CHECK(strstr(errors, "Sökord: högst 30 ord"));
	CHECK(strstr(errors, "bindestreck: it-konsult"));
	CHECK(firm_value(orgnr, "count(*)") == 0);

	/* words joined by a hyphen are one keyword */
	form_as_shown(&r, &b, "keywords", "Snöröjning, E-handel halkbekämpning "
		      "snöröjning", NULL);
	release(&r);
	CHECK(post("/subscribe", &b, &r) == 200);
	release(&r);
	buf_release(&b);
	CHECK(firm_has(orgnr, "keywords", "snöröjning e-handel halkbekämpning"));
	CHECK(firm_has(orgnr, "exclude", "fasad"));

	new_orgnr(21, orgnr);
	subscribe_form(&b, "orgnr", orgnr, "name", "Snow Ltd",
		       "email", "info@snow.example", "language", "en",
		       "exclude", "a b c d e f g h i j k l m n o p q r s t u v "
		       "w x y z å ä ö aa bb", NULL);
	CHECK(post("/subscribe?lang=en", &b, &r) == 400);
	buf_release(&b);
	errors_of(&r, errors, sizeof errors);
	CHECK(strstr(errors, "Exclude words: at most 30 words"));
	release(&r);
	CHECK(firm_value(orgnr, "count(*)") == 0);
}

/*
 * In Chromium, a firm types keywords and an exclude word on its manage
 * page; they are stored, and the page shows them as stored.
 */
static void
test_browser_keywords(void)
{
	char link[1024], url[1280], *dom;
	struct reply r;

	manage_link("info@xn--rksmrgs-5wao1o.se", link, sizeof link);
	snprintf(url, sizeof url, "%s%s", server.base, link);
	dom = browser_dom(project, dir, url,
			  "document.getElementById('keywords').value ="
			  " 'Snöröjning IT-konsult';\n"
			  "document.getElementById('exclude').value = 'Fasad';\n"
			  "document.forms[0].requestSubmit();");
	CHECK(dom && strstr(dom, "Era ändringar är sparade."));
	free(dom);
	CHECK(firm_has("556734-2182", "keywords", "snöröjning it-konsult"));
	CHECK(firm_has("556734-2182", "exclude", "fasad"));
	CHECK(get(link, &r) == 200);
	check_shown(&r, "keywords", "snöröjning it-konsult");
	check_shown(&r, "exclude", "fasad");
	release(&r);
}

/* SIGTERM: the request in hand is finished and the exit status is 0. */
static void
test_stops_cleanly(void)
{
	CHECK(web_server_stop(&server) == 0);
}

int
main(void)
{
	int rc;

	if (!getcwd(project, sizeof project))
		return 2;
	setenv("TZ", "Europe/Stockholm", 1);
	curl_global_init(CURL_GLOBAL_DEFAULT);
	setup();
	if (web_server_start(&server, dir, "tenderlots.conf", NOW, NULL) < 0) {
		fprintf(stderr, "the web endpoint did not start\n");
		return 1;
	}
	RUN(test_turnover_in_words);
	RUN(test_mistake_keeps_what_was_typed);
	RUN(test_numbers_refused);
	RUN(test_addresses);
	RUN(test_manage_round_trip);
	RUN(test_all_of_sweden_and_abroad);
	RUN(test_browser_submits_unchanged);
	RUN(test_keywords_field);
	RUN(test_browser_keywords);
	RUN(test_stops_cleanly);
	rc = test_done("forms");
	curl_global_cleanup();
	xmlCleanupParser();
	rm_rf(dir);
	return rc;
}
