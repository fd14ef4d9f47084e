/*
 * The lots: the groups they form, and each lot's codes, places, value,
 * duration and deadlines, with what the procedure says where a lot says
 * nothing.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/xpath.h>

#include "civil.h"
#include "eforms_int.h"

static int
lot_deadline(struct parse *ps, xmlNodePtr lot, struct lot *l)
{
	static const enum xp periods[] = {
		XP_SUBMISSION, XP_PARTICIPATION, XP_INTEREST, XP_ANSWER,
	};
	size_t i;
	time_t t;
	int found;

	for (i = 0; i < sizeof(periods) / sizeof(periods[0]); i++) {
		if (ef_period_end(ps, periods[i], lot, &found, &t) < 0)
			return -1;
		if (found && (!l->has_deadline || t < l->deadline)) {
			l->deadline = t;
			l->has_deadline = 1;
		}
	}
	/* Questions are not an act-by instant: they never move deadline. */
	return ef_period_end(ps, XP_QUESTIONS, lot, &l->has_questions_deadline,
			     &l->questions_deadline);
}

/* CPV codes come as "45000000" or with their check digit, "45000000-7". */
static int
norm_cpv(const char *s, char out[CODE_MAX])
{
	size_t i;

	for (i = 0; i < 8; i++)
		if (s[i] < '0' || s[i] > '9')
			return -1;
	if (s[8] != '\0' && !(s[8] == '-' && s[9] >= '0' && s[9] <= '9' &&
			      s[10] == '\0'))
		return -1;
	memcpy(out, s, 8);
	out[8] = '\0';
	return 0;
}

/* NUTS codes: country letters then up to three levels, e.g. "SE110". */
static int
norm_nuts(const char *s, char out[CODE_MAX])
{
	size_t i, len = strlen(s);

	if (len < 2 || len > 5)
		return -1;
	for (i = 0; i < len; i++) {
		if (!((s[i] >= 'A' && s[i] <= 'Z') ||
		      (i >= 2 && s[i] >= '0' && s[i] <= '9')))
			return -1;
	}
	memcpy(out, s, len + 1);
	return 0;
}

/*
 * The project's CPV codes and places: its NUTS regions, and the countries
 * of addresses that name no region; *anywhere set when it may also be
 * performed anywhere, which makes the places no bound.
 */
static int
project_codes(struct parse *ps, xmlNodePtr project, struct codes *cpv,
	      struct codes *nuts, int *anywhere)
{
	xmlNodePtr node;

	if (ef_add_codes(ps, XP_CPV_MAIN, project, EFORMS_MAX_CODES, cpv,
			 norm_cpv) < 0 ||
	    ef_add_codes(ps, XP_CPV_ADD, project, EFORMS_MAX_CODES, cpv,
			 norm_cpv) < 0 ||
	    ef_add_codes(ps, XP_NUTS, project, EFORMS_MAX_CODES, nuts,
			 norm_nuts) < 0 ||
	    ef_add_codes(ps, XP_COUNTRY, project, EFORMS_MAX_CODES, nuts,
			 ef_norm_country) < 0 ||
	    xmlsafe_first(&ps->x, XP_ANYWHERE, project, &node) < 0)
		return -1;
	*anywhere = node != NULL;
	return 0;
}

static int
copy_codes(const struct codes *from, char ***v, size_t *n)
{
	size_t i;

	for (i = 0; i < from->n; i++)
		if (strvec_push(v, n, from->v[i]) < 0)
			return -1;
	return 0;
}

/* Hands the codes over to the lot, or copies the fallback if there are none. */
static int
give_codes(struct codes *c, const struct codes *fallback, char ***v, size_t *n)
{
	if (c->n == 0)
		return copy_codes(fallback, v, n);
	*v = c->v;
	*n = c->n;
	c->v = NULL;
	c->n = 0;
	return 0;
}

/*
 * The estimated value; without one (or with 0, which buyers write for
 * "not stated"), a framework agreement's maximum value (BT-271), as that
 * is what a firm could be called on to deliver.
 */
static int
project_value(struct parse *ps, xmlNodePtr project, struct lot *l)
{
	char *currency = NULL;
	double max;
	int has = 0;

	if (ef_get_amount(ps, XP_AMOUNT, project, &l->has_value, &l->value,
			  &l->currency) < 0)
		return -1;
	if (l->has_value && l->value > 0)
		return 0;
	if (ef_get_amount(ps, XP_FRAMEWORK_MAX, project, &has, &max,
			  &currency) < 0)
		return -1;
	if (has && max > 0) {
		free(l->currency);
		l->currency = currency;
		l->value = max;
		l->has_value = 1;
	} else {
		free(currency);
	}
	return 0;
}

static int
project_sme(struct parse *ps, xmlNodePtr project, struct lot *l)
{
	char *text;
	int rc = 0;

	if (ef_get_text(ps, XP_SME, project, &text) < 0)
		return -1;
	if (!text)
		return 0;
	if (strcmp(text, "true") == 0 || strcmp(text, "1") == 0)
		l->sme_suitable = 1;
	else if (strcmp(text, "false") == 0 || strcmp(text, "0") == 0)
		l->sme_suitable = 0;
	else
		rc = xmlsafe_fail(&ps->x, "%s: bad boolean '%.40s'",
				  ef_xpaths[XP_SME].name, text);
	free(text);
	return rc;
}

/* fa-wo-rc, fa-w-rc and fa-mix are framework agreements; none is not. */
static int
lot_framework(struct parse *ps, xmlNodePtr lot_node, struct lot *l)
{
	char *code;

	if (ef_get_text(ps, XP_FRAMEWORK, lot_node, &code) < 0)
		return -1;
	if (code)
		l->framework = strncmp(code, "fa-", 3) == 0;
	free(code);
	return 0;
}

/* ---- groups of lots ----------------------------------------------------- */

static struct lot_group *
find_group(struct notice *n, const char *id)
{
	size_t i;

	for (i = 0; i < n->ngroups; i++)
		if (strcmp(n->groups[i].id, id) == 0)
			return &n->groups[i];
	return NULL;
}

/* Adds group id; *g is NULL if the notice has it already. */
static int
add_group(struct parse *ps, char **id, struct lot_group **g)
{
	struct notice *n = ps->n;
	struct lot_group *groups;

	*g = NULL;
	if (find_group(n, *id))
		return 0;
	if (n->ngroups == EFORMS_MAX_GROUPS)
		return xmlsafe_fail(&ps->x, "too many lots groups (max %d)",
				    EFORMS_MAX_GROUPS);
	groups = array_add(n->groups, n->ngroups, sizeof(*groups));
	if (!groups)
		return xmlsafe_oom(&ps->x);
	n->groups = groups;
	*g = &groups[n->ngroups++];
	(*g)->id = *id;
	*id = NULL;
	return 0;
}

/*
 * Groups of lots: their members from the lot distribution, their title
 * and value from the cac:ProcurementProjectLot that stands for the group.
 */
int
ef_notice_groups(struct parse *ps)
{
	struct xmlsafe_nodes nodes = { NULL, 0, NULL };
	struct lot_group *g;
	struct codes lots = { NULL, 0 };
	xmlNodePtr node, project;
	char *id = NULL;
	int i, rc = -1;

	if (xmlsafe_eval(&ps->x, XP_LOTS_GROUPS, ps->x.root, &nodes) < 0)
		return -1;
	for (i = 0; i < nodes.n; i++) {
		node = nodes.v[i];
		if (ef_get_token(ps, XP_GROUP_ID, node, &id) < 0)
			goto out;
		if (!id) {
			xmlsafe_fail(&ps->x, "missing %s",
				     ef_xpaths[XP_GROUP_ID].name);
			goto out;
		}
		if (add_group(ps, &id, &g) < 0)
			goto out;
		if (!g) {
			xmlsafe_fail(&ps->x, "duplicate lots group '%s'", id);
			goto out;
		}
		if (ef_add_codes(ps, XP_GROUP_LOTS, node, EFORMS_MAX_MEMBERS,
				 &lots, ef_norm_token) < 0)
			goto out;
		g->lots = lots.v;
		g->nlots = lots.n;
		lots.v = NULL;
		lots.n = 0;
	}
	xmlsafe_nodes_free(&nodes);
	if (xmlsafe_eval(&ps->x, XP_GROUP_LOT_NODES, ps->x.root, &nodes) < 0)
		return -1;
	for (i = 0; i < nodes.n; i++) {
		node = nodes.v[i];
		if (ef_get_token(ps, XP_LOT_ID, node, &id) < 0)
			goto out;
		if (!id)
			continue;
		g = find_group(ps->n, id);
		if (!g && add_group(ps, &id, &g) < 0)
			goto out;
		free(id);
		id = NULL;
		/* A group given twice keeps what it said first. */
		if (g->title || g->has_value)
			continue;
		if (xmlsafe_first(&ps->x, XP_PROJECT, node, &project) < 0 ||
		    ef_get_lang_text(ps, XP_NAME, project, &g->title) < 0 ||
		    ef_get_amount(ps, XP_AMOUNT, project, &g->has_value,
				  &g->value, &g->currency) < 0)
			goto out;
	}
	rc = 0;
out:
	strvec_free(lots.v, lots.n);
	free(id);
	xmlsafe_nodes_free(&nodes);
	return rc;
}

/* ---- lots --------------------------------------------------------------- */

/* What lots inherit when they say nothing themselves. */
struct procedure {
	xmlNodePtr project;
	struct codes cpv, nuts;
	int anywhere;
	/*
	 * The places and town of a lot that names none: the procedure's; when
	 * the notice names no region or country, the buyer's country, and
	 * when no town either, the buyer's town.
	 */
	const struct codes *places;
	const char *town;
};

static const struct codes no_places = { NULL, 0 };

/* An ISO 8601 duration of n units ("P36M") into *out. */
static int
iso_duration(struct parse *ps, long long n, char designator, char **out)
{
	if (!(*out = malloc(24)))
		return xmlsafe_oom(&ps->x);
	snprintf(*out, 24, "P%lld%c", n, designator);
	return 0;
}

/*
 * A planned period given by its start and end dates, in days, both
 * counted: 2024-04-01 to 2026-12-31 is "P1005D". Without both dates, or
 * with the end before the start, there is none.
 */
static int
planned_days(struct parse *ps, xmlNodePtr project, char **out)
{
	char *start = NULL, *end = NULL;
	const char *bad;
	struct stamp a, b;
	long long days;
	int rc = -1;

	if (ef_get_text(ps, XP_PLANNED_START, project, &start) < 0 ||
	    ef_get_text(ps, XP_PLANNED_END, project, &end) < 0)
		goto out;
	if (!start || !end) {
		rc = 0;
		goto out;
	}
	bad = ef_parse_date(start, &a) < 0 ? start :
	      ef_parse_date(end, &b) < 0 ? end : NULL;
	if (bad) {
		xmlsafe_fail(&ps->x, "cac:PlannedPeriod: bad date '%.40s'", bad);
		goto out;
	}
	days = civil_days(b.c.year, b.c.mon, b.c.day) -
	       civil_days(a.c.year, a.c.mon, a.c.day) + 1;
	rc = days > 0 ? iso_duration(ps, days, 'D', out) : 0;
out:
	free(start);
	free(end);
	return rc;
}

/*
 * The planned duration as ISO 8601 ("P36M"), from its measure or else
 * its start and end dates. A measure in a unit without a designator
 * gives none.
 */
static int
lot_duration(struct parse *ps, xmlNodePtr project, char **out)
{
	static const struct {
		const char *code;
		char designator;
	} units[] = {
		{ "DAY", 'D' }, { "CALENDAR_DAY", 'D' }, { "WEEK", 'W' },
		{ "MONTH", 'M' }, { "YEAR", 'Y' },
	};
	xmlNodePtr node;
	xmlChar *code = NULL;
	char *text = NULL;
	size_t i;
	int rc = -1;

	if (ef_get_node_text(ps, XP_DURATION, project, &node, &text) < 0)
		return -1;
	if (!text)
		return planned_days(ps, project, out);
	if (!ef_is_count(text)) {
		xmlsafe_fail(&ps->x, "%s: bad duration '%.40s'",
			     ef_xpaths[XP_DURATION].name, text);
		goto out;
	}
	code = xmlGetNoNsProp(node, (const xmlChar *)"unitCode");
	rc = 0;
	for (i = 0; code && i < sizeof(units) / sizeof(units[0]); i++)
		if (strcmp((const char *)code, units[i].code) == 0) {
			rc = iso_duration(ps, strtol(text, NULL, 10),
					  units[i].designator, out);
			break;
		}
out:
	xmlFree(code);
	free(text);
	return rc;
}

static int
parse_lot(struct parse *ps, const struct procedure *proc, xmlNodePtr lot_node,
	  int only_lot)
{
	struct codes cpv = { NULL, 0 }, nuts = { NULL, 0 };
	xmlNodePtr project;
	struct lot *l;
	size_t i;
	int anywhere, rc = -1;

	l = notice_add_lot(ps->n);
	if (!l)
		return xmlsafe_oom(&ps->x);
	if (ef_get_token(ps, XP_LOT_ID, lot_node, &l->id) < 0)
		goto out;
	if (!l->id) {
		xmlsafe_fail(&ps->x, "empty %s", ef_xpaths[XP_LOT_ID].name);
		goto out;
	}
	for (i = 0; i + 1 < ps->n->nlots; i++) {
		if (strcmp(ps->n->lots[i].id, l->id) == 0) {
			xmlsafe_fail(&ps->x, "duplicate lot id '%s'", l->id);
			goto out;
		}
	}
	if (xmlsafe_first(&ps->x, XP_PROJECT, lot_node, &project) < 0 ||
	    ef_get_lang_text(ps, XP_NAME, project, &l->title) < 0 ||
	    ef_lang_texts(ps, XP_NAME, project, &l->titles, &l->ntitles) < 0 ||
	    ef_get_lang_text(ps, XP_DESCRIPTION, project,
			     &l->description) < 0 ||
	    lot_framework(ps, lot_node, l) < 0 ||
	    project_codes(ps, project, &cpv, &nuts, &anywhere) < 0 ||
	    ef_get_text(ps, XP_TOWN, project, &l->town) < 0 ||
	    (!l->town && nuts.n == 0 && !anywhere &&
	     ef_copy_text(ps, proc->town, &l->town) < 0) ||
	    project_value(ps, project, l) < 0 ||
	    (!l->has_value && only_lot &&
	     project_value(ps, proc->project, l) < 0) ||
	    project_sme(ps, project, l) < 0 ||
	    lot_duration(ps, project, &l->duration) < 0 ||
	    lot_deadline(ps, lot_node, l) < 0 ||
	    ef_first_web_url(ps, XP_LOT_DOCS, lot_node,
			     &l->documents_url) < 0 ||
	    ef_first_web_url(ps, XP_SUBMIT_URL, lot_node,
			     &l->submission_url) < 0)
		goto out;
	if (give_codes(&cpv, &proc->cpv, &l->cpv, &l->ncpv) < 0 ||
	    (!anywhere &&
	     give_codes(&nuts, proc->places, &l->nuts, &l->nnuts) < 0)) {
		xmlsafe_oom(&ps->x);
		goto out;
	}
	ps->ncodes += l->ncpv + l->nnuts;
	if (ps->ncodes > EFORMS_MAX_TOTAL_CODES) {
		xmlsafe_fail(&ps->x, "too many CPV and NUTS codes over all "
			     "lots (max %d)", EFORMS_MAX_TOTAL_CODES);
		goto out;
	}
	rc = 0;
out:
	strvec_free(cpv.v, cpv.n);
	strvec_free(nuts.v, nuts.n);
	return rc;
}

/* A notice without lots is one lot, so that every notice can be matched. */
static int
virtual_lot(struct parse *ps, const struct procedure *proc)
{
	struct lot *l = notice_add_lot(ps->n);

	if (!l)
		return xmlsafe_oom(&ps->x);
	l->id = strdup("LOT-0000");
	l->title = strdup(ps->n->title);
	if (!l->id || !l->title)
		return xmlsafe_oom(&ps->x);
	if (copy_codes(&proc->cpv, &l->cpv, &l->ncpv) < 0 ||
	    copy_codes(proc->places, &l->nuts, &l->nnuts) < 0)
		return xmlsafe_oom(&ps->x);
	if (project_value(ps, proc->project, l) < 0 ||
	    project_sme(ps, proc->project, l) < 0 ||
	    lot_duration(ps, proc->project, &l->duration) < 0 ||
	    ef_copy_text(ps, ps->n->description, &l->description) < 0 ||
	    ef_copy_text(ps, proc->town, &l->town) < 0 ||
	    ef_copy_text(ps, ps->n->documents_url, &l->documents_url) < 0 ||
	    ef_copy_text(ps, ps->n->submission_url, &l->submission_url) < 0)
		return -1;
	return 0;
}

int
ef_notice_lots(struct parse *ps)
{
	struct procedure proc = { NULL, { NULL, 0 }, { NULL, 0 }, 0, NULL, NULL };
	struct xmlsafe_nodes nodes = { NULL, 0, NULL };
	struct notice *n = ps->n;
	size_t i;
	int nlots, rc = -1;

	if (xmlsafe_first(&ps->x, XP_PROJECT, ps->x.root, &proc.project) < 0 ||
	    project_codes(ps, proc.project, &proc.cpv, &proc.nuts,
			  &proc.anywhere) < 0 ||
	    xmlsafe_eval(&ps->x, XP_LOTS, ps->x.root, &nodes) < 0)
		goto out;
	proc.places = proc.anywhere ? &no_places :
		      proc.nuts.n ? &proc.nuts : &ps->buyer_country;
	proc.town = n->town || proc.places != &ps->buyer_country ? n->town :
		    n->buyer_city;
	nlots = nodes.n;
	if (nlots > EFORMS_MAX_LOTS) {
		xmlsafe_fail(&ps->x, "too many lots (%d, max %d)", nlots,
			     EFORMS_MAX_LOTS);
		goto out;
	}
	for (i = 0; i < (size_t)nlots; i++) {
		if (parse_lot(ps, &proc, nodes.v[i],
			      nlots == 1) < 0)
			goto out;
	}
	if (nlots == 0 && virtual_lot(ps, &proc) < 0)
		goto out;
	if (copy_codes(&proc.cpv, &n->cpv, &n->ncpv) < 0 ||
	    copy_codes(&proc.nuts, &n->nuts, &n->nnuts) < 0) {
		xmlsafe_oom(&ps->x);
		goto out;
	}
	for (i = 0; i < n->nlots; i++) {
		if (n->lots[i].has_deadline && (!n->has_deadline ||
		    n->lots[i].deadline < n->deadline)) {
			n->deadline = n->lots[i].deadline;
			n->has_deadline = 1;
		}
	}
	rc = 0;
out:
	xmlsafe_nodes_free(&nodes);
	strvec_free(proc.cpv.v, proc.cpv.n);
	strvec_free(proc.nuts.v, proc.nuts.n);
	return rc;
}

