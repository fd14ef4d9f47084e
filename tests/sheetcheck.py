#!/usr/bin/python3
"""Reads a report as a spreadsheet program would, with Python's csv
module (a .csv: UTF-8 with its byte order mark, semicolons) or openpyxl
(an .xlsx), both independent of our code, and prints one line per row
(in a workbook each sheet's name, then its rows),
its cells joined by "|". A CSV's first line says "bom" or "no bom". In a
workbook a number is printed as Python writes it, a cell formatted as a
percentage as its percentage with one decimal and "%", an empty cell as
nothing.
"""
import csv
import sys

path = sys.argv[1]
if path.endswith(".csv"):
    with open(path, "rb") as f:
        raw = f.read()
    print("bom" if raw.startswith(b"\xef\xbb\xbf") else "no bom")
    with open(path, newline="", encoding="utf-8-sig") as f:
        for row in csv.reader(f, delimiter=";"):
            print("|".join(row))
else:
    import openpyxl

    for sheet in openpyxl.load_workbook(path).worksheets:
        print(sheet.title)
        for row in sheet.iter_rows():
            cells = []
            for c in row:
                if c.value is None:
                    cells.append("")
                elif isinstance(c.value, str):
                    cells.append(c.value)
                elif "%" in c.number_format:
                    cells.append("%.1f%%" % (c.value * 100))
                else:
                    cells.append(repr(c.value))
            print("|".join(cells))
