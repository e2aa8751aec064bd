"""The roles a membership may grant (below services and importers alike)."""

CLINICIAN = "clinician"
SUPERVISOR = "supervisor"
HR = "hr"
ADMIN = "admin"
ROLES = (CLINICIAN, SUPERVISOR, HR, ADMIN)
STAFF_ROLES = frozenset({CLINICIAN, SUPERVISOR})  # what HR may grant; admin grants any
