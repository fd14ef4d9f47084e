#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "firm.h"
#include "meeting.h"
#include "pages.h"
#include "store.h"
#include "template.h"
#include "token.h"
#include "utf8.h"

/*
 * What a firm says of the service, through the signed links of its
 * mails: whether a lot it was told of was relevant (/feedback/TOKEN/
 * relevant or not-relevant), and how an information meeting it came to
 * was (/survey/TOKEN). Mail security scanners open every link of a mail,
 * so a GET only shows the question, the answer its link chose already
 * chosen; the page's button records it (POST, with the page's CSRF
 * token), and the page then thanks and offers to change it.
 */

/* A survey answer can be changed this long after it was first given. */
#define SURVEY_CHANGEABLE (14L * 24 * 3600)

/* The path after a route's prefix: the token, then what follows a '/'. */
static const char *
split_token(const char *rest, char token[TOKEN_MAX])
{
	size_t n = strcspn(rest, "/");

	snprintf(token, TOKEN_MAX, "%.*s", (int)(n < TOKEN_MAX ? n : 0), rest);
	return rest[n] ? rest + n + 1 : "";
}

/*
 * The comment of the form, into v as typed: 0 when it is fine, 1 with
 * an error on the page when it is too long or not text, -1 on an error.
 */
static int
take_comment(struct tpl_vars *v, const struct visit *vi, size_t max,
	     const char **out)
{
	const char *c = form_get(vi->body, "comment");
	char why[96];

	*out = c && *c ? c : NULL;
	if (tpl_set(v, "comment", c) < 0)
		return -1;
	if (!c || (strlen(c) <= max && utf8_valid(c, strlen(c))))
		return 0;
	snprintf(why, sizeof why, vi->en ? "at most %zu bytes." :
		 "högst %zu byte.", max);
	return site_form_error(v, vi, "comment", "Kommentaren", "The comment",
			       why) < 0 ? -1 : 1;
}

/* The question about a match and what is chosen: relevant 1, 0, or -1. */
static int
set_match_page(struct tpl_vars *v, struct visit *vi,
	       const struct match_answer *a, const char *token, int relevant)
{
	char path[TOKEN_MAX + 16];

	snprintf(path, sizeof path, "/%s/%s", FEEDBACK_PURPOSE, token);
	if (tpl_set(v, "firm_name", a->firm_name) < 0 ||
	    tpl_set(v, "notice_title", a->notice_title) < 0 ||
	    tpl_set(v, "lot_title", a->lot_title) < 0 ||
	    (relevant == 1 && tpl_set(v, "relevant_checked", "1") < 0) ||
	    (relevant == 0 && tpl_set(v, "not_relevant_checked", "1") < 0) ||
	    tpl_setf(v, "comment_max", "%d", FEEDBACK_COMMENT_MAX) < 0 ||
	    site_set_csrf(v, vi, a->firm_id, FEEDBACK_PURPOSE) < 0 ||
	    site_set_url(v, "action", path, vi->en) < 0)
		return -1;
	return 0;
}

/* The answer a POST sends: 1 relevant, 0 not, -1 none. */
static int
posted_answer(const struct visit *vi)
{
	const char *s = form_get(vi->body, "answer");

	if (!s)
		return -1;
	return strcmp(s, "relevant") == 0 ? 1 :
	       strcmp(s, "not-relevant") == 0 ? 0 : -1;
}

/* /feedback/TOKEN[/relevant|/not-relevant]: one match's relevance. */
static void
page_feedback(struct visit *vi, const char *rest)
{
	struct tpl_vars *v = tpl_vars_new();
	char token[TOKEN_MAX], object[TOKEN_FIELD_MAX + 1], *end;
	const char *choice = split_token(rest, token), *comment = NULL;
	struct match_answer *a = NULL;
	struct firm *f;
	long long match_id;
	int relevant, status = 200, r;

	if (!(f = linked_firm(vi, token, FEEDBACK_PURPOSE, object,
			      sizeof object)))
		goto out;
	match_id = strtoll(object, &end, 10);
	if (!v || (match_id > 0 && !*end &&
		   store_match_answer(vi->conn->store, match_id, &a) < 0))
		goto fail;
	/* another firm's match is as good as no match */
	if (!a || a->firm_id != f->id) {
		bad_link(vi);
		goto out;
	}
	relevant = strcmp(choice, "relevant") == 0 ? 1 :
		   strcmp(choice, "not-relevant") == 0 ? 0 :
		   a->answered ? a->relevant : -1;
	if (vi->req->method != WEB_POST) {
		if (a->answered && tpl_set(v, "comment", a->comment) < 0)
			goto fail;
	} else if (!site_csrf_ok(vi, f->id, FEEDBACK_PURPOSE)) {
		site_fail(vi, 403, "Använd knappen på sidan: formuläret kan vara "
			  "för gammalt.", "Use the button on the page: the form "
			  "may have expired.");
		goto out;
	} else {
		relevant = posted_answer(vi);
		if ((r = take_comment(v, vi, FEEDBACK_COMMENT_MAX, &comment)) < 0)
			goto fail;
		if (relevant < 0 &&
		    site_form_error(v, vi, "answer-relevant", "Välj Relevant "
				    "eller Inte relevant.", "Choose Relevant or "
				    "Not relevant.", NULL) < 0)
			goto fail;
		if (r || relevant < 0) {
			status = 400;
		} else if (store_put_match_answer(vi->conn->store, a->match_id,
						  relevant, comment,
						  vi->now) < 0 ||
			   tpl_set(v, "done", "1") < 0) {
			goto fail;
		}
	}
	if (set_match_page(v, vi, a, token, relevant) < 0)
		goto fail;
	site_render(vi, PAGE_FEEDBACK, v, status);
	goto out;
fail:
	site_store_failed(vi);
out:
	match_answers_free(a, a ? 1 : 0);
	firm_free(f);
	tpl_vars_free(v);
}

static const char *const rating_sv[5] = {
	"1 – mycket missnöjd", "2 – missnöjd", "3 – varken eller",
	"4 – nöjd", "5 – mycket nöjd"
};
static const char *const rating_en[5] = {
	"1 – very dissatisfied", "2 – dissatisfied", "3 – neither",
	"4 – satisfied", "5 – very satisfied"
};

/* The survey's form: the meeting, the ratings with rating chosen (0 none). */
static int
set_survey_page(struct tpl_vars *v, struct visit *vi, const struct meeting *m,
		int64_t reg_id, const char *token, int rating, int changeable)
{
	char path[TOKEN_MAX + 16];
	const char *const *labels = vi->en ? rating_en : rating_sv;
	struct tpl_vars *item;
	int i;

	snprintf(path, sizeof path, "/%s/%s", SURVEY_PURPOSE, token);
	if (tpl_set(v, "meeting_title", m->title) < 0 ||
	    site_set_time(v, "starts", m->start, vi) < 0 ||
	    tpl_setf(v, "comment_max", "%d", SURVEY_COMMENT_MAX) < 0 ||
	    (changeable && tpl_set(v, "changeable", "1") < 0) ||
	    site_set_csrf(v, vi, reg_id, SURVEY_PURPOSE) < 0 ||
	    site_set_url(v, "action", path, vi->en) < 0)
		return -1;
	for (i = 1; i <= 5; i++)
		if (!(item = tpl_add(v, "ratings")) ||
		    tpl_setf(item, "value", "%d", i) < 0 ||
		    tpl_set(item, "label", labels[i - 1]) < 0 ||
		    (i == rating && tpl_set(item, "checked", "1") < 0))
			return -1;
	return 0;
}

/* The rating a POST sends, 1 to 5; 0 when there is none or another. */
static int
posted_rating(const struct visit *vi)
{
	const char *s = form_get(vi->body, "rating");

	return s && s[0] >= '1' && s[0] <= '5' && !s[1] ? s[0] - '0' : 0;
}

/*
 * A POST of the survey: 0 recorded, 1 refused with errors on the page,
 * -1 on an error. *rating is what was chosen.
 */
static int
take_survey(struct tpl_vars *v, struct visit *vi, int64_t reg_id,
	    int *rating)
{
	const char *comment;
	int r;

	*rating = posted_rating(vi);
	if ((r = take_comment(v, vi, SURVEY_COMMENT_MAX, &comment)) < 0)
		return -1;
	if (!*rating &&
	    site_form_error(v, vi, "rating-1", "Välj hur nöjda ni är, 1 till "
			    "5.", "Choose how satisfied you are, 1 to 5.",
			    NULL) < 0)
		return -1;
	if (r || !*rating)
		return 1;
	if (store_put_survey_answer(vi->conn->store, reg_id, *rating, comment,
				    vi->now) < 0 ||
	    tpl_set(v, "done", "1") < 0)
		return -1;
	return 0;
}

/* /survey/TOKEN: a registration that attended answers its meeting's survey. */
static void
page_survey(struct visit *vi, const char *rest)
{
	struct tpl_vars *v = tpl_vars_new();
	char token[TOKEN_MAX], object[TOKEN_FIELD_MAX + 1], *end;
	struct survey_answer *a = NULL;
	struct attendee *r = NULL;
	struct meeting *m = NULL;
	long long meeting_id;
	int64_t reg_id;
	size_t nm = 0;
	int rating = 0, changeable, status = 200, t;

	split_token(rest, token);
	reg_id = link_firm(vi, token, SURVEY_PURPOSE, object, sizeof object);
	meeting_id = strtoll(object, &end, 10);
	if (!reg_id || *end || meeting_id < 1) {
		bad_link(vi);
		goto out;
	}
	if (!v || store_attendee(vi->conn->store, reg_id, &r) < 0 ||
	    store_meetings(vi->conn->store, 0, meeting_id, &m, &nm) < 0 ||
	    store_survey_answer(vi->conn->store, reg_id, &a) < 0)
		goto fail;
	if (!r || !nm || r->meeting_id != meeting_id || !r->attended) {
		bad_link(vi);
		goto out;
	}
	rating = a ? a->rating : 0;
	changeable = !a || vi->now - a->first_at < SURVEY_CHANGEABLE;
	if (vi->req->method == WEB_POST) {
		if (!site_csrf_ok(vi, reg_id, SURVEY_PURPOSE)) {
			site_fail(vi, 403, "Använd knappen på sidan: formuläret "
				  "kan vara för gammalt.", "Use the button on the "
				  "page: the form may have expired.");
			goto out;
		}
		if (!changeable) {
			site_fail(vi, 409, "Svaret kan inte längre ändras.",
				  "The answer can no longer be changed.");
			goto out;
		}
		if ((t = take_survey(v, vi, reg_id, &rating)) < 0)
			goto fail;
		status = t ? 400 : 200;
	} else if (a && (tpl_set(v, "comment", a->comment) < 0 ||
			 tpl_set(v, "answered", "1") < 0)) {
		goto fail;
	}
	if (set_survey_page(v, vi, m, reg_id, token, rating, changeable) < 0)
		goto fail;
	site_render(vi, PAGE_SURVEY, v, status);
	goto out;
fail:
	site_store_failed(vi);
out:
	survey_answers_free(a, a ? 1 : 0);
	attendees_free(r, r ? 1 : 0);
	meetings_free(m, nm);
	tpl_vars_free(v);
}

const struct route feedback_routes[] = {
	{ "/" FEEDBACK_PURPOSE "/", ROUTE_PREFIX | ROUTE_POST, page_feedback, 0 },
	{ "/" SURVEY_PURPOSE "/", ROUTE_PREFIX | ROUTE_POST, page_survey, 0 },
	{ NULL, 0, NULL, 0 }
};
