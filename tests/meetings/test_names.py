"""Names as minutes write them (names.py): one documented normalisation, so the same organisation meets itself."""

from __future__ import annotations

import pytest

from kb.meetings.names import (
    NORMALISATION_RULES,
    Attendee,
    is_note,
    name_key,
    normalise_name,
    organisation_of_attendee,
    parse_attendee,
    strip_notes,
)


@pytest.mark.parametrize(
    "written, key",
    [
        ("Westbrook Academy", "westbrook academy"),
        ("  westbrook   ACADEMY. ", "westbrook academy"),
        ("Westbrook Academy (host)", "westbrook academy"),
        ("Data manager, Westbrook Academy (chair)", "westbrook academy"),
        ("Head, St. Mary's C.E. Primary", "saint marys c e primary"),
        ("Saint Mary’s CE Primary", "saint marys ce primary"),  # St/Saint and curly apostrophes meet
        ("The Hollies School", "hollies school"),
        ("Arts & Crafts Centre", "arts and crafts centre"),
        ("École Française", "ecole francaise"),
        ("Network convener", "network convener"),
    ],
)
def test_normalise_name(written, key):
    assert normalise_name(written) == key


def test_normalise_name_keeping_the_role_for_people_and_owners():
    assert normalise_name("Data manager, Westbrook Academy (host)", keep_role=True) == "data manager westbrook academy"
    assert normalise_name("network convener.", keep_role=True) == normalise_name("Network convener", keep_role=True)


@pytest.mark.parametrize(
    "written, key",
    [
        ("", ""),
        ("(host)", ""),  # only a note: nothing left to match
        ("Theatre Royal School", "theatre royal school"),  # "The" only as a word of its own
        ("Head, Deputy head, Eastfield High School", "eastfield high school"),  # the organisation after the last comma
        ("Westbrook Academy (host) (chair)", "westbrook academy"),
        ("WESTBROOK\tacademy", "westbrook academy"),
    ],
)
def test_normalise_name_edge_cases(written, key):
    assert normalise_name(written) == key


@pytest.mark.parametrize(
    "attendee, org",
    [
        ("SENCo, Canal Side Primary School.", "Canal Side Primary School."),
        ("Deputy head, Northgate Primary School (host)", "Northgate Primary School"),
        ("Network convener", None),
        ("Lead, ", None),
    ],
)
def test_organisation_of_attendee(attendee, org):
    assert organisation_of_attendee(attendee) == org


def test_rules_are_written_for_people():
    text = " ".join(NORMALISATION_RULES)
    for word in ("(chair)", "Role, Organisation", "Case", "punctuation"):
        assert word in text


@pytest.mark.parametrize(
    "written, stripped",
    [
        ("Westbrook Academy (host)", "Westbrook Academy"),
        ("Westbrook Academy", "Westbrook Academy"),
        ("  Westbrook Academy  ", "Westbrook Academy"),
        ("Westbrook Academy (host) (chair)", "Westbrook Academy"),  # every note at the end goes
        ("Westbrook Academy (host)  ", "Westbrook Academy"),
        ("Data manager, Westbrook Academy (chair)", "Data manager, Westbrook Academy"),  # the role stays
        ("(Interim) Head, Westbrook Academy", "(Interim) Head, Westbrook Academy"),  # a note not at the end stays
        ("Westbrook (North) Academy", "Westbrook (North) Academy"),
        ("Westbrook Academy (host", "Westbrook Academy (host"),  # unclosed: not a note
        ("Westbrook Academy (a (b))", "Westbrook Academy (a (b))"),  # nested brackets are not one note: kept as written
        ("(host)", ""),
        ("", ""),
    ],
)
def test_strip_notes(written, stripped):
    assert strip_notes(written) == stripped


@pytest.mark.parametrize(
    "line, person, organisation, role",
    [
        ("Amira Khan (Westbrook Academy)", "Amira Khan", "Westbrook Academy", ""),
        ("Amira Khan (Westbrook Academy, data manager)", "Amira Khan", "Westbrook Academy", "data manager"),
        ("Amira Khan, Westbrook Academy", "Amira Khan", "Westbrook Academy", ""),
        ("Data manager, Westbrook Academy", "Data manager", "Westbrook Academy", ""),
        ("Amira Khan (Westbrook Academy) (online)", "Amira Khan", "Westbrook Academy", ""),  # a note after the organisation
        ("Amira Khan (Westbrook Academy, SENCo) (Chair)", "Amira Khan", "Westbrook Academy", "SENCo"),
        ("Amira Khan (host)", "Amira Khan", None, ""),  # a small letter: a note, not an organisation
        ("Amira Khan (Online)", "Amira Khan", None, ""),  # a known note word
        ("Data manager, Westbrook Academy (North site)", "Data manager", "Westbrook Academy", ""),  # after a comma: a note
        ("Network convener", "Network convener", None, ""),
        ("(Westbrook Academy)", "(Westbrook Academy)", None, ""),  # nobody before the bracket
        ("", "", None, ""),
    ],
)
def test_parse_attendee_reads_the_shapes_minutes_use(line, person, organisation, role):
    assert parse_attendee(line) == Attendee(person, organisation, role)


@pytest.mark.parametrize(
    "one, other, same",
    [
        ("St Mary's School", "Saint Marys School", True),
        ("St. Mary’s School", "ST MARYS SCHOOL", True),
        ("Arts & Crafts Centre", "Arts and Crafts Centre", True),
        ("The Hollies School", "Hollies School", True),
        ("St Mary's School", "St Mary's Academy", False),  # School and Academy are kept as written
        ("Westbrook Academy", "Westbrook", False),  # a short form needs content/organisations.yml
        ("Stone Primary", "Saint one Primary", False),  # only the word St, not the letters
    ],
)
def test_name_key_matches_the_forms_that_vary_and_keeps_the_rest(one, other, same):
    assert (name_key(one) == name_key(other)) is same


@pytest.mark.parametrize(
    "inner, note",
    [
        ("host", True),
        ("Host", True),
        ("online", True),
        ("Chair", True),
        ("", True),
        ("item 3 only", True),
        ("Westbrook Academy", False),
        ("New College", False),
        ("Early Years Centre", False),
    ],
)
def test_is_note(inner, note):
    assert is_note(inner) is note
