"""Page view bases every app's pages build on, split by concern.

- ``records``: visibility (404), permissions (403 in words), a record's detail page;
- ``lists``: filtered, sorted, paginated list pages and their filter panel;
- ``forms``: create, edit (no lost updates) and delete forms;
- ``widgets``: form widgets the pages share.
"""
