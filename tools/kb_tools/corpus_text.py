"""Words for the generated benchmark corpus: places, roles, and sentence patterns.

Kept apart from corpus.py so the generator's logic stays readable. The aim is text that
looks like the partnership's own writing (varied vocabulary, headings, lists), because
page size, search-index size and Markdown time all depend on what the text is like.
"""

from __future__ import annotations

import random

PLACES = (
    "Northgate",
    "Riverside",
    "Ashfield",
    "Canal Side",
    "Westbrook",
    "Eastfield",
    "Hillcrest",
    "Oakwood",
    "Millbrook",
    "Southmead",
    "Kingsway",
    "Parkside",
    "Beacon Hill",
    "Fernlea",
    "Stonebridge",
    "Harbour View",
    "Elm Grove",
    "Greenacre",
    "Moorside",
    "Lark Rise",
    "Castle Vale",
    "Brookfield",
    "Highfields",
    "Willowbank",
)
KINDS = (
    "Primary School",
    "Academy",
    "High School",
    "College",
    "Nursery School",
    "Special School",
    "Infant School",
    "Junior School",
    "Sixth Form",
)
ROLES = (
    "Deputy headteacher",
    "Headteacher",
    "SENCo",
    "Data manager",
    "Pupil premium lead",
    "Equality lead",
    "Assistant principal",
    "Careers leader",
    "Designated safeguarding lead",
    "Attendance officer",
    "Curriculum lead",
    "Head of Year 7",
    "Trust school improvement lead",
    "CPD lead",
    "Sustainability lead",
    "Family liaison officer",
    "Reading lead",
    "Maths lead",
    "Governor",
    "Business manager",
)
OUTSIDERS = (
    "City Council Education Service",
    "Partnership Office",
    "Educational Psychology Service",
    "Youth Justice Service",
    "Local NHS Trust",
    "Careers Hub",
    "City University School of Education",
)
FIRST = (
    "Amira",
    "Ben",
    "Chloe",
    "Dev",
    "Esther",
    "Femi",
    "Grace",
    "Hamza",
    "Isla",
    "Jonah",
    "Kiran",
    "Lena",
    "Marcus",
    "Nadia",
    "Owen",
    "Priya",
    "Rosa",
    "Sam",
    "Tariq",
    "Una",
    "Victor",
    "Wen",
    "Yusuf",
    "Zara",
)
LAST = (
    "Okafor",
    "Patel",
    "Nowak",
    "Hughes",
    "Begum",
    "Clarke",
    "Mensah",
    "Kowalski",
    "Shah",
    "Reid",
    "Ahmed",
    "Murphy",
    "Lewis",
    "Osei",
    "Turner",
    "Khan",
    "Evans",
    "Walsh",
    "Ali",
    "Bennett",
)
PUBLISHERS = (
    "Education Endowment Foundation",
    "Cambridge Journal of Education",
    "British Educational Research Journal",
    "Oxford Review of Education",
    "Routledge",
    "Institute of Education Press",
    "Education Policy Institute",
)

SUBJECTS = (
    "Members",
    "The convener",
    "Two primary schools",
    "Secondary colleagues",
    "The host school",
    "Several settings",
    "The data lead",
    "Teaching assistants",
    "Middle leaders",
    "Governors",
    "The working group",
    "Pupils we spoke to",
    "Parents and carers",
    "The reading group",
    "New staff",
    "Colleagues from the local authority",
)
VERBS = (
    "compared",
    "reviewed",
    "questioned",
    "mapped",
    "piloted",
    "described",
    "shared",
    "challenged",
    "tested",
    "adapted",
    "tracked",
    "discussed",
    "simplified",
    "agreed on",
    "looked again at",
    "wrote up",
)
OBJECTS = (
    "the termly data",
    "their approach to {topic}",
    "what the evidence says about {topic}",
    "a shared template",
    "the training offer",
    "how {topic} is recorded",
    "the timetable for {topic}",
    "a short survey of staff",
    "the transition information",
    "case notes from the last half term",
    "a toolkit for {topic}",
    "the questions the board asked",
    "the way families are contacted",
    "a draft policy on {topic}",
)
TAILS = (
    "and found more variation than expected",
    "so that figures could be compared fairly",
    "before deciding what to change",
    "with help from the partnership office",
    "over two half terms",
    "because earlier efforts had stalled when staff moved on",
    "and agreed to return to it in the spring",
    "which raised questions about workload",
    "using the same definitions in every school",
    "so that disadvantaged pupils were not missed",
    "without adding to teachers' marking",
    "and the results were mixed but encouraging",
    "after a visit to a partner school",
)
REFLECTIONS = (
    "It is easier to agree a principle than to change a routine on a wet Tuesday in February.",
    "The smallest schools found the work hardest to sustain, and the network could help most there.",
    "What made the difference was protected time, not a new form.",
    "Data alone did not persuade anyone; pupils' own accounts did.",
    "We underestimated how long it takes for a change to reach every classroom.",
    "Where leaders modelled the practice themselves, staff took it up faster.",
    "Some of the gains faded when the pilot ended, which tells us something about ownership.",
    "Sharing the failures openly was what built trust between schools.",
)
BULLETS = (
    "a named lead in every school for {topic}",
    "one shared definition, agreed before data is collected",
    "a half-termly check on progress, kept to twenty minutes",
    "short visits between schools, in pairs",
    "a one-page summary for governors",
    "pupil voice gathered the same way in each setting",
    "time in staff meetings rather than extra sessions",
    "a simple tracker owned by the convener",
    "clear roles for teaching assistants",
    "support from the local authority adviser for {topic}",
    "a reading list of three short pieces",
    "a follow-up survey after six months",
)
AGENDA_ITEMS = (
    "Matters arising",
    "{Topic}: data from member schools",
    "{Topic}: what is working",
    "Update from the local authority",
    "Case study for the knowledge site",
    "Research of the month",
    "Priorities for next term",
    "Any other business",
    "Pupil voice findings",
    "Training offer for support staff",
    "Report to the partnership board",
)
ACTIONS = (
    "Circulate the {topic} template to all members",
    "Write up the {topic} pilot for the knowledge site",
    "Invite the local authority adviser to the next meeting",
    "Collect termly data on {topic}",
    "Arrange a visit to a partner school",
    "Draft a one-page summary for governors",
    "Share the reading list with the network",
    "Survey members about training needs in {topic}",
)
DECISIONS = (
    "Members will use one shared template for {topic} from next term.",
    "The network will run a joint enquiry into {topic} this year.",
    "The convener will report progress on {topic} to the partnership board.",
    "The pilot will be extended to two more schools.",
    "A working group will draft guidance on {topic}.",
)


def person(rng: random.Random) -> str:
    return f"{rng.choice(FIRST)} {rng.choice(LAST)}"


def organisation(rng: random.Random) -> str:
    if rng.random() < 0.12:
        return rng.choice(OUTSIDERS)
    return f"{rng.choice(PLACES)} {rng.choice(KINDS)}"


def role_at(rng: random.Random, org: str | None = None) -> str:
    return f"{rng.choice(ROLES)}, {org or organisation(rng)}"


def sentence(rng: random.Random, topic: str) -> str:
    text = f"{rng.choice(SUBJECTS)} {rng.choice(VERBS)} {rng.choice(OBJECTS)} {rng.choice(TAILS)}."
    return text.format(topic=topic)


def paragraph(rng: random.Random, topic: str, link: str | None = None) -> str:
    """Three to six sentences, sometimes a reflection, sometimes a link to earlier learning."""
    parts = [sentence(rng, topic) for _ in range(rng.randint(3, 6))]
    if rng.random() < 0.4:
        parts.insert(rng.randrange(len(parts) + 1), rng.choice(REFLECTIONS))
    if link:
        parts.append(f"This builds on {link}.")
    return " ".join(parts)


def bullets(rng: random.Random, topic: str, k: int | None = None) -> str:
    items = rng.sample(BULLETS, k or rng.randint(3, 5))
    return "\n".join(f"- {item.format(topic=topic).capitalize()}" for item in items)
