/*
 * The unit's own RFIs through the real binary: a preview that says whom
 * an RFI reaches before it is sent, a warning about a duplicate, an
 * edit whose changes the firms told get by mail, and a withdrawal that
 * takes it off the public pages, the feed and the report and tells the
 * firms in a short mail, the mails going through a loopback relay
 * (tests/smtpd.py) and read by Python's email package.
 */
#define _XOPEN_SOURCE 700

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "test.h"
#include "testutil.h"
#include "testweb.h"
#include "testsite.h"
#include "testdb.h"
#include "smtpd.h"

#define NOW "2026-11-25T08:00:00Z"
#define LATER "2026-11-26T08:00:00Z"
#define LATEST "2026-11-27T08:00:00Z"

static char project[PATH_MAX], dir[PATH_MAX], db[PATH_MAX + 16];
static struct smtpd relay;
static int relayed;		/* the relay's messages read so far */
/* the report's painting notices, lots and category parts before the RFI */
static char painting_before[256];

/* Two painters and an electrician; the ground works firm matches none. */
static const char firms_csv[] =
	"orgnr,name,email,categories,cpv,regions\n"
	"556734-2182,Berglunds Måleri AB,info@berglunds-maleri.example,"
	"maleri,,SE232\n"
	"556902-4473,Färg & Fasad i Väst AB,offert@fargochfasad.example,"
	"maleri,,SE232\n"
	"559112-6833,Västkust El & Energi AB,anbud@vastkust-el.example,"
	"el,,SE232\n"
	"556753-8201,Ljungs Schakt & Mark AB,offert@ljungs-schakt.example,"
	"mark,,SE232\n";

#define RFI(title, deadline, extra) \
	"[rfi]\ntitle = " title "\n" \
	"description = Hur vill ni att arbetena delas upp?\n" \
	"categories = maleri el\n" \
	"answer_deadline = " deadline "\n" \
	"contact = Upphandlingsenheten <upphandling@exempelkommun.example>\n" \
	extra

static void
put(const char *name, const char *text)
{
	char path[PATH_MAX + 64];

	snprintf(path, sizeof path, "%s/%s", dir, name);
	write_text(path, text);
}

/* The mails the relay took since the last call, as Python reads them. */
static char *
new_mails(void)
{
	return smtpd_new_mails(&relay, &relayed, project, dir);
}

/*
 * The report's notices, lots and category parts of painting in the
 * quarter, as the CSV's first six fields of its row.
 */
static void
painting_figures(const char *now, char *out, size_t len)
{
	char *csv, *row, *end;
	int fields = 0;

	out[0] = '\0';
	CHECK(tl_run(dir, now, "report --format csv --from 2026-10-01 "
		     "--to 2026-12-31 -c tenderlots.conf") == 0);
	csv = read_in(dir, "out.txt");
	row = csv ? strstr(csv, "\n2026-Q4;maleri;") : NULL;
	for (end = row ? row + 1 : NULL; end && *end && fields < 6; end++)
		fields += *end == ';';
	if (end && (size_t)(end - row) < len) {
		memcpy(out, row + 1, (size_t)(end - row - 1));
		out[end - row - 1] = '\0';
	}
	CHECK(out[0] != '\0');
	free(csv);
}

static void
setup(void)
{
	char *all;

	char cmd[PATH_MAX + 256];

	if (smtpd_start(&relay, &(struct smtpd_options){ 0 }) < 0)
		exit(2);
	CHECK(site_dir(dir, project, "test_rfi_desk", "", firms_csv, NOW) == 0);
	snprintf(db, sizeof db, "%s/var/t.db", dir);
	/*
	 * The sample municipality is the unit's: its RFIs on TED are its
	 * own. Mail goes to the relay.
	 */
	snprintf(cmd, sizeof cmd, "sed -i -e 's/^\\[service\\]$/&\\nown_buyers = "
		 "212000-9994/' -e 's/^\\[mail\\]$/&\\ntransport = smtp\\n"
		 "smtp_host = 127.0.0.1\\nsmtp_port = %d\\nstarttls = off/' "
		 "'%s/tenderlots.conf'", relay.port, dir);
	CHECK(system(cmd) == 0);
	CHECK(tl_run(dir, NOW, "run --once -c tenderlots.conf") == 0);
	free(all = new_mails());
	painting_figures(NOW, painting_before, sizeof painting_before);
}

/* Whom it reaches, without sending or storing anything. */
static void
test_preview(void)
{
	char *out;

	put("rfi.conf", RFI("Underhåll av skolbyggnader", "2027-01-20 12:00", ""));
	CHECK(tl_run(dir, NOW, "rfi preview rfi.conf -c tenderlots.conf") == 0);
	out = read_in(dir, "out.txt");
	CHECK_STR(out, "rfi.conf: Underhåll av skolbyggnader\n"
		  "  categories: maleri el\n"
		  "  3 firms to mail\n");
	free(out);
	CHECK(db_query(db, "SELECT count(*) FROM rfi") == 0);
	CHECK(db_query(db, "SELECT count(*) FROM notice WHERE kind = 'rfi'"
		       " AND notice_id LIKE 'rfi-%'") == 0);
	/* the same checks as publishing: a category not registered */
	put("bad.conf", "[rfi]\ntitle = X\ncategories = maleri snickeri\n"
	    "answer_deadline = 2027-01-20 12:00\ncontact = a@exempel.se\n");
	CHECK(tl_run(dir, NOW, "rfi preview bad.conf -c tenderlots.conf") == 1);
	out = read_in(dir, "err.txt");
	CHECK(out && strstr(out, "bad.conf: category 'snickeri' is not "
			    "registered in "));
	free(out);
}

/* The preview's count is what publishing matches. */
static void
test_publish_as_previewed(void)
{
	char *out, *all, figures[256];

	CHECK(tl_run(dir, NOW, "rfi new rfi.conf -c tenderlots.conf") == 0);
	out = read_in(dir, "out.txt");
	CHECK(out && strstr(out, "  3 firms to mail\n"));
	CHECK(out && strstr(out, "rfi-1: Underhåll av skolbyggnader\n"));
	free(out);
	CHECK(tl_run(dir, NOW, "run --once -c tenderlots.conf") == 0);
	all = new_mails();
	CHECK(all && strstr(all, "header To: info@berglunds-maleri.example"));
	CHECK(all && strstr(all, "header To: anbud@vastkust-el.example"));
	CHECK(all && !strstr(all, "header To: offert@ljungs-schakt.example"));
	free(all);
	/* the report counts it */
	painting_figures(NOW, figures, sizeof figures);
	CHECK(strcmp(figures, painting_before) != 0);
}

/* The same title again is shown and refused unless asked for. */
static void
test_duplicate_warned(void)
{
	char *out;

	put("again.conf", RFI("underhåll av Skolbyggnader", "2027-02-20 12:00",
			      ""));
	CHECK(tl_run(dir, NOW, "rfi new again.conf -c tenderlots.conf") == 1);
	out = read_in(dir, "out.txt");
	CHECK(out && strstr(out, "  it may repeat an RFI published in the "
			    "last 90 days:\nrfi-1  Underhåll av skolbyggnader\n"));
	free(out);
	out = read_in(dir, "err.txt");
	CHECK(out && strstr(out, "again.conf: not published: it may repeat an "
			    "RFI above (rfi new --anyway publishes it all the "
			    "same)"));
	free(out);
	CHECK(db_query(db, "SELECT count(*) FROM rfi") == 1);
	/* the same codes under another title are a duplicate too */
	put("codes.conf", RFI("Målning och el i skolor", "2027-02-20 12:00", ""));
	CHECK(tl_run(dir, NOW, "rfi preview codes.conf -c tenderlots.conf") == 0);
	out = read_in(dir, "out.txt");
	CHECK(out && strstr(out, "it may repeat an RFI"));
	free(out);
	/* other codes under another title are not */
	put("other.conf", "[rfi]\ntitle = Vinterväghållning\n"
	    "categories = snorojning\nanswer_deadline = 2027-01-20 12:00\n"
	    "contact = a@exempel.se\n");
	CHECK(tl_run(dir, NOW, "rfi preview other.conf -c tenderlots.conf") == 0);
	out = read_in(dir, "out.txt");
	CHECK(out && !strstr(out, "it may repeat"));
	free(out);
}

/* An edit: the firms told get a mail naming what changed. */
static void
test_edit_mails_changes(void)
{
	char *all, *mail;

	put("edit.conf", RFI("Underhåll av skolbyggnader och förskolor",
			     "2027-01-27 12:00", ""));
	CHECK(tl_run(dir, LATER, "rfi change rfi-1 edit.conf "
		     "-c tenderlots.conf") == 0);
	CHECK(tl_run(dir, LATER, "run --once -c tenderlots.conf") == 0);
	all = new_mails();
	mail = mail_to(all, "info@berglunds-maleri.example", "Ändrad");
	CHECK(mail && strstr(mail, "header Subject: Ändrad upphandling: "
			     "Underhåll av skolbyggnader och förskolor"));
	CHECK(mail && strstr(mail, "Underhåll av skolbyggnader → Underhåll av "
			     "skolbyggnader och förskolor"));
	CHECK(mail && strstr(mail, "20 januari 2027"));
	CHECK(mail && strstr(mail, "27 januari 2027"));
	CHECK(mail && strstr(mail, "defects: 0"));
	free(mail);
	CHECK(all && !strstr(all, "header To: offert@ljungs-schakt.example"));
	free(all);
	/* another buyer's or an unknown RFI is refused */
	CHECK(tl_run(dir, LATER, "rfi change rfi-9 edit.conf "
		     "-c tenderlots.conf") == 1);
}

/*
 * The unit's RFI back from TED, as the municipality's notice with the
 * same title (the sample's RFI on TED, retitled and recoded): linked as
 * its own, mailed to no one again, closed by its TED id.
 */
static void
test_own_rfi_via_ted(void)
{
	char cmd[PATH_MAX * 2 + 512], *all, *out;

	snprintf(cmd, sizeof cmd, "cd '%s' && sed -e 's/c1b88e73-d794-46d5-"
		 "8387-6380e50e5aa5/5f0c3a7e-1111-4222-8333-944455556666/' "
		 "-e 's/Marknadsdialog: Snöröjning och halkbekämpning/"
		 "Underhåll av skolbyggnader och förskolor/' "
		 "-e 's/90620000/45442100/' -e 's/90630000/45310000/' "
		 "feeds/2026-11-23_exempelkommun_snorojning_rfi.xml > "
		 "feeds/ted-copy.xml", dir);
	CHECK(system(cmd) == 0);
	CHECK(tl_run(dir, LATER, "run --once -c tenderlots.conf") == 0);
	CHECK(db_query(db, "SELECT count(*) FROM rfi WHERE notice_id = 'rfi-1'"
		       " AND ted_notice_id = '5f0c3a7e-1111-4222-8333-"
		       "944455556666'") == 1);
	CHECK(db_query(db, "SELECT count(*) FROM match WHERE notice_id ="
		       " '5f0c3a7e-1111-4222-8333-944455556666'") == 0);
	all = new_mails();
	CHECK(all && !strstr(all, "header To: info@berglunds-maleri.example"));
	free(all);
	/* its own, closed by either id; changed only by the unit's own */
	CHECK(tl_run(dir, LATER, "rfi change 5f0c3a7e-1111-4222-8333-"
		     "944455556666 edit.conf -c tenderlots.conf") == 1);
	out = read_in(dir, "err.txt");
	CHECK(out && strstr(out, "is the copy on TED of an RFI of the unit's "
			    "own: act on that one"));
	free(out);
	CHECK(tl_run(dir, LATER, "rfi close 5f0c3a7e-1111-4222-8333-"
		     "944455556666 -c tenderlots.conf") == 0);
	CHECK(db_query(db, "SELECT count(*) FROM rfi WHERE notice_id = 'rfi-1'"
		       " AND closed_at IS NOT NULL") == 1);
}

/* A withdrawal: off the pages, the feed and the report; a short mail. */
static void
test_withdraw(void)
{
	struct web_server srv;
	struct reply r;
	char url[256], figures[256], *all, *mail, *out;

	/* the firms are told why */
	CHECK(tl_run(dir, LATEST, "rfi withdraw rfi-1 -c tenderlots.conf") == 1);
	out = read_in(dir, "err.txt");
	CHECK(out && strstr(out, "why: the firms are told why, in one line"));
	free(out);
	CHECK(tl_run(dir, LATEST, "rfi withdraw rfi-1 --why \"Publicerad av "
		     "misstag.\" -c tenderlots.conf") == 0);
	CHECK(tl_run(dir, LATEST, "rfi withdraw rfi-1 --why igen "
		     "-c tenderlots.conf") == 1);
	out = read_in(dir, "err.txt");
	CHECK(out && strstr(out, "rfi-1 is withdrawn"));
	free(out);
	CHECK(tl_run(dir, LATEST, "run --once -c tenderlots.conf") == 0);
	all = new_mails();
	mail = mail_to(all, "anbud@vastkust-el.example", "Återkallad");
	CHECK(mail && strstr(mail, "header Subject: Återkallad: Underhåll av "
			     "skolbyggnader och förskolor"));
	CHECK(mail && strstr(mail, "En förfrågan om information som ni har fått "
			     "mejl om är återkallad."));
	CHECK(mail && strstr(mail, "Publicerad av misstag."));
	CHECK(mail && !strstr(mail, "Det här har ändrats"));
	CHECK(mail && strstr(mail, "defects: 0"));
	free(mail);
	/* the firm never told of it is not told now */
	CHECK(all && !strstr(all, "header To: offert@ljungs-schakt.example"));
	free(all);
	CHECK(web_server_start(&srv, dir, "tenderlots.conf", LATEST, NULL) == 0);
	snprintf(url, sizeof url, "%s/rfi", srv.base);
	fetch(url, NULL, 0, NULL, &r);
	CHECK(r.status == 200);
	CHECK(!strstr(buf_str(&r.body), "rfi-1"));
	CHECK(!strstr(buf_str(&r.body), "Underhåll av skolbyggnader"));
	release(&r);
	snprintf(url, sizeof url, "%s/rfi.atom", srv.base);
	fetch(url, NULL, 0, NULL, &r);
	CHECK(r.status == 200);
	CHECK(!strstr(buf_str(&r.body), "rfi-1"));
	release(&r);
	snprintf(url, sizeof url, "%s/rfi/rfi-1", srv.base);
	fetch(url, NULL, 0, NULL, &r);
	CHECK(r.status == 404);
	release(&r);
	CHECK(web_server_stop(&srv) == 0);
	/* the report counts the sample's notices, not the withdrawn RFI */
	painting_figures(LATEST, figures, sizeof figures);
	CHECK_STR(figures, painting_before);
	CHECK(db_query(db, "SELECT count(*) FROM rfi WHERE withdrawn_at"
		       " IS NOT NULL") == 1);
}

int
main(void)
{
	if (!getcwd(project, sizeof project))
		return 2;
	setenv("TZ", "Europe/Stockholm", 1);
	curl_global_init(CURL_GLOBAL_DEFAULT);
	setup();
	RUN(test_preview);
	RUN(test_publish_as_previewed);
	RUN(test_duplicate_warned);
	RUN(test_edit_mails_changes);
	RUN(test_own_rfi_via_ted);
	RUN(test_withdraw);
	CHECK(smtpd_stop(&relay) == 0);
	rm_rf(dir);
	curl_global_cleanup();
	return test_done("rfi_desk");
}
