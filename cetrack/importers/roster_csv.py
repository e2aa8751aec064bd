"""Parse a staff roster CSV and validate each row: pure, no database.

One row per license (or one row without a license for a person who holds none); a person
with several licenses has several rows with the same email. `services/roster.py` checks the
valid rows against the organization and commits them.
"""

from __future__ import annotations

import re
from collections.abc import Container
from dataclasses import dataclass, field

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from cetrack.csv_cells import restore
from cetrack.importers.csv_file import Columns, read_rows, reasons
from cetrack.inputs import EnteredDate, InputError, plain_text
from cetrack.roles import ROLES

COLUMNS = Columns(
    required=("name", "email"),
    optional=(
        "roles",
        "department",
        "license_state",
        "license_type",
        "license_number",
        "license_expires",
    ),
    aliases={
        "role": "roles",
        "state": "license_state",
        "license": "license_type",
        "number": "license_number",
        "expires": "license_expires",
        "expiration": "license_expires",
    },
)
TEMPLATE = (
    ",".join(COLUMNS.required + COLUMNS.optional)
    + "\n"
    + "Dana Reyes,dana.reyes@example.org,clinician,Outpatient,TX,LPC,12345,2027-06-30\n"
    + "Dana Reyes,dana.reyes@example.org,clinician,Outpatient,NM,LPCC,C-981,06/30/2028\n"
    + "Lee Park,lee.park@example.org,clinician; supervisor,Adult services,,,,\n"
)
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


class RosterLicense(BaseModel):
    state: str
    type: str
    number: str = Field(default="", max_length=64)
    expires: EnteredDate | None = None

    @property
    def rule_id(self) -> str:
        return f"{self.state}/{self.type}"


class RosterRow(BaseModel):
    """One valid row: a person, their roles and department, and perhaps one license."""

    model_config = ConfigDict(str_strip_whitespace=True)

    name: str = Field(min_length=1, max_length=200)
    email: str = Field(max_length=254)
    roles: list[str] = Field(default_factory=lambda: ["clinician"])
    department: str = Field(default="", max_length=200)
    license: RosterLicense | None = None

    @field_validator("name", "department")
    @classmethod
    def _text(cls, value: str) -> str:
        return plain_text(value)

    @field_validator("email")
    @classmethod
    def _email(cls, value: str) -> str:
        value = value.strip().lower()
        if not _EMAIL.match(value):
            raise ValueError("enter an email address like name@example.org")
        return value

    @field_validator("roles")
    @classmethod
    def _roles(cls, values: list[str]) -> list[str]:
        unknown = sorted(set(values) - set(ROLES))
        if unknown:
            raise ValueError(f"unknown role {', '.join(unknown)}; use {', '.join(ROLES)}")
        return sorted(set(values)) or ["clinician"]


@dataclass
class ParsedRoster:
    rows: list[tuple[int, RosterRow]] = field(default_factory=list)
    rejected: list[tuple[int, str]] = field(default_factory=list)


def _license(values: dict[str, str]) -> dict | None:
    state = values.get("license_state", "").upper()
    kind = values.get("license_type", "").upper()
    number, expires = values.get("license_number", ""), values.get("license_expires", "")
    if not (state or kind or number or expires):
        return None
    if not state or not kind:
        raise InputError({"license": "give both license_state and license_type, or neither"})
    return {"state": state, "type": kind, "number": number, "expires": expires or None}


def _row(cells: dict[str, str], rules: Container[str]) -> RosterRow:
    values = {key: restore(value.strip()) for key, value in cells.items()}
    roles = [part.strip().lower() for part in re.split("[;,]", values.get("roles", ""))]
    data = {
        "name": values.get("name", ""),
        "email": values.get("email", ""),
        "roles": [role for role in roles if role],
        "department": values.get("department", ""),
        "license": _license(values),
    }
    try:
        row = RosterRow.model_validate(data)
    except ValidationError as error:
        raise InputError.from_validation(error) from None
    if row.license and row.license.rule_id not in rules:
        raise InputError(
            {"license": f"cetrack has no rules for {row.license.rule_id} (state/license type)"}
        )
    return row


def _conflict(row: RosterRow, earlier: dict[str, tuple[int, RosterRow]]) -> str | None:
    if row.email not in earlier:
        return None
    line, first = earlier[row.email]
    if (first.name, first.roles, first.department) != (row.name, row.roles, row.department):
        return f"{row.email} is on line {line} with another name, roles or department"
    return None


def parse_roster_csv(data: bytes, *, rules: Container[str]) -> ParsedRoster:
    """Validate every row against the file's other rows and the loaded `rules` (ids such as
    TX/LPC); compact privileges, which stand on a home license, are entered in the app."""
    parsed = ParsedRoster()
    people: dict[str, tuple[int, RosterRow]] = {}
    licenses: set[tuple] = set()
    for line, cells in read_rows(data, COLUMNS):
        if isinstance(cells, str):
            parsed.rejected.append((line, cells))
            continue
        try:
            row = _row(cells, rules)
        except InputError as error:
            parsed.rejected.append((line, reasons(error)))
            continue
        problem = _conflict(row, people)
        key = row.license and (row.email, row.license.rule_id, row.license.number.lower())
        if not problem and key and key in licenses:
            problem = "the same license appears earlier in the file"
        if not problem and not row.license and row.email in people:
            problem = "the same person appears earlier in the file"
        if problem:
            parsed.rejected.append((line, problem))
            continue
        people.setdefault(row.email, (line, row))
        if key:
            licenses.add(key)
        parsed.rows.append((line, row))
    return parsed
