"""The members' accounts: one `name:bcrypt-hash` line each, the htpasswd format.

Why this format: Apache, nginx and oauth2-proxy (`--htpasswd-file`) read it as it is, and Caddy gets the
same hashes in the configuration we write for it (caddy.py). Passwords are hashed with the `bcrypt`
package (never by hand) and the plain password is never written anywhere. The file lives outside
`content/` (default `members.passwd` at the project root, or `KB_MEMBERS_FILE`), is git-ignored and is
written whole with a rename, readable by its owner only.
"""

from __future__ import annotations

import os
import re
import tempfile
from pathlib import Path

import bcrypt

from kb.content.problems import Problem

DEFAULT_FILE = "members.passwd"
ENV_FILE = "KB_MEMBERS_FILE"
NAME_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._@+-]{0,63}$")
HASH_RE = re.compile(r"^\$2[aby]\$(0[4-9]|[12][0-9]|3[01])\$[./A-Za-z0-9]{53}$")
MIN_PASSWORD = 12
MAX_PASSWORD_BYTES = 72  # bcrypt reads no further; a longer password would be silently cut
ROUNDS = 12  # about a quarter of a second per hash here; Caddy keeps a cache of checked passwords
HEADER = "# Members' accounts (name:bcrypt hash). Change them with kb members add/remove; never commit or publish this file.\n"
# Folders whose files can end up on a site or in the repository's public history.
FORBIDDEN_HOMES = ("content", "register", "site", "site-members")


class AccountsError(Exception):
    """An accounts file or request that cannot be used; `problem` says where, what and how to fix it."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(problem.format())
        self.problem = problem


def members_file(project: Path) -> Path:
    """Where the accounts are kept: KB_MEMBERS_FILE, or members.passwd at the project root; never inside content/."""
    raw = os.environ.get(ENV_FILE, "").strip()
    path = (Path(raw) if Path(raw).is_absolute() else project / raw) if raw else project / DEFAULT_FILE
    path = path.resolve()
    for home in FORBIDDEN_HOMES:
        folder = (project / home).resolve()
        if path == folder or folder in path.parents:
            raise AccountsError(
                Problem(
                    str(path),
                    None,
                    ENV_FILE if raw else None,
                    f"the members' accounts file is inside {home}/, from where it could be published.",
                    f"keep it outside the site's folders: unset {ENV_FILE} (members.passwd at the project root) "
                    "or point it at a file such as /etc/kb/members.passwd.",
                )
            )
    return path


def check_name(name: str) -> str:
    if not NAME_RE.match(name):
        raise AccountsError(
            Problem(
                "kb members",
                None,
                "NAME",
                f"'{name}' cannot be a member's name.",
                "use 1 to 64 letters, digits and . _ @ + - (an e-mail address works), starting with a letter or digit.",
            )
        )
    return name


def check_password(password: str) -> bytes:
    encoded = password.encode("utf-8")
    if len(password) < MIN_PASSWORD:
        hint = f"choose one of at least {MIN_PASSWORD} characters; three or four random words are easy to type and hard to guess."
        raise AccountsError(
            Problem("kb members add", None, "password", f"the password is {len(password)} characters long.", hint)
        )
    if len(encoded) > MAX_PASSWORD_BYTES:
        raise AccountsError(
            Problem(
                "kb members add",
                None,
                "password",
                f"the password is {len(encoded)} bytes long; bcrypt reads only the first {MAX_PASSWORD_BYTES}.",
                f"choose one of at most {MAX_PASSWORD_BYTES} bytes (letters, digits and spaces are one byte each).",
            )
        )
    if any(ch in password for ch in "\r\n\x00"):
        raise AccountsError(
            Problem("kb members add", None, "password", "the password holds a line break.", "type it on one line.")
        )
    return encoded


def read_accounts(path: Path) -> dict[str, str]:
    """{name: bcrypt hash} from the file (empty when it does not exist yet); AccountsError names a bad line."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return {}
    except (OSError, UnicodeDecodeError) as exc:
        raise AccountsError(
            Problem(
                str(path),
                None,
                None,
                f"the members' accounts file cannot be read ({exc.__class__.__name__}).",
                "check its owner and permissions.",
            )
        ) from None
    accounts: dict[str, str] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        name, colon, hashed = line.strip().partition(":")
        fault = (
            "this line is not 'name:hash'"
            if not colon
            else f"'{name}' is not a member's name"
            if not NAME_RE.match(name)
            else "the password is not stored as a bcrypt hash"
            if not HASH_RE.match(hashed)
            else f"'{name}' has a second line"
            if name in accounts
            else ""
        )
        if fault:
            raise AccountsError(
                Problem(
                    str(path),
                    number,
                    None,
                    f"{fault}.",
                    "remove the line, then add the member again with kb members add NAME (it hashes the password for you).",
                )
            )
        accounts[name] = hashed
    return accounts


def write_accounts(path: Path, accounts: dict[str, str]) -> None:
    """The whole file written beside itself and renamed into place, readable by its owner only."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(HEADER + "".join(f"{name}:{hashed}\n" for name, hashed in sorted(accounts.items())))
        os.chmod(temporary, 0o600)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def hash_password(password: str, rounds: int = ROUNDS) -> str:
    return bcrypt.hashpw(check_password(password), bcrypt.gensalt(rounds)).decode("ascii")


def add_member(path: Path, name: str, password: str, *, replace: bool = False, rounds: int = ROUNDS) -> bool:
    """Add (or, with replace, change) a member; True when the name was new."""
    check_name(name)
    accounts = read_accounts(path)
    if name in accounts and not replace:
        raise AccountsError(
            Problem(
                str(path),
                None,
                "NAME",
                f"'{name}' is already a member.",
                f"to give them a new password run kb members add {name} --replace.",
            )
        )
    new = name not in accounts
    accounts[name] = hash_password(password, rounds)
    write_accounts(path, accounts)
    return new


def remove_member(path: Path, name: str) -> None:
    accounts = read_accounts(path)
    if name not in accounts:
        known = ", ".join(sorted(accounts)) or "nobody yet"
        raise AccountsError(Problem(str(path), None, "NAME", f"'{name}' is not a member.", f"the members are: {known}."))
    del accounts[name]
    write_accounts(path, accounts)


def verify(accounts: dict[str, str], name: str, password: str) -> bool:
    """Whether the password is this member's (for tests and checks; the web server does its own)."""
    hashed = accounts.get(name)
    return hashed is not None and bcrypt.checkpw(password.encode("utf-8"), hashed.encode("ascii"))
