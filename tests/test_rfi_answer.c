/*
 * A firm answers the unit's RFI online: the signed link in its RFI mail
 * leads to a form where headless Chromium types a text and attaches a
 * file (a real multipart upload); the answer, its file and the firm's
 * participation are stored, and the file comes back with the type its
 * bytes showed under a name the program chose. Files over a cap or of a
 * type not taken (told by their bytes, not their names) are refused with
 * a page saying which, and nothing is stored.
 */
#define _XOPEN_SOURCE 700

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "rfi.h"
#include "store.h"
#include "test.h"
#include "testutil.h"
#include "testweb.h"
#include "testsite.h"
#include "testdb.h"

#define NOW "2026-11-25T08:00:00Z"

static char project[PATH_MAX], dir[PATH_MAX], db[PATH_MAX + 16];
static char answer_url[1024];
static struct web_server server;

static const char firms_csv[] =
	"orgnr,name,email,categories,cpv,regions\n"
	"556734-2182,Berglunds Måleri AB,info@berglunds-maleri.example,"
	"maleri,,SE232\n";

static const char rfi_conf[] =
	"[rfi]\ntitle = Underhåll av skolbyggnader\n"
	"categories = maleri\nanswer_deadline = 2027-01-20 12:00\n"
	"contact = Upphandlingsenheten <upphandling@exempelkommun.example>\n";

/*
 * A script that answers with text and one file per spec, each "NAME:
 * HEAD:SIZE": a file of SIZE bytes named NAME that begins with HEAD.
 */
static char *
answer_script(const char *text, const char *const *files)
{
	struct buf b;

	buf_init(&b, 1u << 16);
	buf_printf(&b, "const dt = new DataTransfer();\n");
	for (; files && *files; files += 3) {
		buf_printf(&b, "{ const bytes = new Uint8Array(%s);\n"
			   "  const head = new TextEncoder().encode('%s');\n"
			   "  bytes.fill(32); bytes.set(head);\n"
			   "  dt.items.add(new File([bytes], '%s')); }\n",
			   files[2], files[1], files[0]);
	}
	buf_printf(&b, "document.getElementById('files').files = dt.files;\n"
		   "document.getElementById('text').value = '%s';\n"
		   "document.forms[0].requestSubmit();\n", text);
	return buf_detach(&b, NULL);
}

static char *
answer_in_browser(const char *text, const char *const *files)
{
	char *script = answer_script(text, files), *dom;

	dom = browser_dom(project, dir, answer_url, script);
	free(script);
	return dom;
}

static void
setup(void)
{
	char path[PATH_MAX + 32], files[PATH_MAX + 32], link[768], *all;

	CHECK(site_dir(dir, project, "test_rfi_answer", "", firms_csv, NOW) == 0);
	snprintf(db, sizeof db, "%s/var/t.db", dir);
	snprintf(path, sizeof path, "%s/rfi.conf", dir);
	write_text(path, rfi_conf);
	CHECK(tl_run(dir, NOW, "rfi new rfi.conf -c tenderlots.conf") == 0);
	CHECK(tl_run(dir, NOW, "run --once -c tenderlots.conf") == 0);
	snprintf(files, sizeof files, "'%s'/var/mail/new/*", dir);
	all = mailcheck(project, files, dir);
	link_in(all, "https://upphandling.exempelkommun.se/answer/", link,
		sizeof link);
	CHECK(link[0] != '\0');
	free(all);
	if (web_server_start(&server, dir, "tenderlots.conf", NOW, NULL) < 0) {
		fprintf(stderr, "the web endpoint did not start\n");
		exit(1);
	}
	snprintf(answer_url, sizeof answer_url, "%s%s", server.base, link);
}

/* The form from the mail's link; a forged link gets nothing. */
static void
test_form(void)
{
	struct reply r;
	char url[1100];

	fetch(answer_url, NULL, 0, NULL, &r);
	CHECK(r.status == 200);
	CHECK(strstr(buf_str(&r.body), "<h1>Svar: Underhåll av skolbyggnader"
		     "</h1>"));
	CHECK(strstr(buf_str(&r.body), "enctype=\"multipart/form-data\""));
	release(&r);
	snprintf(url, sizeof url, "%sx", answer_url);
	fetch(url, NULL, 0, NULL, &r);
	CHECK(r.status == 403);
	release(&r);
}

static void
test_upload_in_browser(void)
{
	static const char *const files[] = {
		"Offert underlag.pdf", "%PDF-1.4\\n", "3000", NULL
	};
	struct rfi_answer_file f = { 0 };
	struct firm_record *rec = NULL;
	struct store *s = NULL;
	size_t nrec = 0, i;
	int texts = 0;
	char name[64];
	char *dom = answer_in_browser("Vi kan ta måleriet i två skolor.", files);
	int found = 0;

	CHECK(dom && strstr(dom, "Tack! Ert svar har kommit fram till "
			    "upphandlingsenheten."));
	CHECK(dom && strstr(dom, "<dt>Era svar hittills</dt>\n<dd>1</dd>"));
	free(dom);
	CHECK(db_query(db, "SELECT count(*) FROM rfi_answer WHERE text ="
		       " 'Vi kan ta måleriet i två skolor.'") == 1);
	CHECK(db_query(db, "SELECT count(*) FROM rfi_response WHERE"
		       " notice_id = 'rfi-1' AND source = 'web'") == 1);
	CHECK(db_query(db, "SELECT length(data) FROM rfi_file") == 3000);
	/* the file back, as the staff's page will download it */
	CHECK(store_open(db, &s) == 0);
	if (!s)
		return;
	CHECK(rfi_answer_download(s, 1, &f, name, sizeof name, &found) == 0);
	CHECK(found);
	CHECK_STR(name, "svar-1-1.pdf");
	CHECK_STR(f.type, "application/pdf");
	CHECK_STR(f.name, "Offert underlag.pdf");
	CHECK(f.len == 3000 && f.data && memcmp(f.data, "%PDF-1.4\n", 9) == 0);
	rfi_answer_file_release(&f);
	CHECK(rfi_answer_download(s, 99, &f, name, sizeof name, &found) == 0);
	CHECK(!found);
	/* the firm's own data, as it downloads it, holds its answer */
	CHECK(store_firm_records(s, 1, &rec, &nrec) == 0);
	for (i = 0; i < nrec; i++)
		texts += strcmp(rec[i].what, "rfi_answer_text") == 0 &&
			 strcmp(rec[i].b, "Vi kan ta måleriet i två skolor.") == 0;
	CHECK(texts == 1);
	firm_records_free(rec, nrec);
	store_free(s);
}

/* A refused form names the fault and keeps the text; nothing stored. */
static void
refused(const char *const *files, const char *why)
{
	char *dom = answer_in_browser("Ett andra svar.", files);

	CHECK(dom && strstr(dom, why));
	if (dom && !strstr(dom, why))
		fprintf(stderr, "  wanted: %s\n", why);
	CHECK(dom && strstr(dom, ">Ett andra svar.</textarea>"));
	free(dom);
	CHECK(db_query(db, "SELECT count(*) FROM rfi_answer") == 1);
	CHECK(db_query(db, "SELECT count(*) FROM rfi_file") == 1);
}

static void
test_caps(void)
{
	/* a program named as a PDF: its bytes tell */
	static const char *const exe[] = { "offert.pdf", "MZ", "2000", NULL };
	/* a PDF named as a Word file */
	static const char *const misnamed[] = {
		"offert.docx", "%PDF-1.4", "2000", NULL
	};
	static const char *const big[] = {
		"ritning.pdf", "%PDF-1.4", "6000000", NULL
	};
	static const char *const many[] = {
		"a.pdf", "%PDF-1.4", "3500000", "b.pdf", "%PDF-1.4", "3500000",
		"c.pdf", "%PDF-1.4", "3500000", NULL
	};

	refused(exe, "offert.pdf är inte en fil av en typ som tas emot (PDF, "
		"Word (.docx), Excel (.xlsx), OpenDocument-text (.odt), text "
		"(.txt), PNG eller JPEG)");
	refused(misnamed, "offert.docx är inte en fil av en typ som tas emot");
	refused(big, "ritning.pdf är större än 5 MB.");
	refused(many, "Filerna är större än 10 MB tillsammans.");
}

int
main(void)
{
	if (!getcwd(project, sizeof project))
		return 2;
	setenv("TZ", "Europe/Stockholm", 1);
	curl_global_init(CURL_GLOBAL_DEFAULT);
	setup();
	RUN(test_form);
	RUN(test_upload_in_browser);
	RUN(test_caps);
	CHECK(web_server_stop(&server) == 0);
	rm_rf(dir);
	curl_global_cleanup();
	return test_done("rfi_answer");
}
