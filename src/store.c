#include <errno.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <sqlite3.h>

#include "buf.h"
#include "log.h"
#include "store.h"

/*
 * Migrations, applied in order on open; PRAGMA user_version records how far
 * a database has come. Never edit a released migration: add the next one.
 */
static const char *const migrations[] = {
	/* 1: notices, lots, firms, matches and the outbox */
	"CREATE TABLE notice ("
	" id INTEGER PRIMARY KEY,"
	" notice_id TEXT NOT NULL,"
	" version TEXT NOT NULL,"
	" procedure_id TEXT NOT NULL,"
	" kind TEXT NOT NULL,"
	" subtype TEXT NOT NULL,"
	" title TEXT NOT NULL,"
	" buyer TEXT,"
	" published TEXT NOT NULL,"
	" deadline INTEGER,"
	" url TEXT,"
	" language TEXT,"
	" source TEXT NOT NULL,"
	" ingested_at INTEGER NOT NULL,"
	" UNIQUE (notice_id, version));"
	"CREATE INDEX notice_procedure ON notice (procedure_id);"
	"CREATE TABLE lot ("
	" id INTEGER PRIMARY KEY,"
	" notice INTEGER NOT NULL REFERENCES notice (id) ON DELETE CASCADE,"
	" lot_id TEXT NOT NULL,"
	" title TEXT,"
	" cpv TEXT NOT NULL,"
	" value REAL,"
	" currency TEXT,"
	" nuts TEXT NOT NULL,"
	" sme_suitable INTEGER,"
	" deadline INTEGER,"
	" UNIQUE (notice, lot_id));"
	"CREATE TABLE firm ("
	" id INTEGER PRIMARY KEY,"
	" orgnr TEXT NOT NULL UNIQUE,"
	" name TEXT NOT NULL,"
	" email TEXT NOT NULL,"
	" cpv TEXT NOT NULL,"
	" regions TEXT NOT NULL,"
	" language TEXT NOT NULL DEFAULT 'sv',"
	" employees INTEGER,"
	" turnover INTEGER,"
	" consent_at INTEGER NOT NULL,"
	" consent_source TEXT NOT NULL,"
	" updated_at INTEGER NOT NULL);"
	"CREATE TABLE message ("
	" id INTEGER PRIMARY KEY,"
	" key TEXT NOT NULL UNIQUE,"
	" firm INTEGER REFERENCES firm (id) ON DELETE CASCADE,"
	" rcpt TEXT NOT NULL,"
	" envelope_from TEXT NOT NULL,"
	" body BLOB NOT NULL,"
	" state TEXT NOT NULL DEFAULT 'pending'"
	"  CHECK (state IN ('pending', 'sending', 'sent', 'failed')),"
	" attempts INTEGER NOT NULL DEFAULT 0,"
	" next_attempt INTEGER NOT NULL,"
	" last_error TEXT,"
	" created_at INTEGER NOT NULL,"
	" sent_at INTEGER);"
	"CREATE INDEX message_due ON message (state, next_attempt);"
	"CREATE TABLE match ("
	" id INTEGER PRIMARY KEY,"
	" firm INTEGER NOT NULL REFERENCES firm (id) ON DELETE CASCADE,"
	" lot INTEGER NOT NULL REFERENCES lot (id) ON DELETE CASCADE,"
	" notice_id TEXT NOT NULL,"
	" lot_id TEXT NOT NULL,"
	" kind TEXT NOT NULL,"
	" reason TEXT NOT NULL,"
	" created_at INTEGER NOT NULL,"
	" message INTEGER REFERENCES message (id) ON DELETE SET NULL,"
	" UNIQUE (firm, notice_id, lot_id, kind));"
	"CREATE INDEX match_unqueued ON match (firm) WHERE message IS NULL;",

	/*
	 * 2: full eForms coverage (procedure details, texts in every
	 * language, lot groups, awards, changes between versions), the
	 * quarantine of rejected documents, and per-feed polling state.
	 */
	"ALTER TABLE notice ADD COLUMN description TEXT;"
	"ALTER TABLE notice ADD COLUMN buyer_id TEXT;"
	"ALTER TABLE notice ADD COLUMN buyer_city TEXT;"
	"ALTER TABLE notice ADD COLUMN procedure_type TEXT;"
	"ALTER TABLE notice ADD COLUMN cpv TEXT;"
	"ALTER TABLE notice ADD COLUMN value REAL;"
	"ALTER TABLE notice ADD COLUMN currency TEXT;"
	"ALTER TABLE notice ADD COLUMN nuts TEXT;"
	"ALTER TABLE notice ADD COLUMN town TEXT;"
	"ALTER TABLE notice ADD COLUMN documents_url TEXT;"
	"ALTER TABLE notice ADD COLUMN submission_url TEXT;"
	"ALTER TABLE notice ADD COLUMN max_lots_submitted INTEGER;"
	"ALTER TABLE notice ADD COLUMN max_lots_awarded INTEGER;"
	"ALTER TABLE notice ADD COLUMN changes_notice_id TEXT;"
	"ALTER TABLE notice ADD COLUMN changes_version TEXT;"
	"ALTER TABLE notice ADD COLUMN change_reason TEXT;"
	"ALTER TABLE notice ADD COLUMN superseded_by INTEGER REFERENCES notice (id);"
	"CREATE INDEX notice_current ON notice (notice_id) WHERE superseded_by IS NULL;"
	"CREATE TABLE notice_text ("
	" notice INTEGER NOT NULL REFERENCES notice (id) ON DELETE CASCADE,"
	" field TEXT NOT NULL CHECK (field IN ('title', 'description')),"
	" lang TEXT NOT NULL,"
	" value TEXT NOT NULL,"
	" PRIMARY KEY (notice, field, lang));"
	"ALTER TABLE lot ADD COLUMN description TEXT;"
	"ALTER TABLE lot ADD COLUMN town TEXT;"
	"ALTER TABLE lot ADD COLUMN questions_deadline INTEGER;"
	"ALTER TABLE lot ADD COLUMN duration TEXT;"
	"ALTER TABLE lot ADD COLUMN documents_url TEXT;"
	"ALTER TABLE lot ADD COLUMN submission_url TEXT;"
	"CREATE TABLE lot_group ("
	" id INTEGER PRIMARY KEY,"
	" notice INTEGER NOT NULL REFERENCES notice (id) ON DELETE CASCADE,"
	" group_id TEXT NOT NULL,"
	" title TEXT,"
	" lots TEXT NOT NULL,"
	" value REAL,"
	" currency TEXT,"
	" UNIQUE (notice, group_id));"
	"CREATE TABLE award ("
	" id INTEGER PRIMARY KEY,"
	" notice INTEGER NOT NULL REFERENCES notice (id) ON DELETE CASCADE,"
	" lot_id TEXT NOT NULL,"
	" tenders INTEGER,"
	" sme_tenders INTEGER,"
	" value REAL,"
	" currency TEXT);"
	"CREATE TABLE award_winner ("
	" award INTEGER NOT NULL REFERENCES award (id) ON DELETE CASCADE,"
	" name TEXT,"
	" org_id TEXT);"
	"CREATE INDEX award_winner_org ON award_winner (org_id);"
	"CREATE TABLE notice_change ("
	" id INTEGER PRIMARY KEY,"
	" notice INTEGER NOT NULL REFERENCES notice (id) ON DELETE CASCADE,"
	" previous INTEGER REFERENCES notice (id) ON DELETE SET NULL,"
	" lot_id TEXT,"
	" what TEXT NOT NULL,"
	" old TEXT,"
	" new TEXT);"
	"CREATE INDEX notice_change_notice ON notice_change (notice);"
	"CREATE TABLE quarantine ("
	" id INTEGER PRIMARY KEY,"
	" feed TEXT NOT NULL,"
	" source TEXT NOT NULL,"
	" reason TEXT NOT NULL,"
	" head BLOB NOT NULL,"
	" size INTEGER NOT NULL,"
	" first_seen INTEGER NOT NULL,"
	" last_seen INTEGER NOT NULL,"
	" times INTEGER NOT NULL DEFAULT 1,"
	" UNIQUE (source, reason));"
	"CREATE TABLE feed_state ("
	" feed TEXT PRIMARY KEY,"
	" last_poll INTEGER,"
	" last_success INTEGER,"
	" next_poll INTEGER NOT NULL DEFAULT 0,"
	" failures INTEGER NOT NULL DEFAULT 0,"
	" last_error TEXT,"
	" notices INTEGER NOT NULL DEFAULT 0);"
	"CREATE TABLE feed_item ("
	" feed TEXT NOT NULL,"
	" item TEXT NOT NULL,"
	" etag TEXT,"
	" last_modified TEXT,"
	" seen_at INTEGER NOT NULL,"
	" PRIMARY KEY (feed, item));",

	/*
	 * 3: lot categories. A firm subscribes to categories and notice
	 * kinds at a mail frequency; each lot is split into category parts;
	 * a match keeps its score and the category it came through.
	 */
	"ALTER TABLE firm ADD COLUMN categories TEXT NOT NULL DEFAULT '';"
	"ALTER TABLE firm ADD COLUMN kinds INTEGER NOT NULL DEFAULT 7;"
	"ALTER TABLE firm ADD COLUMN frequency TEXT NOT NULL DEFAULT 'immediately';"
	"ALTER TABLE match ADD COLUMN score INTEGER NOT NULL DEFAULT 0;"
	"ALTER TABLE match ADD COLUMN category TEXT;"
	"CREATE TABLE category_lot ("
	" id INTEGER PRIMARY KEY,"
	" lot INTEGER NOT NULL REFERENCES lot (id) ON DELETE CASCADE,"
	" category TEXT,"
	" cpv TEXT NOT NULL,"
	" value REAL,"
	" currency TEXT);"
	"CREATE INDEX category_lot_lot ON category_lot (lot);"
	"CREATE INDEX match_message ON match (message);",

	/*
	 * 4: mails after the first alert. A notice whose changes are not yet
	 * mailed is marked; deadline reminders find lots by deadline and
	 * matches by lot; a firm can stop mails about one procurement.
	 */
	"ALTER TABLE notice ADD COLUMN changes_pending INTEGER NOT NULL DEFAULT 0;"
	"CREATE INDEX notice_changes_pending ON notice (id) WHERE changes_pending = 1;"
	"CREATE INDEX lot_deadline ON lot (deadline) WHERE deadline IS NOT NULL;"
	"CREATE INDEX match_notice ON match (notice_id, lot_id);"
	"CREATE TABLE notice_stop ("
	" firm INTEGER NOT NULL REFERENCES firm (id) ON DELETE CASCADE,"
	" notice_id TEXT NOT NULL,"
	" created_at INTEGER NOT NULL,"
	" PRIMARY KEY (firm, notice_id));"
	"CREATE TABLE meeting ("
	" id INTEGER PRIMARY KEY,"
	" title TEXT NOT NULL,"
	" description TEXT,"
	" notice_id TEXT,"
	" category TEXT,"
	" starts_at INTEGER NOT NULL,"
	" ends_at INTEGER NOT NULL,"
	" timezone TEXT NOT NULL,"
	" location TEXT,"
	" video_url TEXT,"
	" capacity INTEGER,"
	" registration_deadline INTEGER,"
	" organizer TEXT,"
	" sequence INTEGER NOT NULL DEFAULT 0,"
	" cancelled INTEGER NOT NULL DEFAULT 0,"
	" created_at INTEGER NOT NULL,"
	" updated_at INTEGER NOT NULL,"
	" CHECK (notice_id IS NOT NULL OR category IS NOT NULL),"
	" CHECK (ends_at > starts_at));"
	"CREATE INDEX meeting_ends ON meeting (ends_at);"
	/* the last version of a meeting each firm was mailed */
	"CREATE TABLE meeting_invite ("
	" meeting INTEGER NOT NULL REFERENCES meeting (id) ON DELETE CASCADE,"
	" firm INTEGER NOT NULL REFERENCES firm (id) ON DELETE CASCADE,"
	" sequence INTEGER NOT NULL,"
	" invited_at INTEGER NOT NULL,"
	" PRIMARY KEY (meeting, firm));",

	/*
	 * 5: local participation. The unit's own RFIs; who answered an RFI,
	 * registered for or attended a meeting, or said it bid. A firm that
	 * is deleted leaves its rows without a firm, so the counts stay and
	 * nothing points to it.
	 */
	"CREATE TABLE rfi ("
	" id INTEGER PRIMARY KEY,"
	" notice_id TEXT UNIQUE,"
	" contact TEXT NOT NULL,"
	" attachments TEXT NOT NULL DEFAULT '',"
	" closed_at INTEGER,"
	" created_at INTEGER NOT NULL);"
	"CREATE TABLE rfi_response ("
	" id INTEGER PRIMARY KEY,"
	" notice_id TEXT NOT NULL,"
	" firm INTEGER REFERENCES firm (id) ON DELETE SET NULL,"
	" answered_at INTEGER NOT NULL,"
	" source TEXT NOT NULL,"
	" UNIQUE (notice_id, firm));"
	"CREATE TABLE meeting_registration ("
	" id INTEGER PRIMARY KEY,"
	" meeting INTEGER NOT NULL REFERENCES meeting (id) ON DELETE CASCADE,"
	" firm INTEGER REFERENCES firm (id) ON DELETE SET NULL,"
	" registered_at INTEGER,"
	" cancelled_at INTEGER,"
	" attended INTEGER NOT NULL DEFAULT 0,"
	" source TEXT NOT NULL,"
	" UNIQUE (meeting, firm));"
	"CREATE TABLE bid ("
	" id INTEGER PRIMARY KEY,"
	" notice_id TEXT NOT NULL,"
	" firm INTEGER REFERENCES firm (id) ON DELETE SET NULL,"
	" bid_at INTEGER NOT NULL,"
	" source TEXT NOT NULL,"
	" UNIQUE (notice_id, firm));",

	/*
	 * 6: subscriptions from the web. A firm is matched once confirmed
	 * (double opt-in; the unit's imports count as confirmed) and until
	 * it unsubscribes. A firm deleted at its own request leaves its
	 * alerts as anonymous facts, so the report's past quarters stay.
	 */
	"ALTER TABLE firm ADD COLUMN confirmed_at INTEGER;"
	"ALTER TABLE firm ADD COLUMN unsubscribed_at INTEGER;"
	"UPDATE firm SET confirmed_at = consent_at;"
	"CREATE TABLE anon_alert ("
	" item TEXT NOT NULL,"
	" sent_at INTEGER NOT NULL,"
	" category TEXT);",

	/*
	 * 7: incidents the operator is told of, once when they begin and
	 * once when they end: a feed that stopped, mails that fail.
	 */
	"CREATE TABLE incident ("
	" id INTEGER PRIMARY KEY,"
	" key TEXT NOT NULL,"
	" detail TEXT,"
	" opened_at INTEGER NOT NULL,"
	" closed_at INTEGER);"
	"CREATE UNIQUE INDEX incident_open ON incident (key) WHERE closed_at IS NULL;",

	/*
	 * 8: a firm's last mail is looked up for every firm in every pass
	 * (the digest interval); without an index that read every stored
	 * mail, and a pass grew slower with every day of mail kept.
	 */
	"CREATE INDEX message_firm ON message (firm, created_at);",

	/*
	 * 9: when a mail's news is past (the last deadline it tells of, the
	 * meeting it invites to): one the relay could not take before then
	 * is not sent late.
	 */
	"ALTER TABLE message ADD COLUMN stale_at INTEGER;",

	/*
	 * 10: a firm's id is never given to another firm, so the links of a
	 * deleted firm never open the next one's account (AUTOINCREMENT; the
	 * sequence starts above every id the database shows was used). An
	 * address change waits for the new address to confirm it. A sender
	 * claims a message with its name and a lease, so a pass takes back
	 * only claims whose sender is gone. Attempts on the web's forms, for
	 * limits that outlive a restart and any number of clients. The
	 * public lists read notices newest first from an index.
	 */
	"CREATE TABLE firm_v10 ("
	" id INTEGER PRIMARY KEY AUTOINCREMENT,"
	" orgnr TEXT NOT NULL UNIQUE,"
	" name TEXT NOT NULL,"
	" email TEXT NOT NULL,"
	" cpv TEXT NOT NULL,"
	" regions TEXT NOT NULL,"
	" language TEXT NOT NULL DEFAULT 'sv',"
	" employees INTEGER,"
	" turnover INTEGER,"
	" consent_at INTEGER NOT NULL,"
	" consent_source TEXT NOT NULL,"
	" updated_at INTEGER NOT NULL,"
	" categories TEXT NOT NULL DEFAULT '',"
	" kinds INTEGER NOT NULL DEFAULT 7,"
	" frequency TEXT NOT NULL DEFAULT 'immediately',"
	" confirmed_at INTEGER,"
	" unsubscribed_at INTEGER,"
	" new_email TEXT,"
	" new_email_at INTEGER);"
	"INSERT INTO firm_v10 (id, orgnr, name, email, cpv, regions, language,"
	" employees, turnover, consent_at, consent_source, updated_at, categories,"
	" kinds, frequency, confirmed_at, unsubscribed_at)"
	" SELECT id, orgnr, name, email, cpv, regions, language, employees,"
	" turnover, consent_at, consent_source, updated_at, categories, kinds,"
	" frequency, confirmed_at, unsubscribed_at FROM firm;"
	"DROP TABLE firm;"
	"ALTER TABLE firm_v10 RENAME TO firm;"
	"DELETE FROM sqlite_sequence WHERE name IN ('firm', 'firm_v10');"
	"INSERT INTO sqlite_sequence (name, seq) SELECT 'firm', max("
	" coalesce((SELECT max(id) FROM firm), 0),"
	" coalesce((SELECT max(CAST(substr(item, 9, instr(substr(item, 9), '-') - 1)"
	"  AS INTEGER)) FROM anon_alert WHERE item LIKE 'deleted-%'), 0),"
	" coalesce((SELECT max(firm) FROM message), 0));"
	"ALTER TABLE message ADD COLUMN claimed_by TEXT;"
	"ALTER TABLE message ADD COLUMN lease_until INTEGER;"
	"CREATE TABLE web_attempt ("
	" key TEXT NOT NULL,"
	" at INTEGER NOT NULL);"
	"CREATE INDEX web_attempt_key ON web_attempt (key, at);"
	"CREATE INDEX web_attempt_at ON web_attempt (at);"
	"CREATE INDEX notice_newest ON notice (published, id)"
	" WHERE superseded_by IS NULL;"
	"CREATE INDEX notice_kind_newest ON notice (kind, published, id)"
	" WHERE superseded_by IS NULL;",

	/*
	 * 11: a notice's TED publication number, as most change notices name
	 * their original by it; read from the TED link of the notices stored
	 * before, so a change links to them too. A change notice has a notice
	 * id of its own: the firms matched under the original's are reminded
	 * of the change's deadlines through notice_successor.
	 */
	"ALTER TABLE notice ADD COLUMN publication TEXT;"
	"UPDATE notice SET publication = ltrim(substr(url, 42), '0')"
	" WHERE url LIKE 'https://ted.europa.eu/en/notice/-/detail/%';"
	"CREATE INDEX notice_publication ON notice (publication);"
	"CREATE TABLE notice_successor ("
	" notice_id TEXT PRIMARY KEY,"
	" current_id TEXT NOT NULL);"
	"CREATE INDEX notice_successor_current ON notice_successor (current_id);",

	/* 12: a firm that works abroad too hears of lots performed abroad. */
	"ALTER TABLE firm ADD COLUMN abroad INTEGER NOT NULL DEFAULT 0;",

	/*
	 * 13: when firms new or changed were last matched against what is
	 * still open, and how far the round in hand came (the last notice
	 * id done), so a round a crash cut short goes on where it was; one
	 * row.
	 */
	"CREATE TABLE backfill ("
	" id INTEGER PRIMARY KEY CHECK (id = 1),"
	" done_at INTEGER NOT NULL DEFAULT 0,"
	" started_at INTEGER,"
	" cursor TEXT);",

	/*
	 * 14: the euro reference rates a rates feed last brought, one day's
	 * set, with that day and where they came from; the bundled rates
	 * stand in for a currency they lack.
	 */
	"CREATE TABLE rate ("
	" currency TEXT PRIMARY KEY,"
	" per_eur REAL NOT NULL CHECK (per_eur > 0),"
	" day TEXT NOT NULL,"
	" source TEXT NOT NULL,"
	" fetched_at INTEGER NOT NULL);",

	/*
	 * 15: how far a TED feed has read, by publication date (the window
	 * still to read and the newest date read through), so a poll goes on
	 * from there rather than from the archive's start; and the items
	 * whose document could not be fetched yet (a 403, 404 or 5xx), tried
	 * again later instead of being quarantined.
	 */
	"ALTER TABLE feed_state ADD COLUMN window_lo TEXT;"
	"ALTER TABLE feed_state ADD COLUMN window_hi TEXT;"
	"ALTER TABLE feed_state ADD COLUMN window_top TEXT;"
	"CREATE TABLE feed_pending ("
	" feed TEXT NOT NULL,"
	" item TEXT NOT NULL,"
	" url TEXT NOT NULL,"
	" attempts INTEGER NOT NULL DEFAULT 1,"
	" first_failed INTEGER NOT NULL,"
	" next_try INTEGER NOT NULL,"
	" last_error TEXT NOT NULL,"
	" PRIMARY KEY (feed, item));",

	/*
	 * 16: a meeting as each earlier sequence had it, kept when it is
	 * changed, so the update tells a firm what changed since the
	 * version it was sent.
	 */
	"CREATE TABLE meeting_version ("
	" meeting INTEGER NOT NULL REFERENCES meeting (id) ON DELETE CASCADE,"
	" sequence INTEGER NOT NULL,"
	" title TEXT NOT NULL,"
	" description TEXT,"
	" notice_id TEXT,"
	" category TEXT,"
	" starts_at INTEGER NOT NULL,"
	" ends_at INTEGER NOT NULL,"
	" timezone TEXT NOT NULL,"
	" location TEXT,"
	" video_url TEXT,"
	" capacity INTEGER,"
	" registration_deadline INTEGER,"
	" organizer TEXT,"
	" PRIMARY KEY (meeting, sequence));",

	/*
	 * 17: what a firm needs to decide, as the notice says it: the
	 * buyer's contact, for its questions and the mail's Reply-To,
	 * whether a lot is a framework agreement, and a lot's title in
	 * every language given, for a firm that reads English.
	 */
	"ALTER TABLE notice ADD COLUMN buyer_email TEXT;"
	"ALTER TABLE notice ADD COLUMN buyer_phone TEXT;"
	"ALTER TABLE lot ADD COLUMN framework INTEGER;"
	"CREATE TABLE lot_text ("
	" lot INTEGER NOT NULL REFERENCES lot (id) ON DELETE CASCADE,"
	" field TEXT NOT NULL CHECK (field = 'title'),"
	" lang TEXT NOT NULL,"
	" value TEXT NOT NULL,"
	" PRIMARY KEY (lot, field, lang));",

	/*
	 * 18: what came back for an address (lowercase): a hard bounce
	 * suppresses it from then on (hard_at, why); soft bounces are
	 * counted, one a day, over the days from soft_first_at.
	 */
	"CREATE TABLE bounce ("
	" address TEXT PRIMARY KEY,"
	" hard_at INTEGER,"
	" reason TEXT,"
	" soft INTEGER NOT NULL DEFAULT 0,"
	" soft_first_at INTEGER,"
	" soft_last_at INTEGER);",
};

#define NMIGRATIONS ((int)(sizeof migrations / sizeof migrations[0]))

enum stmt_id {
	ST_NOTICE_EXISTS,
	ST_NOTICE_INSERT,
	ST_NOTICE_TEXT_INSERT,
	ST_LOT_INSERT,
	ST_LOT_TEXT_INSERT,
	ST_GROUP_INSERT,
	ST_AWARD_INSERT,
	ST_WINNER_INSERT,
	ST_NOTICE_CURRENT,
	ST_NOTICE_SUPERSEDE,
	ST_SUCCESSOR_MOVE,
	ST_SUCCESSOR_ADD,
	ST_NOTICE_DIFF,
	ST_CHANGE_ANNOUNCED,
	ST_QUARANTINE_PUT,
	ST_QUARANTINE_LIST,
	ST_FEED_ITEM_GET,
	ST_FEED_ITEM_PUT,
	ST_FEED_STATE_GET,
	ST_FEED_STATE_PUT,
	ST_FEED_WINDOW_GET,
	ST_FEED_WINDOW_PUT,
	ST_PENDING_PUT,
	ST_PENDING_DUE,
	ST_PENDING_DROP,
	ST_PENDING_HAS,
	ST_PENDING_SUMMARY,
	ST_CHANGES_OF,
	ST_CATEGORY_LOT_INSERT,
	ST_MATCHES_MAILED_SINCE,
	ST_LAST_ALERT,
	ST_NOTICE_GET,
	ST_NOTICE_LOTS,
	ST_LOT_PARTS,
	ST_SINGLE_LOT_NOTICES,
	ST_OUTBOX_LIST,
	ST_OUTBOX_GET,
	ST_OUTBOX_RETRY,
	ST_OUTBOX_PURGE,
	ST_FIRM_FIND,
	ST_FIRM_INSERT,
	ST_FIRM_UPDATE,
	ST_FIRM_DELETE,
	ST_FIRM_ALL,
	ST_FIRM_CHANGED,
	ST_OPEN_NOTICES,
	ST_MATCH_INSERT,
	ST_MATCHES_UNQUEUED,
	ST_MATCHED_LOTS,
	ST_MESSAGE_INSERT,
	ST_MESSAGE_INSERT_UNBUILT,
	ST_MATCH_LINK,
	ST_MESSAGES_DUE,
	ST_MESSAGE_MARK,
	ST_MESSAGE_CLAIM,
	ST_MESSAGES_RECOVER,
	ST_MESSAGES_STALE,
	ST_CHANGES_MARK_PENDING,
	ST_CHANGES_PENDING,
	ST_CHANGES_OF_ROW,
	ST_CHANGES_DONE,
	ST_CHANGE_RECIPIENTS,
	ST_MESSAGE_EXISTS,
	ST_REMINDER_CANDIDATES,
	ST_MATCHES_OF_NOTICE,
	ST_NOTICE_STOP,
	ST_MEETING_INSERT,
	ST_MEETING_UPDATE,
	ST_MEETING_CANCEL,
	ST_MEETING_KEEP_VERSION,
	ST_MEETING_VERSION,
	ST_MEETINGS,
	ST_MEETING_INVITES,
	ST_MEETING_INVITED,
	ST_NOTICE_FIRMS,
	ST_RFI_INSERT,
	ST_RFI_NAME,
	ST_RFI_CLOSE,
	ST_RFIS,
	ST_RFI_RESPONSE,
	ST_RFI_RESPONSES,
	ST_BID,
	ST_MEETING_REGISTER,
	ST_MEETING_UNREGISTER,
	ST_MEETING_ATTENDED,
	ST_MEETING_PARTICIPANTS,
	ST_FIRM_PENDING_INSERT,
	ST_FIRM_STATE,
	ST_FIRM_CONFIRM,
	ST_FIRM_UNSUBSCRIBE,
	ST_FIRM_RESUBSCRIBE,
	ST_FIRM_ANONYMISE,
	ST_FIRM_DELETE_ID,
	ST_FIRM_BY_ID,
	ST_PUBLIC_NOTICES,
	ST_PUBLIC_NOTICES_OF_KIND,
	ST_PUBLIC_NOTICE,
	ST_FIRM_RECORDS,
	ST_OUTBOX_COUNTS,
	ST_INCIDENT_OPEN_GET,
	ST_INCIDENT_OPEN,
	ST_INCIDENT_CLOSE,
	ST_FIRM_LAPSED_DELETE,
	ST_FIRM_NEW_EMAIL,
	ST_FIRM_NEW_EMAIL_CONFIRM,
	ST_ATTEMPT_PURGE,
	ST_ATTEMPT_COUNT,
	ST_ATTEMPT_ADD,
	ST_RATES_DAY,
	ST_RATES_CLEAR,
	ST_RATE_PUT,
	ST_RATES,
	ST_DATA_VERSION,
	ST_BACKFILL_GET,
	ST_BACKFILL_PROGRESS,
	ST_BACKFILL_DONE,
	ST_BOUNCE_GET,
	ST_BOUNCE_PUT,
	ST_BOUNCE_CLEAR,
	ST_BOUNCED_COUNT,
	ST_MESSAGES_BOUNCED,
	ST_REPORT_FIRST,
	ST_REPORT_LAST = ST_REPORT_FIRST + REPORT_NQUERIES - 1,
	NSTMT
};

#define OUTBOX_ENTRY_COLUMNS \
	"SELECT id, key, rcpt, state, attempts, created_at, next_attempt," \
	" sent_at, last_error, length(body) > 0 FROM message"

#define FIRM_COLUMNS \
	"SELECT id, orgnr, name, email, cpv, regions, language, employees," \
	" turnover, categories, kinds, frequency, abroad, hard_at, reason" \
	" FROM firm LEFT JOIN bounce ON address = lower(email)"

/*
 * What the public pages list: every current notice some firm was matched
 * to, and every RFI, the unit's own and others', newest first; which of
 * them is the statement's (a kind, a notice id, or all).
 */
#define PUBLIC_NOTICES(which) \
	"SELECT n.notice_id, n.title, n.buyer, n.url, n.kind, n.deadline," \
	" n.published, (SELECT group_concat(DISTINCT c.category) FROM lot l" \
	"  JOIN category_lot c ON c.lot = l.id WHERE l.notice = n.id)," \
	" n.description, r.contact, coalesce(r.attachments, n.documents_url)," \
	" coalesce(r.closed_at, 0), r.id IS NOT NULL, n.ingested_at" \
	" FROM notice n LEFT JOIN rfi r ON r.notice_id = n.notice_id" \
	" WHERE n.superseded_by IS NULL AND " which \
	" AND (?5 IS NULL OR ((n.deadline IS NULL OR n.deadline > ?5)" \
	"  AND r.closed_at IS NULL))" \
	" AND (n.kind = 'rfi' OR EXISTS (SELECT 1 FROM match m" \
	"  WHERE m.notice_id = n.notice_id))" \
	" AND (?1 IS NULL OR EXISTS (SELECT 1 FROM lot l JOIN category_lot c" \
	"  ON c.lot = l.id WHERE l.notice = n.id AND c.category = ?1))" \
	" ORDER BY n.published DESC, n.id DESC LIMIT ?2 OFFSET ?6"

/* A match as a mail shows it; the title in the firm's language if given. */
/* The firm's language as eForms names it. */
#define FIRM_LANG "CASE f.language WHEN 'en' THEN 'ENG' ELSE 'SWE' END"
/*
 * A planned procurement's or an RFI's part split into several categories
 * has a value for the whole part only, which may yet be divided: none of
 * its categories shows that as its own. A tender's lot is bid for whole.
 */
#define PART_OF(col) \
	"CASE WHEN n.kind IN ('planning', 'rfi') AND (SELECT count(*)" \
	" FROM category_lot c WHERE c.lot = l.id) > 1 THEN NULL ELSE " col \
	" END"
#define MATCH_ITEM_COLUMNS \
	"SELECT m.id, m.kind, coalesce((SELECT t.value FROM notice_text t" \
	"  WHERE t.notice = n.id AND t.field = 'title' AND t.lang = " \
	FIRM_LANG "), n.title)," \
	" n.buyer, n.url, l.lot_id, coalesce((SELECT t.value FROM lot_text t" \
	"  WHERE t.lot = l.id AND t.field = 'title' AND t.lang = " FIRM_LANG \
	"), l.title), m.reason, l.deadline, " PART_OF("l.value") ", " \
	PART_OF("l.currency") ", m.notice_id, m.category, l.description," \
	" l.duration, l.framework, l.sme_suitable, l.questions_deadline," \
	" coalesce(l.documents_url, n.documents_url), n.buyer_email," \
	" n.buyer_phone, n.buyer_id," \
	" (SELECT count(*) FROM lot x WHERE x.notice = n.id" \
	"  AND x.lot_id <= l.lot_id)," \
	" (SELECT count(*) FROM lot x WHERE x.notice = n.id)," \
	" (SELECT group_concat(w.name, ', ') FROM award a" \
	"  JOIN award_winner w ON w.award = a.id" \
	"  WHERE a.notice = n.id AND a.lot_id = l.lot_id)," \
	" (SELECT a.value FROM award a WHERE a.notice = n.id" \
	"  AND a.lot_id = l.lot_id AND a.value > 0 LIMIT 1)," \
	" (SELECT a.currency FROM award a WHERE a.notice = n.id" \
	"  AND a.lot_id = l.lot_id AND a.value > 0 LIMIT 1)"

/*
 * The report's figures. Each query names facts (time, category, item)
 * and counts the distinct items per quarter of local time: per category,
 * and for all categories together (category NULL), which is not the sum
 * when an item falls in several. A firm deleted since still counts, as
 * its row, though nothing names it any more.
 */
#define QUARTER(ts) \
	"CAST(strftime('%Y', " ts ", 'unixepoch', 'localtime') AS INTEGER), " \
	"(CAST(strftime('%m', " ts ", 'unixepoch', 'localtime') AS INTEGER)" \
	" + 2) / 3"
#define PER_QUARTER(facts) \
	"WITH f (ts, category, item) AS (" facts "),"			\
	" q (y, qu, category, item) AS (SELECT " QUARTER("ts") ","	\
	"  category, item FROM f WHERE ts >= ?1 AND ts < ?2)"		\
	" SELECT y, qu, category, count(DISTINCT item), 0, NULL FROM q"	\
	"  WHERE category IS NOT NULL GROUP BY y, qu, category"		\
	" UNION ALL SELECT y, qu, NULL, count(DISTINCT item), 0, NULL FROM q" \
	"  GROUP BY y, qu ORDER BY 1, 2, 3"
#define PUBLISHED(n) \
	"CAST(strftime('%s', substr(" n ".published, 1, 10)) AS INTEGER)"
/* The categories of a notice id's current version, as c.category. */
#define NOTICE_PARTS(id) \
	" LEFT JOIN notice n ON n.notice_id = " id " AND n.superseded_by IS NULL" \
	" LEFT JOIN lot l ON l.notice = n.id" \
	" LEFT JOIN category_lot c ON c.lot = l.id"
#define CURRENT_NOTICES \
	" FROM notice n JOIN lot l ON l.notice = n.id" \
	" LEFT JOIN category_lot c ON c.lot = l.id" \
	" WHERE n.superseded_by IS NULL" \
	" AND n.kind IN ('planning', 'rfi', 'competition')"
#define MEETING_FACTS(ts, item, where) \
	"SELECT " ts ", coalesce(mt.category, c.category), " item \
	" FROM meeting mt" NOTICE_PARTS("mt.notice_id") \
	" LEFT JOIN meeting_registration r ON r.meeting = mt.id" \
	" WHERE mt.cancelled = 0 AND " where
#define PARTICIPATION_FACTS(table, ts) \
	"SELECT a." ts ", c.category, coalesce(a.firm, -a.id) FROM " table " a" \
	NOTICE_PARTS("a.notice_id")

static const char *const stmt_sql[NSTMT] = {
	[ST_NOTICE_EXISTS] =
	"SELECT 1 FROM notice WHERE notice_id = ?1 AND version = ?2",
	[ST_NOTICE_INSERT] =
	"INSERT INTO notice (notice_id, version, procedure_id, kind, subtype,"
	" title, buyer, published, deadline, url, language, source, ingested_at,"
	" description, buyer_id, buyer_city, procedure_type, cpv, value,"
	" currency, nuts, town, documents_url, submission_url,"
	" max_lots_submitted, max_lots_awarded, changes_notice_id,"
	" changes_version, change_reason, publication, buyer_email, buyer_phone)"
	" VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14,"
	" ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22, ?23, ?24, ?25, ?26, ?27, ?28,"
	" ?29, ?30, ?31, ?32)",
	[ST_NOTICE_TEXT_INSERT] =
	"INSERT OR REPLACE INTO notice_text (notice, field, lang, value)"
	" VALUES (?1, ?2, ?3, ?4)",
	[ST_LOT_INSERT] =
	"INSERT INTO lot (notice, lot_id, title, cpv, value, currency, nuts,"
	" sme_suitable, deadline, description, town, questions_deadline,"
	" duration, documents_url, submission_url, framework)"
	" VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14,"
	" ?15, ?16)",
	[ST_LOT_TEXT_INSERT] =
	"INSERT OR REPLACE INTO lot_text (lot, field, lang, value)"
	" VALUES (?1, ?2, ?3, ?4)",
	[ST_GROUP_INSERT] =
	"INSERT INTO lot_group (notice, group_id, title, lots, value, currency)"
	" VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
	[ST_AWARD_INSERT] =
	"INSERT INTO award (notice, lot_id, tenders, sme_tenders, value, currency)"
	" VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
	[ST_WINNER_INSERT] =
	"INSERT INTO award_winner (award, name, org_id) VALUES (?1, ?2, ?3)",
	[ST_NOTICE_CURRENT] =
	"SELECT id, version FROM notice WHERE notice_id IN (SELECT coalesce("
	"  (SELECT s.current_id FROM notice_successor s"
	"   WHERE s.notice_id = o.notice_id), o.notice_id)"
	"  FROM notice o WHERE o.notice_id = ?1 OR o.publication = ?1)"
	" AND id <> ?2 AND superseded_by IS NULL"
	" ORDER BY version DESC, id DESC LIMIT 1",
	[ST_NOTICE_SUPERSEDE] =
	"UPDATE notice SET superseded_by = ?2 WHERE id = ?1",
	/* The notice row ?1 is replaced by row ?2 of another notice id. */
	[ST_SUCCESSOR_MOVE] =
	"UPDATE notice_successor SET current_id ="
	" (SELECT notice_id FROM notice WHERE id = ?2)"
	" WHERE current_id = (SELECT notice_id FROM notice WHERE id = ?1)",
	[ST_SUCCESSOR_ADD] =
	"INSERT OR REPLACE INTO notice_successor (notice_id, current_id)"
	" SELECT o.notice_id, n.notice_id FROM notice o, notice n"
	" WHERE o.id = ?1 AND n.id = ?2 AND o.notice_id <> n.notice_id",
	/* What differs between a notice (?1) and the one it replaces (?2). */
	[ST_NOTICE_DIFF] =
	"INSERT INTO notice_change (notice, previous, lot_id, what, old, new)"
	" SELECT ?1, ?2, l.lot_id, 'deadline', p.deadline, l.deadline"
	"  FROM lot l JOIN lot p ON p.notice = ?2 AND p.lot_id = l.lot_id"
	"  WHERE l.notice = ?1 AND l.deadline IS NOT p.deadline"
	" UNION ALL"
	" SELECT ?1, ?2, l.lot_id, 'questions_deadline', p.questions_deadline,"
	"  l.questions_deadline"
	"  FROM lot l JOIN lot p ON p.notice = ?2 AND p.lot_id = l.lot_id"
	"  WHERE l.notice = ?1 AND l.questions_deadline IS NOT p.questions_deadline"
	" UNION ALL"
	" SELECT ?1, ?2, l.lot_id, 'documents', p.documents_url, l.documents_url"
	"  FROM lot l JOIN lot p ON p.notice = ?2 AND p.lot_id = l.lot_id"
	"  WHERE l.notice = ?1 AND l.documents_url IS NOT p.documents_url"
	" UNION ALL"
	" SELECT ?1, ?2, l.lot_id, 'value', p.value, l.value"
	"  FROM lot l JOIN lot p ON p.notice = ?2 AND p.lot_id = l.lot_id"
	"  WHERE l.notice = ?1 AND l.value IS NOT p.value"
	" UNION ALL"
	" SELECT ?1, ?2, l.lot_id, 'title', p.title, l.title"
	"  FROM lot l JOIN lot p ON p.notice = ?2 AND p.lot_id = l.lot_id"
	"  WHERE l.notice = ?1 AND l.title IS NOT p.title"
	" UNION ALL"
	" SELECT ?1, ?2, p.lot_id, 'lot_cancelled', p.title, NULL"
	"  FROM lot p WHERE p.notice = ?2 AND NOT EXISTS"
	"  (SELECT 1 FROM lot l WHERE l.notice = ?1 AND l.lot_id = p.lot_id)"
	" UNION ALL"
	" SELECT ?1, ?2, l.lot_id, 'lot_added', NULL, l.title"
	"  FROM lot l WHERE l.notice = ?1 AND NOT EXISTS"
	"  (SELECT 1 FROM lot p WHERE p.notice = ?2 AND p.lot_id = l.lot_id)"
	" UNION ALL"
	" SELECT ?1, ?2, NULL, 'title', p.title, n.title FROM notice n, notice p"
	"  WHERE n.id = ?1 AND p.id = ?2 AND n.title IS NOT p.title"
	" UNION ALL"
	" SELECT ?1, ?2, NULL, 'documents', p.documents_url, n.documents_url"
	"  FROM notice n, notice p"
	"  WHERE n.id = ?1 AND p.id = ?2 AND n.documents_url IS NOT p.documents_url",
	/* What a change notice says it changes, in the buyer's words. */
	[ST_CHANGE_ANNOUNCED] =
	"INSERT INTO notice_change (notice, previous, lot_id, what, old, new)"
	" VALUES (?1, ?2, ?3, 'announced', NULL, ?4)",
	[ST_QUARANTINE_PUT] =
	"INSERT INTO quarantine (feed, source, reason, head, size, first_seen,"
	" last_seen) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6)"
	" ON CONFLICT (source, reason) DO UPDATE SET times = times + 1,"
	" last_seen = excluded.last_seen, head = excluded.head,"
	" size = excluded.size",
	[ST_QUARANTINE_LIST] =
	"SELECT feed, source, reason, head, size, first_seen, last_seen, times"
	" FROM quarantine ORDER BY last_seen DESC, id DESC LIMIT ?1",
	[ST_FEED_ITEM_GET] =
	"SELECT etag, last_modified FROM feed_item WHERE feed = ?1 AND item = ?2",
	[ST_FEED_ITEM_PUT] =
	"INSERT INTO feed_item (feed, item, etag, last_modified, seen_at)"
	" VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (feed, item) DO UPDATE SET"
	" etag = excluded.etag, last_modified = excluded.last_modified,"
	" seen_at = excluded.seen_at",
	[ST_FEED_STATE_GET] =
	"SELECT last_poll, last_success, next_poll, failures, last_error, notices"
	" FROM feed_state WHERE feed = ?1",
	[ST_FEED_STATE_PUT] =
	"INSERT INTO feed_state (feed, last_poll, last_success, next_poll,"
	" failures, last_error, notices) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)"
	" ON CONFLICT (feed) DO UPDATE SET last_poll = excluded.last_poll,"
	" last_success = excluded.last_success, next_poll = excluded.next_poll,"
	" failures = excluded.failures, last_error = excluded.last_error,"
	" notices = excluded.notices",
	[ST_FEED_WINDOW_GET] =
	"SELECT window_lo, window_hi, window_top FROM feed_state WHERE feed = ?1",
	[ST_FEED_WINDOW_PUT] =
	"INSERT INTO feed_state (feed, window_lo, window_hi, window_top)"
	" VALUES (?1, ?2, ?3, ?4) ON CONFLICT (feed) DO UPDATE SET"
	" window_lo = excluded.window_lo, window_hi = excluded.window_hi,"
	" window_top = excluded.window_top",
	[ST_PENDING_PUT] =
	"INSERT INTO feed_pending (feed, item, url, first_failed, next_try,"
	" last_error) VALUES (?1, ?2, ?3, ?4, ?5, ?6)"
	" ON CONFLICT (feed, item) DO UPDATE SET attempts = attempts + 1,"
	" url = excluded.url, next_try = excluded.next_try,"
	" last_error = excluded.last_error",
	[ST_PENDING_DUE] =
	"SELECT item, url, attempts, first_failed, next_try, last_error"
	" FROM feed_pending WHERE feed = ?1 AND next_try <= ?2"
	" ORDER BY next_try, item LIMIT ?3",
	[ST_PENDING_DROP] =
	"DELETE FROM feed_pending WHERE feed = ?1 AND item = ?2",
	[ST_PENDING_HAS] =
	"SELECT 1 FROM feed_pending WHERE feed = ?1 AND item = ?2",
	[ST_PENDING_SUMMARY] =
	"SELECT count(*), min(first_failed), (SELECT last_error FROM"
	" feed_pending WHERE feed = ?1 ORDER BY next_try DESC, item LIMIT 1)"
	" FROM feed_pending WHERE feed = ?1",
	[ST_CATEGORY_LOT_INSERT] =
	"INSERT INTO category_lot (lot, category, cpv, value, currency)"
	" VALUES (?1, ?2, ?3, ?4, ?5)",
	[ST_MATCHES_MAILED_SINCE] =
	"SELECT count(*) FROM match m JOIN message g ON g.id = m.message"
	" WHERE m.firm = ?1 AND g.created_at >= ?2",
	[ST_LAST_ALERT] =
	"SELECT max(created_at) FROM message WHERE firm = ?1",
	[ST_NOTICE_GET] =
	"SELECT id, notice_id, version, kind, subtype, title, buyer, buyer_id,"
	" published, url, deadline FROM notice WHERE notice_id = ?1"
	" AND superseded_by IS NULL ORDER BY version DESC, id DESC LIMIT 1",
	[ST_NOTICE_LOTS] =
	"SELECT id, lot_id, title, cpv, nuts, town, duration, sme_suitable,"
	" value, currency, deadline FROM lot WHERE notice = ?1 ORDER BY lot_id",
	[ST_LOT_PARTS] =
	"SELECT category, cpv, value, currency FROM category_lot WHERE lot = ?1"
	" ORDER BY id",
	[ST_SINGLE_LOT_NOTICES] =
	"SELECT n.notice_id FROM notice n WHERE n.buyer_id = ?1"
	" AND n.superseded_by IS NULL"
	" AND n.kind IN ('planning', 'rfi', 'competition')"
	" AND (n.deadline IS NULL OR n.deadline >= ?2)"
	" AND (SELECT count(*) FROM lot l WHERE l.notice = n.id) = 1"
	" ORDER BY n.published, n.notice_id",
	[ST_OUTBOX_LIST] =
	OUTBOX_ENTRY_COLUMNS " WHERE ?1 IS NULL OR state = ?1"
	" ORDER BY id DESC LIMIT ?2",
	[ST_OUTBOX_GET] =
	OUTBOX_ENTRY_COLUMNS " WHERE id = ?1",
	/* A mail that was never built has no text to send. */
	[ST_OUTBOX_RETRY] =
	"UPDATE message SET state = 'pending', next_attempt = ?2"
	" WHERE id = ?1 AND state IN ('pending', 'failed') AND length(body) > 0",
	[ST_OUTBOX_PURGE] =
	"UPDATE message SET body = X'' WHERE state = 'sent' AND sent_at < ?1"
	" AND length(body) > 0",
	[ST_CHANGES_OF] =
	"SELECT c.lot_id, c.what, c.old, c.new FROM notice_change c"
	" JOIN notice n ON n.id = c.notice"
	" WHERE n.notice_id = ?1 ORDER BY c.id",
	[ST_FIRM_FIND] =
	"SELECT id FROM firm WHERE orgnr = ?1",
	/* The unit's register: its firms are subscribed as they come. */
	[ST_FIRM_INSERT] =
	"INSERT INTO firm (orgnr, name, email, cpv, regions, language, employees,"
	" turnover, consent_at, categories, kinds, frequency, consent_source,"
	" updated_at, confirmed_at, abroad)"
	" VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?9, ?9,"
	" ?14)",
	/* A subscription from the web waits for its confirmation. */
	[ST_FIRM_PENDING_INSERT] =
	"INSERT INTO firm (orgnr, name, email, cpv, regions, language, employees,"
	" turnover, consent_at, categories, kinds, frequency, consent_source,"
	" updated_at, abroad)"
	" VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?9, ?14)",
	[ST_FIRM_STATE] =
	"SELECT id, CASE WHEN confirmed_at IS NULL THEN 1"
	" WHEN unsubscribed_at IS NOT NULL THEN 3 ELSE 2 END"
	" FROM firm WHERE orgnr = ?1",
	/* Consent is given when the firm confirms, through the web. */
	[ST_FIRM_CONFIRM] =
	"UPDATE firm SET confirmed_at = ?2, consent_at = ?2, consent_source = 'web',"
	" unsubscribed_at = NULL WHERE id = ?1 AND confirmed_at IS NULL",
	[ST_FIRM_UNSUBSCRIBE] =
	"UPDATE firm SET unsubscribed_at = ?2 WHERE id = ?1"
	" AND unsubscribed_at IS NULL AND confirmed_at IS NOT NULL",
	[ST_FIRM_RESUBSCRIBE] =
	"UPDATE firm SET unsubscribed_at = NULL, consent_at = ?2,"
	" consent_source = 'web' WHERE id = ?1 AND unsubscribed_at IS NOT NULL",
	[ST_FIRM_ANONYMISE] =
	"INSERT INTO anon_alert (item, sent_at, category)"
	" SELECT 'deleted-' || ?1 || '-' || ?2, g.sent_at, m.category"
	" FROM match m JOIN message g ON g.id = m.message"
	" WHERE m.firm = ?1 AND g.state = 'sent'",
	[ST_FIRM_DELETE_ID] =
	"DELETE FROM firm WHERE id = ?1",
	/* A subscription never confirmed within its time is nobody's. */
	[ST_FIRM_LAPSED_DELETE] =
	"DELETE FROM firm WHERE id = ?1 AND confirmed_at IS NULL"
	" AND consent_at <= ?2",
	[ST_FIRM_NEW_EMAIL] =
	"UPDATE firm SET new_email = ?2, new_email_at = ?3 WHERE id = ?1",
	/* Only the latest request's link changes the address. */
	[ST_FIRM_NEW_EMAIL_CONFIRM] =
	"UPDATE firm SET email = new_email, new_email = NULL,"
	" new_email_at = NULL, updated_at = ?3"
	" WHERE id = ?1 AND new_email IS NOT NULL AND new_email_at = ?2",
	[ST_ATTEMPT_PURGE] =
	"DELETE FROM web_attempt WHERE at <= ?1",
	[ST_ATTEMPT_COUNT] =
	"SELECT count(*) FROM web_attempt WHERE key = ?1 AND at > ?2",
	[ST_ATTEMPT_ADD] =
	"INSERT INTO web_attempt (key, at) VALUES (?1, ?2)",
	[ST_RATES_DAY] =
	"SELECT max(day) FROM rate",
	[ST_RATES_CLEAR] =
	"DELETE FROM rate",
	[ST_RATE_PUT] =
	"INSERT INTO rate (currency, per_eur, day, source, fetched_at)"
	" VALUES (?1, ?2, ?3, ?4, ?5)",
	[ST_RATES] =
	"SELECT currency, per_eur, day, source FROM rate",
	[ST_DATA_VERSION] =
	"PRAGMA data_version",
	[ST_BACKFILL_GET] =
	"SELECT done_at, started_at, cursor FROM backfill WHERE id = 1",
	[ST_BACKFILL_PROGRESS] =
	"INSERT INTO backfill (id, started_at, cursor) VALUES (1, ?1, ?2)"
	" ON CONFLICT (id) DO UPDATE SET started_at = excluded.started_at,"
	" cursor = excluded.cursor",
	[ST_BACKFILL_DONE] =
	"INSERT INTO backfill (id, done_at) VALUES (1, ?1)"
	" ON CONFLICT (id) DO UPDATE SET done_at = excluded.done_at,"
	" started_at = NULL, cursor = NULL",
	/* each from its own index: newest first, of a kind, by id */
	[ST_PUBLIC_NOTICES] = PUBLIC_NOTICES("1"),
	[ST_PUBLIC_NOTICES_OF_KIND] = PUBLIC_NOTICES("n.kind = ?3"),
	[ST_PUBLIC_NOTICE] = PUBLIC_NOTICES("n.notice_id = ?4"),
	[ST_OUTBOX_COUNTS] =
	"SELECT count(*) FILTER (WHERE state = 'pending'),"
	" count(*) FILTER (WHERE state = 'sending'),"
	" count(*) FILTER (WHERE state = 'sent'),"
	" count(*) FILTER (WHERE state = 'failed'),"
	" count(*) FILTER (WHERE state = 'pending' AND attempts > 0),"
	" coalesce(max(sent_at), 0) FROM message",
	[ST_INCIDENT_OPEN_GET] =
	"SELECT id, opened_at FROM incident WHERE key = ?1 AND closed_at IS NULL",
	[ST_INCIDENT_OPEN] =
	"INSERT INTO incident (key, detail, opened_at) VALUES (?1, ?2, ?3)",
	[ST_INCIDENT_CLOSE] =
	"UPDATE incident SET closed_at = ?2 WHERE id = ?1",
	/* Everything stored about a firm, for its own export. */
	[ST_FIRM_RECORDS] =
	"SELECT 'subscribed', consent_source, NULL, consent_at, confirmed_at"
	" FROM firm WHERE id = ?1"
	" UNION ALL SELECT 'unsubscribed', NULL, NULL, unsubscribed_at, NULL"
	" FROM firm WHERE id = ?1 AND unsubscribed_at IS NOT NULL"
	" UNION ALL SELECT 'mail', key, state, created_at, sent_at FROM message"
	" WHERE firm = ?1"
	" UNION ALL SELECT 'match', notice_id, lot_id, created_at, NULL FROM match"
	" WHERE firm = ?1"
	" UNION ALL SELECT 'stopped', notice_id, NULL, created_at, NULL"
	" FROM notice_stop WHERE firm = ?1"
	" UNION ALL SELECT 'meeting', meeting, CASE WHEN attended THEN 'attended'"
	"  WHEN cancelled_at IS NOT NULL THEN 'cancelled' ELSE 'registered' END,"
	"  coalesce(registered_at, 0), cancelled_at FROM meeting_registration"
	" WHERE firm = ?1"
	" UNION ALL SELECT 'rfi_answer', notice_id, source, answered_at, NULL"
	" FROM rfi_response WHERE firm = ?1"
	" UNION ALL SELECT 'bid', notice_id, source, bid_at, NULL FROM bid"
	" WHERE firm = ?1",
	[ST_FIRM_BY_ID] =
	FIRM_COLUMNS " WHERE id = ?1",
	[ST_FIRM_UPDATE] =
	"UPDATE firm SET name = ?2, email = ?3, cpv = ?4, regions = ?5,"
	" language = ?6, employees = ?7, turnover = ?8, updated_at = ?9,"
	" categories = ?10, kinds = ?11, frequency = ?12, abroad = ?14"
	" WHERE orgnr = ?1",
	[ST_FIRM_DELETE] =
	"DELETE FROM firm WHERE orgnr = ?1",
	/* The firms matched and mailed: confirmed, not unsubscribed. */
	[ST_FIRM_ALL] =
	FIRM_COLUMNS " WHERE confirmed_at IS NOT NULL AND unsubscribed_at IS NULL"
	" ORDER BY orgnr",
	/* subscribed, confirmed, resubscribed, imported or edited since ?1 */
	[ST_FIRM_CHANGED] =
	FIRM_COLUMNS " WHERE confirmed_at IS NOT NULL AND unsubscribed_at IS NULL"
	" AND max(updated_at, confirmed_at, consent_at) >= ?1 ORDER BY orgnr",
	/*
	 * What a firm can still act on: a lot whose deadline is ahead, or
	 * without one in a notice of the last year (?2); planned procurements
	 * and RFIs of the last year only.
	 */
	[ST_OPEN_NOTICES] =
	"SELECT DISTINCT n.notice_id FROM notice n"
	" WHERE n.superseded_by IS NULL AND n.notice_id > ?3"
	" AND n.url IS NOT NULL AND n.kind IN ('planning', 'rfi', 'competition')"
	" AND (n.kind = 'competition' OR " PUBLISHED("n") " >= ?2)"
	" AND EXISTS (SELECT 1 FROM lot l WHERE l.notice = n.id"
	"  AND (l.deadline >= ?1 OR (l.deadline IS NULL AND "
	PUBLISHED("n") " >= ?2)))"
	" ORDER BY n.notice_id LIMIT ?4",
	[ST_MATCH_INSERT] =
	"INSERT OR IGNORE INTO match (firm, lot, notice_id, lot_id, kind, reason,"
	" created_at, score, category) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
	[ST_MATCHES_UNQUEUED] =
	/* The notice's title in the firm's language when the notice has it. */
	MATCH_ITEM_COLUMNS
	" FROM match m JOIN lot l ON l.id = m.lot JOIN notice n ON n.id = l.notice"
	" JOIN firm f ON f.id = m.firm"
	" WHERE m.firm = ?1 AND m.message IS NULL"
	" AND (?3 IS NULL OR m.notice_id = ?3)"
	" ORDER BY m.score DESC, m.id LIMIT ?2",
	/* under the notice's id or any it replaced, cancelled lots too */
	[ST_MATCHED_LOTS] =
	"SELECT DISTINCT m.lot_id FROM match m WHERE m.firm = ?1"
	" AND coalesce((SELECT s.current_id FROM notice_successor s"
	"  WHERE s.notice_id = m.notice_id), m.notice_id) = ?2"
	" ORDER BY m.lot_id",
	[ST_MESSAGE_INSERT] =
	"INSERT OR IGNORE INTO message (key, firm, rcpt, envelope_from, body,"
	" next_attempt, created_at, stale_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6,"
	" ?7)",
	/*
	 * A mail that could not be built: failed at once, without a text,
	 * under its key, so it is not built again every pass.
	 */
	[ST_MESSAGE_INSERT_UNBUILT] =
	"INSERT OR IGNORE INTO message (key, firm, rcpt, envelope_from, body,"
	" next_attempt, created_at, stale_at, state, last_error)"
	" VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6, ?7, 'failed', ?8)",
	[ST_MATCH_LINK] =
	"UPDATE match SET message = ?1 WHERE id = ?2 AND message IS NULL",
	[ST_MESSAGES_DUE] =
	"SELECT id, key, firm, rcpt, envelope_from, body, attempts, created_at"
	" FROM message WHERE state = 'pending' AND next_attempt <= ?1"
	" AND (?3 IS NULL OR substr(key, 1, length(?3)) = ?3)"
	" ORDER BY id LIMIT ?2",
	[ST_MESSAGE_MARK] =
	"UPDATE message SET state = ?2, last_error = ?3,"
	" next_attempt = CASE WHEN ?2 = 'pending' THEN ?4 ELSE next_attempt END,"
	" sent_at = CASE WHEN ?2 = 'sent' THEN ?5 ELSE sent_at END,"
	" claimed_by = NULL, lease_until = NULL"
	" WHERE id = ?1",
	/*
	 * A crash is not the server's answer: the attempt it interrupted
	 * does not count towards giving up, nor towards the backoff.
	 */
	[ST_MESSAGES_RECOVER] =
	"UPDATE message SET state = 'pending', attempts = max(attempts - 1, 0),"
	" claimed_by = NULL, lease_until = NULL"
	" WHERE state = 'sending' AND (lease_until IS NULL OR lease_until <= ?1"
	" OR substr(claimed_by, 1, length(?2)) = ?2)",
	[ST_BOUNCE_GET] =
	"SELECT hard_at, reason, soft, soft_first_at, soft_last_at FROM bounce"
	" WHERE address = lower(?1)",
	[ST_BOUNCE_PUT] =
	"INSERT OR REPLACE INTO bounce (address, hard_at, reason, soft,"
	" soft_first_at, soft_last_at) VALUES (lower(?1), ?2, ?3, ?4, ?5, ?6)",
	/* the firm's new address, confirmed, takes mail */
	[ST_BOUNCE_CLEAR] =
	"DELETE FROM bounce WHERE address = (SELECT lower(email) FROM firm"
	" WHERE id = ?1)",
	[ST_BOUNCED_COUNT] =
	"SELECT count(*) FROM bounce WHERE hard_at IS NOT NULL",
	/* what a person asked for on a web page is sent all the same */
	[ST_MESSAGES_BOUNCED] =
	"UPDATE message SET state = 'failed', last_error = 'not sent: mail to "
	"this address bounced on ' || date(b.hard_at, 'unixepoch') || ': '"
	" || coalesce(b.reason, '') FROM bounce b"
	" WHERE state = 'pending' AND b.address = lower(message.rcpt)"
	" AND b.hard_at IS NOT NULL AND message.firm IS NOT NULL"
	" AND substr(key, 1, length(?1)) <> ?1",
	[ST_MESSAGES_STALE] =
	"UPDATE message SET state = 'failed', last_error = 'not sent: what it"
	" tells of was past at ' || datetime(stale_at, 'unixepoch') || ' UTC'"
	" || coalesce('; the last try: ' || last_error, '')"
	" WHERE state = 'pending' AND stale_at <= ?1",
	/* Only a pending message can be taken: two senders never take one. */
	[ST_MESSAGE_CLAIM] =
	"UPDATE message SET state = 'sending', attempts = attempts + 1,"
	" claimed_by = ?2, lease_until = ?3"
	" WHERE id = ?1 AND state = 'pending'",
	[ST_CHANGES_MARK_PENDING] =
	"UPDATE notice SET changes_pending = 1 WHERE id = ?1"
	" AND EXISTS (SELECT 1 FROM notice_change WHERE notice = ?1)",
	[ST_CHANGES_PENDING] =
	"SELECT id, notice_id FROM notice WHERE changes_pending = 1"
	" ORDER BY id LIMIT ?1",
	[ST_CHANGES_OF_ROW] =
	"SELECT lot_id, what, old, new FROM notice_change WHERE notice = ?1"
	" ORDER BY id",
	[ST_CHANGES_DONE] =
	"UPDATE notice SET changes_pending = 0 WHERE id = ?1",
	/*
	 * Firms that were mailed about the version (?1) or one it replaced,
	 * under any notice id (a change notice has its own), and did not stop
	 * it by any of them (a change mail's link names the change notice); a
	 * mail that failed (never built, refused, too late) told no one.
	 */
	[ST_CHANGE_RECIPIENTS] =
	"WITH RECURSIVE chain (id, notice_id) AS ("
	" SELECT id, notice_id FROM notice WHERE id = ?1"
	" UNION SELECT n.id, n.notice_id FROM notice n"
	"  JOIN chain c ON n.superseded_by = c.id)"
	"SELECT DISTINCT m.firm FROM match m JOIN message g ON g.id = m.message"
	" WHERE m.notice_id IN (SELECT notice_id FROM chain)"
	" AND g.state <> 'failed'"
	" AND NOT EXISTS (SELECT 1 FROM notice_stop x"
	"  WHERE x.firm = m.firm AND x.notice_id IN (SELECT notice_id FROM chain))"
	" ORDER BY m.firm",
	[ST_MESSAGE_EXISTS] =
	"SELECT 1 FROM message WHERE key = ?1",
	/*
	 * Mailed matches whose lot, in the notice's current version (a change
	 * notice's too), has a deadline in (?1, ?2]: the firms to remind, with
	 * when each was first told; not by a mail that failed, which told no
	 * one; not if they stopped it under any of its notice ids.
	 */
	[ST_REMINDER_CANDIDATES] =
	"SELECT m.firm, m.notice_id, l.deadline, g.created_at"
	" FROM lot l JOIN notice n ON n.id = l.notice AND n.superseded_by IS NULL"
	" JOIN match m ON m.lot_id = l.lot_id AND (m.notice_id = n.notice_id"
	"  OR m.notice_id IN (SELECT s.notice_id FROM notice_successor s"
	"   WHERE s.current_id = n.notice_id))"
	" JOIN message g ON g.id = m.message"
	" WHERE l.deadline > ?1 AND l.deadline <= ?2 AND g.state <> 'failed'"
	" AND m.kind IN ('competition', 'rfi')"
	" AND NOT EXISTS (SELECT 1 FROM notice_stop x"
	"  WHERE x.firm = m.firm AND (x.notice_id = n.notice_id"
	"  OR x.notice_id IN (SELECT s.notice_id FROM notice_successor s"
	"   WHERE s.current_id = n.notice_id)))"
	" AND NOT EXISTS (SELECT 1 FROM rfi r"
	"  WHERE r.notice_id = m.notice_id AND r.closed_at IS NOT NULL)"
	" ORDER BY m.firm, m.notice_id, l.deadline",
	/*
	 * A firm's matches in a notice, as its current version has them, a
	 * change notice's of another id too.
	 */
	[ST_MATCHES_OF_NOTICE] =
	MATCH_ITEM_COLUMNS
	" FROM match m JOIN notice n ON n.notice_id = coalesce("
	"  (SELECT s.current_id FROM notice_successor s"
	"   WHERE s.notice_id = m.notice_id), m.notice_id)"
	"  AND n.superseded_by IS NULL"
	" JOIN lot l ON l.notice = n.id AND l.lot_id = m.lot_id"
	" JOIN firm f ON f.id = m.firm"
	" WHERE m.firm = ?1 AND (m.notice_id = ?2 OR n.notice_id = ?2)"
	" ORDER BY m.score DESC, m.id",
	[ST_MEETING_INSERT] =
	"INSERT INTO meeting (title, description, notice_id, category,"
	" starts_at, ends_at, timezone, location, video_url, capacity,"
	" registration_deadline, organizer, created_at, updated_at)"
	" VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?13)",
	/* Every change is a new sequence: invitees get an update. */
	[ST_MEETING_UPDATE] =
	"UPDATE meeting SET title = ?1, description = ?2, notice_id = ?3,"
	" category = ?4, starts_at = ?5, ends_at = ?6, timezone = ?7,"
	" location = ?8, video_url = ?9, capacity = ?10,"
	" registration_deadline = ?11, organizer = ?12, updated_at = ?13,"
	" sequence = sequence + 1 WHERE id = ?14 AND cancelled = 0",
	[ST_MEETING_CANCEL] =
	"UPDATE meeting SET cancelled = 1, sequence = sequence + 1,"
	" updated_at = ?2 WHERE id = ?1 AND cancelled = 0",
	[ST_MEETING_KEEP_VERSION] =
	"INSERT OR REPLACE INTO meeting_version (meeting, sequence, title,"
	" description, notice_id, category, starts_at, ends_at, timezone,"
	" location, video_url, capacity, registration_deadline, organizer)"
	" SELECT id, sequence, title, description, notice_id, category,"
	" starts_at, ends_at, timezone, location, video_url, capacity,"
	" registration_deadline, organizer FROM meeting"
	" WHERE id = ?1 AND cancelled = 0",
	/* in the columns and order of ST_MEETINGS, for read_meeting() */
	[ST_MEETING_VERSION] =
	"SELECT meeting, title, description, notice_id, category, starts_at,"
	" ends_at, timezone, location, video_url, capacity,"
	" registration_deadline, organizer, sequence, 0 FROM meeting_version"
	" WHERE meeting = ?1 AND sequence = ?2",
	[ST_MEETINGS] =
	"SELECT id, title, description, notice_id, category, starts_at,"
	" ends_at, timezone, location, video_url, capacity,"
	" registration_deadline, organizer, sequence, cancelled FROM meeting"
	" WHERE ends_at > ?1 AND (?2 IS NULL OR id = ?2) ORDER BY starts_at, id",
	[ST_MEETING_INVITES] =
	"SELECT firm, sequence FROM meeting_invite WHERE meeting = ?1"
	" ORDER BY firm",
	[ST_MEETING_INVITED] =
	"INSERT INTO meeting_invite (meeting, firm, sequence, invited_at)"
	" VALUES (?1, ?2, ?3, ?4) ON CONFLICT (meeting, firm) DO UPDATE SET"
	" sequence = excluded.sequence, invited_at = excluded.invited_at",
	[ST_NOTICE_FIRMS] =
	"SELECT DISTINCT m.firm FROM match m WHERE m.notice_id = ?1"
	" AND NOT EXISTS (SELECT 1 FROM notice_stop x"
	"  WHERE x.firm = m.firm AND x.notice_id = m.notice_id)"
	" ORDER BY m.firm",
	[ST_RFI_INSERT] =
	"INSERT INTO rfi (contact, attachments, created_at) VALUES (?1, ?2, ?3)",
	[ST_RFI_NAME] =
	"UPDATE rfi SET notice_id = ?2 WHERE id = ?1",
	[ST_RFI_CLOSE] =
	"UPDATE rfi SET closed_at = ?2 WHERE notice_id = ?1 AND closed_at IS NULL",
	/*
	 * The unit's own RFIs and those others published, open ones first;
	 * only one notice unless ?2 is NULL.
	 */
	[ST_RFIS] =
	"SELECT n.notice_id, n.title, n.deadline, r.id IS NOT NULL,"
	" coalesce(r.closed_at, 0),"
	" (SELECT count(*) FROM rfi_response a WHERE a.notice_id = n.notice_id)"
	" FROM notice n LEFT JOIN rfi r ON r.notice_id = n.notice_id"
	" WHERE n.kind = 'rfi' AND n.superseded_by IS NULL"
	" AND (?2 IS NULL OR n.notice_id = ?2)"
	" AND (?2 IS NOT NULL OR ((n.deadline IS NULL OR n.deadline > ?1)"
	"  AND r.closed_at IS NULL))"
	" ORDER BY n.deadline IS NULL, n.deadline, n.notice_id",
	[ST_RFI_RESPONSE] =
	"INSERT OR IGNORE INTO rfi_response (notice_id, firm, answered_at, source)"
	" VALUES (?1, ?2, ?3, ?4)",
	[ST_RFI_RESPONSES] =
	"SELECT f.id, f.orgnr, f.name, a.answered_at, 0, 0, a.source"
	" FROM rfi_response a JOIN firm f ON f.id = a.firm"
	" WHERE a.notice_id = ?1 ORDER BY a.answered_at, f.orgnr",
	[ST_BID] =
	"INSERT OR IGNORE INTO bid (notice_id, firm, bid_at, source)"
	" VALUES (?1, ?2, ?3, ?4)",
	/* A registration again after a cancellation counts from now. */
	[ST_MEETING_REGISTER] =
	"INSERT INTO meeting_registration (meeting, firm, registered_at, source)"
	" VALUES (?1, ?2, ?3, ?4) ON CONFLICT (meeting, firm) DO UPDATE SET"
	" registered_at = excluded.registered_at, cancelled_at = NULL"
	" WHERE registered_at IS NULL OR cancelled_at IS NOT NULL",
	[ST_MEETING_UNREGISTER] =
	"UPDATE meeting_registration SET cancelled_at = ?3 WHERE meeting = ?1"
	" AND firm = ?2 AND registered_at IS NOT NULL AND cancelled_at IS NULL",
	[ST_MEETING_ATTENDED] =
	"INSERT INTO meeting_registration (meeting, firm, attended, source)"
	" VALUES (?1, ?2, 1, ?4) ON CONFLICT (meeting, firm) DO UPDATE SET"
	" attended = 1 WHERE attended = 0",
	[ST_MEETING_PARTICIPANTS] =
	"SELECT f.id, f.orgnr, f.name, coalesce(r.registered_at, 0),"
	" r.registered_at IS NOT NULL AND r.cancelled_at IS NULL, r.attended,"
	" r.source FROM meeting_registration r JOIN firm f ON f.id = r.firm"
	" WHERE r.meeting = ?1 ORDER BY f.orgnr",
	[ST_REPORT_FIRST + REPORT_NOTICES] = PER_QUARTER(
	"SELECT " PUBLISHED("n") ", c.category, n.notice_id" CURRENT_NOTICES),
	[ST_REPORT_FIRST + REPORT_LOTS] = PER_QUARTER(
	"SELECT " PUBLISHED("n") ", c.category, l.id" CURRENT_NOTICES),
	[ST_REPORT_FIRST + REPORT_CATEGORY_LOTS] = PER_QUARTER(
	"SELECT " PUBLISHED("n") ", c.category, c.id" CURRENT_NOTICES
	" AND c.id IS NOT NULL"),
	[ST_REPORT_FIRST + REPORT_FIRMS_ALERTED] = PER_QUARTER(
	"SELECT g.sent_at, m.category, m.firm FROM match m"
	" JOIN message g ON g.id = m.message WHERE g.state = 'sent'"
	" UNION ALL SELECT sent_at, category, item FROM anon_alert"),
	[ST_REPORT_FIRST + REPORT_FIRMS_REGISTERED] = PER_QUARTER(
	MEETING_FACTS("r.registered_at", "coalesce(r.firm, -r.id)",
		      "r.registered_at IS NOT NULL AND r.cancelled_at IS NULL")),
	[ST_REPORT_FIRST + REPORT_FIRMS_ATTENDING] = PER_QUARTER(
	MEETING_FACTS("mt.starts_at", "coalesce(r.firm, -r.id)",
		      "r.attended = 1")),
	[ST_REPORT_FIRST + REPORT_FIRMS_ANSWERING] = PER_QUARTER(
	PARTICIPATION_FACTS("rfi_response", "answered_at")),
	[ST_REPORT_FIRST + REPORT_FIRMS_BIDDING] = PER_QUARTER(
	PARTICIPATION_FACTS("bid", "bid_at")),
	/* Winners are named by CompanyID: with or without the hyphen, or as
	 * a VAT number (SE, the ten digits, 01). */
	[ST_REPORT_FIRST + REPORT_FIRMS_WINNING] = PER_QUARTER(
	"SELECT " PUBLISHED("n") ", c.category, f.id FROM award a"
	" JOIN award_winner w ON w.award = a.id"
	" JOIN firm f ON replace(replace(upper(w.org_id), '-', ''), ' ', '') IN"
	"  (replace(f.orgnr, '-', ''), 'SE' || replace(f.orgnr, '-', '') || '01')"
	" JOIN notice n ON n.id = a.notice AND n.superseded_by IS NULL"
	" LEFT JOIN lot l ON l.notice = n.id AND l.lot_id = a.lot_id"
	" LEFT JOIN category_lot c ON c.lot = l.id"),
	[ST_REPORT_FIRST + REPORT_MEETINGS_HELD] = PER_QUARTER(
	MEETING_FACTS("mt.starts_at", "mt.id", "mt.ends_at <= ?3")),
	[ST_REPORT_FIRST + REPORT_MEETING_SEATS] = PER_QUARTER(
	MEETING_FACTS("mt.starts_at", "r.id",
		      "r.registered_at IS NOT NULL AND r.cancelled_at IS NULL")),
	[ST_REPORT_FIRST + REPORT_MEETING_ATTENDEES] = PER_QUARTER(
	MEETING_FACTS("mt.starts_at", "r.id", "r.attended = 1")),
	/*
	 * Planned and contract notices one row per category part: the
	 * notice's value (its own or its lots' sum) and how many lots it has,
	 * to tell the large from the rest and the divided from the whole.
	 */
	[ST_REPORT_FIRST + REPORT_NOTICE_SIZES] =
	"SELECT DISTINCT " QUARTER(PUBLISHED("n")) ", c.category,"
	" (SELECT count(*) FROM lot x WHERE x.notice = n.id),"
	" coalesce(n.value, (SELECT sum(x.value) FROM lot x WHERE x.notice = n.id), -1),"
	" n.notice_id FROM notice n JOIN lot l ON l.notice = n.id"
	" JOIN category_lot c ON c.lot = l.id"
	" WHERE n.superseded_by IS NULL AND n.kind IN ('planning', 'competition')"
	" AND " PUBLISHED("n") " >= ?1 AND " PUBLISHED("n") " < ?2"
	" ORDER BY 1, 2, 3",
	/*
	 * Days from a procedure's first early notice (planned, RFI) to its
	 * contract notice, in the contract notice's quarter and categories.
	 */
	[ST_REPORT_FIRST + REPORT_LEAD_TIMES] =
	"WITH p (procedure_id, early, cn) AS (SELECT procedure_id,"
	"  min(CASE WHEN kind IN ('planning', 'rfi') THEN " PUBLISHED("notice") " END),"
	"  min(CASE WHEN kind = 'competition' THEN " PUBLISHED("notice") " END)"
	"  FROM notice GROUP BY procedure_id)"
	" SELECT DISTINCT " QUARTER("p.cn") ", c.category, 0,"
	" (p.cn - p.early) / 86400.0, p.procedure_id FROM p"
	" JOIN notice n ON n.procedure_id = p.procedure_id"
	"  AND n.kind = 'competition' AND n.superseded_by IS NULL"
	" JOIN lot l ON l.notice = n.id LEFT JOIN category_lot c ON c.lot = l.id"
	" WHERE p.early IS NOT NULL AND p.cn >= p.early"
	" AND p.cn >= ?1 AND p.cn < ?2 ORDER BY 1, 2, 3",
	/* Firms subscribed before a time, with what they chose. */
	[ST_REPORT_FIRST + REPORT_FIRMS] =
	"SELECT 0, 0, categories || ' ' || cpv, consent_at, 0, NULL FROM firm"
	" WHERE consent_at < ?2",
	[ST_NOTICE_STOP] =
	"INSERT OR IGNORE INTO notice_stop (firm, notice_id, created_at)"
	" VALUES (?1, ?2, ?3)",
};

struct store {
	sqlite3 *db;
	char *path;
	sqlite3_stmt *stmt[NSTMT];
};

static int
db_error(struct store *s, const char *what)
{
	return error("%s: %s: %s", s->path, what, sqlite3_errmsg(s->db));
}

/* A statement, prepared on first use and reset for this one. */
static sqlite3_stmt *
stmt(struct store *s, enum stmt_id id)
{
	sqlite3_stmt *st = s->stmt[id];

	if (!st) {
		if (sqlite3_prepare_v3(s->db, stmt_sql[id], -1,
				       SQLITE_PREPARE_PERSISTENT, &s->stmt[id],
				       NULL) != SQLITE_OK) {
			db_error(s, "prepare");
			return NULL;
		}
		return s->stmt[id];
	}
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	return st;
}

static int
exec(struct store *s, const char *sql)
{
	char *msg = NULL;

	if (sqlite3_exec(s->db, sql, NULL, NULL, &msg) != SQLITE_OK) {
		error("%s: %s", s->path, msg ? msg : sqlite3_errmsg(s->db));
		sqlite3_free(msg);
		return -1;
	}
	return 0;
}

static int
schema_version(struct store *s, int *version)
{
	sqlite3_stmt *st;
	int rc = -1;

	if (sqlite3_prepare_v2(s->db, "PRAGMA user_version", -1, &st, NULL) != SQLITE_OK)
		return db_error(s, "read schema version");
	if (sqlite3_step(st) == SQLITE_ROW) {
		*version = sqlite3_column_int(st, 0);
		rc = 0;
	} else {
		db_error(s, "read schema version");
	}
	sqlite3_finalize(st);
	return rc;
}

static int
check_version(struct store *s)
{
	int version;

	if (schema_version(s, &version) < 0)
		return -1;
	if (version > NMIGRATIONS)
		return error("%s: schema version %d is newer than this program "
			     "knows (%d); refusing to touch it", s->path, version,
			     NMIGRATIONS);
	return 0;
}

/*
 * Migrations run with foreign keys off, as SQLite asks for a table that
 * is rebuilt (dropping the old one would otherwise cascade into every row
 * that names it); that every reference still holds is checked instead.
 */
static int
foreign_keys_hold(struct store *s)
{
	sqlite3_stmt *st;
	int r;

	if (sqlite3_prepare_v2(s->db, "PRAGMA foreign_key_check", -1, &st,
			       NULL) != SQLITE_OK)
		return db_error(s, "check foreign keys");
	r = sqlite3_step(st);
	if (r == SQLITE_ROW)
		error("%s: table %s row %lld names a missing row of %s", s->path,
		      sqlite3_column_text(st, 0),
		      (long long)sqlite3_column_int64(st, 1),
		      sqlite3_column_text(st, 2));
	else if (r != SQLITE_DONE)
		db_error(s, "check foreign keys");
	sqlite3_finalize(st);
	return r == SQLITE_DONE ? 0 : -1;
}

static int
migrate(struct store *s)
{
	char sql[64];
	int version = 0, v;

	if (schema_version(s, &version) < 0)
		return -1;
	for (v = version; v < NMIGRATIONS; v++) {
		if (exec(s, "BEGIN IMMEDIATE") < 0)
			return -1;
		snprintf(sql, sizeof sql, "PRAGMA user_version = %d", v + 1);
		if (exec(s, migrations[v]) < 0 || exec(s, sql) < 0 ||
		    foreign_keys_hold(s) < 0) {
			store_rollback(s);
			return error("%s: migration %d failed", s->path, v + 1);
		}
		if (exec(s, "COMMIT") < 0)
			return -1;
	}
	return 0;
}

int
store_schema_version(void)
{
	return NMIGRATIONS;
}

/*
 * The journal (WAL) and its index are files beside the database: in a
 * directory the program cannot write (a file system the kernel made
 * read-only after an error, a wrong owner) SQLite would only say that it
 * cannot open the database.
 */
static int
check_dir_writable(const char *path)
{
	char *copy = strdup(path);
	const char *dir;
	int rc = 0;

	if (!copy)
		return error("out of memory");
	dir = dirname(copy);
	if (access(dir, W_OK) < 0)
		rc = error("%s: cannot write in its directory %s: %s", path, dir,
			   strerror(errno));
	free(copy);
	return rc;
}

/*
 * Another connection's write is waited for, five seconds at most, in
 * steps from a quarter of a millisecond up to eight: the web's writes
 * take a millisecond, and SQLite's own timeout sleeps up to 100 ms a
 * step, which a page waiting behind them would show as latency.
 */
#define BUSY_WAIT_US 5000000L
#define BUSY_STEP_MAX_US 8000L

static int
wait_for_writer(void *arg, int tries)
{
	long step = 250L << (tries < 5 ? tries : 5);
	struct timespec pause;

	(void)arg;
	if (step > BUSY_STEP_MAX_US)
		step = BUSY_STEP_MAX_US;
	/* the first steps add up to less than two of the largest */
	if ((long)tries * BUSY_STEP_MAX_US > BUSY_WAIT_US + 2 * BUSY_STEP_MAX_US)
		return 0;
	pause.tv_sec = 0;
	pause.tv_nsec = step * 1000;
	nanosleep(&pause, NULL);
	return 1;
}

int
store_open(const char *path, struct store **out)
{
	struct store *s = calloc(1, sizeof *s);
	int rc = -1;

	if (!s || !(s->path = strdup(path))) {
		error("out of memory");
		goto out;
	}
	if (check_dir_writable(path) < 0)
		goto out;
	if (sqlite3_open_v2(path, &s->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE |
			    SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK) {
		if (s->db)
			db_error(s, "open");
		else
			error("%s: cannot open database", path);
		goto out;
	}
	sqlite3_extended_result_codes(s->db, 1);
	/* A busy writer (a CLI command beside the daemon) is waited for. */
	sqlite3_busy_handler(s->db, wait_for_writer, NULL);
	/* a database newer than the program is refused before anything
	 * touches it, even its journal mode */
	if (check_version(s) < 0 ||
	    exec(s, "PRAGMA journal_mode = WAL") < 0 ||
	    exec(s, "PRAGMA synchronous = NORMAL") < 0 ||
	    migrate(s) < 0 ||
	    exec(s, "PRAGMA foreign_keys = ON") < 0)
		goto out;
	*out = s;
	s = NULL;
	rc = 0;
out:
	store_free(s);
	return rc;
}

void
store_free(struct store *s)
{
	size_t i;

	if (!s)
		return;
	for (i = 0; i < NSTMT; i++)
		sqlite3_finalize(s->stmt[i]);
	sqlite3_close(s->db);
	free(s->path);
	free(s);
}

int
store_begin(struct store *s)
{
	return exec(s, "BEGIN IMMEDIATE");
}

int
store_commit(struct store *s)
{
	return exec(s, "COMMIT");
}

void
store_rollback(struct store *s)
{
	if (!sqlite3_get_autocommit(s->db))
		sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
}

static int
bind_text(sqlite3_stmt *st, int i, const char *v)
{
	if (!v)
		return sqlite3_bind_null(st, i);
	return sqlite3_bind_text(st, i, v, -1, SQLITE_TRANSIENT);
}

static int
bind_time(sqlite3_stmt *st, int i, int has, time_t t)
{
	if (!has)
		return sqlite3_bind_null(st, i);
	return sqlite3_bind_int64(st, i, (sqlite3_int64)t);
}

/* Runs a statement that returns no rows. */
static int
step_done(struct store *s, sqlite3_stmt *st, const char *what)
{
	int rc = sqlite3_step(st);

	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return db_error(s, what);
	return 0;
}

/* step_done, and whether the statement changed a row. */
static int
step_changed(struct store *s, sqlite3_stmt *st, const char *what, int *changed)
{
	if (step_done(s, st, what) < 0)
		return -1;
	*changed = sqlite3_changes(s->db) > 0;
	return 0;
}

/* 1 if the statement yields a row, 0 if not, -1 on error. */
static int
step_exists(struct store *s, sqlite3_stmt *st, const char *what)
{
	int rc = sqlite3_step(st);

	sqlite3_reset(st);
	if (rc == SQLITE_ROW)
		return 1;
	if (rc == SQLITE_DONE)
		return 0;
	return db_error(s, what);
}

static int
join_words(char *const *v, size_t n, struct buf *out)
{
	size_t i;

	buf_reset(out);
	for (i = 0; i < n; i++)
		if ((i && buf_addc(out, ' ') < 0) || buf_adds(out, v[i]) < 0)
			return -1;
	return 0;
}

static void
bind_value(sqlite3_stmt *st, int i, int has, double v)
{
	if (has)
		sqlite3_bind_double(st, i, v);
}

static void
bind_count(sqlite3_stmt *st, int i, long v)
{
	if (v != COUNT_UNKNOWN)
		sqlite3_bind_int64(st, i, v);
}

/* Binds a list as one space-separated text; SQLite keeps its own copy. */
static int
bind_words(sqlite3_stmt *st, int i, char *const *v, size_t n, struct buf *scratch)
{
	if (join_words(v, n, scratch) < 0)
		return -1;
	return sqlite3_bind_text(st, i, buf_str(scratch), (int)scratch->len,
				 SQLITE_TRANSIENT) == SQLITE_OK ? 0 : -1;
}

/* A notice's (or a lot's) texts in every language given. */
static int
put_texts(struct store *s, enum stmt_id id, int64_t rowid, const char *field,
	  const struct text *t, size_t n)
{
	sqlite3_stmt *st;
	size_t i;

	for (i = 0; i < n; i++) {
		if (!(st = stmt(s, id)))
			return -1;
		sqlite3_bind_int64(st, 1, rowid);
		bind_text(st, 2, field);
		bind_text(st, 3, t[i].lang);
		bind_text(st, 4, t[i].value);
		if (step_done(s, st, "store a text") < 0)
			return -1;
	}
	return 0;
}

static int
put_lots(struct store *s, const struct notice *n, int64_t notice_rowid,
	 int64_t *lot_rowids, struct buf *scratch)
{
	sqlite3_stmt *st;
	size_t i;

	for (i = 0; i < n->nlots; i++) {
		const struct lot *l = &n->lots[i];

		if (!(st = stmt(s, ST_LOT_INSERT)))
			return -1;
		sqlite3_bind_int64(st, 1, notice_rowid);
		bind_text(st, 2, l->id);
		bind_text(st, 3, l->title);
		if (bind_words(st, 4, l->cpv, l->ncpv, scratch) < 0)
			return error("out of memory");
		bind_value(st, 5, l->has_value, l->value);
		bind_text(st, 6, l->currency);
		if (bind_words(st, 7, l->nuts, l->nnuts, scratch) < 0)
			return error("out of memory");
		if (l->sme_suitable != LOT_SME_UNKNOWN)
			sqlite3_bind_int(st, 8, l->sme_suitable);
		bind_time(st, 9, l->has_deadline, l->deadline);
		bind_text(st, 10, l->description);
		bind_text(st, 11, l->town);
		bind_time(st, 12, l->has_questions_deadline, l->questions_deadline);
		bind_text(st, 13, l->duration);
		bind_text(st, 14, l->documents_url);
		bind_text(st, 15, l->submission_url);
		if (l->framework != LOT_SME_UNKNOWN)
			sqlite3_bind_int(st, 16, l->framework);
		if (step_done(s, st, "store lot") < 0)
			return -1;
		lot_rowids[i] = sqlite3_last_insert_rowid(s->db);
		if (put_texts(s, ST_LOT_TEXT_INSERT, lot_rowids[i], "title",
			      l->titles, l->ntitles) < 0)
			return -1;
	}
	return 0;
}

static int
put_groups(struct store *s, const struct notice *n, int64_t notice_rowid,
	   struct buf *scratch)
{
	sqlite3_stmt *st;
	size_t i;

	for (i = 0; i < n->ngroups; i++) {
		const struct lot_group *g = &n->groups[i];

		if (!(st = stmt(s, ST_GROUP_INSERT)))
			return -1;
		sqlite3_bind_int64(st, 1, notice_rowid);
		bind_text(st, 2, g->id);
		bind_text(st, 3, g->title);
		if (bind_words(st, 4, g->lots, g->nlots, scratch) < 0)
			return error("out of memory");
		bind_value(st, 5, g->has_value, g->value);
		bind_text(st, 6, g->currency);
		if (step_done(s, st, "store lot group") < 0)
			return -1;
	}
	return 0;
}

static int
put_awards(struct store *s, const struct notice *n, int64_t notice_rowid)
{
	sqlite3_stmt *st;
	int64_t award;
	size_t i, w;

	for (i = 0; i < n->nawards; i++) {
		const struct award *a = &n->awards[i];

		if (!(st = stmt(s, ST_AWARD_INSERT)))
			return -1;
		sqlite3_bind_int64(st, 1, notice_rowid);
		bind_text(st, 2, a->lot);
		bind_count(st, 3, a->tenders);
		bind_count(st, 4, a->sme_tenders);
		bind_value(st, 5, a->has_value, a->value);
		bind_text(st, 6, a->currency);
		if (step_done(s, st, "store award") < 0)
			return -1;
		award = sqlite3_last_insert_rowid(s->db);
		for (w = 0; w < a->nwinners; w++) {
			if (!(st = stmt(s, ST_WINNER_INSERT)))
				return -1;
			sqlite3_bind_int64(st, 1, award);
			bind_text(st, 2, a->winners[w].name);
			bind_text(st, 3, a->winners[w].id);
			if (step_done(s, st, "store award winner") < 0)
				return -1;
		}
	}
	return 0;
}

/*
 * The stored notice this one replaces: an earlier version of the same
 * notice, or the notice a change notice changes. *prev is 0 when there is
 * none; *older is 1 when the stored one is the newer version (a late
 * arrival of an old version replaces nothing).
 */
static int
find_replaced(struct store *s, const struct notice *n, int64_t rowid,
	      int64_t *prev, int *older)
{
	/* a change notice that names no notice is a version of its own id */
	const char *id = n->changes && n->changes->notice_id ?
			 n->changes->notice_id : n->id;
	sqlite3_stmt *st;
	int r;

	*prev = 0;
	*older = 0;
	if (!(st = stmt(s, ST_NOTICE_CURRENT)))
		return -1;
	bind_text(st, 1, id);
	sqlite3_bind_int64(st, 2, rowid);
	r = sqlite3_step(st);
	if (r == SQLITE_ROW) {
		const char *v = (const char *)sqlite3_column_text(st, 1);

		*prev = sqlite3_column_int64(st, 0);
		*older = !n->changes && v && strcmp(n->version, v) < 0;
	}
	sqlite3_reset(st);
	if (r != SQLITE_ROW && r != SQLITE_DONE)
		return db_error(s, "look up the notice replaced");
	return 0;
}

static int
supersede(struct store *s, int64_t old_row, int64_t new_row)
{
	static const enum stmt_id steps[] = {
		ST_NOTICE_SUPERSEDE, ST_SUCCESSOR_MOVE, ST_SUCCESSOR_ADD,
	};
	sqlite3_stmt *st;
	size_t i;

	for (i = 0; i < sizeof steps / sizeof steps[0]; i++) {
		if (!(st = stmt(s, steps[i])))
			return -1;
		sqlite3_bind_int64(st, 1, old_row);
		sqlite3_bind_int64(st, 2, new_row);
		if (step_done(s, st, "mark notice replaced") < 0)
			return -1;
	}
	return 0;
}

/* Records what a change notice says it changed, section by section. */
static int
put_announced_changes(struct store *s, const struct changes *c, int64_t rowid,
		      int64_t prev)
{
	sqlite3_stmt *st;
	size_t i, j;

	for (i = 0; i < c->nitems; i++) {
		const struct change_item *it = &c->items[i];

		/* undescribed, it says nothing the versions' diff does not */
		if (!it->description)
			continue;
		for (j = 0; j < (it->nsections ? it->nsections : 1); j++) {
			if (!(st = stmt(s, ST_CHANGE_ANNOUNCED)))
				return -1;
			sqlite3_bind_int64(st, 1, rowid);
			if (prev)
				sqlite3_bind_int64(st, 2, prev);
			bind_text(st, 3, it->nsections ? it->sections[j] : NULL);
			bind_text(st, 4, it->description);
			if (step_done(s, st, "store announced change") < 0)
				return -1;
		}
	}
	return 0;
}

/* *replaced: 1 if a stored notice was replaced, -1 if this is older. */
static int
put_replacement(struct store *s, const struct notice *n, int64_t rowid,
		int *replaced)
{
	sqlite3_stmt *st;
	int64_t prev;
	int older;

	*replaced = 0;
	if (find_replaced(s, n, rowid, &prev, &older) < 0)
		return -1;
	if (n->changes && put_announced_changes(s, n->changes, rowid, prev) < 0)
		return -1;
	if (!prev)
		return 0;
	if (older) {
		*replaced = -1;
		return supersede(s, rowid, prev);
	}
	if (supersede(s, prev, rowid) < 0 || !(st = stmt(s, ST_NOTICE_DIFF)))
		return -1;
	sqlite3_bind_int64(st, 1, rowid);
	sqlite3_bind_int64(st, 2, prev);
	if (step_done(s, st, "record changes") < 0 ||
	    !(st = stmt(s, ST_CHANGES_MARK_PENDING)))
		return -1;
	sqlite3_bind_int64(st, 1, rowid);
	if (step_done(s, st, "mark changes to mail") < 0)
		return -1;
	*replaced = 1;
	return 0;
}

int
store_put_notice(struct store *s, const struct notice *n, const char *source,
		 time_t now, enum store_put_result *result, int64_t *lot_rowids)
{
	struct buf scratch;
	sqlite3_stmt *st;
	int64_t rowid;
	int replaced, rc = -1;

	buf_init(&scratch, 0);
	if (!(st = stmt(s, ST_NOTICE_EXISTS)))
		goto out;
	bind_text(st, 1, n->id);
	bind_text(st, 2, n->version);
	switch (step_exists(s, st, "look up notice")) {
	case 1:
		*result = STORE_UNCHANGED;
		rc = 0;
		goto out;
	case -1:
		goto out;
	}
	if (!(st = stmt(s, ST_NOTICE_INSERT)))
		goto out;
	bind_text(st, 1, n->id);
	bind_text(st, 2, n->version);
	bind_text(st, 3, n->procedure_id);
	bind_text(st, 4, notice_kind_name(n->kind));
	bind_text(st, 5, n->subtype);
	bind_text(st, 6, n->title);
	bind_text(st, 7, n->buyer);
	bind_text(st, 8, n->published);
	bind_time(st, 9, n->has_deadline, n->deadline);
	bind_text(st, 10, n->url);
	bind_text(st, 11, n->language);
	bind_text(st, 12, source);
	sqlite3_bind_int64(st, 13, (sqlite3_int64)now);
	bind_text(st, 14, n->description);
	bind_text(st, 15, n->buyer_id);
	bind_text(st, 16, n->buyer_city);
	bind_text(st, 17, n->procedure_type);
	if (bind_words(st, 18, n->cpv, n->ncpv, &scratch) < 0) {
		error("out of memory");
		goto out;
	}
	bind_value(st, 19, n->has_value, n->value);
	bind_text(st, 20, n->currency);
	if (bind_words(st, 21, n->nuts, n->nnuts, &scratch) < 0) {
		error("out of memory");
		goto out;
	}
	bind_text(st, 22, n->town);
	bind_text(st, 23, n->documents_url);
	bind_text(st, 24, n->submission_url);
	bind_count(st, 25, n->max_lots_submitted);
	bind_count(st, 26, n->max_lots_awarded);
	if (n->changes) {
		bind_text(st, 27, n->changes->notice_id);
		bind_text(st, 28, n->changes->version);
		bind_text(st, 29, n->changes->reason);
	}
	bind_text(st, 30, n->publication);
	bind_text(st, 31, n->buyer_email);
	bind_text(st, 32, n->buyer_phone);
	if (step_done(s, st, "store notice") < 0)
		goto out;
	rowid = sqlite3_last_insert_rowid(s->db);
	if (put_lots(s, n, rowid, lot_rowids, &scratch) < 0 ||
	    put_texts(s, ST_NOTICE_TEXT_INSERT, rowid, "title", n->titles,
		      n->ntitles) < 0 ||
	    put_texts(s, ST_NOTICE_TEXT_INSERT, rowid, "description",
		      n->descriptions, n->ndescriptions) < 0 ||
	    put_groups(s, n, rowid, &scratch) < 0 ||
	    put_awards(s, n, rowid) < 0 ||
	    put_replacement(s, n, rowid, &replaced) < 0)
		goto out;
	/* A late copy of an older version is kept, but changes nothing. */
	*result = replaced > 0 ? STORE_CHANGED :
		  replaced < 0 ? STORE_UNCHANGED : STORE_NEW;
	rc = 0;
out:
	buf_release(&scratch);
	return rc;
}

static int
bind_firm(struct store *s, sqlite3_stmt *st, const struct firm *f, time_t now)
{
	struct buf cpv, regions;
	int rc = -1;

	buf_init(&cpv, 0);
	buf_init(&regions, 0);
	if (join_words(f->cpv, f->ncpv, &cpv) < 0 ||
	    join_words(f->regions, f->nregions, &regions) < 0) {
		error("out of memory");
		goto out;
	}
	bind_text(st, 1, f->orgnr);
	bind_text(st, 2, f->name);
	bind_text(st, 3, f->email);
	bind_text(st, 4, buf_str(&cpv));
	bind_text(st, 5, buf_str(&regions));
	bind_text(st, 6, f->language);
	if (f->employees >= 0)
		sqlite3_bind_int64(st, 7, f->employees);
	if (f->turnover >= 0)
		sqlite3_bind_int64(st, 8, f->turnover);
	sqlite3_bind_int64(st, 9, (sqlite3_int64)now);
	if (bind_words(st, 10, f->categories, f->ncategories, &cpv) < 0) {
		error("out of memory");
		goto out;
	}
	sqlite3_bind_int(st, 11, (int)f->kinds);
	bind_text(st, 12, firm_frequency_name(f->frequency));
	sqlite3_bind_int(st, 14, f->abroad);
	rc = step_done(s, st, "store firm");
out:
	buf_release(&cpv);
	buf_release(&regions);
	return rc;
}

int
store_put_firm(struct store *s, const struct firm *f, const char *source,
	       time_t now, int *created)
{
	sqlite3_stmt *st;
	int known;

	if (!(st = stmt(s, ST_FIRM_FIND)))
		return -1;
	bind_text(st, 1, f->orgnr);
	if ((known = step_exists(s, st, "look up firm")) < 0)
		return -1;
	if (!(st = stmt(s, known ? ST_FIRM_UPDATE : ST_FIRM_INSERT)))
		return -1;
	if (!known)
		bind_text(st, 13, source);
	if (bind_firm(s, st, f, now) < 0)
		return -1;
	*created = !known;
	return 0;
}

int
store_remove_firm(struct store *s, const char *orgnr, int *found)
{
	sqlite3_stmt *st;

	if (!(st = stmt(s, ST_FIRM_DELETE)))
		return -1;
	bind_text(st, 1, orgnr);
	return step_changed(s, st, "remove firm", found);
}

static char *
column_strdup(sqlite3_stmt *st, int col)
{
	const unsigned char *t = sqlite3_column_text(st, col);

	return t ? strdup((const char *)t) : NULL;
}

/* The firm of the current row of a FIRM_COLUMNS statement. */
static struct firm *
read_firm_row(sqlite3_stmt *st)
{
	struct firm *f = firm_new();

	if (!f)
		return NULL;
	f->id = sqlite3_column_int64(st, 0);
	f->orgnr = column_strdup(st, 1);
	f->name = column_strdup(st, 2);
	f->email = column_strdup(st, 3);
	f->language = column_strdup(st, 6);
	if (!f->orgnr || !f->name || !f->email || !f->language ||
	    strvec_split((const char *)sqlite3_column_text(st, 4), &f->cpv, &f->ncpv) < 0 ||
	    strvec_split((const char *)sqlite3_column_text(st, 5), &f->regions,
			&f->nregions) < 0 ||
	    strvec_split((const char *)sqlite3_column_text(st, 9), &f->categories,
			&f->ncategories) < 0) {
		firm_free(f);
		return NULL;
	}
	if (sqlite3_column_type(st, 7) != SQLITE_NULL)
		f->employees = (long)sqlite3_column_int64(st, 7);
	if (sqlite3_column_type(st, 8) != SQLITE_NULL)
		f->turnover = sqlite3_column_int64(st, 8);
	f->kinds = (unsigned)sqlite3_column_int(st, 10);
	if (!sqlite3_column_text(st, 11) ||
	    firm_frequency_parse((const char *)sqlite3_column_text(st, 11),
				 &f->frequency) < 0)
		f->frequency = FREQ_IMMEDIATELY;
	f->abroad = sqlite3_column_int(st, 12);
	f->bounced_at = (time_t)sqlite3_column_int64(st, 13);
	if (f->bounced_at && sqlite3_column_type(st, 14) != SQLITE_NULL &&
	    !(f->bounce_reason = column_strdup(st, 14))) {
		firm_free(f);
		return NULL;
	}
	return f;
}

/* The first column of every row, as strings. */
static int
read_ids(struct store *s, sqlite3_stmt *st, char ***ids, size_t *n,
	 const char *what)
{
	int r;

	*ids = NULL;
	*n = 0;
	while ((r = sqlite3_step(st)) == SQLITE_ROW)
		if (strvec_push(ids, n, (const char *)sqlite3_column_text(st, 0)) < 0)
			break;
	sqlite3_reset(st);
	if (r != SQLITE_DONE) {
		strvec_free(*ids, *n);
		*ids = NULL;
		*n = 0;
		return r == SQLITE_ROW ? error("out of memory") :
					 db_error(s, what);
	}
	return 0;
}

static int
load_firm_list(struct store *s, sqlite3_stmt *st, struct firm_list *out)
{
	struct firm_list list = { 0 };
	struct firm *f;
	int rc = -1, r;

	while ((r = sqlite3_step(st)) == SQLITE_ROW) {
		if (!(f = read_firm_row(st)) || firm_list_push(&list, f) < 0) {
			firm_free(f);
			error("out of memory");
			goto out;
		}
	}
	if (r != SQLITE_DONE) {
		db_error(s, "load firms");
		goto out;
	}
	*out = list;
	list.v = NULL;
	list.n = 0;
	rc = 0;
out:
	sqlite3_reset(st);
	firm_list_release(&list);
	return rc;
}

int
store_load_firms(struct store *s, struct firm_list *out)
{
	sqlite3_stmt *st;

	if (!(st = stmt(s, ST_FIRM_ALL)))
		return -1;
	return load_firm_list(s, st, out);
}

int
store_load_firms_changed(struct store *s, time_t since, struct firm_list *out)
{
	sqlite3_stmt *st;

	if (!(st = stmt(s, ST_FIRM_CHANGED)))
		return -1;
	sqlite3_bind_int64(st, 1, (sqlite3_int64)since);
	return load_firm_list(s, st, out);
}

int
store_backfill_get(struct store *s, struct backfill_round *r)
{
	sqlite3_stmt *st;
	int rc;

	memset(r, 0, sizeof *r);
	if (!(st = stmt(s, ST_BACKFILL_GET)))
		return -1;
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		r->since = (time_t)sqlite3_column_int64(st, 0);
		r->started_at = (time_t)sqlite3_column_int64(st, 1);
		if (sqlite3_column_type(st, 2) != SQLITE_NULL &&
		    !(r->cursor = column_strdup(st, 2)))
			rc = SQLITE_NOMEM;
	}
	sqlite3_reset(st);
	if (rc == SQLITE_ROW || rc == SQLITE_DONE)
		return 0;
	return rc == SQLITE_NOMEM ? error("out of memory") :
	       db_error(s, "read the backfill");
}

int
store_backfill_progress(struct store *s, time_t started_at, const char *cursor)
{
	sqlite3_stmt *st;

	if (!(st = stmt(s, ST_BACKFILL_PROGRESS)))
		return -1;
	sqlite3_bind_int64(st, 1, (sqlite3_int64)started_at);
	bind_text(st, 2, cursor);
	return step_done(s, st, "record the backfill's progress");
}

int
store_backfill_done(struct store *s, time_t at)
{
	sqlite3_stmt *st;

	if (!(st = stmt(s, ST_BACKFILL_DONE)))
		return -1;
	sqlite3_bind_int64(st, 1, (sqlite3_int64)at);
	return step_done(s, st, "record the backfill");
}

/* The day of the stored rates into day (NUL-terminated, "" if none). */
static int
rates_day(struct store *s, char *day, size_t len)
{
	sqlite3_stmt *st;
	int r;

	if (!(st = stmt(s, ST_RATES_DAY)))
		return -1;
	day[0] = '\0';
	if ((r = sqlite3_step(st)) == SQLITE_ROW && sqlite3_column_text(st, 0))
		snprintf(day, len, "%s", (const char *)sqlite3_column_text(st, 0));
	sqlite3_reset(st);
	if (r != SQLITE_ROW)
		return db_error(s, "read the rates' day");
	return 0;
}

int
store_put_rates(struct store *s, const struct money_rates *r,
		const char *source, time_t now, int *stored)
{
	sqlite3_stmt *st;
	const char *code;
	double per_eur;
	char day[16];
	size_t i;

	*stored = 0;
	if (store_begin(s) < 0)
		return -1;
	if (rates_day(s, day, sizeof day) < 0)
		goto fail;
	/* a feed that goes back in time (a mirror, a cache) changes nothing */
	if (strcmp(money_rates_day(r), day) < 0)
		return store_commit(s);
	if (!(st = stmt(s, ST_RATES_CLEAR)) ||
	    step_done(s, st, "clear the rates") < 0 ||
	    !(st = stmt(s, ST_RATE_PUT)))
		goto fail;
	for (i = 0; money_rates_get(r, i, &code, &per_eur) == 0; i++) {
		bind_text(st, 1, code);
		sqlite3_bind_double(st, 2, per_eur);
		bind_text(st, 3, money_rates_day(r));
		bind_text(st, 4, source);
		sqlite3_bind_int64(st, 5, (sqlite3_int64)now);
		if (step_done(s, st, "store a rate") < 0)
			goto fail;
	}
	if (store_commit(s) < 0)
		goto fail;
	*stored = 1;
	return 0;
fail:
	store_rollback(s);
	return -1;
}

int
store_load_rates(struct store *s, struct money_rates **out, char **source)
{
	struct money_rates *r = money_rates_new();
	char *from = NULL;
	sqlite3_stmt *st;
	int step = SQLITE_DONE, rc = -1;

	*out = NULL;
	if (source)
		*source = NULL;
	if (!r) {
		error("out of memory");
		goto out;
	}
	if (!(st = stmt(s, ST_RATES)))
		goto out;
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		const char *code = (const char *)sqlite3_column_text(st, 0);
		const char *day = (const char *)sqlite3_column_text(st, 2);
		const char *src = (const char *)sqlite3_column_text(st, 3);

		/* what a feed put holds; a row edited by hand is refused */
		if (!code || !day ||
		    money_rates_put(r, day, code, sqlite3_column_double(st, 1)) < 0) {
			error("%s: rate '%s' of '%s' is not a currency and a "
			      "rate to the euro", s->path, code ? code : "",
			      day ? day : "");
			break;
		}
		if (!from && src && !(from = strdup(src))) {
			error("out of memory");
			break;
		}
	}
	sqlite3_reset(st);
	if (step == SQLITE_ROW)
		goto out;
	if (step != SQLITE_DONE) {
		db_error(s, "read the rates");
		goto out;
	}
	*out = r;
	r = NULL;
	if (source) {
		*source = from;
		from = NULL;
	}
	rc = 0;
out:
	free(from);
	money_rates_free(r);
	return rc;
}

int
store_open_notices(struct store *s, time_t now, time_t year_ago,
		   const char *after, unsigned limit, char ***ids, size_t *n)
{
	sqlite3_stmt *st;

	if (!(st = stmt(s, ST_OPEN_NOTICES)))
		return -1;
	sqlite3_bind_int64(st, 1, (sqlite3_int64)now);
	sqlite3_bind_int64(st, 2, (sqlite3_int64)year_ago);
	bind_text(st, 3, after);
	sqlite3_bind_int(st, 4, (int)limit);
	return read_ids(s, st, ids, n, "list open notices");
}

int
store_get_firm(struct store *s, int64_t id, struct firm **out)
{
	sqlite3_stmt *st;
	int r, rc = 0;

	*out = NULL;
	if (!(st = stmt(s, ST_FIRM_BY_ID)))
		return -1;
	sqlite3_bind_int64(st, 1, id);
	r = sqlite3_step(st);
	if (r == SQLITE_ROW && !(*out = read_firm_row(st)))
		rc = error("out of memory");
	else if (r != SQLITE_ROW && r != SQLITE_DONE)
		rc = db_error(s, "read firm");
	sqlite3_reset(st);
	return rc;
}

int
store_put_match(struct store *s, int64_t firm_id, int64_t lot_rowid,
		const char *notice_id, const char *lot_id, const char *kind,
		const char *reason, int score, const char *category, time_t now,
		int *created)
{
	sqlite3_stmt *st;

	if (!(st = stmt(s, ST_MATCH_INSERT)))
		return -1;
	sqlite3_bind_int64(st, 1, firm_id);
	sqlite3_bind_int64(st, 2, lot_rowid);
	bind_text(st, 3, notice_id);
	bind_text(st, 4, lot_id);
	bind_text(st, 5, kind);
	bind_text(st, 6, reason);
	sqlite3_bind_int64(st, 7, (sqlite3_int64)now);
	sqlite3_bind_int(st, 8, score);
	bind_text(st, 9, category);
	return step_changed(s, st, "store match", created);
}

/*
 * Runs a bound query and collects one element per row into a growing
 * array: read fills an element from the row (-1 when out of memory), and
 * release frees a partial array, so every list reader shares one loop.
 */
static int
collect(struct store *s, sqlite3_stmt *st, size_t size,
	int (*read)(sqlite3_stmt *, void *), void (*release)(void *, size_t),
	void **out, size_t *n, const char *what)
{
	char *v = NULL, *nv;
	size_t count = 0;
	int r, rc = -1;

	while ((r = sqlite3_step(st)) == SQLITE_ROW) {
		if (!(nv = realloc(v, (count + 1) * size)))
			goto nomem;
		v = nv;
		memset(v + count * size, 0, size);
		if (read(st, v + count++ * size) < 0)
			goto nomem;
	}
	if (r != SQLITE_DONE) {
		db_error(s, what);
		goto out;
	}
	*out = v;
	*n = count;
	v = NULL;
	rc = 0;
	goto out;
nomem:
	error("out of memory");
out:
	sqlite3_reset(st);
	if (v)
		release(v, count);
	return rc;
}

void
match_items_free(struct match_item *items, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(items[i].kind);
		free(items[i].notice_title);
		free(items[i].buyer);
		free(items[i].url);
		free(items[i].lot_id);
		free(items[i].lot_title);
		free(items[i].notice_id);
		free(items[i].category);
		free(items[i].reason);
		free(items[i].currency);
		free(items[i].description);
		free(items[i].duration);
		free(items[i].documents_url);
		free(items[i].buyer_email);
		free(items[i].buyer_phone);
		free(items[i].buyer_id);
		free(items[i].winners);
		free(items[i].award_currency);
	}
	free(items);
}

/* A yes/no column that may be NULL: 1, 0 or LOT_SME_UNKNOWN. */
static int
column_flag(sqlite3_stmt *st, int col)
{
	if (sqlite3_column_type(st, col) == SQLITE_NULL)
		return LOT_SME_UNKNOWN;
	return sqlite3_column_int(st, col) != 0;
}

static int
read_match_item(sqlite3_stmt *st, void *elem)
{
	struct match_item *it = elem;

	it->match_id = sqlite3_column_int64(st, 0);
	it->kind = column_strdup(st, 1);
	it->notice_title = column_strdup(st, 2);
	it->buyer = column_strdup(st, 3);
	it->url = column_strdup(st, 4);
	it->lot_id = column_strdup(st, 5);
	it->lot_title = column_strdup(st, 6);
	it->reason = column_strdup(st, 7);
	it->currency = column_strdup(st, 10);
	it->notice_id = column_strdup(st, 11);
	it->category = column_strdup(st, 12);
	if ((it->has_deadline = sqlite3_column_type(st, 8) != SQLITE_NULL))
		it->deadline = (time_t)sqlite3_column_int64(st, 8);
	if ((it->has_value = sqlite3_column_type(st, 9) != SQLITE_NULL))
		it->value = sqlite3_column_double(st, 9);
	it->description = column_strdup(st, 13);
	it->duration = column_strdup(st, 14);
	it->framework = column_flag(st, 15);
	it->sme_suitable = column_flag(st, 16);
	if ((it->has_questions_deadline =
	     sqlite3_column_type(st, 17) != SQLITE_NULL))
		it->questions_deadline = (time_t)sqlite3_column_int64(st, 17);
	it->documents_url = column_strdup(st, 18);
	it->buyer_email = column_strdup(st, 19);
	it->buyer_phone = column_strdup(st, 20);
	it->buyer_id = column_strdup(st, 21);
	it->lot_number = (size_t)sqlite3_column_int64(st, 22);
	it->nlots = (size_t)sqlite3_column_int64(st, 23);
	it->winners = column_strdup(st, 24);
	if ((it->has_award_value = sqlite3_column_type(st, 25) != SQLITE_NULL))
		it->award_value = sqlite3_column_double(st, 25);
	it->award_currency = column_strdup(st, 26);
	return it->kind && it->notice_title && it->lot_id && it->reason &&
	       it->notice_id ? 0 : -1;
}

static void
release_match_items(void *v, size_t n)
{
	match_items_free(v, n);
}

int
store_unqueued_matches(struct store *s, int64_t firm_id,
		       const char *notice_id, size_t limit,
		       struct match_item **items, size_t *n)
{
	sqlite3_stmt *st;

	if (!(st = stmt(s, ST_MATCHES_UNQUEUED)))
		return -1;
	sqlite3_bind_int64(st, 1, firm_id);
	sqlite3_bind_int64(st, 2, (sqlite3_int64)limit);
	bind_text(st, 3, notice_id);
	return collect(s, st, sizeof **items, read_match_item, release_match_items,
		       (void **)items, n, "list unqueued matches");
}

int
store_notice_matches(struct store *s, int64_t firm_id, const char *notice_id,
		     struct match_item **items, size_t *n)
{
	sqlite3_stmt *st;

	if (!(st = stmt(s, ST_MATCHES_OF_NOTICE)))
		return -1;
	sqlite3_bind_int64(st, 1, firm_id);
	bind_text(st, 2, notice_id);
	return collect(s, st, sizeof **items, read_match_item, release_match_items,
		       (void **)items, n, "list a firm's matches in a notice");
}

int
store_matched_lots(struct store *s, int64_t firm_id, const char *notice_id,
		   char ***lot_ids, size_t *n)
{
	sqlite3_stmt *st;

	if (!(st = stmt(s, ST_MATCHED_LOTS)))
		return -1;
	sqlite3_bind_int64(st, 1, firm_id);
	bind_text(st, 2, notice_id);
	return read_ids(s, st, lot_ids, n, "list a firm's lots in a notice");
}

static int
read_pending_change(sqlite3_stmt *st, void *elem)
{
	struct pending_change *c = elem;

	c->rowid = sqlite3_column_int64(st, 0);
	c->notice_id = column_strdup(st, 1);
	return c->notice_id ? 0 : -1;
}

void
pending_changes_free(struct pending_change *c, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(c[i].notice_id);
	free(c);
}

static void
release_pending_changes(void *v, size_t n)
{
	pending_changes_free(v, n);
}

int
store_pending_changes(struct store *s, size_t limit,
		      struct pending_change **out, size_t *n)
{
	sqlite3_stmt *st;

	if (!(st = stmt(s, ST_CHANGES_PENDING)))
		return -1;
	sqlite3_bind_int64(st, 1, (sqlite3_int64)limit);
	return collect(s, st, sizeof **out, read_pending_change,
		       release_pending_changes, (void **)out, n,
		       "list changes to mail");
}

int
store_changes_done(struct store *s, int64_t rowid)
{
	sqlite3_stmt *st;

	if (!(st = stmt(s, ST_CHANGES_DONE)))
		return -1;
	sqlite3_bind_int64(st, 1, rowid);
	return step_done(s, st, "mark changes mailed");
}

static int
read_id(sqlite3_stmt *st, void *elem)
{
	*(int64_t *)elem = sqlite3_column_int64(st, 0);
	return 0;
}

static void
release_ids(void *v, size_t n)
{
	(void)n;
	free(v);
}

int
store_change_recipients(struct store *s, int64_t rowid, int64_t **firm_ids,
			size_t *n)
{
	sqlite3_stmt *st;

	if (!(st = stmt(s, ST_CHANGE_RECIPIENTS)))
		return -1;
	sqlite3_bind_int64(st, 1, rowid);
	return collect(s, st, sizeof **firm_ids, read_id, release_ids,
		       (void **)firm_ids, n, "list firms told of a notice");
}

int
store_message_exists(struct store *s, const char *key, int *exists)
{
	sqlite3_stmt *st;
	int r;

	if (!(st = stmt(s, ST_MESSAGE_EXISTS)))
		return -1;
	bind_text(st, 1, key);
	r = sqlite3_step(st);
	sqlite3_reset(st);
	if (r != SQLITE_ROW && r != SQLITE_DONE)
		return db_error(s, "look up message");
	*exists = r == SQLITE_ROW;
	return 0;
}

static int
read_reminder(sqlite3_stmt *st, void *elem)
{
	struct reminder_candidate *r = elem;

	r->firm_id = sqlite3_column_int64(st, 0);
	r->notice_id = column_strdup(st, 1);
	r->deadline = (time_t)sqlite3_column_int64(st, 2);
	r->first_mailed = (time_t)sqlite3_column_int64(st, 3);
	return r->notice_id ? 0 : -1;
}

void
reminder_candidates_free(struct reminder_candidate *r, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(r[i].notice_id);
	free(r);
}

static void
release_reminders(void *v, size_t n)
{
	reminder_candidates_free(v, n);
}

int
store_reminder_candidates(struct store *s, time_t from, time_t to,
			  struct reminder_candidate **out, size_t *n)
{
	sqlite3_stmt *st;

	if (!(st = stmt(s, ST_REMINDER_CANDIDATES)))
		return -1;
	sqlite3_bind_int64(st, 1, (sqlite3_int64)from);
	sqlite3_bind_int64(st, 2, (sqlite3_int64)to);
	return collect(s, st, sizeof **out, read_reminder, release_reminders,
		       (void **)out, n, "list deadlines to remind of");
}

static int
bind_meeting(sqlite3_stmt *st, const struct meeting *m, time_t now)
{
	bind_text(st, 1, m->title);
	bind_text(st, 2, m->description);
	bind_text(st, 3, m->notice_id);
	bind_text(st, 4, m->category);
	sqlite3_bind_int64(st, 5, (sqlite3_int64)m->start);
	sqlite3_bind_int64(st, 6, (sqlite3_int64)m->end);
	bind_text(st, 7, m->timezone);
	bind_text(st, 8, m->location);
	bind_text(st, 9, m->video_url);
	if (m->capacity > 0)
		sqlite3_bind_int64(st, 10, m->capacity);
	if (m->has_registration_deadline)
		sqlite3_bind_int64(st, 11, (sqlite3_int64)m->registration_deadline);
	bind_text(st, 12, m->organizer);
	sqlite3_bind_int64(st, 13, (sqlite3_int64)now);
	return 0;
}

int
store_put_meeting(struct store *s, const struct meeting *m, time_t now,
		  int64_t *id)
{
	sqlite3_stmt *st;

	if (!(st = stmt(s, ST_MEETING_INSERT)))
		return -1;
	bind_meeting(st, m, now);
	if (step_done(s, st, "store meeting") < 0)
		return -1;
	*id = sqlite3_last_insert_rowid(s->db);
	return 0;
}

int
store_change_meeting(struct store *s, int64_t id, const struct meeting *m,
		     time_t now, int *found)
{
	sqlite3_stmt *st;

	if (store_begin(s) < 0)
		return -1;
	if (!(st = stmt(s, ST_MEETING_KEEP_VERSION)))
		goto fail;
	sqlite3_bind_int64(st, 1, id);
	if (step_done(s, st, "keep the meeting as it was") < 0 ||
	    !(st = stmt(s, ST_MEETING_UPDATE)))
		goto fail;
	bind_meeting(st, m, now);
	sqlite3_bind_int64(st, 14, id);
	if (step_changed(s, st, "change meeting", found) < 0 ||
	    store_commit(s) < 0)
		goto fail;
	return 0;
fail:
	store_rollback(s);
	return -1;
}

int
store_cancel_meeting(struct store *s, int64_t id, time_t now, int *found)
{
	sqlite3_stmt *st;

	if (!(st = stmt(s, ST_MEETING_CANCEL)))
		return -1;
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_int64(st, 2, (sqlite3_int64)now);
	return step_changed(s, st, "cancel meeting", found);
}

static int
read_meeting(sqlite3_stmt *st, void *elem)
{
	struct meeting *m = elem;

	m->id = sqlite3_column_int64(st, 0);
	m->title = column_strdup(st, 1);
	m->description = column_strdup(st, 2);
	m->notice_id = column_strdup(st, 3);
	m->category = column_strdup(st, 4);
	m->start = (time_t)sqlite3_column_int64(st, 5);
	m->end = (time_t)sqlite3_column_int64(st, 6);
	m->timezone = column_strdup(st, 7);
	m->location = column_strdup(st, 8);
	m->video_url = column_strdup(st, 9);
	m->capacity = (long)sqlite3_column_int64(st, 10);
	if ((m->has_registration_deadline =
	     sqlite3_column_type(st, 11) != SQLITE_NULL))
		m->registration_deadline = (time_t)sqlite3_column_int64(st, 11);
	m->organizer = column_strdup(st, 12);
	m->sequence = sqlite3_column_int(st, 13);
	m->cancelled = sqlite3_column_int(st, 14);
	return m->title && m->timezone ? 0 : -1;
}

void
meetings_free(struct meeting *m, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		meeting_release(&m[i]);
	free(m);
}

static void
release_meetings(void *v, size_t n)
{
	meetings_free(v, n);
}

int
store_meetings(struct store *s, time_t ends_after, int64_t id,
	       struct meeting **out, size_t *n)
{
	sqlite3_stmt *st;

	if (!(st = stmt(s, ST_MEETINGS)))
		return -1;
	sqlite3_bind_int64(st, 1, (sqlite3_int64)ends_after);
	if (id)
		sqlite3_bind_int64(st, 2, id);
	return collect(s, st, sizeof **out, read_meeting, release_meetings,
		       (void **)out, n, "list meetings");
}

int
store_meeting_version(struct store *s, int64_t id, int sequence,
		      struct meeting **out, size_t *n)
{
	sqlite3_stmt *st;

	if (!(st = stmt(s, ST_MEETING_VERSION)))
		return -1;
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_int(st, 2, sequence);
	return collect(s, st, sizeof **out, read_meeting, release_meetings,
		       (void **)out, n, "read an earlier version of a meeting");
}

static int
read_invite(sqlite3_stmt *st, void *elem)
{
	struct meeting_invite *inv = elem;

	inv->firm_id = sqlite3_column_int64(st, 0);
	inv->sequence = sqlite3_column_int(st, 1);
	return 0;
}

static void
release_invites(void *v, size_t n)
{
	(void)n;
	free(v);
}

int
store_meeting_invites(struct store *s, int64_t meeting_id,
		      struct meeting_invite **out, size_t *n)
{
	sqlite3_stmt *st;

	if (!(st = stmt(s, ST_MEETING_INVITES)))
		return -1;
	sqlite3_bind_int64(st, 1, meeting_id);
	return collect(s, st, sizeof **out, read_invite, release_invites,
		       (void **)out, n, "list invitations");
}

int
store_meeting_invited(struct store *s, int64_t meeting_id, int64_t firm_id,
		      int sequence, time_t now)
{
	sqlite3_stmt *st;

	if (!(st = stmt(s, ST_MEETING_INVITED)))
		return -1;
	sqlite3_bind_int64(st, 1, meeting_id);
	sqlite3_bind_int64(st, 2, firm_id);
	sqlite3_bind_int(st, 3, sequence);
	sqlite3_bind_int64(st, 4, (sqlite3_int64)now);
	return step_done(s, st, "record invitation");
}

int
store_notice_firms(struct store *s, const char *notice_id, int64_t **firm_ids,
		   size_t *n)
{
	sqlite3_stmt *st;

	if (!(st = stmt(s, ST_NOTICE_FIRMS)))
		return -1;
	bind_text(st, 1, notice_id);
	return collect(s, st, sizeof **firm_ids, read_id, release_ids,
		       (void **)firm_ids, n, "list firms matched to a notice");
}

int
store_firm_id(struct store *s, const char *orgnr, int64_t *id)
{
	sqlite3_stmt *st;
	int r;

	if (!(st = stmt(s, ST_FIRM_FIND)))
		return -1;
	bind_text(st, 1, orgnr);
	r = sqlite3_step(st);
	*id = r == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
	sqlite3_reset(st);
	if (r != SQLITE_ROW && r != SQLITE_DONE)
		return db_error(s, "look up firm");
	return 0;
}

int
store_put_rfi(struct store *s, const char *contact, const char *attachments,
	      time_t now, int64_t *id, char *notice_id, size_t len)
{
	sqlite3_stmt *st;

	if (!(st = stmt(s, ST_RFI_INSERT)))
		return -1;
	bind_text(st, 1, contact);
	bind_text(st, 2, attachments ? attachments : "");
	sqlite3_bind_int64(st, 3, (sqlite3_int64)now);
	if (step_done(s, st, "store RFI") < 0)
		return -1;
	*id = sqlite3_last_insert_rowid(s->db);
	snprintf(notice_id, len, "rfi-%lld", (long long)*id);
	if (!(st = stmt(s, ST_RFI_NAME)))
		return -1;
	sqlite3_bind_int64(st, 1, *id);
	bind_text(st, 2, notice_id);
	return step_done(s, st, "name RFI");
}

int
store_close_rfi(struct store *s, const char *notice_id, time_t now, int *found)
{
	sqlite3_stmt *st;

	if (!(st = stmt(s, ST_RFI_CLOSE)))
		return -1;
	bind_text(st, 1, notice_id);
	sqlite3_bind_int64(st, 2, (sqlite3_int64)now);
	return step_changed(s, st, "close RFI", found);
}

static int
read_rfi_entry(sqlite3_stmt *st, void *elem)
{
	struct rfi_entry *e = elem;

	e->notice_id = column_strdup(st, 0);
	e->title = column_strdup(st, 1);
	if ((e->has_deadline = sqlite3_column_type(st, 2) != SQLITE_NULL))
		e->deadline = (time_t)sqlite3_column_int64(st, 2);
	e->own = sqlite3_column_int(st, 3);
	e->closed_at = (time_t)sqlite3_column_int64(st, 4);
	e->responses = sqlite3_column_int64(st, 5);
	return e->notice_id && e->title ? 0 : -1;
}

void
rfi_entries_free(struct rfi_entry *e, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(e[i].notice_id);
		free(e[i].title);
	}
	free(e);
}

static void
release_rfi_entries(void *v, size_t n)
{
	rfi_entries_free(v, n);
}

int
store_rfis(struct store *s, time_t now, const char *notice_id,
	   struct rfi_entry **out, size_t *n)
{
	sqlite3_stmt *st;

	if (!(st = stmt(s, ST_RFIS)))
		return -1;
	sqlite3_bind_int64(st, 1, (sqlite3_int64)now);
	bind_text(st, 2, notice_id);
	return collect(s, st, sizeof **out, read_rfi_entry, release_rfi_entries,
		       (void **)out, n, "list RFIs");
}

/* One participation row: an RFI answer, a bid, a meeting's attendance. */
static int
put_participation(struct store *s, enum stmt_id id, const char *object,
		  int64_t meeting, int64_t firm_id, time_t at,
		  const char *source, int *created)
{
	sqlite3_stmt *st;

	if (!(st = stmt(s, id)))
		return -1;
	if (object)
		bind_text(st, 1, object);
	else
		sqlite3_bind_int64(st, 1, meeting);
	sqlite3_bind_int64(st, 2, firm_id);
	sqlite3_bind_int64(st, 3, (sqlite3_int64)at);
	bind_text(st, 4, source);
	return step_changed(s, st, "record participation", created);
}

int
store_rfi_response(struct store *s, const char *notice_id, int64_t firm_id,
		   time_t at, const char *source, int *created)
{
	return put_participation(s, ST_RFI_RESPONSE, notice_id, 0, firm_id, at,
				 source, created);
}

int
store_bid(struct store *s, const char *notice_id, int64_t firm_id, time_t at,
	  const char *source, int *created)
{
	return put_participation(s, ST_BID, notice_id, 0, firm_id, at, source,
				 created);
}

int
store_meeting_register(struct store *s, int64_t meeting_id, int64_t firm_id,
		       time_t at, const char *source, int *created)
{
	return put_participation(s, ST_MEETING_REGISTER, NULL, meeting_id,
				 firm_id, at, source, created);
}

int
store_meeting_attended(struct store *s, int64_t meeting_id, int64_t firm_id,
		       time_t at, const char *source, int *created)
{
	return put_participation(s, ST_MEETING_ATTENDED, NULL, meeting_id,
				 firm_id, at, source, created);
}

int
store_meeting_unregister(struct store *s, int64_t meeting_id, int64_t firm_id,
			 time_t at, int *found)
{
	sqlite3_stmt *st;

	if (!(st = stmt(s, ST_MEETING_UNREGISTER)))
		return -1;
	sqlite3_bind_int64(st, 1, meeting_id);
	sqlite3_bind_int64(st, 2, firm_id);
	sqlite3_bind_int64(st, 3, (sqlite3_int64)at);
	return step_changed(s, st, "cancel registration", found);
}

static int
read_participant(sqlite3_stmt *st, void *elem)
{
	struct participant *p = elem;

	p->firm_id = sqlite3_column_int64(st, 0);
	p->orgnr = column_strdup(st, 1);
	p->name = column_strdup(st, 2);
	p->at = (time_t)sqlite3_column_int64(st, 3);
	p->registered = sqlite3_column_int(st, 4);
	p->attended = sqlite3_column_int(st, 5);
	p->source = column_strdup(st, 6);
	return p->orgnr && p->name && p->source ? 0 : -1;
}

void
participants_free(struct participant *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(p[i].orgnr);
		free(p[i].name);
		free(p[i].source);
	}
	free(p);
}

static void
release_participants(void *v, size_t n)
{
	participants_free(v, n);
}

static int
participants(struct store *s, enum stmt_id id, const char *object,
	     int64_t meeting, struct participant **out, size_t *n)
{
	sqlite3_stmt *st;

	if (!(st = stmt(s, id)))
		return -1;
	if (object)
		bind_text(st, 1, object);
	else
		sqlite3_bind_int64(st, 1, meeting);
	return collect(s, st, sizeof **out, read_participant,
		       release_participants, (void **)out, n,
		       "list participants");
}

int
store_rfi_responses(struct store *s, const char *notice_id,
		    struct participant **out, size_t *n)
{
	return participants(s, ST_RFI_RESPONSES, notice_id, 0, out, n);
}

int
store_meeting_participants(struct store *s, int64_t meeting_id,
			   struct participant **out, size_t *n)
{
	return participants(s, ST_MEETING_PARTICIPANTS, NULL, meeting_id, out, n);
}

static int
read_report_count(sqlite3_stmt *st, void *elem)
{
	struct report_count *c = elem;

	c->year = sqlite3_column_int(st, 0);
	c->quarter = sqlite3_column_int(st, 1);
	c->category = column_strdup(st, 2);
	c->value = sqlite3_column_int64(st, 3);
	c->days = sqlite3_column_double(st, 4);
	c->item = column_strdup(st, 5);
	return sqlite3_column_type(st, 2) == SQLITE_NULL || c->category ? 0 : -1;
}

void
report_counts_free(struct report_count *c, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(c[i].category);
		free(c[i].item);
	}
	free(c);
}

static void
release_report_counts(void *v, size_t n)
{
	report_counts_free(v, n);
}

int
store_report(struct store *s, enum report_query q, time_t from, time_t to,
	     time_t now, struct report_count **out, size_t *n)
{
	sqlite3_stmt *st;

	if (!(st = stmt(s, ST_REPORT_FIRST + q)))
		return -1;
	sqlite3_bind_int64(st, 1, (sqlite3_int64)from);
	sqlite3_bind_int64(st, 2, (sqlite3_int64)to);
	sqlite3_bind_int64(st, 3, (sqlite3_int64)now);
	return collect(s, st, sizeof **out, read_report_count,
		       release_report_counts, (void **)out, n, "read report");
}

int
store_subscribe_firm(struct store *s, const struct firm *f, time_t now,
		     time_t lapse, int64_t *id, enum firm_state *state)
{
	sqlite3_stmt *st;
	int lapsed = 0;

	if (store_begin(s) < 0)
		return -1;
	if (store_firm_state(s, f->orgnr, id, state) < 0)
		goto fail;
	if (*id && *state == FIRM_PENDING) {
		if (!(st = stmt(s, ST_FIRM_LAPSED_DELETE)))
			goto fail;
		sqlite3_bind_int64(st, 1, *id);
		sqlite3_bind_int64(st, 2, (sqlite3_int64)(now - lapse));
		if (step_changed(s, st, "drop a lapsed subscription", &lapsed) < 0)
			goto fail;
	}
	if (!*id || lapsed) {
		if (!(st = stmt(s, ST_FIRM_PENDING_INSERT)))
			goto fail;
		bind_text(st, 13, "web");
		if (bind_firm(s, st, f, now) < 0)
			goto fail;
		*id = sqlite3_last_insert_rowid(s->db);
		*state = FIRM_NEW;
	}
	if (store_commit(s) < 0)
		goto fail;
	return 0;
fail:
	store_rollback(s);
	return -1;
}

/* Runs a statement whose parameters are a row id, a text and a time. */
static int
run_id_text_time(struct store *s, enum stmt_id id, int64_t row,
		 const char *text, time_t t, const char *what)
{
	sqlite3_stmt *st;

	if (!(st = stmt(s, id)))
		return -1;
	sqlite3_bind_int64(st, 1, row);
	bind_text(st, 2, text);
	sqlite3_bind_int64(st, 3, (sqlite3_int64)t);
	return step_done(s, st, what);
}

int
store_request_email(struct store *s, int64_t id, const char *email,
		    time_t now)
{
	return run_id_text_time(s, ST_FIRM_NEW_EMAIL, id, email, now,
				"record the new address");
}

int
store_confirm_email(struct store *s, int64_t id, time_t requested_at,
		    time_t now, int *found)
{
	sqlite3_stmt *st;

	if (!(st = stmt(s, ST_FIRM_NEW_EMAIL_CONFIRM)))
		return -1;
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_int64(st, 2, (sqlite3_int64)requested_at);
	sqlite3_bind_int64(st, 3, (sqlite3_int64)now);
	if (step_changed(s, st, "change the address", found) < 0)
		return -1;
	if (!*found || !(st = stmt(s, ST_BOUNCE_CLEAR)))
		return *found ? -1 : 0;
	sqlite3_bind_int64(st, 1, id);
	return step_done(s, st, "clear the address's bounces");
}

/* Attempts are kept as long as the longest window asks: a day. */
#define ATTEMPTS_KEPT (24L * 3600)

int
store_take_attempt(struct store *s, const char *key, time_t now, long window,
		   long limit, int *allowed)
{
	sqlite3_stmt *st;
	long long n = 0;
	int r;

	*allowed = 0;
	if (store_begin(s) < 0)
		return -1;
	if (!(st = stmt(s, ST_ATTEMPT_PURGE)))
		goto fail;
	sqlite3_bind_int64(st, 1, (sqlite3_int64)(now - ATTEMPTS_KEPT));
	if (step_done(s, st, "forget old attempts") < 0 ||
	    !(st = stmt(s, ST_ATTEMPT_COUNT)))
		goto fail;
	bind_text(st, 1, key);
	sqlite3_bind_int64(st, 2, (sqlite3_int64)(now - window));
	r = sqlite3_step(st);
	if (r == SQLITE_ROW)
		n = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	if (r != SQLITE_ROW) {
		db_error(s, "count attempts");
		goto fail;
	}
	if (n < limit) {
		if (!(st = stmt(s, ST_ATTEMPT_ADD)))
			goto fail;
		bind_text(st, 1, key);
		sqlite3_bind_int64(st, 2, (sqlite3_int64)now);
		if (step_done(s, st, "record an attempt") < 0)
			goto fail;
		*allowed = 1;
	}
	if (store_commit(s) < 0)
		goto fail;
	return 0;
fail:
	store_rollback(s);
	return -1;
}

int
store_data_version(struct store *s, long long *version)
{
	sqlite3_stmt *st;
	int r;

	if (!(st = stmt(s, ST_DATA_VERSION)))
		return -1;
	r = sqlite3_step(st);
	*version = r == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
	sqlite3_reset(st);
	return r == SQLITE_ROW ? 0 : db_error(s, "read the data version");
}

int
store_firm_state(struct store *s, const char *orgnr, int64_t *id,
		 enum firm_state *state)
{
	sqlite3_stmt *st;
	int r;

	if (!(st = stmt(s, ST_FIRM_STATE)))
		return -1;
	bind_text(st, 1, orgnr);
	r = sqlite3_step(st);
	*id = 0;
	*state = FIRM_NEW;
	if (r == SQLITE_ROW) {
		*id = sqlite3_column_int64(st, 0);
		*state = (enum firm_state)sqlite3_column_int(st, 1);
	}
	sqlite3_reset(st);
	if (r != SQLITE_ROW && r != SQLITE_DONE)
		return db_error(s, "look up firm");
	return 0;
}

/* One of the statements that move a firm, by id, to another state. */
static int
firm_transition(struct store *s, enum stmt_id id, int64_t firm_id, time_t now,
		int *found)
{
	sqlite3_stmt *st;

	if (!(st = stmt(s, id)))
		return -1;
	sqlite3_bind_int64(st, 1, firm_id);
	if (sqlite3_bind_parameter_count(st) > 1)
		sqlite3_bind_int64(st, 2, (sqlite3_int64)now);
	return step_changed(s, st, "change subscription", found);
}

int
store_confirm_firm(struct store *s, int64_t id, time_t now, int *found)
{
	return firm_transition(s, ST_FIRM_CONFIRM, id, now, found);
}

int
store_unsubscribe_firm(struct store *s, int64_t id, time_t now, int *found)
{
	return firm_transition(s, ST_FIRM_UNSUBSCRIBE, id, now, found);
}

int
store_resubscribe_firm(struct store *s, int64_t id, time_t now, int *found)
{
	return firm_transition(s, ST_FIRM_RESUBSCRIBE, id, now, found);
}

/*
 * The firm's alerts become anonymous facts for the report before the firm
 * and everything that names it goes: the counts of past quarters stay.
 */
int
store_delete_firm(struct store *s, int64_t id, time_t now, int *found)
{
	sqlite3_stmt *st;

	if (store_begin(s) < 0)
		return -1;
	if (!(st = stmt(s, ST_FIRM_ANONYMISE)))
		goto fail;
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_int64(st, 2, (sqlite3_int64)now);
	if (step_done(s, st, "keep anonymous counts") < 0 ||
	    firm_transition(s, ST_FIRM_DELETE_ID, id, now, found) < 0 ||
	    store_commit(s) < 0)
		goto fail;
	return 0;
fail:
	store_rollback(s);
	return -1;
}

static int
read_public_notice(sqlite3_stmt *st, void *elem)
{
	struct public_notice *p = elem;

	p->notice_id = column_strdup(st, 0);
	p->title = column_strdup(st, 1);
	p->buyer = column_strdup(st, 2);
	p->url = column_strdup(st, 3);
	p->kind = column_strdup(st, 4);
	if ((p->has_deadline = sqlite3_column_type(st, 5) != SQLITE_NULL))
		p->deadline = (time_t)sqlite3_column_int64(st, 5);
	p->published = column_strdup(st, 6);
	p->categories = column_strdup(st, 7);
	p->description = column_strdup(st, 8);
	p->contact = column_strdup(st, 9);
	p->documents = column_strdup(st, 10);
	p->closed_at = (time_t)sqlite3_column_int64(st, 11);
	p->own = sqlite3_column_int(st, 12);
	p->updated = (time_t)sqlite3_column_int64(st, 13);
	return p->notice_id && p->title && p->kind && p->published ? 0 : -1;
}

void
public_notices_free(struct public_notice *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(p[i].notice_id);
		free(p[i].title);
		free(p[i].buyer);
		free(p[i].url);
		free(p[i].kind);
		free(p[i].published);
		free(p[i].categories);
		free(p[i].description);
		free(p[i].contact);
		free(p[i].documents);
	}
	free(p);
}

static void
release_public_notices(void *v, size_t n)
{
	public_notices_free(v, n);
}

int
store_public_notices(struct store *s, const struct public_query *q,
		     struct public_notice **out, size_t *n)
{
	sqlite3_stmt *st;

	if (!(st = stmt(s, q->notice_id ? ST_PUBLIC_NOTICE : q->kind ?
			ST_PUBLIC_NOTICES_OF_KIND : ST_PUBLIC_NOTICES)))
		return -1;
	bind_text(st, 1, q->category);
	sqlite3_bind_int64(st, 2, (sqlite3_int64)q->limit);
	bind_text(st, 3, q->kind);
	bind_text(st, 4, q->notice_id);
	bind_time(st, 5, q->open_at != 0, q->open_at);
	sqlite3_bind_int64(st, 6, (sqlite3_int64)q->offset);
	return collect(s, st, sizeof **out, read_public_notice,
		       release_public_notices, (void **)out, n,
		       "list public notices");
}

static int
read_firm_record(sqlite3_stmt *st, void *elem)
{
	struct firm_record *r = elem;

	r->what = column_strdup(st, 0);
	r->a = column_strdup(st, 1);
	r->b = column_strdup(st, 2);
	r->t1 = sqlite3_column_int64(st, 3);
	if ((r->has_t2 = sqlite3_column_type(st, 4) != SQLITE_NULL))
		r->t2 = sqlite3_column_int64(st, 4);
	return r->what ? 0 : -1;
}

void
firm_records_free(struct firm_record *r, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(r[i].what);
		free(r[i].a);
		free(r[i].b);
	}
	free(r);
}

static void
release_firm_records(void *v, size_t n)
{
	firm_records_free(v, n);
}

int
store_firm_records(struct store *s, int64_t firm_id, struct firm_record **out,
		   size_t *n)
{
	sqlite3_stmt *st;

	if (!(st = stmt(s, ST_FIRM_RECORDS)))
		return -1;
	sqlite3_bind_int64(st, 1, firm_id);
	return collect(s, st, sizeof **out, read_firm_record,
		       release_firm_records, (void **)out, n,
		       "read a firm's records");
}

int
store_outbox_counts(struct store *s, struct outbox_counts *c)
{
	sqlite3_stmt *st;
	int r;

	if (!(st = stmt(s, ST_OUTBOX_COUNTS)))
		return -1;
	r = sqlite3_step(st);
	if (r == SQLITE_ROW) {
		c->pending = sqlite3_column_int64(st, 0);
		c->sending = sqlite3_column_int64(st, 1);
		c->sent = sqlite3_column_int64(st, 2);
		c->failed = sqlite3_column_int64(st, 3);
		c->retrying = sqlite3_column_int64(st, 4);
		c->last_sent = (time_t)sqlite3_column_int64(st, 5);
	}
	sqlite3_reset(st);
	return r == SQLITE_ROW ? 0 : db_error(s, "count messages");
}

int
store_incident(struct store *s, const char *key, int64_t *id, time_t *since)
{
	sqlite3_stmt *st;
	int r;

	if (!(st = stmt(s, ST_INCIDENT_OPEN_GET)))
		return -1;
	bind_text(st, 1, key);
	r = sqlite3_step(st);
	*id = 0;
	*since = 0;
	if (r == SQLITE_ROW) {
		*id = sqlite3_column_int64(st, 0);
		*since = (time_t)sqlite3_column_int64(st, 1);
	}
	sqlite3_reset(st);
	if (r != SQLITE_ROW && r != SQLITE_DONE)
		return db_error(s, "read incident");
	return 0;
}

int
store_incident_open(struct store *s, const char *key, const char *detail,
		    time_t now, int64_t *id)
{
	sqlite3_stmt *st;

	if (!(st = stmt(s, ST_INCIDENT_OPEN)))
		return -1;
	bind_text(st, 1, key);
	bind_text(st, 2, detail);
	sqlite3_bind_int64(st, 3, (sqlite3_int64)now);
	if (step_done(s, st, "open incident") < 0)
		return -1;
	*id = sqlite3_last_insert_rowid(s->db);
	return 0;
}

int
store_incident_close(struct store *s, int64_t id, time_t now)
{
	sqlite3_stmt *st;

	if (!(st = stmt(s, ST_INCIDENT_CLOSE)))
		return -1;
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_int64(st, 2, (sqlite3_int64)now);
	return step_done(s, st, "close incident");
}

int
store_maintain(struct store *s, time_t sent_before)
{
	long long purged;

	if (store_outbox_purge(s, sent_before, &purged) < 0 ||
	    exec(s, "PRAGMA optimize") < 0 ||
	    exec(s, "PRAGMA wal_checkpoint(TRUNCATE)") < 0)
		return -1;
	if (purged)
		log_info("dropped the text of %lld mails sent long ago", purged);
	return 0;
}

int
store_stop_notice(struct store *s, int64_t firm_id, const char *notice_id,
		  time_t now)
{
	return run_id_text_time(s, ST_NOTICE_STOP, firm_id, notice_id, now,
				"stop mails about a notice");
}

/* Inserts m through statement id, then ties the matches it reports to it. */
static int
insert_message(struct store *s, enum stmt_id id, const struct outbox_message *m,
	       const char *why, const int64_t *match_ids, size_t nmatch,
	       time_t now)
{
	sqlite3_stmt *st;
	int64_t row;
	size_t i;

	if (!(st = stmt(s, id)))
		return -1;
	bind_text(st, 1, m->key);
	if (m->firm_id)
		sqlite3_bind_int64(st, 2, m->firm_id);
	bind_text(st, 3, m->rcpt);
	bind_text(st, 4, m->envelope_from);
	/* a zero-length text is a blob still, not NULL */
	sqlite3_bind_blob(st, 5, m->body ? m->body : "", (int)m->len,
			  SQLITE_TRANSIENT);
	sqlite3_bind_int64(st, 6, (sqlite3_int64)now);
	if (m->stale_at)
		sqlite3_bind_int64(st, 7, (sqlite3_int64)m->stale_at);
	if (why)
		bind_text(st, 8, why);
	if (step_done(s, st, "queue message") < 0)
		return -1;
	if (sqlite3_changes(s->db) == 0)
		return 1;
	row = sqlite3_last_insert_rowid(s->db);
	for (i = 0; i < nmatch; i++) {
		if (!(st = stmt(s, ST_MATCH_LINK)))
			return -1;
		sqlite3_bind_int64(st, 1, row);
		sqlite3_bind_int64(st, 2, match_ids[i]);
		if (step_done(s, st, "link match to message") < 0)
			return -1;
	}
	return 0;
}

int
store_queue_message(struct store *s, const struct outbox_message *m,
		    const int64_t *match_ids, size_t nmatch, time_t now)
{
	return insert_message(s, ST_MESSAGE_INSERT, m, NULL, match_ids, nmatch,
			      now);
}

int
store_queue_unbuilt(struct store *s, const struct outbox_message *m,
		    const char *why, const int64_t *match_ids, size_t nmatch,
		    time_t now)
{
	return insert_message(s, ST_MESSAGE_INSERT_UNBUILT, m, why, match_ids,
			      nmatch, now);
}

void
outbox_messages_free(struct outbox_message *m, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(m[i].key);
		free(m[i].rcpt);
		free(m[i].envelope_from);
		free(m[i].body);
	}
	free(m);
}

static int
read_message(sqlite3_stmt *st, void *elem)
{
	struct outbox_message *m = elem;
	const void *body = sqlite3_column_blob(st, 5);
	int len = sqlite3_column_bytes(st, 5);

	m->id = sqlite3_column_int64(st, 0);
	m->key = column_strdup(st, 1);
	m->firm_id = sqlite3_column_int64(st, 2);
	m->rcpt = column_strdup(st, 3);
	m->envelope_from = column_strdup(st, 4);
	m->attempts = sqlite3_column_int(st, 6);
	m->created_at = (time_t)sqlite3_column_int64(st, 7);
	if (!m->key || !m->rcpt || !m->envelope_from ||
	    !(m->body = malloc((size_t)len + 1)))
		return -1;
	if (len)
		memcpy(m->body, body, (size_t)len);
	m->body[len] = '\0';
	m->len = (size_t)len;
	return 0;
}

static void
release_messages(void *v, size_t n)
{
	outbox_messages_free(v, n);
}

int
store_due_messages(struct store *s, time_t now, const char *key_prefix,
		   size_t limit, struct outbox_message **out, size_t *n)
{
	sqlite3_stmt *st;

	if (!(st = stmt(s, ST_MESSAGES_DUE)))
		return -1;
	sqlite3_bind_int64(st, 1, (sqlite3_int64)now);
	sqlite3_bind_int64(st, 2, (sqlite3_int64)limit);
	bind_text(st, 3, key_prefix);
	return collect(s, st, sizeof **out, read_message, release_messages,
		       (void **)out, n, "list due messages");
}

static const char *const state_names[] = {
	[MSG_PENDING] = "pending",
	[MSG_SENDING] = "sending",
	[MSG_SENT] = "sent",
	[MSG_FAILED] = "failed",
};

int
store_mark_message(struct store *s, int64_t id, enum message_state state,
		   const char *last_error, time_t next_attempt, time_t now)
{
	sqlite3_stmt *st;

	if (!(st = stmt(s, ST_MESSAGE_MARK)))
		return -1;
	sqlite3_bind_int64(st, 1, id);
	bind_text(st, 2, state_names[state]);
	bind_text(st, 3, last_error);
	sqlite3_bind_int64(st, 4, (sqlite3_int64)next_attempt);
	sqlite3_bind_int64(st, 5, (sqlite3_int64)now);
	return step_done(s, st, "update message");
}

int
store_claim_message(struct store *s, int64_t id, const struct claim *c,
		    int *claimed)
{
	sqlite3_stmt *st;

	if (!(st = stmt(s, ST_MESSAGE_CLAIM)))
		return -1;
	sqlite3_bind_int64(st, 1, id);
	bind_text(st, 2, c->owner);
	sqlite3_bind_int64(st, 3, (sqlite3_int64)c->lease_until);
	return step_changed(s, st, "take message", claimed);
}

int
store_recover_sending(struct store *s, const char *dead_owners, time_t now,
		      int *n)
{
	sqlite3_stmt *st;

	if (!(st = stmt(s, ST_MESSAGES_RECOVER)))
		return -1;
	sqlite3_bind_int64(st, 1, (sqlite3_int64)now);
	bind_text(st, 2, dead_owners);
	if (step_done(s, st, "recover messages") < 0)
		return -1;
	*n = sqlite3_changes(s->db);
	return 0;
}

/* Runs an update whose one parameter is a time; *n rows it changed. */
static int
update_at(struct store *s, enum stmt_id id, time_t t, const char *what,
	  long long *n)
{
	sqlite3_stmt *st;

	if (!(st = stmt(s, id)))
		return -1;
	sqlite3_bind_int64(st, 1, (sqlite3_int64)t);
	if (step_done(s, st, what) < 0)
		return -1;
	*n = sqlite3_changes(s->db);
	return 0;
}

int
store_drop_bounced(struct store *s, const char *except, long long *n)
{
	sqlite3_stmt *st;

	if (!(st = stmt(s, ST_MESSAGES_BOUNCED)))
		return -1;
	bind_text(st, 1, except);
	if (step_done(s, st, "fail mails to bounced addresses") < 0)
		return -1;
	*n = sqlite3_changes(s->db);
	return 0;
}

int
store_bounce_get(struct store *s, const char *address, struct bounce_state *b)
{
	sqlite3_stmt *st;
	int r;

	memset(b, 0, sizeof *b);
	if (!(st = stmt(s, ST_BOUNCE_GET)))
		return -1;
	bind_text(st, 1, address);
	r = sqlite3_step(st);
	if (r == SQLITE_ROW) {
		b->hard_at = (time_t)sqlite3_column_int64(st, 0);
		b->soft = sqlite3_column_int(st, 2);
		b->soft_first_at = (time_t)sqlite3_column_int64(st, 3);
		b->soft_last_at = (time_t)sqlite3_column_int64(st, 4);
		if (sqlite3_column_type(st, 1) != SQLITE_NULL &&
		    !(b->reason = column_strdup(st, 1)))
			r = SQLITE_NOMEM;
	}
	sqlite3_reset(st);
	if (r == SQLITE_NOMEM)
		return error("out of memory");
	return r == SQLITE_ROW || r == SQLITE_DONE ? 0 :
	       db_error(s, "read the address's bounces");
}

int
store_bounce_put(struct store *s, const char *address,
		 const struct bounce_state *b)
{
	sqlite3_stmt *st;

	if (!(st = stmt(s, ST_BOUNCE_PUT)))
		return -1;
	bind_text(st, 1, address);
	bind_time(st, 2, b->hard_at != 0, b->hard_at);
	bind_text(st, 3, b->reason);
	sqlite3_bind_int(st, 4, b->soft);
	bind_time(st, 5, b->soft_first_at != 0, b->soft_first_at);
	bind_time(st, 6, b->soft_last_at != 0, b->soft_last_at);
	return step_done(s, st, "record the bounce");
}

void
bounce_state_release(struct bounce_state *b)
{
	free(b->reason);
	b->reason = NULL;
}

int
store_bounced_count(struct store *s, long long *n)
{
	sqlite3_stmt *st;
	int r;

	if (!(st = stmt(s, ST_BOUNCED_COUNT)))
		return -1;
	r = sqlite3_step(st);
	*n = r == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
	sqlite3_reset(st);
	return r == SQLITE_ROW ? 0 : db_error(s, "count bounced addresses");
}

int
store_drop_stale(struct store *s, time_t now, long long *n)
{
	return update_at(s, ST_MESSAGES_STALE, now, "drop stale messages", n);
}

void
notice_changes_free(struct notice_change *c, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(c[i].lot_id);
		free(c[i].what);
		free(c[i].old_value);
		free(c[i].new_value);
	}
	free(c);
}

static int
read_change(sqlite3_stmt *st, void *elem)
{
	struct notice_change *c = elem;

	c->lot_id = column_strdup(st, 0);
	c->what = column_strdup(st, 1);
	c->old_value = column_strdup(st, 2);
	c->new_value = column_strdup(st, 3);
	return c->what ? 0 : -1;
}

static void
release_changes(void *v, size_t n)
{
	notice_changes_free(v, n);
}

int
store_notice_changes(struct store *s, const char *notice_id,
		     struct notice_change **out, size_t *n)
{
	sqlite3_stmt *st;

	if (!(st = stmt(s, ST_CHANGES_OF)))
		return -1;
	bind_text(st, 1, notice_id);
	return collect(s, st, sizeof **out, read_change, release_changes,
		       (void **)out, n, "list changes");
}

int
store_version_changes(struct store *s, int64_t rowid,
		      struct notice_change **out, size_t *n)
{
	sqlite3_stmt *st;

	if (!(st = stmt(s, ST_CHANGES_OF_ROW)))
		return -1;
	sqlite3_bind_int64(st, 1, rowid);
	return collect(s, st, sizeof **out, read_change, release_changes,
		       (void **)out, n, "list changes of a version");
}

int
store_quarantine(struct store *s, const char *feed, const char *source,
		 const char *reason, const char *head, size_t head_len,
		 long long size, time_t now)
{
	sqlite3_stmt *st;

	if (!(st = stmt(s, ST_QUARANTINE_PUT)))
		return -1;
	bind_text(st, 1, feed);
	bind_text(st, 2, source);
	bind_text(st, 3, reason);
	sqlite3_bind_blob(st, 4, head ? head : "", (int)(head_len < QUARANTINE_HEAD ?
			  head_len : QUARANTINE_HEAD), SQLITE_TRANSIENT);
	sqlite3_bind_int64(st, 5, (sqlite3_int64)size);
	sqlite3_bind_int64(st, 6, (sqlite3_int64)now);
	return step_done(s, st, "quarantine document");
}

void
quarantined_free(struct quarantined *q, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(q[i].feed);
		free(q[i].source);
		free(q[i].reason);
		free(q[i].head);
	}
	free(q);
}

static int
read_quarantined(sqlite3_stmt *st, void *elem)
{
	struct quarantined *q = elem;
	const void *head = sqlite3_column_blob(st, 3);

	q->feed = column_strdup(st, 0);
	q->source = column_strdup(st, 1);
	q->reason = column_strdup(st, 2);
	q->head_len = (size_t)sqlite3_column_bytes(st, 3);
	q->size = sqlite3_column_int64(st, 4);
	q->first_seen = (time_t)sqlite3_column_int64(st, 5);
	q->last_seen = (time_t)sqlite3_column_int64(st, 6);
	q->times = (long)sqlite3_column_int64(st, 7);
	if (!q->feed || !q->source || !q->reason ||
	    !(q->head = malloc(q->head_len + 1)))
		return -1;
	if (q->head_len)
		memcpy(q->head, head, q->head_len);
	q->head[q->head_len] = '\0';
	return 0;
}

static void
release_quarantined(void *v, size_t n)
{
	quarantined_free(v, n);
}

int
store_quarantine_list(struct store *s, size_t limit, struct quarantined **out,
		      size_t *n)
{
	sqlite3_stmt *st;

	if (!(st = stmt(s, ST_QUARANTINE_LIST)))
		return -1;
	sqlite3_bind_int64(st, 1, (sqlite3_int64)limit);
	return collect(s, st, sizeof **out, read_quarantined, release_quarantined,
		       (void **)out, n, "list quarantine");
}

int
store_feed_item_get(struct store *s, const char *feed, const char *item,
		    char **etag, char **last_modified, int *found)
{
	sqlite3_stmt *st;
	int r, rc = 0;

	*etag = NULL;
	*last_modified = NULL;
	*found = 0;
	if (!(st = stmt(s, ST_FEED_ITEM_GET)))
		return -1;
	bind_text(st, 1, feed);
	bind_text(st, 2, item);
	r = sqlite3_step(st);
	if (r == SQLITE_ROW) {
		*found = 1;
		*etag = column_strdup(st, 0);
		*last_modified = column_strdup(st, 1);
	} else if (r != SQLITE_DONE) {
		rc = db_error(s, "look up feed item");
	}
	sqlite3_reset(st);
	return rc;
}

int
store_feed_item_put(struct store *s, const char *feed, const char *item,
		    const char *etag, const char *last_modified, time_t now)
{
	sqlite3_stmt *st;

	if (!(st = stmt(s, ST_FEED_ITEM_PUT)))
		return -1;
	bind_text(st, 1, feed);
	bind_text(st, 2, item);
	bind_text(st, 3, etag);
	bind_text(st, 4, last_modified);
	sqlite3_bind_int64(st, 5, (sqlite3_int64)now);
	if (step_done(s, st, "store feed item") < 0 ||
	    !(st = stmt(s, ST_PENDING_DROP)))
		return -1;
	/* an item read, stored or refused, waits no more */
	bind_text(st, 1, feed);
	bind_text(st, 2, item);
	return step_done(s, st, "drop pending item");
}

void
feed_state_release(struct feed_state *st)
{
	free(st->last_error);
	st->last_error = NULL;
}

static time_t
column_time(sqlite3_stmt *st, int col)
{
	return (time_t)sqlite3_column_int64(st, col);
}

int
store_feed_state_get(struct store *s, const char *feed, struct feed_state *fs)
{
	sqlite3_stmt *st;
	int r, rc = 0;

	memset(fs, 0, sizeof *fs);
	if (!(st = stmt(s, ST_FEED_STATE_GET)))
		return -1;
	bind_text(st, 1, feed);
	r = sqlite3_step(st);
	if (r == SQLITE_ROW) {
		fs->last_poll = column_time(st, 0);
		fs->last_success = column_time(st, 1);
		fs->next_poll = column_time(st, 2);
		fs->failures = sqlite3_column_int(st, 3);
		fs->last_error = column_strdup(st, 4);
		fs->notices = (long)sqlite3_column_int64(st, 5);
	} else if (r != SQLITE_DONE) {
		rc = db_error(s, "read feed state");
	}
	sqlite3_reset(st);
	return rc;
}

int
store_feed_state_put(struct store *s, const char *feed,
		     const struct feed_state *fs)
{
	sqlite3_stmt *st;

	if (!(st = stmt(s, ST_FEED_STATE_PUT)))
		return -1;
	bind_text(st, 1, feed);
	bind_time(st, 2, fs->last_poll != 0, fs->last_poll);
	bind_time(st, 3, fs->last_success != 0, fs->last_success);
	sqlite3_bind_int64(st, 4, (sqlite3_int64)fs->next_poll);
	sqlite3_bind_int(st, 5, fs->failures);
	bind_text(st, 6, fs->last_error);
	sqlite3_bind_int64(st, 7, fs->notices);
	return step_done(s, st, "store feed state");
}

/* Copies a stored date into a window's field: "" unless YYYYMMDD. */
static void
window_date(sqlite3_stmt *st, int col, char out[9])
{
	const char *v = (const char *)sqlite3_column_text(st, col);

	out[0] = '\0';
	if (v && strlen(v) == 8 && strspn(v, "0123456789") == 8)
		memcpy(out, v, 9);
}

int
store_feed_window_get(struct store *s, const char *feed, struct feed_window *w)
{
	sqlite3_stmt *st;
	int r, rc = 0;

	memset(w, 0, sizeof *w);
	if (!(st = stmt(s, ST_FEED_WINDOW_GET)))
		return -1;
	bind_text(st, 1, feed);
	r = sqlite3_step(st);
	if (r == SQLITE_ROW) {
		window_date(st, 0, w->lo);
		window_date(st, 1, w->hi);
		window_date(st, 2, w->top);
	} else if (r != SQLITE_DONE) {
		rc = db_error(s, "read feed window");
	}
	sqlite3_reset(st);
	return rc;
}

int
store_feed_window_put(struct store *s, const char *feed,
		      const struct feed_window *w)
{
	sqlite3_stmt *st;

	if (!(st = stmt(s, ST_FEED_WINDOW_PUT)))
		return -1;
	bind_text(st, 1, feed);
	bind_text(st, 2, w->lo[0] ? w->lo : NULL);
	bind_text(st, 3, w->hi[0] ? w->hi : NULL);
	bind_text(st, 4, w->top[0] ? w->top : NULL);
	return step_done(s, st, "store feed window");
}

int
store_pending_put(struct store *s, const char *feed, const char *item,
		  const char *url, const char *error, time_t now, time_t next_try)
{
	sqlite3_stmt *st;

	if (!(st = stmt(s, ST_PENDING_PUT)))
		return -1;
	bind_text(st, 1, feed);
	bind_text(st, 2, item);
	bind_text(st, 3, url);
	sqlite3_bind_int64(st, 4, (sqlite3_int64)now);
	sqlite3_bind_int64(st, 5, (sqlite3_int64)next_try);
	bind_text(st, 6, error);
	return step_done(s, st, "store pending item");
}

int
store_pending_has(struct store *s, const char *feed, const char *item,
		  int *found)
{
	sqlite3_stmt *st;
	int r, rc = 0;

	*found = 0;
	if (!(st = stmt(s, ST_PENDING_HAS)))
		return -1;
	bind_text(st, 1, feed);
	bind_text(st, 2, item);
	if ((r = sqlite3_step(st)) == SQLITE_ROW)
		*found = 1;
	else if (r != SQLITE_DONE)
		rc = db_error(s, "look up pending item");
	sqlite3_reset(st);
	return rc;
}

void
pending_items_free(struct pending_item *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(p[i].item);
		free(p[i].url);
		free(p[i].last_error);
	}
	free(p);
}

static int
read_pending(sqlite3_stmt *st, void *elem)
{
	struct pending_item *p = elem;

	p->item = column_strdup(st, 0);
	p->url = column_strdup(st, 1);
	p->attempts = sqlite3_column_int(st, 2);
	p->first_failed = column_time(st, 3);
	p->next_try = column_time(st, 4);
	p->last_error = column_strdup(st, 5);
	return p->item && p->url && p->last_error ? 0 : -1;
}

static void
release_pending(void *v, size_t n)
{
	pending_items_free(v, n);
}

int
store_pending_due(struct store *s, const char *feed, time_t now, size_t limit,
		  struct pending_item **out, size_t *n)
{
	sqlite3_stmt *st;

	*out = NULL;
	*n = 0;
	if (!(st = stmt(s, ST_PENDING_DUE)))
		return -1;
	bind_text(st, 1, feed);
	sqlite3_bind_int64(st, 2, (sqlite3_int64)now);
	sqlite3_bind_int64(st, 3, (sqlite3_int64)limit);
	return collect(s, st, sizeof **out, read_pending, release_pending,
		       (void **)out, n, "list pending items");
}

int
store_pending_summary(struct store *s, const char *feed, long *count,
		      time_t *oldest, char **last_error)
{
	sqlite3_stmt *st;
	int rc = 0;

	*count = 0;
	*oldest = 0;
	*last_error = NULL;
	if (!(st = stmt(s, ST_PENDING_SUMMARY)))
		return -1;
	bind_text(st, 1, feed);
	if (sqlite3_step(st) != SQLITE_ROW) {
		rc = db_error(s, "count pending items");
	} else {
		*count = (long)sqlite3_column_int64(st, 0);
		*oldest = column_time(st, 1);
		*last_error = column_strdup(st, 2);
	}
	sqlite3_reset(st);
	return rc;
}

int
store_put_category_lots(struct store *s, int64_t lot_rowid,
			const struct lot_split *split)
{
	struct buf cpv;
	sqlite3_stmt *st;
	size_t i;
	int rc = -1;

	buf_init(&cpv, 0);
	for (i = 0; i < split->nparts; i++) {
		const struct category_lot *p = &split->parts[i];

		if (!(st = stmt(s, ST_CATEGORY_LOT_INSERT)))
			goto out;
		sqlite3_bind_int64(st, 1, lot_rowid);
		bind_text(st, 2, p->category ? p->category->key : NULL);
		if (bind_words(st, 3, p->cpv, p->ncpv, &cpv) < 0) {
			error("out of memory");
			goto out;
		}
		bind_value(st, 4, p->has_value, p->value);
		bind_text(st, 5, p->currency);
		if (step_done(s, st, "store category lot") < 0)
			goto out;
	}
	rc = 0;
out:
	buf_release(&cpv);
	return rc;
}

/* The first column of a one-row query with one integer and one time bound. */
static int
count_since(struct store *s, enum stmt_id id, int64_t firm_id, time_t since,
	    long long *out, const char *what)
{
	sqlite3_stmt *st;
	int r;

	if (!(st = stmt(s, id)))
		return -1;
	sqlite3_bind_int64(st, 1, firm_id);
	sqlite3_bind_int64(st, 2, (sqlite3_int64)since);
	r = sqlite3_step(st);
	*out = r == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
	sqlite3_reset(st);
	if (r != SQLITE_ROW)
		return db_error(s, what);
	return 0;
}

int
store_matches_mailed_since(struct store *s, int64_t firm_id, time_t since,
			   long long *n)
{
	return count_since(s, ST_MATCHES_MAILED_SINCE, firm_id, since, n,
			   "count mailed matches");
}

int
store_last_alert(struct store *s, int64_t firm_id, time_t *when)
{
	long long t;

	if (count_since(s, ST_LAST_ALERT, firm_id, 0, &t, "find last alert") < 0)
		return -1;
	*when = (time_t)t;
	return 0;
}

static void
release_parts(void *v, size_t n)
{
	struct stored_part *p = v;
	size_t i;

	for (i = 0; i < n; i++) {
		free(p[i].category);
		free(p[i].cpv);
		free(p[i].currency);
	}
	free(p);
}

static void
release_lots(void *v, size_t n)
{
	struct stored_lot *l = v;
	size_t i;

	for (i = 0; i < n; i++) {
		release_parts(l[i].parts, l[i].nparts);
		free(l[i].lot_id);
		free(l[i].title);
		free(l[i].cpv);
		free(l[i].nuts);
		free(l[i].town);
		free(l[i].duration);
		free(l[i].currency);
	}
	free(l);
}

void
stored_notice_free(struct stored_notice *n)
{
	if (!n)
		return;
	release_lots(n->lots, n->nlots);
	free(n->notice_id);
	free(n->version);
	free(n->kind);
	free(n->subtype);
	free(n->title);
	free(n->buyer);
	free(n->buyer_id);
	free(n->published);
	free(n->url);
	free(n);
}

static int
read_part(sqlite3_stmt *st, void *elem)
{
	struct stored_part *p = elem;

	p->category = column_strdup(st, 0);
	p->cpv = column_strdup(st, 1);
	if ((p->has_value = sqlite3_column_type(st, 2) != SQLITE_NULL))
		p->value = sqlite3_column_double(st, 2);
	p->currency = column_strdup(st, 3);
	return p->cpv ? 0 : -1;
}

static int
load_parts(struct store *s, struct stored_lot *l)
{
	sqlite3_stmt *st;

	if (!(st = stmt(s, ST_LOT_PARTS)))
		return -1;
	sqlite3_bind_int64(st, 1, l->rowid);
	return collect(s, st, sizeof *l->parts, read_part, release_parts,
		       (void **)&l->parts, &l->nparts, "read category parts");
}

static int
read_lot(sqlite3_stmt *st, void *elem)
{
	struct stored_lot *l = elem;

	l->rowid = sqlite3_column_int64(st, 0);
	l->lot_id = column_strdup(st, 1);
	l->title = column_strdup(st, 2);
	l->cpv = column_strdup(st, 3);
	l->nuts = column_strdup(st, 4);
	l->town = column_strdup(st, 5);
	l->duration = column_strdup(st, 6);
	l->sme_suitable = sqlite3_column_type(st, 7) == SQLITE_NULL ?
			  LOT_SME_UNKNOWN : sqlite3_column_int(st, 7);
	if ((l->has_value = sqlite3_column_type(st, 8) != SQLITE_NULL))
		l->value = sqlite3_column_double(st, 8);
	l->currency = column_strdup(st, 9);
	if ((l->has_deadline = sqlite3_column_type(st, 10) != SQLITE_NULL))
		l->deadline = column_time(st, 10);
	return l->lot_id && l->cpv && l->nuts ? 0 : -1;
}

static int
load_lots(struct store *s, struct stored_notice *n)
{
	sqlite3_stmt *st;
	size_t i;

	if (!(st = stmt(s, ST_NOTICE_LOTS)))
		return -1;
	sqlite3_bind_int64(st, 1, n->rowid);
	if (collect(s, st, sizeof *n->lots, read_lot, release_lots,
		    (void **)&n->lots, &n->nlots, "read lots") < 0)
		return -1;
	for (i = 0; i < n->nlots; i++)
		if (load_parts(s, &n->lots[i]) < 0)
			return -1;
	return 0;
}

int
store_get_notice(struct store *s, const char *notice_id,
		 struct stored_notice **out)
{
	struct stored_notice *n = NULL;
	sqlite3_stmt *st;
	int r, rc = -1;

	*out = NULL;
	if (!(st = stmt(s, ST_NOTICE_GET)))
		return -1;
	bind_text(st, 1, notice_id);
	r = sqlite3_step(st);
	if (r == SQLITE_ROW) {
		if (!(n = calloc(1, sizeof *n))) {
			sqlite3_reset(st);
			return error("out of memory");
		}
		n->rowid = sqlite3_column_int64(st, 0);
		n->notice_id = column_strdup(st, 1);
		n->version = column_strdup(st, 2);
		n->kind = column_strdup(st, 3);
		n->subtype = column_strdup(st, 4);
		n->title = column_strdup(st, 5);
		n->buyer = column_strdup(st, 6);
		n->buyer_id = column_strdup(st, 7);
		n->published = column_strdup(st, 8);
		n->url = column_strdup(st, 9);
		if ((n->has_deadline = sqlite3_column_type(st, 10) != SQLITE_NULL))
			n->deadline = column_time(st, 10);
	}
	sqlite3_reset(st);
	if (r != SQLITE_ROW && r != SQLITE_DONE) {
		db_error(s, "read notice");
		goto out;
	}
	if (n && load_lots(s, n) < 0)
		goto out;
	*out = n;
	n = NULL;
	rc = 0;
out:
	stored_notice_free(n);
	return rc;
}

int
store_single_lot_notices(struct store *s, const char *buyer_id, time_t now,
			 char ***ids, size_t *n)
{
	sqlite3_stmt *st;

	if (!(st = stmt(s, ST_SINGLE_LOT_NOTICES)))
		return -1;
	bind_text(st, 1, buyer_id);
	sqlite3_bind_int64(st, 2, (sqlite3_int64)now);
	return read_ids(s, st, ids, n, "list single-lot notices");
}

void
outbox_entries_free(struct outbox_entry *e, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(e[i].key);
		free(e[i].rcpt);
		free(e[i].state);
		free(e[i].last_error);
	}
	free(e);
}

static int
read_outbox_entry(sqlite3_stmt *st, void *elem)
{
	struct outbox_entry *e = elem;

	e->id = sqlite3_column_int64(st, 0);
	e->key = column_strdup(st, 1);
	e->rcpt = column_strdup(st, 2);
	e->state = column_strdup(st, 3);
	e->attempts = sqlite3_column_int(st, 4);
	e->created_at = column_time(st, 5);
	e->next_attempt = column_time(st, 6);
	e->sent_at = column_time(st, 7);
	e->last_error = column_strdup(st, 8);
	e->has_text = sqlite3_column_int(st, 9);
	return e->key && e->rcpt && e->state ? 0 : -1;
}

static void
release_outbox_entries(void *v, size_t n)
{
	outbox_entries_free(v, n);
}

int
store_outbox_list(struct store *s, const char *state, size_t limit,
		  struct outbox_entry **out, size_t *n)
{
	sqlite3_stmt *st;

	if (!(st = stmt(s, ST_OUTBOX_LIST)))
		return -1;
	bind_text(st, 1, state);
	sqlite3_bind_int64(st, 2, (sqlite3_int64)limit);
	return collect(s, st, sizeof **out, read_outbox_entry,
		       release_outbox_entries, (void **)out, n, "list outbox");
}

int
store_outbox_get(struct store *s, int64_t id, struct outbox_entry **out,
		 size_t *n)
{
	sqlite3_stmt *st;

	if (!(st = stmt(s, ST_OUTBOX_GET)))
		return -1;
	sqlite3_bind_int64(st, 1, id);
	return collect(s, st, sizeof **out, read_outbox_entry,
		       release_outbox_entries, (void **)out, n,
		       "look up a message");
}

int
store_outbox_retry(struct store *s, int64_t id, time_t now, int *found)
{
	sqlite3_stmt *st;

	if (!(st = stmt(s, ST_OUTBOX_RETRY)))
		return -1;
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_int64(st, 2, (sqlite3_int64)now);
	return step_changed(s, st, "retry message", found);
}

int
store_outbox_purge(struct store *s, time_t before, long long *n)
{
	return update_at(s, ST_OUTBOX_PURGE, before, "purge sent messages", n);
}
