#!/usr/bin/python3
"""Checks the labelled set: every notice id and organisation number of
labels.tsv is in the set (a notice's cbc:ID in notices/*.xml or an
entry's guid in links.xml; a firm of firms.csv), each pair once, and
every firm's organisation number passes the Luhn check.

    python3 bench/labels/check.py      (from the project root or here)
"""
import csv
import glob
import os
import sys
import xml.etree.ElementTree as ET

HERE = os.path.dirname(os.path.abspath(__file__))
CBC = '{urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2}'


def luhn(digits):
    total = 0
    for i, c in enumerate(digits):
        v = int(c) * (2 if i % 2 == 0 else 1)
        total += v - 9 if v > 9 else v
    return total % 10 == 0


def main():
    faults = []
    ids = {}
    for path in sorted(glob.glob(os.path.join(HERE, 'notices', '*.xml'))):
        root = ET.parse(path).getroot()
        nid = root.find(CBC + 'ID')
        if nid is None or not nid.text:
            faults.append('%s: no cbc:ID' % path)
            continue
        if nid.text in ids:
            faults.append('%s: id %s also in %s' % (path, nid.text, ids[nid.text]))
        ids[nid.text] = os.path.basename(path)
    for item in ET.parse(os.path.join(HERE, 'links.xml')).getroot().iter('item'):
        guid = item.findtext('guid')
        for tag in ('title', 'description', 'link', 'guid', 'pubDate'):
            if not item.findtext(tag):
                faults.append('links.xml: %s: no %s' % (guid, tag))
        if guid in ids:
            faults.append('links.xml: guid %s twice' % guid)
        ids[guid] = 'links.xml'
    firms = {}
    with open(os.path.join(HERE, 'firms.csv'), newline='') as f:
        for n, row in enumerate(csv.DictReader(f), 2):
            nr = row['orgnr']
            if not luhn(nr.replace('-', '')):
                faults.append('firms.csv:%d: %s fails the Luhn check' % (n, nr))
            if nr in firms:
                faults.append('firms.csv:%d: %s twice' % (n, nr))
            firms[nr] = row['name']
    pairs = set()
    with open(os.path.join(HERE, 'labels.tsv')) as f:
        for n, line in enumerate(f, 1):
            fields = line.rstrip('\n').split('\t')
            if len(fields) != 3 or not fields[2]:
                faults.append('labels.tsv:%d: not notice_id, orgnr, why' % n)
                continue
            nid, nr, _ = fields
            if nid not in ids:
                faults.append('labels.tsv:%d: no notice %s' % (n, nid))
            if nr not in firms:
                faults.append('labels.tsv:%d: no firm %s' % (n, nr))
            if (nid, nr) in pairs:
                faults.append('labels.tsv:%d: %s %s twice' % (n, nid, nr))
            pairs.add((nid, nr))
    for fault in faults:
        print(fault, file=sys.stderr)
    print('%d notices and entries, %d firms, %d pairs to match of %d; %d faults'
          % (len(ids), len(firms), len(pairs), len(ids) * len(firms),
             len(faults)))
    return 1 if faults else 0


if __name__ == '__main__':
    sys.exit(main())
