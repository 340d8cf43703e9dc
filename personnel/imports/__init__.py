"""Records from Excel: the template, the import engine and the exports in the template layout.

One declaration of the columns of each sheet (``columns.SHEETS``) drives the template,
the parser, the error workbook and the export, so that a workbook exported from the
system imports back unchanged.
"""
