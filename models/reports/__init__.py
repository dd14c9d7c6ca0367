"""The secretary's view: measures of complaints for a department, a district or the state over a
date range, the tables beside them, the lists behind each number, and monthly grades
(docs/reports.md)."""
