#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "alert.h"

static const char *const months_sv[12] = {
	"januari", "februari", "mars", "april", "maj", "juni", "juli",
	"augusti", "september", "oktober", "november", "december"
};

static const char *const months_en[12] = {
	"January", "February", "March", "April", "May", "June", "July",
	"August", "September", "October", "November", "December"
};

static int
is_english(const char *lang)
{
	return lang && strcmp(lang, "en") == 0;
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

/* 2400000 -> "2 400 000": digit groups as Swedish and SI style write them. */
static int
format_amount(double value, struct buf *out)
{
	char digits[32];
	int n, i;

	if (value < 0 || value >= 1e15)
		return buf_printf(out, "%.0f", value);
	n = snprintf(digits, sizeof digits, "%.0f", value);
	for (i = 0; i < n; i++) {
		if (i && (n - i) % 3 == 0 && buf_addc(out, ' ') < 0)
			return -1;
		if (buf_addc(out, digits[i]) < 0)
			return -1;
	}
	return 0;
}

static const char *
kind_label(const char *kind, int en)
{
	if (strcmp(kind, "planning") == 0)
		return en ? "Planned procurement (prior information)" :
			    "Planerad upphandling (förhandsannons)";
	if (strcmp(kind, "rfi") == 0)
		return en ? "Market dialogue (request for information)" :
			    "Marknadsdialog (förfrågan om information)";
	return en ? "Open for tenders" : "Upphandling, anbud kan lämnas";
}

static const char *
kind_headline(const char *kind, int en)
{
	if (strcmp(kind, "planning") == 0)
		return en ? "Planned procurement" : "Planerad upphandling";
	if (strcmp(kind, "rfi") == 0)
		return en ? "Market dialogue" : "Marknadsdialog";
	return en ? "New tender" : "Ny upphandling";
}

/*
 * "Ny upphandling: <title>", unless the title already says what kind of
 * notice it is, as buyers often write "Marknadsdialog: ..." themselves.
 */
static int
subject_for(const struct match_item *it, int en, struct buf *subject)
{
	const char *head = kind_headline(it->kind, en);

	if (strncasecmp(it->notice_title, head, strlen(head)) == 0)
		return buf_adds(subject, it->notice_title);
	return buf_printf(subject, "%s: %s", head, it->notice_title);
}

static int
render_item(const struct match_item *it, size_t number, int en, struct buf *b)
{
	int rc = 0;

	rc |= buf_printf(b, "%zu. %s\n", number, it->notice_title);
	if (it->lot_title && strcmp(it->lot_title, it->notice_title) != 0)
		rc |= buf_printf(b, "   %s %s: %s\n", en ? "Lot" : "Delområde",
				 it->lot_id, it->lot_title);
	rc |= buf_printf(b, "   %s: %s\n", en ? "Type" : "Typ", kind_label(it->kind, en));
	if (it->buyer)
		rc |= buf_printf(b, "   %s: %s\n", en ? "Buyer" : "Upphandlande organisation",
				 it->buyer);
	if (it->has_deadline) {
		rc |= buf_printf(b, "   %s: ", strcmp(it->kind, "rfi") == 0 ?
				 (en ? "Answer by" : "Svara senast") :
				 (en ? "Deadline" : "Sista svarsdag"));
		rc |= alert_format_time(it->deadline, en ? "en" : "sv", b);
		rc |= buf_addc(b, '\n');
	}
	if (it->has_value) {
		rc |= buf_printf(b, "   %s: ", en ? "Estimated value" : "Uppskattat värde");
		rc |= format_amount(it->value, b);
		rc |= buf_printf(b, " %s\n", it->currency ? it->currency : "");
	}
	if (it->url)
		rc |= buf_printf(b, "   %s: %s\n", en ? "Full notice" : "Hela annonsen",
				 it->url);
	rc |= buf_printf(b, "   %s: %s\n\n", en ? "Why you get this" : "Därför får ni detta",
			 it->reason);
	return rc ? -1 : 0;
}

int
alert_render(const struct firm *f, const struct match_item *items, size_t n,
	     const struct alert_context *ctx, struct buf *subject,
	     struct buf *body)
{
	int en = is_english(f->language);
	size_t i;
	int rc = 0;

	buf_reset(subject);
	buf_reset(body);
	if (n == 1)
		rc |= subject_for(&items[0], en, subject);
	else
		rc |= buf_printf(subject, en ? "%zu procurements that fit %s" :
				 "%zu upphandlingar som passar %s", n, f->name);
	rc |= buf_printf(body, en ? "Hello %s,\n\n" : "Hej %s!\n\n", f->name);
	if (en)
		rc |= buf_printf(body, "%s has found %s that fit%s your "
				 "subscription:\n\n", ctx->service_name,
				 n == 1 ? "a public procurement" :
					  "public procurements",
				 n == 1 ? "s" : "");
	else
		rc |= buf_printf(body, "%s har hittat %s som passar er "
				 "bevakning:\n\n", ctx->service_name,
				 n == 1 ? "en offentlig upphandling" :
					  "offentliga upphandlingar");
	for (i = 0; i < n; i++)
		rc |= render_item(&items[i], i + 1, en, body);
	rc |= buf_printf(body, en ?
			 "-- \nYou receive this mail because %s (%s) subscribes to "
			 "procurement alerts from %s for the CPV codes and regions "
			 "it registered. Everything in this mail is public.\n"
			 "To stop these mails: %s\n" :
			 "-- \nNi får detta mejl eftersom %s (%s) prenumererar på "
			 "upphandlingsbevakning från %s för de CPV-koder och "
			 "områden ni har anmält. Allt i mejlet är offentligt.\n"
			 "Avsluta prenumerationen: %s\n",
			 f->name, f->orgnr, ctx->service_name, ctx->unsubscribe);
	return rc ? -1 : 0;
}
