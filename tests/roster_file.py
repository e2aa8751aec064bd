"""A staff roster CSV to import in tests: `people` clinicians with one license each (some
expiring soon), and `bad` rows that must be rejected (a malformed email, an unknown license)."""

from __future__ import annotations

from datetime import date, timedelta

HEADER = "name,email,roles,department,license_state,license_type,license_number,license_expires"
KINDS = ("TX/LPC", "TX/LCSW", "FL/LMHC", "NM/LPCC", "TX/LMFT")
DEPARTMENTS = ("Outpatient", "Adult services", "Intake")


def roster_csv(today: date, people: int = 20, bad: int = 2) -> bytes:
    """Each good row's license expires 20 days further out than the previous one's."""
    lines = [HEADER]
    for number in range(people - bad):
        state, kind = KINDS[number % len(KINDS)].split("/")
        expires = today + timedelta(days=20 * (number + 1))
        lines.append(
            f"Staff Member {number:02d},staff{number:02d}@clinic.org,clinician,"
            f"{DEPARTMENTS[number % 3]},{state},{kind},N-{1000 + number},{expires.isoformat()}"
        )
    problems = ["Broken Email,not-an-email,clinician,Intake,TX,LPC,N-9,2027-01-01"]
    problems.append("Unknown License,unknown@clinic.org,clinician,Intake,ZZ,LPC,N-8,2027-01-01")
    lines.extend(problems[:bad])
    return ("\n".join(lines) + "\n").encode()
