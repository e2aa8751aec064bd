"""The shared vocabularies: CE categories, formats, activity types and units.

Rule files and activities use these ids. A rule file naming anything else is rejected by the
lint, so a typo can never silently make a requirement impossible to meet. Add an id here (with
its description) when a state needs one; `docs` tests keep `state_rules/README.md` in step.
"""

from __future__ import annotations

CATEGORIES: dict[str, str] = {
    "general": "Any acceptable CE topic (counts only toward the total)",
    "ethics": "Professional ethics and standards of practice",
    "jurisprudence": "State laws and board rules (including jurisprudence exams)",
    "suicide_prevention": "Suicide assessment, treatment and management",
    "cultural_competency": "Cultural diversity, competency or social and cultural competence",
    "supervision": "Training to supervise (for licensees who supervise)",
    "telehealth": "Teletherapy and technology-assisted services",
    "hiv_aids": "HIV/AIDS training",
    "domestic_violence": "Domestic, intimate-partner or sexual violence",
    "child_abuse": "Child abuse recognition and mandated reporting",
    "elder_abuse": "Elder and dependent-adult abuse",
    "human_trafficking": "Human trafficking prevention",
    "implicit_bias": "Implicit bias",
    "substance_use": "Substance use and addiction",
    "medical_errors": "Prevention of medical errors",
    "trauma": "Trauma",
    "boundaries": "Professional boundaries",
    "clinical": "Clinical practice (assessment, diagnosis, treatment)",
    "crisis_management": "Crisis management",
    "sexual_harassment": "Sexual harassment prevention",
    "dementia": "Alzheimer's disease and dementia",
    "pain_management": "Pain and symptom management",
    "opioids": "Opioid prescribing, risks and alternatives",
    "practice_management": "Administrative, office-management or other non-clinical skills",
    "pharmacology": "Psychopharmacology (prescribing psychologists)",
    "couples_family": "Couples and family therapy",
    "aging": "Aging and long-term care",
}

FORMATS: dict[str, str] = {
    "in_person": "In person, face to face",
    "live_online": "Live online: synchronous and interactive (webinar, video conference)",
    "self_study": "Self-study: home study, recorded or asynchronous online",
}

ACTIVITY_TYPES: dict[str, str] = {
    "course": "A CE course, workshop, webinar or conference session",
    "academic": "A graduate academic course for credit",
    "presentation": "Teaching or presenting a CE program",
    "publication": "Authoring a peer-reviewed article, chapter or book",
    "exam": "Passing an examination (e.g. a jurisprudence exam)",
    "agency_training": "Training sponsored by the licensee's employer or agency",
    "independent_study": "Self-directed reading or study without a provider",
    "board_service": "Service on or attendance at a licensing board",
    "peer_consultation": "Peer consultation or case-consultation groups",
    "volunteer": "Uncompensated clinical service credited as CE",
}

UNITS: dict[str, str] = {
    "hours": "CE hours as printed on the certificate (no conversion)",
    "minutes": "Clock minutes, converted by the rule's CE-hour length (50 or 60 minutes)",
    "ceu": "Continuing-education units (usually 1 CEU = 10 contact hours)",
    "semester_credit": "Academic semester credit hours",
    "quarter_credit": "Academic quarter credit hours",
}
