"""The template's conditional formats come from one table (workbook/conditional_rules.py):
the writer writes them from it and the verifier compares with it without building a
workbook. Here the table is read back from built templates of several sizes."""

from __future__ import annotations

from collections import Counter

import pytest

from aijri_xl.method.model import Assessment
from aijri_xl.verify import conditional_checks
from aijri_xl.workbook.conditional_rules import template_rules
from aijri_xl.workbook.layout import MIN_TASK_ROWS, layout
from aijri_xl.workbook.writer import workbook_bytes
from aijri_xl.workbook.xlsx import read_xlsx


@pytest.mark.parametrize("task_rows", [MIN_TASK_ROWS, MIN_TASK_ROWS + 7, 3 * MIN_TASK_ROWS])
def test_the_verifier_s_template_rules_are_those_a_built_template_holds(task_rows):
    lay = layout(task_rows)
    data = read_xlsx(workbook_bytes(Assessment(), task_rows=task_rows))
    written = {name: conditional_checks._sheet_rules(sd, data.styles)
               for name, sd in data.sheets.items() if sd.conditional}
    table = {name: conditional_checks._template_sheet_rules(rules)
             for name, rules in template_rules(lay).items()}
    assert set(written) == set(table)
    for name, rules in written.items():
        as_written = [(areas, top, left, cf.sqref, cf.kind, cf.operator, cf.formulas,
                       cf.params, cf.detail, cf.stop_if_true, cf.priority, look)
                      for areas, top, left, cf, look in rules]
        from_table = [(areas, top, left, cf.sqref, cf.kind, cf.operator, cf.formulas,
                       cf.params, cf.detail, cf.stop_if_true, cf.priority, look)
                      for areas, top, left, cf, look in table[name]]
        # XlsxWriter writes the rules range by range, numbered in the order they were given
        assert from_table == sorted(as_written, key=lambda rule: rule[10]), name
    assert conditional_checks.template_signatures(lay) == {
        name: conditional_checks._signature(r) for name, r in written.items()}
    at_cell, shown = conditional_checks.template_cells(lay, "Score")
    assert sum(c.total() for c in at_cell.values()) > 0
    assert all(isinstance(c, Counter) for c in at_cell.values())
    assert set(shown) == set(at_cell)


def test_every_check_line_sheet_has_its_line_coloured():
    rules = template_rules(layout())
    for sheet, rules_of in rules.items():
        assert rules_of, sheet
        assert all(r.look in ("problem", "warning", "ok") or r.look.startswith("zone:")
                   for r in rules_of)
