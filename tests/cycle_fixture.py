"""A project of a convenor's whole cycle, for the matters-arising, schedule, organisations, mail and browser tests.

Today is 2026-11-23 (KB_TODAY). Attendees are written the way most minutes write them,
"Name (Organisation, role)", with the spellings that vary (St/Saint, case, an alias from
content/organisations.yml).

Equity: 14 May (held; six actions closed at different dates), 2 July (agenda only: its minutes were
never written), 17 September (held; records an update that closes one May action, approves the May
minutes, one action due this week), 3 December (scheduled, with papers). A draft (10 December) and a
members-only meeting (5 November) carry marker words that must never reach the public build.
SEND: 15 October (held), 19 November (postponed to 10 December, which has no file: provisional),
30 November (cancelled). Careers: 24 September (held, sets 26 November as its next meeting: provisional,
this week).
"""

from __future__ import annotations

DRAFT_MARKER = "Zanzibarquill"
MEMBERS_MARKER = "Quokkamembers"

CAREERS_NETWORK = """\
---
title: Careers
summary: Careers leads together.
model: loose
stage: connecting
convener: Careers hub lead, Partnership Office
cadence: termly
functions: [knowledge-sharing]
phases: [secondary]
status: published
---
The careers network.
"""

EQUITY_NETWORK = """\
---
title: Equity
summary: A network for testing.
model: meshed
stage: facilitated
convener: Deputy headteacher, host school
cadence: half-termly
functions: [knowledge-sharing]
phases: [primary]
status: published
mailing_list: [equity-network@lists.example.org]
---
The Equity network works on shared questions.
"""

ALIASES = """\
# The name to show: [other spellings]
Westbrook Academy: [WBA, Westbrook]
Partnership Office: []
"""

EQUITY_MAY = """\
---
title: Equity meeting, 14 May 2026
summary: Spring meeting.
date: 2026-05-14
networks: [equity]
status: published
meeting: {start: "16:00", end: "17:30", format: in-person, location: "Westbrook Academy, library", chair: Network convener}
agenda: ["Attendance data", "Pupil voice"]
agenda_published: 2026-05-05
attendees:
  - "Amira Khan (Westbrook Academy, data manager)"
  - "Tom Reid (St Mary's C of E Primary School, headteacher)"
  - "Lee Chan, Eastfield High School"
  - "Network convener"
apologies:
  - "Ruth Bell (Canal Side Primary School, SENCo)"
decisions: ["Share attendance data termly"]
actions:
  - {action: "Open throughout", owner: "Network convener", due: 2026-06-01, status: open}
  - {action: "Closed before July", owner: "Amira Khan", due: 2026-06-15, status: done, closed: 2026-06-20}
  - {action: "Closed on the day of the July meeting", owner: "Tom Reid", due: 2026-06-30, status: done, closed: 2026-07-02}
  - {action: "Dropped in August", owner: "Network convener", due: 2026-07-31, status: dropped, closed: 2026-08-01}
  - {action: "Closed by the September update", owner: "Lee Chan", due: 2026-09-01, status: open}
  - {action: "Done with no date", owner: "Network convener", due: 2026-06-10, status: done}
next_meeting: 2026-07-02
---
Notes.
"""

EQUITY_JULY_AGENDA_ONLY = """\
---
title: Equity meeting, 2 July 2026
summary: Summer meeting; its minutes were never written.
date: 2026-07-02
networks: [equity]
status: published
meeting: {start: "16:00", end: "17:30", format: virtual, location: Online, chair: Network convener}
agenda: ["Matters arising", "Summer plans"]
---
Agenda only.
"""

EQUITY_SEPTEMBER = """\
---
title: Equity meeting, 17 September 2026
summary: Autumn planning.
date: 2026-09-17
networks: [equity]
status: published
meeting: {start: "16:00", end: "17:30", format: hybrid, location: "Eastfield High School, room 2", chair: Network convener}
agenda: ["Matters arising", "Autumn plans"]
agenda_published: 2026-09-08
attendees:
  - "amira khan (WBA)"
  - "Jo Park (Saint Mary's C of E Primary School)"
  - "Lee Chan, Eastfield High School (online)"
  - "Priya Das (Partnership Office, partnership officer)"
apologies: []
decisions: ["Run the attendance enquiry"]
actions:
  - {action: "Due this week", owner: "Priya Das", due: 2026-11-27, status: open}
updates:
  - {action: "minutes/equity/2026-05-14#action-5", status: done, note: "Report shared with all schools"}
  - {action: "2026-05-14#action-1", note: "Still waiting for two schools", due: 2026-10-30}
approves: minutes/equity/2026-05-14
next_meeting: 2026-12-03
minutes_sent: 2026-09-21
---
Notes.
"""

EQUITY_DECEMBER = """\
---
title: Equity meeting, 3 December 2026
summary: Winter meeting.
date: 2026-12-03
networks: [equity]
status: published
meeting: {start: "16:00", end: "17:30", format: in-person, location: "Riverside College, conference suite", chair: "Assistant principal, Riverside College"}
agenda: ["Matters arising", "Minutes of 17 September: approval", "Enquiry baseline"]
papers:
  - {title: "Attendance by pupil group", file: papers/attendance.pdf}
  - {title: "National guidance on attendance", url: "https://example.org/guidance.pdf"}
---
Agenda.
"""

EQUITY_MEMBERS = f"""\
---
title: Equity members' meeting, 5 November 2026
summary: Members only {MEMBERS_MARKER}.
date: 2026-11-05
networks: [equity]
status: published
visibility: members
meeting: {{start: "16:00", end: "17:00", format: in-person, location: "{MEMBERS_MARKER} room", chair: Network convener}}
agenda: ["Safeguarding {MEMBERS_MARKER}"]
attendees: ["Val Moss ({MEMBERS_MARKER} Service, lead)"]
apologies: []
decisions: ["Keep it private"]
actions:
  - {{action: "Members-only action {MEMBERS_MARKER}", owner: "Network convener", due: 2026-11-25, status: open}}
updates:
  - {{action: "minutes/equity/2026-05-14#action-1", status: done, note: "{MEMBERS_MARKER} closed it"}}
papers:
  - {{title: "Members paper {MEMBERS_MARKER}", file: papers/members-{MEMBERS_MARKER}.pdf}}
---
Private notes.
"""

EQUITY_DRAFT = f"""\
---
title: Equity meeting, 10 December 2026
summary: Draft {DRAFT_MARKER}.
date: 2026-12-10
networks: [equity]
status: draft
meeting: {{start: "16:00", end: "17:00", format: in-person, location: "{DRAFT_MARKER} hall", chair: Network convener}}
agenda: ["{DRAFT_MARKER} item"]
papers:
  - {{title: "Draft paper {DRAFT_MARKER}", file: papers/draft-{DRAFT_MARKER}.pdf}}
---
Draft notes {DRAFT_MARKER}.
"""

SEND_OCTOBER = """\
---
title: SEND meeting, 15 October 2026
summary: SEND network meeting.
date: 2026-10-15
networks: [send]
status: published
meeting: {start: "09:30", end: "11:00", format: in-person, location: "Hillcrest Special School", chair: Network convener}
agenda: ["EHCP checklist"]
agenda_published: 2026-10-06
attendees: ["Ann Lee (Hillcrest Special School, SENCo)", "Kim Lo (Westbrook, data manager)", "TOM REID (St. Mary's C of E Primary School)"]
apologies: ["Sam Ode (Riverside College)"]
decisions: ["Trial the checklist"]
actions:
  - {action: "Send the checklist", owner: "Ann Lee", due: 2026-11-10, status: open}
next_meeting: 2026-11-19
---
Notes.
"""

SEND_POSTPONED = """\
---
title: SEND meeting, 19 November 2026
summary: Moved because of inspections.
date: 2026-11-19
networks: [send]
status: published
state: postponed
postponed_to: 2026-12-10
meeting: {start: "09:30", end: "11:00", format: in-person, location: "Hillcrest Special School", chair: Network convener}
agenda: ["EHCP checklist feedback"]
---
Postponed.
"""

SEND_CANCELLED = """\
---
title: SEND workshop, 30 November 2026
summary: Workshop on visual timetables.
date: 2026-11-30
networks: [send]
status: published
state: cancelled
meeting: {start: "15:30", end: "16:30", format: virtual, location: Online, chair: Network convener}
agenda: ["Visual timetables"]
---
Cancelled.
"""

CAREERS_SEPTEMBER = """\
---
title: Careers meeting, 24 September 2026
summary: Careers network meeting.
date: 2026-09-24
networks: [careers]
status: published
meeting: {start: "16:00", end: "17:00", format: in-person, location: "Riverside College", chair: Network convener}
agenda: ["Work experience"]
attendees: ["Sam Ode (Riverside College, careers lead)", "Lee Chan, Eastfield High School"]
apologies: ["Amira Khan (Westbrook Academy)"]
decisions: ["Share placements"]
next_meeting: 2026-11-26
---
Notes.
"""

FILES = {
    "content/networks/careers.md": CAREERS_NETWORK,
    "content/networks/equity.md": EQUITY_NETWORK,
    "content/organisations.yml": ALIASES,
    "content/minutes/equity/2026-05-14.md": EQUITY_MAY,
    "content/minutes/equity/2026-07-02.md": EQUITY_JULY_AGENDA_ONLY,
    "content/minutes/equity/2026-09-17.md": EQUITY_SEPTEMBER,
    "content/minutes/equity/2026-12-03.md": EQUITY_DECEMBER,
    "content/minutes/equity/2026-11-05.md": EQUITY_MEMBERS,
    "content/minutes/equity/2026-12-10.md": EQUITY_DRAFT,
    "content/minutes/send/2026-10-15.md": SEND_OCTOBER,
    "content/minutes/send/2026-11-19.md": SEND_POSTPONED,
    "content/minutes/send/2026-11-30.md": SEND_CANCELLED,
    "content/minutes/careers/2026-09-24.md": CAREERS_SEPTEMBER,
}
PAPERS = {
    "content/minutes/equity/papers/attendance.pdf": b"%PDF-1.4 attendance by pupil group\n",
    f"content/minutes/equity/papers/members-{MEMBERS_MARKER}.pdf": f"%PDF-1.4 {MEMBERS_MARKER}\n".encode(),
    f"content/minutes/equity/papers/draft-{DRAFT_MARKER}.pdf": f"%PDF-1.4 {DRAFT_MARKER}\n".encode(),
    "content/minutes/equity/papers/never-named.pdf": b"%PDF-1.4 a file no meeting names\n",
}


def write_cycle(project) -> None:
    """Add the cycle above to a tests.conftest.Project."""
    for path, text in {**FILES, **PAPERS}.items():
        project.write(path, text)
