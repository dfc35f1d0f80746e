"""The content model: entry types, folders, URLs, vocabularies and fields, in one place.

Everything else (validation, `kb new` templates, the contributor guide test, pages) imports
these facts from here, so the contract in `shared/design/content-model.md` lives once.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
MONTH_RE = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")
TIME_RE = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")

CONTENT_DIR = "content"
REGISTER_DIR = "register"
TAGS_FILE = "content/tags.yml"
# Other names of organisations, read by meetings/aliases.py (a data file, never published as it is).
ORGANISATIONS_FILE = "content/organisations.yml"
# Hand-written pages (not entries): the home page and the pages one level inside these folders. They are
# always public: a `status` or `visibility` that would hide one is refused (content/pages.py).
PAGE_FILES = ("content/index.md",)
PAGE_FOLDERS = ("content/about", "content/contribute")
# The only other files copied to the site as they are: pictures and PDFs (no HTML, SVG or scripts).
STATIC_SUFFIXES = (".png", ".jpg", ".jpeg", ".gif", ".webp", ".avif", ".pdf")
# File names no entry may have: `<type>/index` is the page listing the type.
RESERVED_STEMS = ("index",)


@dataclass(frozen=True)
class EntryType:
    """Where a type's files live and how a file name becomes its URL."""

    name: str
    label: str
    plural: str
    folder: str  # source folder relative to the project root
    url_prefix: str  # first URL segment
    depth: int = 1  # folder levels below `folder` (minutes: one per network)
    stem_pattern: re.Pattern[str] = SLUG_RE
    stem_hint: str = "a slug: lower-case letters, digits and single hyphens, e.g. transition-coaching"


ENTRY_TYPES: dict[str, EntryType] = {
    t.name: t
    for t in (
        EntryType("network", "Network", "Networks", "content/networks", "networks"),
        EntryType("case-study", "Case study", "Case studies", "content/case-studies", "case-studies"),
        EntryType(
            "minutes",
            "Minutes",
            "Minutes",
            "content/minutes",
            "minutes",
            depth=2,
            stem_pattern=DATE_RE,
            stem_hint="the meeting date, YYYY-MM-DD, e.g. 2026-03-12",
        ),
        EntryType(
            "research",
            "Research of the month",
            "Research",
            "content/research",
            "research",
            stem_pattern=re.compile(r"^\d{4}-(0[1-9]|1[0-2])-[a-z0-9]+(?:-[a-z0-9]+)*$"),
            stem_hint="the month then a slug, e.g. 2026-03-oracy-review",
        ),
        EntryType("learning-summary", "Learning summary", "Learning summaries", "content/summaries", "summaries"),
        EntryType("register-entry", "Good practice", "Good-practice register", "register", "register"),
    )
}
TYPE_BY_FOLDER = {t.folder: t for t in ENTRY_TYPES.values()}

STATUSES = ("draft", "review", "published")
VISIBILITIES = ("public", "members")

VOCABULARIES: dict[str, tuple[str, ...]] = {
    "model": ("loose", "hub", "meshed"),
    "stage": ("connecting", "sense-making", "facilitated"),
    "functions": (
        "shared-goal",
        "shared-ownership",
        "shared-resources",
        "knowledge-generation",
        "knowledge-sharing",
        "constructive-challenge",
        "peer-support",
        "action-delivery",
    ),
    "brokerage": ("membership", "relationships", "partnerships", "resources", "knowledge-exchange"),
    "approach": ("consulting", "enquiring", "replicating", "directing", "responding", "landscaping"),
    "phases": ("early-years", "primary", "secondary", "post-16", "fe", "he", "special", "all-through"),
    "status": STATUSES,
    "visibility": VISIBILITIES,
    "format": ("in-person", "virtual", "hybrid"),
    "action_status": ("open", "done", "dropped"),
    "meeting_state": ("scheduled", "held", "cancelled", "postponed"),
}
# The About page that explains each vocabulary, so every value can link to its meaning.
VOCABULARY_PAGES = {
    "model": "about/network-models/",
    "stage": "about/network-stages/",
    "functions": "about/network-functions/",
    "brokerage": "about/brokerage-roles/",
    "approach": "about/approaches/",
    "phases": "about/phases/",
}


@dataclass(frozen=True)
class Field:
    """One front-matter field: its kind decides how it is checked and how `kb new` writes it."""

    name: str
    kind: str  # text | plain | date | month | time | url | email-list | vocab | vocab-list | text-list | ref-list | network-list | tag-list | mapping | records
    required: bool = False
    max_len: int | None = None
    vocab: str | None = None
    example: str = ""
    help: str = ""
    fields: tuple[Field, ...] = field(default=())


COMMON_FIELDS = (
    Field("title", "text", True, 120, example="Transition coaching in Year 7", help="The entry's title, 1 to 120 characters."),
    Field(
        "summary",
        "plain",
        True,
        300,
        example="How three schools used coaching to settle Year 7.",
        help="One or two plain sentences, at most 300 characters; shown in listings, feeds and search.",
    ),
    Field("date", "date", True, example="2026-03-12", help="YYYY-MM-DD; for minutes, the meeting date."),
    Field(
        "networks",
        "network-list",
        True,
        example="[equity]",
        help="Ids of the networks this belongs to (file names in content/networks/).",
    ),
    Field("tags", "tag-list", example="[transition, coaching]", help="Ids from content/tags.yml."),
    Field(
        "status",
        "vocab",
        True,
        vocab="status",
        example="draft",
        help="draft, review or published; only published entries are built.",
    ),
    Field(
        "visibility",
        "vocab",
        vocab="visibility",
        example="public",
        help="public (default) or members: members entries appear only in the members build.",
    ),
    Field("authors", "text-list", example='["Head of Year 7, Northgate Primary School"]', help="Who wrote it."),
    Field(
        "organisations",
        "text-list",
        example='["Northgate Primary School"]',
        help="Organisations involved, spelt the same way every time.",
    ),
)

TYPE_FIELDS: dict[str, tuple[Field, ...]] = {
    "network": (
        Field("title", "text", True, 120, example="Equity", help="The network's name."),
        Field(
            "summary",
            "plain",
            True,
            300,
            example="Schools working together to close gaps.",
            help="What the network is for, at most 300 characters.",
        ),
        Field("model", "vocab", True, vocab="model", example="meshed", help="loose, hub or meshed."),
        Field("stage", "vocab", True, vocab="stage", example="facilitated", help="connecting, sense-making or facilitated."),
        Field("convener", "text", True, 120, example="Deputy headteacher, host school", help="A role, never a personal address."),
        Field("cadence", "text", True, 60, example="half-termly", help="How often it meets."),
        Field(
            "functions",
            "vocab-list",
            True,
            vocab="functions",
            example="[knowledge-sharing, peer-support]",
            help="What the network delivers.",
        ),
        Field("phases", "vocab-list", True, vocab="phases", example="[primary, secondary]", help="Education phases involved."),
        Field("status", "vocab", True, vocab="status", example="published", help="draft, review or published."),
        Field("visibility", "vocab", vocab="visibility", example="public", help="public (default) or members."),
        Field("tags", "tag-list", example="[inclusion]", help="Ids from content/tags.yml."),
        Field(
            "mailing_list",
            "email-list",
            example="[equity-network@lists.example.org]",
            help="The network's list or role address that `kb mail` writes to; never a person's own address.",
        ),
    ),
    "case-study": COMMON_FIELDS
    + (
        Field("approach", "vocab", True, vocab="approach", example="enquiring", help="One local-authority approach."),
        Field("functions", "vocab-list", vocab="functions", example="[knowledge-sharing]", help="Network functions this shows."),
        Field("brokerage", "vocab-list", vocab="brokerage", example="[relationships]", help="Brokerage roles played."),
        Field("phases", "vocab-list", vocab="phases", example="[secondary]", help="Education phases involved."),
        Field(
            "outcomes",
            "plain",
            max_len=1000,
            example="Attendance rose by four points.",
            help="What changed, in a sentence or two.",
        ),
    ),
    "minutes": COMMON_FIELDS
    + (
        Field(
            "meeting",
            "mapping",
            example="",
            help="When, where and how the meeting is held.",
            fields=(
                Field("start", "time", True, example='"16:00"', help="HH:MM, in quotes."),
                Field("end", "time", True, example='"17:30"', help="HH:MM, in quotes."),
                Field("format", "vocab", True, vocab="format", example="in-person", help="in-person, virtual or hybrid."),
                Field(
                    "location",
                    "text",
                    max_len=200,
                    example="Library, Northgate Primary School",
                    help="Room and site, or the video link's name.",
                ),
                Field("chair", "text", max_len=120, example="Network convenor", help="Who chairs (a role)."),
            ),
        ),
        Field(
            "state",
            "vocab",
            vocab="meeting_state",
            example="scheduled",
            help="scheduled, held, cancelled or postponed; left out, a future date is scheduled and a past one held.",
        ),
        Field("postponed_to", "date", example="2026-12-10", help="With state: postponed, the new date of the meeting."),
        Field("agenda", "text-list", example='["Matters arising", "Attendance data"]', help="Agenda items."),
        Field("agenda_published", "date", example="2026-03-05", help="When the agenda went out (a week before the meeting)."),
        Field(
            "papers",
            "records",
            example="",
            help="Papers for the meeting, each a file in the network's minutes folder or a web address.",
            fields=(
                Field("title", "text", True, 200, example="Attendance by pupil group, autumn term", help="What the paper is."),
                Field("file", "text", max_len=200, example="papers/attendance-autumn.pdf", help="A file beside the minutes."),
                Field("url", "url", example="https://example.org/report.pdf", help="Or a web address."),
            ),
        ),
        Field("reminder_sent", "date", example="2026-03-10", help="When the reminder went out (a day or two before)."),
        Field("attendees", "text-list", example='["SENCo, Northgate Primary School"]', help="Who came."),
        Field("apologies", "text-list", example='["Head, Riverside Academy"]', help="Who sent apologies."),
        Field("decisions", "text-list", example='["Adopt the shared attendance tracker"]', help="What was decided."),
        Field(
            "actions",
            "records",
            example="",
            help="Actions agreed.",
            fields=(
                Field("action", "text", True, 300, example="Share the tracker template", help="What is to be done."),
                Field("owner", "text", True, 120, example="Network convenor", help="Who does it (a role or organisation)."),
                Field("due", "date", True, example="2026-04-01", help="YYYY-MM-DD."),
                Field("status", "vocab", True, vocab="action_status", example="open", help="open, done or dropped."),
                Field("closed", "date", example="2026-03-30", help="When it was done or dropped, YYYY-MM-DD."),
            ),
        ),
        Field(
            "updates",
            "records",
            example="",
            help="News of earlier meetings' actions, recorded at this meeting.",
            fields=(
                Field(
                    "action",
                    "text",
                    True,
                    200,
                    example="minutes/equity/2026-05-14#action-2",
                    help="Which action: the earlier minutes' reference, '#action-' and its number in that list.",
                ),
                Field(
                    "status", "vocab", vocab="action_status", example="done", help="open, done or dropped, as of this meeting."
                ),
                Field("note", "text", max_len=300, example="Template circulated to all schools", help="What was reported."),
                Field("due", "date", example="2027-01-29", help="A new due date, if one was agreed."),
            ),
        ),
        Field("next_meeting", "date", example="2026-05-14", help="Date of the next meeting."),
        Field(
            "approved",
            "mapping",
            example="",
            help="When and by whom these minutes were approved as a true record.",
            fields=(
                Field("date", "date", True, example="2026-05-14", help="The day they were approved."),
                Field("by", "text", True, 120, example="The network, at its next meeting", help="Who approved them."),
            ),
        ),
        Field(
            "approves",
            "text",
            max_len=200,
            example="minutes/equity/2026-10-08",
            help="The earlier minutes this meeting approved, by reference.",
        ),
        Field("minutes_sent", "date", example="2026-03-16", help="When the minutes went to members (within a week)."),
    ),
    "research": COMMON_FIELDS
    + (
        Field("month", "month", True, example='"2026-03"', help="YYYY-MM, in quotes; must match the file name."),
        Field(
            "reading",
            "mapping",
            True,
            example="",
            help="The reading discussed.",
            fields=(
                Field("title", "text", True, 300, example="Leading learning networks", help="Title of the reading."),
                Field("authors", "text-list", True, example='["A. Author"]', help="Its authors."),
                Field("year", "year", True, example="2019", help="Year published."),
                Field("publisher", "text", max_len=200, example="Example Press", help="Publisher or journal."),
                Field("url", "url", example="https://example.org/paper", help="An http(s) address."),
                Field("doi", "doi", example="10.1000/xyz123", help="A DOI such as 10.1000/xyz123."),
            ),
        ),
        Field("discussed_by", "text", max_len=200, example="Research reading group", help="Who discussed it."),
    ),
    "learning-summary": COMMON_FIELDS
    + (
        Field(
            "period",
            "mapping",
            True,
            example="",
            help="The period summarised.",
            fields=(
                Field("from", "date", True, example="2026-09-01", help="First day."),
                Field("to", "date", True, example="2026-12-18", help="Last day."),
            ),
        ),
        Field("sources", "ref-list", example="[case-studies/transition-coaching]", help="Entries this summary draws on."),
    ),
    "register-entry": COMMON_FIELDS
    + (
        Field("area", "text", True, 200, example="Peer coaching for new middle leaders", help="The practice offered."),
        Field(
            "offered_by",
            "mapping",
            True,
            example="",
            help="Who offers it.",
            fields=(
                Field("organisation", "text", True, 200, example="Northgate Primary School", help="The organisation (required)."),
                Field("role", "text", max_len=120, example="Assistant headteacher", help="Role of the contact."),
                Field("name", "text", max_len=120, example="", help="Name, only with their agreement."),
            ),
        ),
        Field(
            "contact",
            "text",
            max_len=200,
            example="via the network convenor",
            help="A role address or 'via the network convenor'.",
        ),
        Field(
            "nominated_by", "text", max_len=200, example="Head, Riverside Academy", help="A peer who identified this practice."
        ),
        Field("phases", "vocab-list", vocab="phases", example="[primary]", help="Education phases it suits."),
        Field("reviewed", "date", example="2026-09-01", help="When the entry was last reviewed."),
    ),
}
# Fields that carry no front-matter meaning but are accepted on every entry.
ACCEPTED_EXTRA = {"type"}
