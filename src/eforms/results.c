/*
 * The results of an award notice: per lot, its winners, the value of
 * their tenders and the number of tenders.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "eforms_int.h"

/* What the lot results of an award notice refer to by identifier. */
struct results {
	struct index tenders;		/* efac:LotTender by cbc:ID */
	struct index contracted;	/* tenders a contract was signed on */
	struct index parties;		/* efac:TenderingParty by cbc:ID */
};

static int
same_text(const char *a, const char *b)
{
	return a == b || (a && b && strcmp(a, b) == 0);
}

/* Adds the organisation as a winner of a, once. */
static int
add_winner(struct parse *ps, struct award *a, xmlNodePtr company)
{
	struct winner w = { NULL, NULL }, *ws;
	size_t i;
	int rc = -1;

	if (ef_get_lang_text(ps, XP_COMPANY_NAME, company, &w.name) < 0 ||
	    ef_get_text(ps, XP_COMPANY_LEGAL_ID, company, &w.id) < 0)
		goto out;
	for (i = 0; i < a->nwinners; i++)
		if (same_text(a->winners[i].name, w.name) &&
		    same_text(a->winners[i].id, w.id))
			break;
	if (i < a->nwinners) {
		rc = 0;
		goto out;
	}
	if (a->nwinners == EFORMS_MAX_WINNERS) {
		xmlsafe_fail(&ps->x, "too many winners of one lot (max %d)",
			     EFORMS_MAX_WINNERS);
		goto out;
	}
	if (!(ws = array_add(a->winners, a->nwinners, sizeof(*ws)))) {
		xmlsafe_oom(&ps->x);
		goto out;
	}
	a->winners = ws;
	ws[a->nwinners++] = w;
	return 0;
out:
	free(w.name);
	free(w.id);
	return rc;
}

/*
 * The organisations behind a tender: the tenderers of its tendering party,
 * but of a group only its leader when the notice names one.
 */
static int
tender_winners(struct parse *ps, const struct results *r, xmlNodePtr tender,
	       struct award *a)
{
	struct xmlsafe_nodes nodes = { NULL, 0, NULL };
	xmlNodePtr party;
	char *text = NULL;
	int i, rc = -1;

	if (ef_get_text(ps, XP_TENDER_PARTY, tender, &text) < 0)
		return -1;
	party = ef_index_find(&r->parties, text);
	free(text);
	text = NULL;
	if (!party)
		return 0;
	if (xmlsafe_eval(&ps->x, XP_TENDERERS, party, &nodes) < 0)
		return -1;
	for (i = 0; i < nodes.n; i++) {
		xmlNodePtr tenderer = nodes.v[i], company;
		int member;

		/* Tenders and parties can be referred to again and again. */
		if (++ps->ntenderers > EFORMS_MAX_TOTAL_CODES) {
			xmlsafe_fail(&ps->x, "too many tenderers over all "
				     "results (max %d)",
				     EFORMS_MAX_TOTAL_CODES);
			goto out;
		}
		if (ef_get_text(ps, XP_GROUP_LEAD, tenderer, &text) < 0)
			goto out;
		member = same_text(text, "false");
		free(text);
		text = NULL;
		if (member)
			continue;
		if (ef_get_text(ps, XP_TENDERER_ID, tenderer, &text) < 0)
			goto out;
		company = ef_index_find(&ps->orgs, text);
		free(text);
		text = NULL;
		if (company && add_winner(ps, a, company) < 0)
			goto out;
	}
	rc = 0;
out:
	free(text);
	xmlsafe_nodes_free(&nodes);
	return rc;
}

/*
 * The winning tenders of a lot result: those a contract was signed on. Their
 * payable amounts add up to the awarded value when all are in one currency.
 */
static int
result_winners(struct parse *ps, const struct results *r, xmlNodePtr result,
	       struct award *a)
{
	struct xmlsafe_nodes nodes = { NULL, 0, NULL };
	xmlNodePtr tender;
	char *id = NULL, *currency = NULL;
	int i, has, mixed = 0, rc = -1;
	double value;

	if (xmlsafe_eval(&ps->x, XP_RESULT_TENDERS, result, &nodes) < 0)
		return -1;
	for (i = 0; i < nodes.n; i++) {
		if (ef_text_of(ps, nodes.v[i], XP_RESULT_TENDERS,
			       &id) < 0)
			goto out;
		tender = ef_index_find(&r->contracted, id) ?
			 ef_index_find(&r->tenders, id) : NULL;
		free(id);
		id = NULL;
		if (!tender)
			continue;
		has = 0;
		if (tender_winners(ps, r, tender, a) < 0 ||
		    ef_get_amount(ps, XP_PAYABLE, tender, &has, &value,
				  &currency) < 0)
			goto out;
		if (has && a->has_value && !same_text(currency, a->currency))
			mixed = 1;
		if (has && !a->has_value) {
			a->currency = currency;
			currency = NULL;
			a->value = 0;
		}
		a->value += has ? value : 0;
		a->has_value |= has;
		free(currency);
		currency = NULL;
	}
	if (mixed) {
		a->has_value = 0;
		free(a->currency);
		a->currency = NULL;
	}
	rc = 0;
out:
	free(id);
	free(currency);
	xmlsafe_nodes_free(&nodes);
	return rc;
}

/* efbc:StatisticsCode "tenders" and "t-sme": tenders, and from SMEs. */
static int
result_counts(struct parse *ps, xmlNodePtr result, struct award *a)
{
	struct xmlsafe_nodes nodes;
	char *code = NULL;
	int i, rc = 0;

	if (xmlsafe_eval(&ps->x, XP_STATS, result, &nodes) < 0)
		return -1;
	for (i = 0; i < nodes.n && rc == 0; i++) {
		xmlNodePtr stat = nodes.v[i];

		rc = ef_get_text(ps, XP_STAT_CODE, stat, &code);
		if (rc == 0 && same_text(code, "tenders"))
			rc = ef_get_count(ps, XP_STAT_NUMBER, stat,
					  &a->tenders);
		else if (rc == 0 && same_text(code, "t-sme"))
			rc = ef_get_count(ps, XP_STAT_NUMBER, stat,
					  &a->sme_tenders);
		free(code);
		code = NULL;
	}
	xmlsafe_nodes_free(&nodes);
	return rc;
}

static int
parse_result(struct parse *ps, const struct results *r, xmlNodePtr result,
	     int only_result)
{
	struct award *a = notice_add_award(ps->n);
	char *code = NULL;
	int rc = -1;

	if (!a)
		return xmlsafe_oom(&ps->x);
	if (ef_get_token(ps, XP_RESULT_LOT, result, &a->lot) < 0 ||
	    result_counts(ps, result, a) < 0 ||
	    ef_get_text(ps, XP_RESULT_CODE, result, &code) < 0)
		goto out;
	/* "selec-w": a winner was chosen; otherwise no tender won. */
	if (same_text(code, "selec-w") &&
	    result_winners(ps, r, result, a) < 0)
		goto out;
	if (!a->has_value && only_result &&
	    ef_get_amount(ps, XP_TOTAL, ps->x.root, &a->has_value, &a->value,
			  &a->currency) < 0)
		goto out;
	rc = 0;
out:
	free(code);
	return rc;
}

int
ef_notice_results(struct parse *ps)
{
	struct results r = { { NULL, 0 }, { NULL, 0 }, { NULL, 0 } };
	struct xmlsafe_nodes nodes;
	int i, rc = -1;

	if (xmlsafe_eval(&ps->x, XP_RESULTS, ps->x.root, &nodes) < 0)
		return -1;
	if (nodes.n == 0) {
		rc = 0;
		goto out;
	}
	if (nodes.n > EFORMS_MAX_LOTS) {
		xmlsafe_fail(&ps->x, "too many lot results (max %d)",
			     EFORMS_MAX_LOTS);
		goto out;
	}
	if (ef_index_build(ps, XP_TENDERS, XP_TENDER_ID, &r.tenders) < 0 ||
	    ef_index_build(ps, XP_CONTRACT_TENDERS, XP_SELF,
			   &r.contracted) < 0 ||
	    ef_index_build(ps, XP_PARTIES, XP_PARTY_ID, &r.parties) < 0)
		goto out;
	for (i = 0; i < nodes.n; i++)
		if (parse_result(ps, &r, nodes.v[i],
				 nodes.n == 1) < 0)
			goto out;
	rc = 0;
out:
	ef_index_free(&r.tenders);
	ef_index_free(&r.contracted);
	ef_index_free(&r.parties);
	xmlsafe_nodes_free(&nodes);
	return rc;
}

