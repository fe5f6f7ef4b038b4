#!/usr/bin/python3
"""Reads a workbook written by kasikirja.xlsx back with openpyxl (Debian python3-openpyxl) and
checks what the generator promises: every sheet's header row bold and frozen, an autofilter over
the header and all the data, column widths set, every cell text (never a formula or a number).

Usage: xlsx_read.py FILE [--sheets N] [--foorumit] [--columns SHEET "A;B;…"]... [--text VALUE]...
  --sheets N   the workbook has N sheets
  --foorumit   the last sheet is "Foorumit" with the handbook's forum columns
  --columns S C  the sheet named S has exactly the header cells C (separated by ';')
  --text V     some cell holds exactly the text V (an attack kept as text)
Prints one line per check ("ok ..." or "FAIL ..."); exits 1 when any check failed."""
import sys

import openpyxl
from openpyxl.utils import get_column_letter

FOORUMIT = ["Malli", "Taso", "Foorumi", "Kutsuja", "Osallistujat", "Kuinka usein", "Kuukaudet", "Lakiperusta"]


def main(argv):
    path, args = argv[1], argv[2:]
    failed = []

    def check(cond, what):
        print(("ok   " if cond else "FAIL ") + what)
        if not cond:
            failed.append(what)

    wb = openpyxl.load_workbook(path)  # not read_only: freeze panes and filters are read then
    texts = set()
    for ws in wb.worksheets:
        name = ws.title
        header = [c for c in ws[1]]
        check(len(header) > 0 and all(c.value is not None for c in header), f"{name}: a header row")
        check(all(c.font.b for c in header), f"{name}: the header row is bold")
        check(ws.freeze_panes == "A2", f"{name}: the header row is frozen (got {ws.freeze_panes})")
        want = f"A1:{get_column_letter(ws.max_column)}{ws.max_row}"
        check(ws.auto_filter.ref == want, f"{name}: an autofilter over {want} (got {ws.auto_filter.ref})")
        widths = [ws.column_dimensions[get_column_letter(i)].width for i in range(1, ws.max_column + 1)]
        check(all(w and 8 <= w <= 61 for w in widths), f"{name}: column widths between 8 and 60 ({widths})")
        kinds = set()
        for row in ws.iter_rows():
            for c in row:
                if c.value is not None:
                    kinds.add(c.data_type)
                    texts.add(c.value)
        check(kinds <= {"s"}, f"{name}: every cell is text (types {sorted(kinds)})")
        check(len(name) <= 31 and not any(ch in name for ch in "[]:*?/\\"), f"{name}: a name Excel accepts")
    i = 0
    while i < len(args):
        a = args[i]
        if a == "--sheets":
            i += 1
            check(len(wb.sheetnames) == int(args[i]), f"{args[i]} sheets (got {wb.sheetnames})")
        elif a == "--foorumit":
            ws = wb.worksheets[-1]
            check(ws.title == "Foorumit", f"the last sheet is Foorumit (got {ws.title})")
            check([c.value for c in ws[1]] == FOORUMIT, f"Foorumit: the columns {FOORUMIT}")
            check(ws.max_row > 1, f"Foorumit: forums listed ({ws.max_row - 1})")
        elif a == "--columns":
            name, want = args[i + 1], args[i + 2].split(";")
            i += 2
            got = [c.value for c in wb[name][1]] if name in wb.sheetnames else None
            check(got == want, f"{name}: the columns {want} (got {got})")
        elif a == "--text":
            i += 1
            check(args[i] in texts, f"a cell keeps the text {args[i]!r}")
        i += 1
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
