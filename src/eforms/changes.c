/* A change notice: the notice it changes, what changed and why. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "eforms_int.h"

/* "<notice id>-<version>" names a notice version, as in cbc:VersionID. */
static void
split_version(char *id, char **version)
{
	size_t len = strlen(id);

	if (len > 3 && id[len - 3] == '-' && strspn(id + len - 2,
						     "0123456789") == 2) {
		id[len - 3] = '\0';
		*version = id + len - 2;
	}
}

static int
parse_change(struct parse *ps, xmlNodePtr change, struct changes *c)
{
	struct change_item *items;
	struct codes sections = { NULL, 0 };

	if (c->nitems == EFORMS_MAX_LOTS)
		return xmlsafe_fail(&ps->x, "too many changes (max %d)",
				    EFORMS_MAX_LOTS);
	if (!(items = array_add(c->items, c->nitems, sizeof(*items))))
		return xmlsafe_oom(&ps->x);
	c->items = items;
	items = &c->items[c->nitems++];
	if (ef_get_lang_text(ps, XP_CHANGE_DESC, change,
			     &items->description) < 0 ||
	    ef_add_codes(ps, XP_CHANGED_SECTIONS, change, EFORMS_MAX_MEMBERS,
			 &sections, ef_norm_token) < 0) {
		strvec_free(sections.v, sections.n);
		return -1;
	}
	items->sections = sections.v;
	items->nsections = sections.n;
	return 0;
}

int
ef_notice_changes(struct parse *ps)
{
	struct xmlsafe_nodes nodes;
	xmlNodePtr node;
	struct changes *c;
	char *version = NULL;
	int i, rc = -1;

	if (xmlsafe_first(&ps->x, XP_CHANGES, ps->x.root, &node) < 0)
		return -1;
	if (!node)
		return 0;
	if (!(c = ps->n->changes = calloc(1, sizeof(*c))))
		return xmlsafe_oom(&ps->x);
	if (ef_get_token(ps, XP_CHANGED_NOTICE, node, &c->notice_id) < 0 ||
	    ef_get_token(ps, XP_REASON_CODE, node, &c->reason_code) < 0 ||
	    ef_get_lang_text(ps, XP_REASON_DESC, node, &c->reason) < 0)
		return -1;
	if (c->notice_id && !ef_short_publication_number(c->notice_id))
		split_version(c->notice_id, &version);
	if (ef_copy_text(ps, version, &c->version) < 0 ||
	    xmlsafe_eval(&ps->x, XP_CHANGE, node, &nodes) < 0)
		return -1;
	for (i = 0; i < nodes.n; i++)
		if (parse_change(ps, nodes.v[i], c) < 0)
			goto out;
	rc = 0;
out:
	xmlsafe_nodes_free(&nodes);
	return rc;
}

