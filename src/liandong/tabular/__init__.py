"""Spreadsheets in and out (`liandong import`, `liandong export`): one sheet per record type, one
row per record, one column per field, the same columns both ways.

The columns come from the type's schema, in its order (columns.py):

- a field holding one value is one column; its header is the field's Chinese `title`;
- a nested mapping (tasks' `source`, powers' `delegation`) is one column per field inside it,
  headed by the titles joined with "·": 事项来源·来源文件. On import the dotted codes
  (source.document), the titles joined with "." and, when no other column has it, the inner
  title alone (来源文件) are accepted as well;
- a list of values (牵头单位, 委托权限范围) is one cell: on import its items are separated by 、 ， , ；
  ; or line breaks (a list of free text, such as 议题, by line breaks only: its items have commas
  of their own); on export by 、, or by line breaks when an item holds a separator;
- a list of entries (办理进度, 延期记录, 申请材料) is one cell, one entry a line, the entry's fields in
  schema order separated by ｜ (or |), empty trailing fields left out: 2026-06-24｜电力部门完成现场
  勘查。｜电力部门. When a field of an entry has line breaks of its own, entries are separated by an
  empty line instead.

Values: codes or their Chinese labels (x-enum-labels) for fixed lists, ids or names for
references (x-ref; names are titles, and for organisations also 简称 and 其他名称, for documents also
the 发文字号), Excel dates or text (2026-05-06, 2026/5/6, 2026年5月6日) for dates, 是/否 (or
true/false) for yes-or-no fields. An export writes labels, names (the id when a name would not
lead back to that one record) and Excel dates, so that every cell reads back as the value it
came from.

Import (importer.py): a row without an id is a new record with the next free id (scaffold's
scheme), a row with an id updates that record: only the columns the sheet has, only the cells
that are filled (an empty cell changes nothing; fields are never removed through a sheet), and a
cell that reads exactly as the export writes the current value changes nothing either. History
lists (x-append-only) can only grow, as in a pull request (changes/rules.py judges each updated
record as the gate would). Everything is checked together with the whole registry before
anything is written, then written all at once (temporary files, renamed at the end). The header
row may have rows above it (a title); the template's note row under it is skipped, and so are
the columns 序号 and the derived columns of an export (逾期天数, 状态说明).

Export (exporter.py): the 台账 of a type with Chinese headers, the same columns, the derived
columns of tracked types from model/status.py, a frozen header row, an autofilter and fitted
widths; and the template: headers, a note row (说明：…), drop-down lists for fixed values.
"""
