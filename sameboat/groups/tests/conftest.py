"""Groups for the tests: a confidential recovery group and an open food group, each with a
facilitator of its own and one member. The fixtures (counsellor, insider, confidential,
open_group) are shared with the calendars, decisions and goals tests: see
sameboat/core/tests/fixtures_groups.py."""
