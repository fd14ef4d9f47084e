#!/usr/bin/python3
"""The same fields out of a directory of eForms notices into SQLite, the way
open-source TED monitors do it in Python with lxml: each file parsed whole,
the fields found by XPath, the rows stored in one transaction with
executemany. bench/ingest.c times tenderlots' ingest of the same files
against it.

    lxml_ingest.py DIR DB xpath|compiled

xpath: an expression string a field, evaluated on each element;
compiled: the same expressions compiled once as etree.XPath objects.
Prints the seconds from the first file read to the commit, then the number
of notices and lots stored.
"""
import os
import sqlite3
import sys
import time

try:
    from lxml import etree
except ImportError:
    sys.exit("bench/lxml_ingest.py: Python's lxml is missing "
             "(Debian: apt-get install python3-lxml, as .ci/deps does)")

NS = {
    "cbc": "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2",
    "cac": "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2",
    "ext": "urn:oasis:names:specification:ubl:schema:xsd:CommonExtensionComponents-2",
    "efac": "http://data.europa.eu/p27/eforms-ubl-extension-aggregate-components/1",
    "efext": "http://data.europa.eu/p27/eforms-ubl-extensions/1",
    "efbc": "http://data.europa.eu/p27/eforms-ubl-extension-basic-components/1",
}
EXT = "ext:UBLExtensions/ext:UBLExtension/ext:ExtensionContent/efext:EformsExtension"

PATHS = {
    "id": "cbc:ID[@schemeName='notice-id']/text()",
    "subtype": EXT + "/efac:NoticeSubType/cbc:SubTypeCode/text()",
    "buyer_id": "cac:ContractingParty/cac:Party/cac:PartyIdentification/cbc:ID/text()",
    "companies": EXT + "/efac:Organizations/efac:Organization/efac:Company",
    "company_id": "cac:PartyIdentification/cbc:ID/text()",
    "company_name": "cac:PartyName/cbc:Name/text()",
    "title": "cac:ProcurementProject/cbc:Name/text()",
    "lots": "cac:ProcurementProjectLot[cbc:ID/@schemeName='Lot']",
    "lot_id": "cbc:ID/text()",
    "cpv": "cac:ProcurementProject/cac:MainCommodityClassification/"
           "cbc:ItemClassificationCode/text() | cac:ProcurementProject/"
           "cac:AdditionalCommodityClassification/cbc:ItemClassificationCode/text()",
    "nuts": "cac:ProcurementProject/cac:RealizedLocation/cac:Address/"
            "cbc:CountrySubentityCode/text()",
    "end_date": "cac:TenderingProcess/cac:TenderSubmissionDeadlinePeriod/cbc:EndDate/text()",
    "end_time": "cac:TenderingProcess/cac:TenderSubmissionDeadlinePeriod/cbc:EndTime/text()",
    "value": "cac:ProcurementProject/cac:RequestedTenderTotal/"
             "cbc:EstimatedOverallContractAmount",
}


def evaluators(mode):
    if mode == "compiled":
        compiled = {k: etree.XPath(v, namespaces=NS) for k, v in PATHS.items()}
        return lambda el, key: compiled[key](el)
    if mode == "xpath":
        return lambda el, key: el.xpath(PATHS[key], namespaces=NS)
    sys.exit("bench/lxml_ingest.py: mode is xpath or compiled, not " + mode)


def first(values):
    return values[0] if values else None


def extract(root, ev):
    notice_id = first(ev(root, "id"))
    buyer_id = first(ev(root, "buyer_id"))
    buyer = None
    for company in ev(root, "companies"):
        if buyer is None or first(ev(company, "company_id")) == buyer_id:
            buyer = first(ev(company, "company_name"))
            if first(ev(company, "company_id")) == buyer_id:
                break
    lots = []
    deadline = None
    for lot in ev(root, "lots"):
        date = first(ev(lot, "end_date"))
        time_of_day = first(ev(lot, "end_time"))
        due = date and date[:10] + ("T" + time_of_day[:8] if time_of_day else "")
        if due and (deadline is None or due < deadline):
            deadline = due
        amount = first(ev(lot, "value"))
        lots.append((notice_id, first(ev(lot, "lot_id")),
                     first(ev(lot, "title")), " ".join(ev(lot, "cpv")),
                     " ".join(ev(lot, "nuts")), due,
                     float(amount.text) if amount is not None else None,
                     amount.get("currencyID") if amount is not None else None))
    kind = etree.QName(root).localname
    notice = (notice_id, kind, first(ev(root, "subtype")), buyer,
              first(ev(root, "title")), deadline)
    return notice, lots


def main():
    if len(sys.argv) != 4:
        sys.exit("usage: lxml_ingest.py DIR DB xpath|compiled")
    directory, db, mode = sys.argv[1:]
    ev = evaluators(mode)
    parser = etree.XMLParser(resolve_entities=False, no_network=True,
                             remove_blank_text=True)
    if os.path.exists(db):
        os.unlink(db)
    conn = sqlite3.connect(db, isolation_level=None)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = NORMAL")
    conn.execute("CREATE TABLE notice (notice_id TEXT PRIMARY KEY, kind TEXT,"
                 " subtype TEXT, buyer TEXT, title TEXT, deadline TEXT)")
    conn.execute("CREATE TABLE lot (notice_id TEXT, lot_id TEXT, title TEXT,"
                 " cpv TEXT, nuts TEXT, deadline TEXT, value REAL,"
                 " currency TEXT, PRIMARY KEY (notice_id, lot_id))")
    t0 = time.monotonic()
    notices, lots = [], []
    for name in sorted(os.listdir(directory)):
        if not name.endswith(".xml"):
            continue
        with open(os.path.join(directory, name), "rb") as f:
            root = etree.fromstring(f.read(), parser)
        notice, notice_lots = extract(root, ev)
        notices.append(notice)
        lots.extend(notice_lots)
    conn.execute("BEGIN")
    conn.executemany("INSERT OR REPLACE INTO notice VALUES (?, ?, ?, ?, ?, ?)",
                     notices)
    conn.executemany("INSERT OR REPLACE INTO lot VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                     lots)
    conn.execute("COMMIT")
    elapsed = time.monotonic() - t0
    conn.close()
    print("%.6f %d %d" % (elapsed, len(notices), len(lots)))


if __name__ == "__main__":
    main()
