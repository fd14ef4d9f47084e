/*
 * The schema: every migration in order, and the loop that applies them
 * on open.
 */
#include <stdio.h>

#include "log.h"
#include "store_impl.h"

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

	/*
	 * 19: a mailed lot names its award's winners and value, looked up
	 * by notice and lot for every lot of every mail: without an index
	 * each looked through all the awards ever stored, and a daily pass
	 * grew by half in a week.
	 */
	"CREATE INDEX award_notice_lot"
	" ON award (notice, lot_id);"
	"CREATE INDEX award_winner_award ON award_winner (award);",

	/*
	 * 20: the staff's accounts, their sessions and one-time links,
	 * kept by the digest of their secret so that a copy of the
	 * database opens nothing, and the audit log of what staff do,
	 * naming who by name so that it outlives a removed account.
	 */
	"CREATE TABLE staff_account ("
	" id INTEGER PRIMARY KEY,"
	" name TEXT NOT NULL UNIQUE,"
	" role TEXT NOT NULL"
	"  CHECK (role IN ('upphandling', 'naringsliv', 'admin')),"
	" lang TEXT NOT NULL CHECK (lang IN ('sv', 'en')),"
	" password TEXT,"
	" created_at INTEGER NOT NULL);"
	"CREATE TABLE staff_link ("
	" digest TEXT PRIMARY KEY,"
	" account INTEGER NOT NULL"
	"  REFERENCES staff_account (id) ON DELETE CASCADE,"
	" expires_at INTEGER NOT NULL,"
	" created_at INTEGER NOT NULL);"
	"CREATE INDEX staff_link_account ON staff_link (account);"
	"CREATE TABLE staff_session ("
	" digest TEXT PRIMARY KEY,"
	" account INTEGER NOT NULL"
	"  REFERENCES staff_account (id) ON DELETE CASCADE,"
	" csrf TEXT NOT NULL,"
	" created_at INTEGER NOT NULL,"
	" last_seen INTEGER NOT NULL);"
	"CREATE INDEX staff_session_account ON staff_session (account);"
	"CREATE TABLE staff_audit ("
	" id INTEGER PRIMARY KEY,"
	" at INTEGER NOT NULL,"
	" who TEXT NOT NULL,"
	" action TEXT NOT NULL,"
	" object TEXT NOT NULL,"
	" client TEXT NOT NULL);",

	/*
	 * 21: a firm's municipality (kommunkod), which makes it local or not
	 * in the report; a deleted firm's alerts keep the one it had.
	 */
	"ALTER TABLE firm"
	" ADD COLUMN municipality TEXT;"
	"ALTER TABLE anon_alert ADD COLUMN municipality TEXT;",

	/*
	 * 22: the unit's RFIs can be withdrawn (off the public pages and the
	 * figures) and know their copy on TED (ted_notice_id), which is
	 * then neither mailed nor listed twice; firms answer them on the
	 * web, with files kept here
	 * under ids of their own; the unit's decisions on dividing its
	 * procurements (LOU 4 kap. 14 §) are kept for the file, the newest
	 * on a notice in force.
	 */
	"ALTER TABLE rfi ADD COLUMN withdrawn_at INTEGER;"
	"ALTER TABLE rfi ADD COLUMN ted_notice_id TEXT;"
	"CREATE TABLE rfi_answer ("
	" id INTEGER PRIMARY KEY,"
	" notice_id TEXT NOT NULL,"
	" firm INTEGER NOT NULL REFERENCES firm (id) ON DELETE CASCADE,"
	" text TEXT NOT NULL,"
	" answered_at INTEGER NOT NULL);"
	"CREATE INDEX rfi_answer_notice ON rfi_answer (notice_id);"
	"CREATE INDEX rfi_answer_firm ON rfi_answer (firm);"
	"CREATE TABLE rfi_file ("
	" id INTEGER PRIMARY KEY,"
	" answer INTEGER NOT NULL REFERENCES rfi_answer (id) ON DELETE CASCADE,"
	" name TEXT NOT NULL,"
	" ext TEXT NOT NULL,"
	" type TEXT NOT NULL,"
	" data BLOB NOT NULL);"
	"CREATE INDEX rfi_file_answer ON rfi_file (answer);"
	"CREATE TABLE split_decision ("
	" id INTEGER PRIMARY KEY,"
	" notice_id TEXT NOT NULL,"
	" decision TEXT NOT NULL"
	"  CHECK (decision IN ('divided', 'not_divided', 'later')),"
	" parts TEXT,"
	" reasons TEXT NOT NULL DEFAULT '',"
	" note TEXT,"
	" decided_by TEXT NOT NULL,"
	" decided_at INTEGER NOT NULL);"
	"CREATE INDEX split_decision_notice"
	" ON split_decision (notice_id, decided_at);",

	/*
	 * 23: meetings open to every supplier. A firm not in the register
	 * registers as a guest, with its organisation number, name, address
	 * and language on the registration, asked for (requested_at) until it
	 * confirms; a registration beyond the capacity waits (waiting_since,
	 * the waiting list's order); sequence is the meeting's version a
	 * guest was last mailed, so a change reaches it as an update.
	 */
	"ALTER TABLE meeting_registration ADD COLUMN orgnr TEXT;"
	"ALTER TABLE meeting_registration ADD COLUMN name TEXT;"
	"ALTER TABLE meeting_registration ADD COLUMN email TEXT;"
	"ALTER TABLE meeting_registration ADD COLUMN language TEXT;"
	"ALTER TABLE meeting_registration ADD COLUMN requested_at INTEGER;"
	"ALTER TABLE meeting_registration ADD COLUMN waiting_since INTEGER;"
	"ALTER TABLE meeting_registration ADD COLUMN sequence INTEGER NOT NULL"
	" DEFAULT 0;"
	"CREATE UNIQUE INDEX meeting_registration_guest"
	" ON meeting_registration (meeting, orgnr) WHERE orgnr IS NOT NULL;",

	/*
	 * 24: the unit's own notices added by their link (ownnotice.h):
	 * what it gave, the notice "own-ID" it is stored as, each link
	 * once, and when and why it was withdrawn (off the public pages and
	 * the figures).
	 */
	"CREATE TABLE own_notice ("
	" id INTEGER PRIMARY KEY,"
	" notice_id TEXT UNIQUE,"
	" url TEXT NOT NULL UNIQUE,"
	" title TEXT NOT NULL,"
	" description TEXT,"
	" kind TEXT NOT NULL,"
	" categories TEXT NOT NULL DEFAULT '',"
	" cpv TEXT NOT NULL DEFAULT '',"
	" deadline INTEGER,"
	" value REAL,"
	" added_by TEXT NOT NULL,"
	" created_at INTEGER NOT NULL,"
	" withdrawn_at INTEGER,"
	" why TEXT);",

	/*
	 * 25: whether an alert was of use. A firm answers each match it was
	 * mailed about, relevant or not, with a short comment: one answer
	 * per match, the latest kept (answered_at). A registration that
	 * attended a meeting answers its survey: a rating of 1 to 5 and a
	 * comment, one per registration, changeable for some days after
	 * first_at.
	 */
	"CREATE TABLE match_feedback ("
	" match INTEGER PRIMARY KEY REFERENCES match (id) ON DELETE CASCADE,"
	" relevant INTEGER NOT NULL CHECK (relevant IN (0, 1)),"
	" comment TEXT,"
	" answered_at INTEGER NOT NULL);"
	"CREATE TABLE meeting_survey ("
	" registration INTEGER PRIMARY KEY"
	"  REFERENCES meeting_registration (id) ON DELETE CASCADE,"
	" rating INTEGER NOT NULL CHECK (rating BETWEEN 1 AND 5),"
	" comment TEXT,"
	" first_at INTEGER NOT NULL,"
	" answered_at INTEGER NOT NULL);",

	/*
	 * 26: the procurement plan. An entry, by the unit's own reference
	 * (ref, unique, so a file imported again updates it), published as
	 * the notice plan-ID; linked, the notice it became, whose `opened`
	 * mails were queued at opened_at; the notices proposed as that one.
	 */
	"CREATE TABLE plan ("
	" id INTEGER PRIMARY KEY,"
	" ref TEXT UNIQUE,"
	" title TEXT NOT NULL,"
	" description TEXT,"
	" categories TEXT,"
	" cpv TEXT,"
	" value REAL,"
	" announce TEXT NOT NULL,"
	" contract_start TEXT,"
	" divisible TEXT NOT NULL DEFAULT 'undecided'"
	"  CHECK (divisible IN ('yes', 'no', 'undecided')),"
	" contact TEXT NOT NULL,"
	" status TEXT NOT NULL DEFAULT 'planned'"
	"  CHECK (status IN ('planned', 'postponed', 'dropped', 'published')),"
	" why TEXT,"
	" notice_id TEXT UNIQUE,"
	" linked TEXT,"
	" opened_at INTEGER,"
	" created_at INTEGER NOT NULL,"
	" updated_at INTEGER NOT NULL);"
	"CREATE TABLE plan_proposal ("
	" plan INTEGER NOT NULL REFERENCES plan (id) ON DELETE CASCADE,"
	" notice_id TEXT NOT NULL,"
	" score REAL NOT NULL,"
	" proposed_at INTEGER NOT NULL,"
	" PRIMARY KEY (plan, notice_id));",

	/*
	 * 27: keyword profiles and the stemmed search. A firm's keywords and
	 * exclude words (space-separated, lowercase); an FTS5 index of each
	 * notice's title and description with its lots' (rowid the notice's
	 * id), tokenized by our stemmer (tl_stem, registered on every
	 * connection before this runs), filled here for the notices stored.
	 */
	"ALTER TABLE firm ADD COLUMN keywords TEXT NOT NULL DEFAULT '';"
	"ALTER TABLE firm ADD COLUMN exclude TEXT NOT NULL DEFAULT '';"
	"CREATE VIRTUAL TABLE notice_search USING fts5(title, body,"
	" tokenize = 'tl_stem');"
	"INSERT INTO notice_search (rowid, title, body)"
	" SELECT n.id, n.title, coalesce(n.description, '') || ' ' ||"
	" coalesce((SELECT group_concat(coalesce(l.title, '') || ' ' ||"
	" coalesce(l.description, ''), ' ') FROM lot l WHERE l.notice = n.id),"
	" '') FROM notice n;",

	/*
	 * 28: the due mails in the order they were queued, without sorting
	 * the whole backlog for each batch the outbox takes.
	 */
	"CREATE INDEX message_pending ON message (state, id);",

	/*
	 * 29: notices the staff's pages published, stored and split there,
	 * which the next pass matches (ingest_match_later); found by a
	 * partial index, as nearly every notice has none.
	 */
	"ALTER TABLE notice ADD COLUMN match_later INTEGER NOT NULL DEFAULT 0;"
	"CREATE INDEX notice_match_later ON notice (notice_id)"
	" WHERE match_later = 1;",

	/*
	 * 30: old notices' texts purged (store_purge_notices): when, for a
	 * notice whose descriptions, texts in every language and search
	 * entries were dropped and whose facts stay; the index finds those
	 * not yet purged, and those of one purge.
	 */
	"ALTER TABLE notice ADD COLUMN purged_at INTEGER;"
	"CREATE INDEX notice_purged"
	" ON notice (purged_at);",

	/*
	 * 31: a mail's text in a table of its own, so that what reads the
	 * outbox's rows (the health count, a firm's allowance, claims and
	 * marks) never reads a text's pages: a message row is some 200
	 * bytes, its text 5 to 50 KB. The table is rebuilt as SQLite's
	 * ALTER TABLE documents (new table, copy, drop, rename, indexes;
	 * foreign keys are off while migrating and checked after), so the
	 * rows lie packed; setting the old column to X'' would leave each
	 * row alone on its page (20,000 mails of 5.5 KB: the table 338
	 * pages, the health count 2.1 ms warm; with X'' 10,024 pages and
	 * 15.3 ms; before 30,024 and 49.6 ms). A mail never built or whose
	 * text was purged has no row in message_body.
	 */
	"CREATE TABLE message_body ("
	" message INTEGER PRIMARY KEY REFERENCES message (id) ON DELETE CASCADE,"
	" body BLOB NOT NULL);"
	"INSERT INTO message_body (message, body)"
	" SELECT id, body FROM message WHERE length(body) > 0;"
	"CREATE TABLE message_new ("
	" id INTEGER PRIMARY KEY,"
	" key TEXT NOT NULL UNIQUE,"
	" firm INTEGER REFERENCES firm (id) ON DELETE CASCADE,"
	" rcpt TEXT NOT NULL,"
	" envelope_from TEXT NOT NULL,"
	" state TEXT NOT NULL DEFAULT 'pending'"
	"  CHECK (state IN ('pending', 'sending', 'sent', 'failed')),"
	" attempts INTEGER NOT NULL DEFAULT 0,"
	" next_attempt INTEGER NOT NULL,"
	" last_error TEXT,"
	" created_at INTEGER NOT NULL,"
	" sent_at INTEGER,"
	" stale_at INTEGER,"
	" claimed_by TEXT,"
	" lease_until INTEGER);"
	"INSERT INTO message_new (id, key, firm, rcpt, envelope_from, state,"
	" attempts, next_attempt, last_error, created_at, sent_at, stale_at,"
	" claimed_by, lease_until)"
	" SELECT id, key, firm, rcpt, envelope_from, state, attempts,"
	" next_attempt, last_error, created_at, sent_at, stale_at, claimed_by,"
	" lease_until FROM message;"
	"DROP TABLE message;"
	"ALTER TABLE message_new RENAME TO message;"
	"CREATE INDEX message_due ON message (state, next_attempt);"
	"CREATE INDEX message_firm ON message (firm, created_at);"
	"CREATE INDEX message_pending ON message (state, id);",

	/*
	 * 32: a number every change to a firm or to what came back for an
	 * address (bounce) moves on, by whatever process made it: the
	 * daemon keeps the firms and their match index between passes and
	 * loads them again only when it moved (store_firms_generation).
	 */
	"CREATE TABLE firm_generation ("
	" id INTEGER PRIMARY KEY CHECK (id = 1),"
	" n INTEGER NOT NULL);"
	"INSERT INTO firm_generation (id, n) VALUES (1, 0);"
	"CREATE TRIGGER firm_generation_insert AFTER INSERT ON firm"
	" BEGIN UPDATE firm_generation SET n = n + 1; END;"
	"CREATE TRIGGER firm_generation_update AFTER UPDATE ON firm"
	" BEGIN UPDATE firm_generation SET n = n + 1; END;"
	"CREATE TRIGGER firm_generation_delete AFTER DELETE ON firm"
	" BEGIN UPDATE firm_generation SET n = n + 1; END;"
	"CREATE TRIGGER bounce_generation_insert AFTER INSERT ON bounce"
	" BEGIN UPDATE firm_generation SET n = n + 1; END;"
	"CREATE TRIGGER bounce_generation_update AFTER UPDATE ON bounce"
	" BEGIN UPDATE firm_generation SET n = n + 1; END;"
	"CREATE TRIGGER bounce_generation_delete AFTER DELETE ON bounce"
	" BEGIN UPDATE firm_generation SET n = n + 1; END;",
};

#define NMIGRATIONS ((int)(sizeof migrations / sizeof migrations[0]))


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

int
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

int
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
