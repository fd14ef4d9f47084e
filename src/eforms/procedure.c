/*
 * The notice as a whole: its identity, kind, buyer and web address, and
 * what it says of the procedure.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "eforms_int.h"

#define TED_NOTICE_URL "https://ted.europa.eu/en/notice/-/detail/"

struct kind_name {
	const char *name;
	enum notice_kind kind;
};

/* The kind name stands for in table[0..n); NOTICE_OTHER for any other. */
static enum notice_kind
kind_named(const struct kind_name *table, size_t n, const char *name)
{
	size_t i;

	for (i = 0; name && i < n; i++)
		if (strcmp(name, table[i].name) == 0)
			return table[i].kind;
	return NOTICE_OTHER;
}

static enum notice_kind
kind_of_subtype(const char *st)
{
	static const struct kind_name e_subtypes[] = {
		{ "E1", NOTICE_RFI }, { "E2", NOTICE_PLANNING },
		{ "E3", NOTICE_COMPETITION }, { "E4", NOTICE_RESULT },
	};
	char *end;
	long v;

	if (st[0] < '0' || st[0] > '9')
		return kind_named(e_subtypes, sizeof(e_subtypes) /
				  sizeof(e_subtypes[0]), st);
	v = strtol(st, &end, 10);
	if (*end != '\0')
		return NOTICE_OTHER;
	/* 10-14 are PINs used as a call for competition. */
	if (v >= 1 && v <= 9)
		return NOTICE_PLANNING;
	if (v >= 10 && v <= 24)
		return NOTICE_COMPETITION;
	if (v >= 25 && v <= 37)
		return NOTICE_RESULT;
	return NOTICE_OTHER;
}

static enum notice_kind
kind_of_list(const char *list)
{
	static const struct kind_name lists[] = {
		{ "planning", NOTICE_PLANNING },
		{ "competition", NOTICE_COMPETITION },
		{ "result", NOTICE_RESULT },
		{ "consultation", NOTICE_RFI },
	};

	return kind_named(lists, sizeof(lists) / sizeof(lists[0]), list);
}

static int
notice_kind(struct parse *ps)
{
	struct notice *n = ps->n;
	char *list;
	int changes;

	if (ef_has_node(ps, XP_CHANGES, ps->x.root, &changes) < 0)
		return -1;
	if (changes) {
		n->kind = NOTICE_CHANGE;
		return 0;
	}
	n->kind = kind_of_subtype(n->subtype);
	if (n->kind != NOTICE_OTHER)
		return 0;
	if (ef_get_text(ps, XP_TYPE_LIST, ps->x.root, &list) < 0)
		return -1;
	n->kind = kind_of_list(list);
	free(list);
	return 0;
}

/* The organisation the first contracting party points at, or NULL. */
static int
buyer_company(struct parse *ps, xmlNodePtr *company)
{
	char *buyer_id;

	if (ef_get_text(ps, XP_BUYER_ID, ps->x.root, &buyer_id) < 0)
		return -1;
	*company = ef_index_find(&ps->orgs, buyer_id);
	free(buyer_id);
	return 0;
}

/*
 * The notice on TED once it is published there; before that the
 * procurement documents, then the buyer's profile or web site.
 */
static int
notice_url(struct parse *ps, xmlNodePtr company)
{
	static const enum xp fallbacks[] = {
		XP_DOC_URI, XP_BUYER_PROFILE, XP_COMPANY_WEB,
	};
	char *text = NULL, *url;
	size_t i;

	if (ef_get_token(ps, XP_PUB_ID, ps->x.root, &text) < 0)
		return -1;
	if (text) {
		url = malloc(strlen(TED_NOTICE_URL) + strlen(text) + 1);
		if (!url) {
			free(text);
			return xmlsafe_oom(&ps->x);
		}
		strcpy(url, TED_NOTICE_URL);
		strcat(url, text);
		ps->n->url = url;
		if (ef_short_publication_number(text))
			ps->n->publication = text;
		else
			free(text);
		return 0;
	}
	for (i = 0; i < sizeof(fallbacks) / sizeof(fallbacks[0]); i++) {
		xmlNodePtr at = fallbacks[i] == XP_COMPANY_WEB ? company :
								 ps->x.root;

		if (ef_first_web_url(ps, fallbacks[i], at, &ps->n->url) < 0)
			return -1;
		if (ps->n->url)
			break;
	}
	return 0;
}

static int
notice_published(struct parse *ps)
{
	struct stamp d;
	enum xp id = XP_PUB_DATE;
	char *date;

	if (ef_get_text(ps, XP_PUB_DATE, ps->x.root, &date) < 0)
		return -1;
	if (!date) {
		id = XP_ISSUE_DATE;
		if (ef_get_text(ps, XP_ISSUE_DATE, ps->x.root, &date) < 0)
			return -1;
	}
	if (!date)
		return xmlsafe_fail(&ps->x, "missing cbc:IssueDate");
	if (ef_parse_date(date, &d) < 0) {
		xmlsafe_fail(&ps->x, "%s: bad date '%.40s'", ef_xpaths[id].name,
			     date);
		free(date);
		return -1;
	}
	date[10] = '\0';
	ps->n->published = date;
	return 0;
}

int
ef_notice_header(struct parse *ps)
{
	struct notice *n = ps->n;
	xmlNodePtr folder, issue, project, company;

	if (ef_get_token(ps, XP_NOTICE_ID, ps->x.root, &n->id) < 0)
		return -1;
	if (!n->id)
		return xmlsafe_fail(&ps->x, "missing %s",
				    ef_xpaths[XP_NOTICE_ID].name);
	if (ef_get_token(ps, XP_VERSION, ps->x.root, &n->version) < 0)
		return -1;
	if (!n->version)
		return xmlsafe_fail(&ps->x, "missing cbc:VersionID");
	if (ef_get_token(ps, XP_SUBTYPE, ps->x.root, &n->subtype) < 0)
		return -1;
	if (!n->subtype)
		return xmlsafe_fail(&ps->x, "missing %s",
				    ef_xpaths[XP_SUBTYPE].name);
	if (notice_kind(ps) < 0)
		return -1;
	if (xmlsafe_first(&ps->x, XP_FOLDER, ps->x.root, &folder) < 0 ||
	    ef_get_token(ps, XP_FOLDER, ps->x.root, &n->procedure_id) < 0)
		return -1;
	if (!n->procedure_id && (folder || (n->kind != NOTICE_PLANNING &&
					    n->kind != NOTICE_RFI)))
		return xmlsafe_fail(&ps->x, "missing or empty "
				    "cbc:ContractFolderID");
	/*
	 * PINs and RFIs may come before a procedure exists and then have no
	 * ContractFolderID. The notice id stands in: it is unique, so such a
	 * notice links to nothing, and procedure_id is never NULL.
	 */
	if (!n->procedure_id && !(n->procedure_id = strdup(n->id)))
		return xmlsafe_oom(&ps->x);
	/* Required even when the publication date is what we report. */
	if (xmlsafe_first(&ps->x, XP_ISSUE_DATE, ps->x.root, &issue) < 0)
		return -1;
	if (!issue)
		return xmlsafe_fail(&ps->x, "missing cbc:IssueDate");
	if (notice_published(ps) < 0)
		return -1;
	if (xmlsafe_first(&ps->x, XP_PROJECT, ps->x.root, &project) < 0 ||
	    ef_get_lang_text(ps, XP_NAME, project, &n->title) < 0)
		return -1;
	if (!n->title)
		return xmlsafe_fail(&ps->x, "missing title "
				    "(cac:ProcurementProject/cbc:Name)");
	if (ef_get_token(ps, XP_LANGUAGE, ps->x.root, &n->language) < 0 ||
	    ef_index_build(ps, XP_COMPANIES, XP_COMPANY_ID, &ps->orgs) < 0 ||
	    buyer_company(ps, &company) < 0 ||
	    ef_get_lang_text(ps, XP_COMPANY_NAME, company, &n->buyer) < 0 ||
	    ef_get_text(ps, XP_COMPANY_LEGAL_ID, company, &n->buyer_id) < 0 ||
	    ef_get_text(ps, XP_COMPANY_CITY, company, &n->buyer_city) < 0 ||
	    ef_get_text(ps, XP_COMPANY_EMAIL, company, &n->buyer_email) < 0 ||
	    ef_get_text(ps, XP_COMPANY_PHONE, company, &n->buyer_phone) < 0 ||
	    ef_add_codes(ps, XP_COMPANY_COUNTRY, company, EFORMS_MAX_CODES,
			 &ps->buyer_country, ef_norm_country) < 0 ||
	    notice_url(ps, company) < 0)
		return -1;
	return 0;
}

/* What the notice says of the procedure as a whole. */
int
ef_notice_procedure(struct parse *ps)
{
	struct notice *n = ps->n;
	xmlNodePtr project;

	if (xmlsafe_first(&ps->x, XP_PROJECT, ps->x.root, &project) < 0 ||
	    ef_get_lang_text(ps, XP_DESCRIPTION, project,
			     &n->description) < 0 ||
	    ef_lang_texts(ps, XP_NAME, project, &n->titles, &n->ntitles) < 0 ||
	    ef_lang_texts(ps, XP_DESCRIPTION, project, &n->descriptions,
			  &n->ndescriptions) < 0 ||
	    ef_get_token(ps, XP_PROCEDURE_CODE, ps->x.root,
			 &n->procedure_type) < 0 ||
	    ef_get_amount(ps, XP_AMOUNT, project, &n->has_value, &n->value,
			  &n->currency) < 0 ||
	    ef_get_text(ps, XP_TOWN, project, &n->town) < 0 ||
	    ef_first_web_url(ps, XP_DOC_URI, ps->x.root,
			     &n->documents_url) < 0 ||
	    ef_first_web_url(ps, XP_ANY_SUBMIT_URL, ps->x.root,
			     &n->submission_url) < 0 ||
	    ef_get_count(ps, XP_MAX_SUBMITTED, ps->x.root,
			 &n->max_lots_submitted) < 0 ||
	    ef_get_count(ps, XP_MAX_AWARDED, ps->x.root,
			 &n->max_lots_awarded) < 0 ||
	    ef_notice_groups(ps) < 0)
		return -1;
	return 0;
}

