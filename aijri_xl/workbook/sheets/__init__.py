"""One builder per sheet of the assessment workbook; :mod:`aijri_xl.workbook.writer`
calls them in order."""
