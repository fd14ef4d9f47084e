/*
 * Registering for a meeting keeps to its capacity, its registration
 * deadline, its start and its cancellation; a cancelled registration
 * frees the seat. Lists of organisation numbers are read with a line
 * number for every mistake.
 */
#define _XOPEN_SOURCE 700

#include "participation.h"
#include "test.h"
#include "testutil.h"
#include "testdb.h"

#define NOW 1795593600		/* 2026-11-25 09:00 in Stockholm */
#define DAY (24 * 3600)

static char dir[PATH_MAX];
static char db[PATH_MAX + 16];

static int64_t
add_firm(struct store *s, const char *orgnr)
{
	struct firm *f = firm_new();
	int64_t id = 0;
	int created;

	f->orgnr = strdup(orgnr);
	f->name = strdup(orgnr);
	f->email = strdup("a@b.example");
	f->language = strdup("sv");
	CHECK(store_put_firm(s, f, "t", NOW, &created) == 0);
	CHECK(store_firm_id(s, orgnr, &id) == 0 && id > 0);
	firm_free(f);
	return id;
}

static int64_t
add_meeting(struct store *s, long capacity)
{
	struct meeting *m = meeting_new();
	int64_t id = 0;

	m->title = strdup("Branschträff");
	m->category = strdup("maleri");
	m->start = NOW + 10 * DAY;
	m->end = m->start + 7200;
	m->timezone = strdup("Europe/Stockholm");
	m->location = strdup("Stadshuset");
	m->capacity = capacity;
	m->has_registration_deadline = 1;
	m->registration_deadline = NOW + 8 * DAY;
	CHECK(store_put_meeting(s, m, NOW, &id) == 0);
	meeting_free(m);
	return id;
}

static enum registration
reg(struct store *s, int64_t meeting, int64_t firm, time_t when)
{
	enum registration r = REG_NO_MEETING;

	CHECK(participation_register(s, meeting, firm, when, "t", &r) == 0);
	return r;
}

static void
test_registration_rules(void)
{
	struct store *s = NULL;
	int64_t a, b, c, m, open, id = 0;
	int found, created;

	make_tmpdir(dir, "test_participation");
	snprintf(db, sizeof db, "%s/t.db", dir);
	CHECK(store_open(db, &s) == 0);
	a = add_firm(s, "556734-2182");
	b = add_firm(s, "559318-8062");
	c = add_firm(s, "556753-8201");
	m = add_meeting(s, 2);
	open = add_meeting(s, 0);

	CHECK(reg(s, m, a, NOW) == REG_OK);
	CHECK(reg(s, m, a, NOW + 60) == REG_ALREADY);
	CHECK(reg(s, m, b, NOW) == REG_OK);
	/* two seats, both taken: the third waits, once */
	CHECK(reg(s, m, c, NOW) == REG_WAITING);
	CHECK(reg(s, m, c, NOW + 60) == REG_ALREADY);
	/* one cancels: the seat is free again, for it when it comes back */
	CHECK(store_firm_attendee(s, m, b, "t", &id) == 0);
	CHECK(store_set_attendee(s, id, RS_CANCELLED, NOW + 120) == 0);
	CHECK(reg(s, m, b, NOW + 240) == REG_OK);
	CHECK(db_query(db, "SELECT count(*) FROM meeting_registration WHERE "
		    "cancelled_at IS NULL AND registered_at IS NOT NULL") == 2);
	/* after the registration deadline, before the start */
	CHECK(reg(s, open, a, NOW + 9 * DAY) == REG_CLOSED);
	CHECK(reg(s, open, a, NOW + 11 * DAY) == REG_NO_MEETING);
	CHECK(reg(s, open, a, NOW + 10 * DAY + 60) == REG_OVER);
	/* no capacity: no limit */
	CHECK(reg(s, open, b, NOW) == REG_OK && reg(s, open, c, NOW) == REG_OK);
	CHECK(store_cancel_meeting(s, open, NOW, &found) == 0 && found);
	CHECK(reg(s, open, a, NOW) == REG_CANCELLED);
	CHECK(reg(s, 999, a, NOW) == REG_NO_MEETING);
	/* a walk-in is recorded as attending, once */
	CHECK(store_meeting_attended(s, m, b, NOW + 10 * DAY, "t", &created) == 0 &&
	      created);
	CHECK(store_meeting_attended(s, m, b, NOW + 10 * DAY, "t", &created) == 0 &&
	      !created);
	CHECK(db_query(db, "SELECT count(*) FROM meeting_registration WHERE "
		    "attended = 1") == 1);
	store_free(s);
	rm_rf(dir);
}

static void
test_orgnr_lists(void)
{
	struct orgnr_entry *v = NULL;
	struct capture cap;
	char path[PATH_MAX + 16], *err;
	size_t n = 0;

	make_tmpdir(dir, "test_participation");
	snprintf(path, sizeof path, "%s/list.csv", dir);
	write_text(path, "orgnr;namn\n5567342182;Berglunds\n\n"
		   "\"559318-8062\",Nordic\r\n556753-8201\n");
	CHECK(participation_read_orgnrs(path, &v, &n) == 0 && n == 3);
	if (n == 3) {
		CHECK_STR(v[0].orgnr, "556734-2182");
		CHECK(v[0].line == 2);
		CHECK_STR(v[1].orgnr, "559318-8062");
		CHECK(v[1].line == 4);
		CHECK_STR(v[2].orgnr, "556753-8201");
	}
	free(v);
	write_text(path, "556734-2182\n556734-2183\n");
	capture_start(&cap, 2);
	CHECK(participation_read_orgnrs(path, &v, &n) == -1);
	err = capture_end(&cap);
	CHECK(err && strstr(err, "list.csv:2: '556734-2183' is not an "
			    "organisation number"));
	free(err);
	rm_rf(dir);
}

int
main(void)
{
	setenv("TZ", "Europe/Stockholm", 1);
	tzset();
	RUN(test_registration_rules);
	RUN(test_orgnr_lists);
	return test_done("participation");
}
