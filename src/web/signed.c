#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "address.h"
#include "alert.h"
#include "amount.h"
#include "codes.h"
#include "cpv.h"
#include "filetype.h"
#include "firm.h"
#include "json.h"
#include "meetings.h"
#include "outbox.h"
#include "pages.h"
#include "participation.h"
#include "rfi.h"
#include "store.h"
#include "template.h"
#include "token.h"

/*
 * What a firm does: subscribe (double opt-in) on the form, and through
 * the signed links in its mails confirm, manage, export and delete its
 * data, confirm a new address, unsubscribe (RFC 8058 one-click too),
 * stop mails about one procurement and register for a meeting; any
 * supplier registers for a meeting on its page, a guest confirming and
 * cancelling through the links of its mails.
 */

/* Valid subscriptions are limited per client address, over an hour. */
#define CLIENT_WINDOW 3600
/* Mails the forms send are limited per recipient, over a day. */
#define RECIPIENT_WINDOW (24L * 3600)
/* A confirmation link, and an unconfirmed subscription, last a week. */
#define CONFIRM_LIFETIME (7L * 24 * 3600)

static const char *const firm_fields[] = {
	"orgnr", "name", "email", "category", "cpv", "region", "employees",
	"turnover", "kind", "frequency", "language", "csrf", "abroad",
	"municipality", "keywords", "exclude", NULL
};

/* What the form shows as the firm typed it when it comes back. */
static const char *const typed_fields[] = {
	"name", "email", "cpv", "employees", "turnover", "municipality",
	"keywords", "exclude", NULL
};

/*
 * The keywords or exclude words of the form into *words; 0, or 1 with an
 * error on the page naming the field; -1 when memory runs out.
 */
static int
words_field(const struct visit *vi, struct tpl_vars *v, const char *field,
	    const char *sv, const char *en, char ***words, size_t *n)
{
	char err[200];

	if (firm_words_parse(form_get(vi->body, field), words, n, err,
			     sizeof err) == 0)
		return 0;
	if (strcmp(err, "out of memory") == 0)
		return -1;
	return site_form_error(v, vi, field, sv, en, vi->en ?
			       "at most 30 words separated by spaces, each of "
			       "letters and digits and at most 60 bytes; join "
			       "the words of a compound or phrase with a "
			       "hyphen: it-konsult." :
			       "högst 30 ord åtskilda med mellanslag, vart och "
			       "ett av bokstäver och siffror och högst 60 "
			       "byte; ord som hör ihop binds med "
			       "bindestreck: it-konsult.") < 0 ? -1 : 1;
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
	return site_form_error(v, vi, field, sv, en,
			 amount_why_text(why, kind, site_lang(vi))) < 0 ? -1 : 1;
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
			e |= site_form_error(v, vi, "orgnr", "Organisationsnumret "
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
		e |= site_form_error(v, vi, "name", "Ange företagets namn.",
			       "Give the firm's name.", NULL) < 0 ? -1 : 1;
	else if (!(f->name = strdup(name)))
		return -1;
	s = form_get(b, "email");
	if (address_read(s ? s : "", addr, &awhy) < 0)
		e |= site_form_error(v, vi, "email", "E-postadress", "Email address",
			       address_why_text(awhy, site_lang(vi))) < 0 ?
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
			e |= site_form_error(v, vi, "category-hint", "Okänd kategori.",
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
			e |= site_form_error(v, vi, "cpv", "CPV-koder", "CPV codes",
				       why) < 0 ? -1 : 1;
		} else if (strvec_push(&f->cpv, &f->ncpv, cpv) < 0) {
			return -1;
		}
	}
	e |= words_field(vi, v, "keywords", "Sökord", "Keywords", &f->keywords,
			 &f->nkeywords);
	e |= words_field(vi, v, "exclude", "Uteslut ord", "Exclude words",
			 &f->exclude, &f->nexclude);
	if (f->ncategories == 0 && f->ncpv == 0 && f->nkeywords == 0)
		e |= site_form_error(v, vi, "category-hint", "Välj minst en bransch "
			       "eller ange en CPV-kod eller ett sökord.",
			       "Choose an industry or give a CPV code or a "
			       "keyword.", NULL) < 0 ? -1 : 1;
	for (i = 0; i < form_count(b, "region"); i++) {
		s = form_get_nth(b, "region", i);
		if (!is_region(s))
			e |= site_form_error(v, vi, "region-hint", "Okänt län.",
				       "Unknown county.", NULL) < 0 ? -1 : 1;
		else if (strvec_push(&f->regions, &f->nregions, s) < 0)
			return -1;
	}
	f->abroad = form_get(b, "abroad") != NULL;
	free(f->municipality);
	f->municipality = NULL;
	if ((s = form_get(b, "municipality")) && *s &&
	    !municipality_valid(s))
		e |= site_form_error(v, vi, "municipality", "Kommunkoden stämmer "
			       "inte (fyra siffror, till exempel 1480).",
			       "The municipality code is not valid (four "
			       "digits, for example 1480).", NULL) < 0 ? -1 : 1;
	else if (s && *s && !(f->municipality = strdup(s)))
		return -1;
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
			e |= site_form_error(v, vi, "kind-planning", "Okänd typ av "
				       "annons.", "Unknown kind of notice.",
				       NULL) < 0 ? -1 : 1;
		f->kinds |= k;
	}
	if (f->kinds == 0)
		e |= site_form_error(v, vi, "kind-planning", "Välj minst en typ av "
			       "annons.", "Choose at least one kind of notice.",
			       NULL) < 0 ? -1 : 1;
	if (!(s = form_get(b, "frequency")) ||
	    firm_frequency_parse(s, &f->frequency) < 0)
		e |= site_form_error(v, vi, "frequency-immediately", "Välj hur ofta ni "
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

/* A list of words as one field, space-separated. */
static int
set_words(struct tpl_vars *v, const char *field, char *const *words, size_t n)
{
	struct buf b;
	size_t i;
	int rc = 0;

	buf_init(&b, 4096);
	for (i = 0; i < n && rc == 0; i++)
		rc = buf_printf(&b, "%s%s", i ? " " : "", words[i]);
	if (rc == 0)
		rc = tpl_set(v, field, buf_str(&b));
	buf_release(&b);
	return rc;
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
		if (set_words(v, "keywords", f->keywords, f->nkeywords) < 0 ||
		    set_words(v, "exclude", f->exclude, f->nexclude) < 0)
			goto out;
		if (tpl_set(v, "orgnr", f->orgnr) < 0 ||
		    tpl_set(v, "name", f->name) < 0 ||
		    (f->email && (address_display(f->email, email,
						  sizeof email) < 0 ||
				  tpl_set(v, "email", email) < 0)) ||
		    tpl_set(v, "cpv", buf_str(&cpv)) < 0 ||
		    tpl_set(v, "municipality", f->municipality) < 0 ||
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
							site_lang(vi))) < 0)
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
 * A public form's POST: its CSRF token for form, and no field but
 * fields. 1 when it may be read; 0 when answered.
 */
static int
form_posted(struct visit *vi, const char *form, const char *const *fields)
{
	char why[128];

	if (!site_csrf_ok(vi, 0, form)) {
		site_fail(vi, 403, "Formuläret är för gammalt. Ladda om sidan och "
			  "försök igen.", "The form has expired. Reload the page and "
			  "try again.");
		return 0;
	}
	if (form_only(vi->body, fields, why, sizeof why) < 0) {
		site_fail(vi, 400, "Formuläret innehåller okända fält.",
			  "The form has unknown fields.");
		return 0;
	}
	return 1;
}

/*
 * A client's try at a public form that mails, within [web]
 * subscribe_per_hour: 1 when it may go on; 0 when answered.
 */
static int
client_may_try(struct visit *vi)
{
	char key[96];
	int allowed;

	client_key(vi->req->client, key, sizeof key);
	if ((allowed = attempt_allowed(vi, key, CLIENT_WINDOW,
				       vi->site->o.cfg->web_subscribe_per_hour)) < 0)
		site_store_failed(vi);
	else if (!allowed)
		site_fail(vi, 429, "För många försök. Försök igen om en timme.",
			  "Too many attempts. Try again in an hour.");
	return allowed > 0;
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
	if (set_firm_form(v, vi, f) < 0 ||
	    site_set_csrf(v, vi, 0, "subscribe") < 0 ||
	    site_set_url(v, "action", "/subscribe", vi->en) < 0)
		site_store_failed(vi);
	else
		site_render(vi, PAGE_SUBSCRIBE, v, status);
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
page_subscribe(struct visit *vi, const char *rest)
{
	struct tpl_vars *v = tpl_vars_new();
	struct firm *f = firm_new();
	char shown[ADDRESS_MAX + 1];
	struct timespec start;
	int errors = 0;

	if (!v || !f) {
		site_store_failed(vi);
		goto out;
	}
	if (vi->req->method != WEB_POST) {
		f->kinds = FIRM_KIND_PLANNED | FIRM_KIND_RFI | FIRM_KIND_TENDER;
		f->frequency = FREQ_IMMEDIATELY;
		subscribe_form(vi, f, v, 200);
		goto out;
	}
	if (!form_posted(vi, "subscribe", firm_fields))
		goto out;
	if (firm_from_form(vi, f, v, &errors) < 0) {
		site_store_failed(vi);
		goto out;
	}
	/* a mistake costs no try: the firm corrects it and sends again */
	if (errors) {
		subscribe_form(vi, f, v, 400);
		goto out;
	}
	if (!client_may_try(vi))
		goto out;
	clock_gettime(CLOCK_MONOTONIC, &start);
	if (queue_subscribe_mail(vi, f) < 0) {
		site_store_failed(vi);
		goto out;
	}
	answer_no_sooner(&start);
	/* the same page whoever subscribes: it tells no one who does */
	if (address_display(f->email, shown, sizeof shown) < 0 ||
	    tpl_set(v, "email", shown) < 0)
		site_store_failed(vi);
	else
		site_render(vi, PAGE_SUBSCRIBE_SENT, v, 200);
out:
	firm_free(f);
	tpl_vars_free(v);
}

/*
 * The firm a signed link acts for: the token in the path after prefix,
 * for purpose. 0 if it is forged, altered or expired.
 */
int64_t
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

void
bad_link(struct visit *vi)
{
	site_fail(vi, 403, "Länken gäller inte: den är ändrad eller för gammal. "
		  "Använd länken i ert senaste mejl.",
		  "The link is not valid: it was altered or has expired. Use the "
		  "link in your latest mail.");
}

/* A page for a firm behind a signed link: NULL (answered) if none. */
struct firm *
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
		site_store_failed(vi);
		return NULL;
	}
	if (!f)
		site_fail(vi, 410, "Prenumerationen finns inte längre.",
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
		if (site_set_csrf(v, vi, f->id, form) < 0 ||
		    site_set_url(v, "action", path, vi->en) < 0)
			site_store_failed(vi);
		else
			site_render(vi, ask, v, 200);
		return 0;
	}
	if (!site_csrf_ok(vi, f->id, form)) {
		site_fail(vi, 403, "Använd knappen på sidan: formuläret kan vara för "
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
		site_store_failed(vi);
		goto out;
	}
	if (!ask_first(vi, v, f, "confirm", token, PAGE_CONFIRM))
		goto out;
	if (store_confirm_firm(vi->conn->store, f->id, vi->now, &found) < 0 ||
	    set_manage_url(v, vi, f->id) < 0)
		site_store_failed(vi);
	else
		site_render(vi, PAGE_CONFIRMED, v, 200);
out:
	firm_free(f);
	tpl_vars_free(v);
}

/* ", \"name\": [\"word\", ...]" */
static int
json_words(struct buf *b, const char *name, char *const *words, size_t n)
{
	size_t i;
	int rc = buf_printf(b, ", \"%s\": [", name);

	for (i = 0; i < n; i++) {
		rc |= buf_adds(b, i ? ", " : "");
		rc |= json_add_string(b, words[i]);
	}
	return rc | buf_addc(b, ']');
}

static void
export_json(struct visit *vi, const struct firm *f)
{
	struct firm_record *r = NULL;
	struct buf *b = &vi->res->body;
	size_t n = 0, i;
	int rc = 0;

	if (store_firm_records(vi->conn->store, f->id, &r, &n) < 0) {
		site_store_failed(vi);
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
	rc |= buf_adds(b, ", \"municipality\": ");
	rc |= f->municipality ? json_add_string(b, f->municipality) :
	      buf_adds(b, "null");
	rc |= json_words(b, "categories", f->categories, f->ncategories);
	rc |= json_words(b, "cpv", f->cpv, f->ncpv);
	rc |= json_words(b, "regions", f->regions, f->nregions);
	rc |= json_words(b, "keywords", f->keywords, f->nkeywords);
	rc |= json_words(b, "exclude", f->exclude, f->nexclude);
	rc |= buf_printf(b, ", \"abroad\": %s", f->abroad ? "true" : "false");
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
		site_store_failed(vi);
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
		site_store_failed(vi);
		goto out;
	}
	if (action && strcmp(action, "export.json") == 0 &&
	    vi->req->method != WEB_POST) {
		export_json(vi, f);
		goto out;
	}
	if (action && strcmp(action, "delete") == 0) {
		if (vi->req->method != WEB_POST ||
		    !site_csrf_ok(vi, f->id, "manage")) {
			site_fail(vi, 403, "Radera med knappen på sidan.",
				  "Delete with the button on the page.");
		} else if (store_delete_firm(vi->conn->store, f->id, vi->now,
					     &found) < 0) {
			site_store_failed(vi);
		} else {
			site_render(vi, PAGE_DELETED, v, 200);
		}
		goto out;
	}
	if (action) {
		site_not_found(vi);
		goto out;
	}
	if (vi->req->method == WEB_POST) {
		if (!site_csrf_ok(vi, f->id, "manage")) {
			site_fail(vi, 403, "Formuläret är för gammalt. Ladda om sidan.",
				  "The form has expired. Reload the page.");
			goto out;
		}
		if (!(stored_email = strdup(f->email)))
			goto fail;
		if (form_only(vi->body, firm_fields, why, sizeof why) < 0 ||
		    firm_from_form(vi, f, v, &errors) < 0) {
			site_fail(vi, 400, "Formuläret innehåller okända fält.",
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
			site_store_failed(vi);
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
	     (site_set_time(v, "bounced_at", f->bounced_at, vi) < 0 ||
	      tpl_set(v, "bounce_reason", f->bounce_reason) < 0)) ||
	    set_firm_form(v, vi, f) < 0 ||
	    site_set_csrf(v, vi, f->id, "manage") < 0 ||
	    site_set_url(v, "action", path, vi->en) < 0)
		goto fail;
	snprintf(path, sizeof path, "/manage/%s/export.json", token);
	if (site_set_url(v, "export_url", path, 0) < 0)
		goto fail;
	snprintf(path, sizeof path, "/manage/%s/delete", token);
	if (site_set_url(v, "delete_action", path, vi->en) < 0)
		goto fail;
	site_render(vi, PAGE_MANAGE, v, errors ? 400 : 200);
	goto out;
fail:
	site_store_failed(vi);
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
		site_store_failed(vi);
		goto out;
	}
	if (*end || !ask_first(vi, v, f, "address", token, PAGE_CONFIRM))
		goto out;
	if (store_confirm_email(vi->conn->store, f->id, (time_t)requested_at,
				vi->now, &found) < 0 ||
	    set_manage_url(v, vi, f->id) < 0)
		site_store_failed(vi);
	else if (!found)
		site_fail(vi, 410, "Länken gäller inte längre: en senare ändring av "
			  "adressen har gjorts, eller den är redan bekräftad.",
			  "The link is no longer valid: the address was changed "
			  "again since, or it is already confirmed.");
	else
		site_render(vi, PAGE_CONFIRMED, v, 200);
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
		site_store_failed(vi);
		goto out;
	}
	if (!(one_click && strcmp(one_click, "One-Click") == 0 &&
	      vi->req->method == WEB_POST) &&
	    !ask_first(vi, v, f, "unsubscribe", token, PAGE_UNSUBSCRIBE))
		goto out;
	if (store_unsubscribe_firm(vi->conn->store, f->id, vi->now, &found) < 0 ||
	    set_manage_url(v, vi, f->id) < 0)
		site_store_failed(vi);
	else
		site_render(vi, PAGE_UNSUBSCRIBED, v, 200);
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
		site_store_failed(vi);
		goto out;
	}
	if (!ask_first(vi, v, f, "stop", token, PAGE_STOP))
		goto out;
	if (store_stop_notice(vi->conn->store, f->id, notice_id, vi->now) < 0)
		site_store_failed(vi);
	else
		site_render(vi, PAGE_STOPPED, v, 200);
out:
	stored_notice_free(notice);
	firm_free(f);
	tpl_vars_free(v);
}

/* What a registration came to, in the visitor's language. */
static const char *
registration_said(const struct visit *vi, enum registration reg)
{
	if (vi->en)
		return registration_text(reg);
	switch (reg) {
	case REG_OK:
		return "Ni är anmälda.";
	case REG_ALREADY:
		return "Ni var redan anmälda.";
	case REG_WAITING:
		return "Mötet är fullt: ni står på reservlistan.";
	case REG_PENDING:
		return "Kolla er e-post.";
	case REG_CANCELLED:
		return "Mötet är inställt.";
	case REG_OVER:
		return "Mötet har redan börjat.";
	case REG_CLOSED:
		return "Anmälan är stängd.";
	case REG_NO_MEETING:
		break;
	}
	return "Mötet finns inte.";
}

/* A firm of the register (/rsvp) comes, in a transaction of its own. */
static int
register_firm(struct visit *vi, int64_t meeting_id, int64_t firm_id,
	      enum registration *reg)
{
	struct store *s = vi->conn->store;

	if (store_begin(s) < 0)
		return -1;
	if (participation_register(s, meeting_id, firm_id, vi->now, "web",
				   reg) < 0 || store_commit(s) < 0) {
		store_rollback(s);
		return -1;
	}
	return 0;
}

/*
 * The page of one registration for meeting m, a firm's (/rsvp: firm_id)
 * or a guest's (/attend: reg_id): where it stands, and its buttons to
 * come (a guest's confirms it) and to cancel.
 */
static void
registration_page(struct visit *vi, const char *token, const char *form,
		  const struct meeting *m, int64_t firm_id, int64_t reg_id)
{
	struct tpl_vars *v = tpl_vars_new();
	char path[TOKEN_MAX + 16];
	struct attendee *r = NULL;
	enum registration reg = REG_OK;
	const char *answer = NULL;
	int64_t who = firm_id ? firm_id : reg_id;
	size_t n = 0, i, missing;
	int state = RS_NONE, found, done = 0;

	if (!v)
		goto fail;
	if (vi->req->method == WEB_POST) {
		answer = vi->body ? form_get(vi->body, "answer") : NULL;
		if (!site_csrf_ok(vi, who, form) || !answer) {
			site_fail(vi, 403, "Använd knapparna på sidan.",
				  "Use the buttons on the page.");
			goto out;
		}
		if (strcmp(answer, "register") == 0) {
			if ((firm_id ? register_firm(vi, m->id, firm_id, &reg) :
			     meetings_confirm(vi->conn->store, vi->conn->outbox,
					      reg_id, vi->now, &reg)) < 0)
				goto fail;
			done = 1;
		} else if (strcmp(answer, "cancel") == 0) {
			if ((firm_id ?
			     meetings_cancel_firms(vi->conn->store,
						   vi->conn->outbox, m->id,
						   &firm_id, 1, vi->now,
						   &missing) :
			     meetings_cancel(vi->conn->store, vi->conn->outbox,
					     reg_id, vi->now, &found)) < 0)
				goto fail;
			done = 2;
		}
		mail_queued(vi);
	}
	if (store_attendees(vi->conn->store, m->id, &r, &n) < 0)
		goto fail;
	for (i = 0; i < n; i++)
		if (firm_id ? r[i].firm_id == firm_id : r[i].id == reg_id)
			state = r[i].state;
	snprintf(path, sizeof path, "/%s/%s", form, token);
	if (public_set_meeting_page(v, vi, m) < 0 ||
	    ((state == RS_REGISTERED || state == RS_WAITING) &&
	     tpl_set(v, "registered", "1") < 0) ||
	    (state == RS_WAITING && tpl_set(v, "waiting", "1") < 0) ||
	    (meetings_closed(m, vi->now) != REG_OK &&
	     tpl_set(v, "closed", "1") < 0) ||
	    (done == 1 && tpl_set(v, "result", registration_said(vi, reg)) < 0) ||
	    (done == 2 && tpl_set(v, "result", vi->en ? "Registration cancelled." :
				  "Er anmälan är avbokad.") < 0) ||
	    site_set_csrf(v, vi, who, form) < 0 ||
	    site_set_url(v, "action", path, vi->en) < 0)
		goto fail;
	site_render(vi, PAGE_RSVP, v, done == 1 && reg != REG_OK &&
		    reg != REG_ALREADY && reg != REG_WAITING ? 409 : 200);
	goto out;
fail:
	site_store_failed(vi);
out:
	attendees_free(r, n);
	tpl_vars_free(v);
}

static void
page_rsvp(struct visit *vi, const char *token)
{
	char object[TOKEN_FIELD_MAX + 1];
	struct meeting *m = NULL;
	struct firm *f;
	size_t nm = 0;

	if (!(f = linked_firm(vi, token, "rsvp", object, sizeof object)))
		return;
	if ((m = public_meeting_of(vi, object, &nm)))
		registration_page(vi, token, "rsvp", m, f->id, 0);
	meetings_free(m, nm);
	firm_free(f);
}

/* A guest's link: its registration by id, of the meeting the link names. */
static void
page_attend(struct visit *vi, const char *token)
{
	char object[TOKEN_FIELD_MAX + 1];
	struct attendee *r = NULL;
	struct meeting *m = NULL;
	int64_t id = link_firm(vi, token, "attend", object, sizeof object);
	size_t nm = 0;

	if (!id) {
		bad_link(vi);
		return;
	}
	if (!(m = public_meeting_of(vi, object, &nm)))
		return;
	if (store_attendee(vi->conn->store, id, &r) < 0)
		site_store_failed(vi);
	else if (!r || r->meeting_id != m->id || r->firm_id)
		site_fail(vi, 410, "Anmälan finns inte längre.",
			  "The registration no longer exists.");
	else
		registration_page(vi, token, "attend", m, 0, id);
	attendees_free(r, r ? 1 : 0);
	meetings_free(m, nm);
}

static const char *const register_fields[] = {
	"orgnr", "name", "email", "csrf", NULL
};

/* The cap on mails to one address, for meetings_request(). */
static int
register_rcpt(void *arg, const char *email)
{
	return recipient_allowed(arg, email);
}

/*
 * The register form on a meeting's page, as the firm typed it: each
 * mistake an error on the page. -1 only when memory runs out.
 */
static int
register_from_form(const struct visit *vi, struct tpl_vars *v,
		   char orgnr[12], char addr[ADDRESS_MAX + 1], int *errors)
{
	const char *typed_orgnr = form_get(vi->body, "orgnr");
	const char *name = form_get(vi->body, "name");
	const char *email = form_get(vi->body, "email");
	enum address_why awhy;
	int e = 0;

	if (tpl_set(v, "orgnr", typed_orgnr) < 0 || tpl_set(v, "name", name) < 0 ||
	    tpl_set(v, "email", email) < 0)
		return -1;
	if (!typed_orgnr || orgnr_normalize(typed_orgnr, orgnr) < 0)
		e |= site_form_error(v, vi, "orgnr", "Organisationsnumret stämmer inte "
			       "(tio siffror, NNNNNN-NNNN).", "The organisation "
			       "number is not valid (ten digits, NNNNNN-NNNN).",
			       NULL) < 0 ? -1 : 1;
	if (!name || !*name || strlen(name) > 200 || strpbrk(name, "\r\n"))
		e |= site_form_error(v, vi, "name", "Ange företagets namn.",
			       "Give the firm's name.", NULL) < 0 ? -1 : 1;
	if (address_read(email ? email : "", addr, &awhy) < 0)
		e |= site_form_error(v, vi, "email", "E-postadress", "Email address",
			       address_why_text(awhy, site_lang(vi))) < 0 ?
		     -1 : 1;
	*errors = e > 0;
	return e < 0 ? -1 : 0;
}

/* The meeting's page with its register form, for status. */
static void
register_form(struct visit *vi, const struct meeting *m, struct tpl_vars *v,
	      int status)
{
	if (public_set_meeting_form(v, vi, m) < 0)
		site_store_failed(vi);
	else
		site_render(vi, PAGE_MEETING, v, status);
}

/*
 * POST /register/ID: any supplier asks to come to meeting ID. Limited per
 * client as the subscribe form is, and per recipient; the page says the
 * same whoever asks.
 */
static void
page_register(struct visit *vi, const char *number)
{
	struct tpl_vars *v = tpl_vars_new();
	char orgnr[12], addr[ADDRESS_MAX + 1];
	struct meeting *m = NULL;
	enum registration reg;
	struct timespec start;
	size_t nm = 0;
	int errors = 0;

	if (!v || !(m = public_meeting_of(vi, number, &nm)))
		goto out;
	if (vi->req->method != WEB_POST) {
		register_form(vi, m, v, 200);
		goto out;
	}
	if (!form_posted(vi, "register", register_fields))
		goto out;
	if (register_from_form(vi, v, orgnr, addr, &errors) < 0) {
		site_store_failed(vi);
		goto out;
	}
	if (errors) {
		register_form(vi, m, v, 400);
		goto out;
	}
	if (!client_may_try(vi))
		goto out;
	clock_gettime(CLOCK_MONOTONIC, &start);
	if (meetings_request(vi->conn->store, vi->conn->outbox, m->id, orgnr,
			     form_get(vi->body, "name"), addr, site_lang(vi),
			     vi->now, register_rcpt, vi, &reg) < 0) {
		site_store_failed(vi);
		goto out;
	}
	mail_queued(vi);
	/* a firm of the register and a guest take different ways */
	answer_no_sooner(&start);
	if (reg != REG_PENDING) {
		site_fail(vi, 409, registration_said(vi, reg),
			  registration_said(vi, reg));
		goto out;
	}
	if (tpl_set(v, "sent", "1") < 0)
		site_store_failed(vi);
	else
		register_form(vi, m, v, 200);
out:
	meetings_free(m, nm);
	tpl_vars_free(v);
}

/* What the answer page shows of the RFI and the firm's answers so far. */
static int
set_answer_page(struct tpl_vars *v, struct visit *vi, const struct firm *f,
		const struct rfi_entry *e, const char *token)
{
	struct rfi_answer *a = NULL;
	struct rfi_answer_file *files = NULL;
	char path[TOKEN_MAX + 32], rfi[TOKEN_FIELD_MAX + 16];
	size_t na = 0, nf = 0, i, mine = 0;
	int rc = -1;

	if (rfi_answers(vi->conn->store, e->notice_id, &a, &na, &files,
			&nf) < 0)
		return -1;
	for (i = 0; i < na; i++)
		mine += a[i].firm_id == f->id;
	snprintf(path, sizeof path, "%s%s", RFI_ANSWER_PATH, token);
	snprintf(rfi, sizeof rfi, "/rfi/%s", e->notice_id);
	if (tpl_set(v, "title", e->title) < 0 ||
	    (e->has_deadline &&
	     site_set_time(v, "deadline", e->deadline, vi) < 0) ||
	    (mine && tpl_setf(v, "answers", "%zu", mine) < 0) ||
	    ((e->closed_at || e->withdrawn_at ||
	      (e->has_deadline && e->deadline <= vi->now)) &&
	     tpl_set(v, "closed", "1") < 0) ||
	    tpl_setf(v, "text_max", "%d", RFI_ANSWER_TEXT_MAX) < 0 ||
	    tpl_setf(v, "files_max", "%d", RFI_ANSWER_FILES_MAX) < 0 ||
	    tpl_setf(v, "file_max", "%u", RFI_ANSWER_FILE_MAX >> 20) < 0 ||
	    tpl_setf(v, "total_max", "%u", RFI_ANSWER_TOTAL_MAX >> 20) < 0 ||
	    tpl_set(v, "types", filetype_list(site_lang(vi))) < 0 ||
	    site_set_csrf(v, vi, f->id, "answer") < 0 ||
	    site_set_url(v, "action", path, vi->en) < 0 ||
	    site_set_url(v, "rfi_url", rfi, vi->en) < 0)
		goto out;
	rc = 0;
out:
	rfi_answers_free(a, na);
	rfi_answer_files_free(files, nf);
	return rc;
}

/*
 * The answer the form sent: its text and files. 1, with the page to
 * show again set in v, when it is refused; -1 on an error.
 */
static int
take_answer(struct visit *vi, struct tpl_vars *v, const struct firm *f,
	    const char *notice_id)
{
	struct rfi_upload files[WEB_MAX_FILES];
	const char *text = vi->body ? form_get(vi->body, "text") : NULL;
	struct buf why;
	int64_t id;
	size_t i, n = 0;
	int rc;

	for (i = 0; i < vi->req->nfiles; i++)
		if (strcmp(vi->req->files[i].field, "files") == 0)
			files[n++] = (struct rfi_upload){
				vi->req->files[i].name,
				buf_str(&vi->req->files[i].data),
				vi->req->files[i].data.len };
	buf_init(&why, 4096);
	rc = rfi_answer(vi->conn->store, notice_id, f->id, text, files, n,
			vi->now, site_lang(vi), &why, &id);
	if (rc == 0 && tpl_set(v, "done", "1") < 0)
		rc = -1;
	if (rc == 1 && (tpl_set(v, "message", buf_str(&why)) < 0 ||
			tpl_set(v, "text", text) < 0))
		rc = -1;
	buf_release(&why);
	return rc;
}

/* RFI_ANSWER_PATH TOKEN: a firm's answer to one of the unit's RFIs. */
static void
page_answer(struct visit *vi, const char *token)
{
	struct tpl_vars *v = tpl_vars_new();
	char notice_id[TOKEN_FIELD_MAX + 1];
	struct rfi_entry *e = NULL;
	size_t n = 0;
	struct firm *f;
	int status = 200, r = 0;

	if (!(f = linked_firm(vi, token, "answer", notice_id,
			      sizeof notice_id)))
		goto out;
	if (!v || store_rfis(vi->conn->store, vi->now, notice_id, &e, &n) < 0)
		goto fail;
	if (n == 0 || !e->own || e->withdrawn_at) {
		site_not_found(vi);
		goto out;
	}
	if (vi->req->method == WEB_POST) {
		if (!site_csrf_ok(vi, f->id, "answer")) {
			site_fail(vi, 403, "Skicka svaret med formuläret på "
				  "sidan: det kan vara för gammalt.",
				  "Send the answer with the form on the page: "
				  "it may have expired.");
			goto out;
		}
		if ((r = take_answer(vi, v, f, notice_id)) < 0)
			goto fail;
		status = r ? 422 : 200;
	}
	if (set_answer_page(v, vi, f, e, token) < 0)
		goto fail;
	site_render(vi, PAGE_ANSWER, v, status);
	goto out;
fail:
	site_store_failed(vi);
out:
	rfi_entries_free(e, n);
	firm_free(f);
	tpl_vars_free(v);
}

/* /manage/TOKEN, or /manage/TOKEN/ACTION */
static void
manage_path(struct visit *vi, const char *rest)
{
	char token[TOKEN_MAX], *action;

	snprintf(token, sizeof token, "%s", rest);
	if ((action = strchr(token, '/')))
		*action++ = '\0';
	page_manage(vi, token, action);
}

const struct route firm_routes[] = {
	{ "/subscribe", ROUTE_POST, page_subscribe, 0 },
	{ "/confirm/", ROUTE_PREFIX | ROUTE_POST, page_confirm, 0 },
	{ "/address/", ROUTE_PREFIX | ROUTE_POST, page_address, 0 },
	{ "/unsubscribe/", ROUTE_PREFIX | ROUTE_POST, page_unsubscribe, 0 },
	{ "/stop/", ROUTE_PREFIX | ROUTE_POST, page_stop, 0 },
	{ "/rsvp/", ROUTE_PREFIX | ROUTE_POST, page_rsvp, 0 },
	{ RFI_ANSWER_PATH, ROUTE_PREFIX | ROUTE_POST, page_answer, 0 },
	{ "/attend/", ROUTE_PREFIX | ROUTE_POST, page_attend, 0 },
	{ "/register/", ROUTE_PREFIX | ROUTE_POST, page_register, 0 },
	{ "/manage/", ROUTE_PREFIX | ROUTE_POST, manage_path, 0 },
	{ NULL, 0, NULL, 0 }
};
