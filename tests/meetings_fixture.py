"""A small project of meetings for the meetings, calendar and organisations tests.

Equity meets on both sides of the October 2026 clock change (25 October): 10 September and
22 October in BST, 26 November in GMT. Hostile text (<script>, quotes, a spreadsheet formula)
sits in action text, owners, attendees and locations. A draft and a members-only meeting carry
marker words that must never reach the public build. Today is 2026-11-23 (KB_TODAY).
"""

from __future__ import annotations

HOSTILE = '<script>alert("x")</script>'
DRAFT_MARKER = "Zanzibarquill"
MEMBERS_MARKER = "Quokkamembers"

MEETING_SEPT = """\
---
title: Equity meeting, 10 September 2026
summary: Autumn planning.
date: 2026-09-10
networks: [equity]
status: published
organisations: ["Westbrook Academy"]
meeting: {start: "16:00", end: "17:30", format: in-person, location: "Westbrook Academy, library", chair: "Network convener (chair)"}
agenda: ["Welcome", "Attendance data"]
agenda_published: 2026-09-01
attendees:
  - "Data manager, Westbrook Academy"
  - "Deputy head, Northgate Primary School (host)"
  - Network convener
apologies:
  - "SENCo, Canal Side Primary School."
decisions: ["Share attendance data termly"]
actions:
  - {action: "Long overdue action", owner: "Network convener", due: 2026-10-01, status: open}
  - {action: "Finished action", owner: "Data manager, Westbrook Academy", due: 2026-10-01, status: done}
  - {action: "Dropped action", owner: "Network convener", due: 2026-10-01, status: dropped}
  - {action: "Not yet due action", owner: "network convener.", due: 2026-12-20, status: open}
---
Notes.
"""

MEETING_OCT = """\
---
title: Equity meeting, 22 October 2026
summary: Before the clock change.
date: 2026-10-22
networks: [equity]
status: published
meeting:
  start: "16:00"
  end: "17:30"
  format: hybrid
  location: '<script>alert("x")</script> Room "B", Eastfield'
  chair: Network convener
agenda: ["Matters arising", "Pupil voice; next steps, and more"]
agenda_published: 2026-10-18
attendees:
  - '<script>alert("x")</script>, "Quoted" Org'
  - "Equality lead, Eastfield High School"
actions:
  - action: '<script>alert("x")</script> and "quotes"'
    owner: '<b>Owner</b>, Eastfield High School'
    due: 2026-11-13
    status: open
  - {action: '=HYPERLINK("http://evil.example")', owner: "Network convener", due: 2026-10-01, status: open}
---
Notes.
"""

MEETING_NOV_SCHEDULED = """\
---
title: Equity meeting, 26 November 2026
summary: After the clock change.
date: 2026-11-26
networks: [equity]
status: published
meeting: {start: "16:00", end: "17:30", format: virtual, location: "Online", chair: Network convener}
agenda: ["Matters arising", "Governor links"]
---
To be held online.
"""

MEETING_MEMBERS = f"""\
---
title: Equity members' meeting, 5 November 2026
summary: Members only {MEMBERS_MARKER}.
date: 2026-11-05
networks: [equity]
status: published
visibility: members
meeting: {{start: "16:00", end: "17:00", format: in-person, location: "{MEMBERS_MARKER} room", chair: Network convener}}
agenda: ["Safeguarding"]
agenda_published: 2026-10-28
attendees: ["Lead, {MEMBERS_MARKER} Service"]
decisions: ["Keep it private"]
actions:
  - {{action: "Members-only action {MEMBERS_MARKER}", owner: "Network convener", due: 2026-12-01, status: open}}
---
Private notes.
"""

MEETING_DRAFT = f"""\
---
title: Equity meeting, 10 December 2026
summary: Draft {DRAFT_MARKER}.
date: 2026-12-10
networks: [equity]
status: draft
meeting: {{start: "16:00", end: "17:00", format: in-person, location: "{DRAFT_MARKER} hall", chair: Network convener}}
agenda: ["{DRAFT_MARKER} item"]
---
Draft notes {DRAFT_MARKER}.
"""

MEETING_SEND = """\
---
title: SEND meeting, 2 November 2026
summary: SEND network meeting.
date: 2026-11-02
networks: [send]
status: published
meeting: {start: "09:30", end: "11:00", format: in-person, location: "Hillcrest Special School", chair: Network convener}
agenda: ["EHCP checklist"]
agenda_published: 2026-10-20
attendees: ["SENCo, Hillcrest Special School", "Data manager, Westbrook Academy"]
decisions: ["Trial the checklist"]
actions:
  - {action: "Send the checklist", owner: "SENCo, Hillcrest Special School", due: 2026-11-10, status: open}
---
Notes.
"""

OLD_CASE = """\
---
title: An old case study
summary: From two years ago.
date: 2024-03-12
networks: [send]
status: published
approach: enquiring
organisations: ["Old Mill Nursery"]
---
Text.
"""


def write_meetings(project) -> None:
    """Add the meetings above to a tests.conftest.Project."""
    project.write("content/minutes/equity/2026-09-10.md", MEETING_SEPT)
    project.write("content/minutes/equity/2026-10-22.md", MEETING_OCT)
    project.write("content/minutes/equity/2026-11-26.md", MEETING_NOV_SCHEDULED)
    project.write("content/minutes/equity/2026-11-05.md", MEETING_MEMBERS)
    project.write("content/minutes/equity/2026-12-10.md", MEETING_DRAFT)
    project.write("content/minutes/send/2026-11-02.md", MEETING_SEND)
    project.write("content/case-studies/old-case.md", OLD_CASE)
