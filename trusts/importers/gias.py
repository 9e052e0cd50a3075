"""Import a "Get Information About Schools" (GIAS) establishment export.

The DfE publishes it as a Windows-1252 CSV with about 140 columns; we read the ones
below and ignore the rest. GIAS writes most fields twice, as a code and as its name
("PhaseOfEducation (code)" 4, "PhaseOfEducation (name)" Secondary); a chosen-fields
download or a hand-made file may use the bare field name ("UrbanRural"). Each field is
read from the first of its headers the file has:

| field (GIAS) | headers read, in order | academy field |
| --- | --- | --- |
| URN | `URN` (required) | urn (the key) |
| EstablishmentName | `EstablishmentName` | name |
| EstablishmentStatus | `EstablishmentStatus (name)`, `EstablishmentStatus`, `EstablishmentStatus (code)` | is_open ("Open", "Open, but proposed to close" → open) |
| PhaseOfEducation | `PhaseOfEducation (name)`, `PhaseOfEducation`, `PhaseOfEducation (code)` | phase (anything else is a row error) |
| LA | `LA (name)`, `LA` | local_authority (`LA (code)` is a number, not read) |
| GOR | `GOR (name)`, `GOR`, `GOR (code)` | region (outside England, e.g. "Wales (pseudo)" → blank) |
| UrbanRural | `UrbanRural (name)`, `UrbanRural`, `UrbanRural (code)` | urban_rural as published; community_type urban/rural **only if blank** |
| NumberOfPupils | `NumberOfPupils` | pupils_on_roll (blank → empty) |
| PercentageFSM | `PercentageFSM` | percent_fsm (blank or SUPP → empty) |
| OfficialSixthForm | `OfficialSixthForm (name)`, `OfficialSixthForm` | has_sixth_form ("Has a sixth form") |
| Trusts | `Trusts (code)` (the group UID), `Trusts (name)` | the trust; moves dated by `as_of` |
| OfstedRating, OfstedLastInsp | `OfstedRating (name)`, `OfstedRating`; `OfstedLastInsp` | an Inspection (source GIAS) if none exists that day |

A code is read only where it means the same as the name (the code tables below); an
unknown code is a row error, as an unknown name is. A field the file does not have
leaves its academy field alone (GIAS lets people download a chosen set of fields), and
the report says so at its top, naming any column that looks like the field but is spelt
otherwise (e.g. "Urban Rural"), so nothing is ignored without a word.

An inspection is recorded only with its outcome: a date without a rating (GIAS leaves
the rating blank for inspections without a single-word judgement), or a rating that is
not an Ofsted judgement, records nothing. "Special Measures" and "Serious Weaknesses"
are Inadequate (grade 4) with the category kept as the outcome text.
"""

from __future__ import annotations

import copy
import datetime
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils import timezone
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from trusts.importers.base import SKIP, CsvImporter, Outcome, Row, RowError, Skip, Source, look_alikes
from trusts.models import Academy, AcademyTrustMembership, CommunityType, Inspection, Phase, Region, Trust
from trusts.services import academy_move_trust
from trusts.signals import announce_inspection

# GIAS's code tables, where a code means the same as the name we read.
STATUS_CODES = {"1": "Open", "2": "Closed", "3": "Open, but proposed to close", "4": "Proposed to open"}
PHASE_CODES = {
    "0": "Not applicable",
    "1": "Nursery",
    "2": "Primary",
    "3": "Middle deemed primary",
    "4": "Secondary",
    "5": "Middle deemed secondary",
    "6": "16 plus",
    "7": "All-through",
}
GOR_CODES = {
    "A": "North East",
    "B": "North West",
    "D": "Yorkshire and the Humber",
    "E": "East Midlands",
    "F": "West Midlands",
    "G": "East of England",
    "H": "London",
    "J": "South East",
    "K": "South West",
    "W": "Wales (pseudo)",
    "Z": "Not Applicable",
}
# The 2011 rural-urban classification of England and Wales, as GIAS names it.
URBAN_RURAL_CODES = {
    code: f"(England/Wales) {name}"
    for code, name in {
        "A1": "Urban major conurbation",
        "B1": "Urban minor conurbation",
        "C1": "Urban city and town",
        "C2": "Urban city and town in a sparse setting",
        "D1": "Rural town and fringe",
        "D2": "Rural town and fringe in a sparse setting",
        "E1": "Rural village",
        "E2": "Rural village in a sparse setting",
        "F1": "Rural hamlet and isolated dwellings",
        "F2": "Rural hamlet and isolated dwellings in a sparse setting",
    }.items()
}


@dataclass(frozen=True)
class GiasField:
    """One field the importer reads, under each header GIAS uses for it."""

    name: str  # GIAS's field name, e.g. "UrbanRural"
    fills: str  # what it fills, for the report
    headers: tuple[str, ...]  # text forms, preferred first
    codes: Mapping[str, str] | None = None  # "(code)" value → the name, where they mean the same

    @property
    def accepted(self) -> tuple[str, ...]:
        return self.headers + ((f"{self.name} (code)",) if self.codes else ())


URN = "URN"
NAME = GiasField("EstablishmentName", "names", ("EstablishmentName",))
STATUS = GiasField(
    "EstablishmentStatus",
    "open or closed",
    ("EstablishmentStatus (name)", "EstablishmentStatus"),
    STATUS_CODES,
)
PHASE = GiasField("PhaseOfEducation", "phases", ("PhaseOfEducation (name)", "PhaseOfEducation"), PHASE_CODES)
LA = GiasField("LA", "local authorities", ("LA (name)", "LA"))
REGION = GiasField("GOR", "regions", ("GOR (name)", "GOR"), GOR_CODES)
URBAN_RURAL = GiasField(
    "UrbanRural",
    "urban/rural classifications (and community types)",
    ("UrbanRural (name)", "UrbanRural"),
    URBAN_RURAL_CODES,
)
PUPILS = GiasField("NumberOfPupils", "pupils on roll", ("NumberOfPupils",))
FSM = GiasField("PercentageFSM", "% FSM", ("PercentageFSM",))
SIXTH_FORM = GiasField("OfficialSixthForm", "sixth forms", ("OfficialSixthForm (name)", "OfficialSixthForm"))
TRUST_UID = GiasField("Trusts (code)", "trusts and trust moves", ("Trusts (code)",))
TRUST_NAME = GiasField("Trusts (name)", "trust names", ("Trusts (name)",))
OFSTED_RATING = GiasField("OfstedRating", "Ofsted judgements", ("OfstedRating (name)", "OfstedRating"))
OFSTED_DATE = GiasField("OfstedLastInsp", "Ofsted inspection dates", ("OfstedLastInsp",))
FIELDS = (
    NAME,
    STATUS,
    PHASE,
    LA,
    REGION,
    URBAN_RURAL,
    PUPILS,
    FSM,
    SIXTH_FORM,
    TRUST_UID,
    TRUST_NAME,
    OFSTED_RATING,
    OFSTED_DATE,
)

OPEN_STATUSES = {"open": True, "open, but proposed to close": True, "closed": False, "proposed to open": False}
PHASES = {label.lower(): value for value, label in Phase.choices}
REGIONS = {value.lower(): value for value in Region.values}
GRADES = {label.lower(): value for value, label in Inspection.Grade.choices}
# Categories of concern are Inadequate judgements; the category is kept as the text.
CONCERNS = ("special measures", "serious weaknesses")
GRADES.update(dict.fromkeys(CONCERNS, Inspection.Grade.INADEQUATE))
# Published outcomes without a single-word grade that are still an inspection's outcome.
UNGRADED_OUTCOMES = {"not judged": "Not judged"}
SUPPRESSED = ("SUPP",)


def community_type_from(urban_rural: str) -> str:
    """Urban or rural, from GIAS's classification ("(England/Wales) Rural town and
    fringe" → rural). Inner-city and coastal are set by hand, never from the file."""
    words = urban_rural.lower().replace(":", " ").split()
    if "urban" in words:
        return CommunityType.URBAN
    if "rural" in words:
        return CommunityType.RURAL
    return ""


@dataclass(frozen=True)
class GiasInspection:
    date: datetime.date
    grade: int | None
    outcome_text: str


@dataclass(frozen=True)
class Establishment:
    """One clean GIAS row. `fields` holds only the academy fields whose columns the file
    has; `trust_uid` is None when the file has no trust column, "" when the academy is
    in no trust."""

    urn: int
    fields: dict[str, Any] = field(default_factory=dict)
    community_type: str = ""
    trust_uid: str | None = None
    trust_name: str = ""
    inspection: GiasInspection | None = None


UNKNOWN = object()  # a trust the importer has to create or rename


@dataclass(frozen=True)
class AcademyPlan:
    """What a row writes when written in a batch: the academy as it will be stored
    (a new one, or a copy of the stored one with the file's values), which fields
    changed, and a new inspection."""

    academy: Academy
    created: bool
    changed: tuple[str, ...]
    inspection: Inspection | None


class GiasImporter(CsvImporter[Establishment]):
    required_columns = (URN,)
    file_description = "GIAS establishment export"

    def __init__(self, *, as_of: datetime.date, trust_uids=(), by=None):
        self.as_of = as_of
        self.trust_uids = {uid.strip() for uid in trust_uids if uid and uid.strip()}
        self.by = by

    # Parsing -------------------------------------------------------------------------

    def prepare(self, columns):
        self.first_row_of_urn: dict[int, int] = {}
        self.unknown_ratings: dict[str, list[int]] = {}
        # Which header each field is read from (None: the file does not have it).
        self.header: dict[str, str | None] = {}
        for gias_field in FIELDS:
            found = next((h for h in gias_field.accepted if h in columns), None)
            self.header[gias_field.name] = found
            if found is None:
                self._report_missing(gias_field, columns)
        if self.header[OFSTED_DATE.name] and not self.header[OFSTED_RATING.name]:
            self.notice(
                "The file has OfstedLastInsp but no OfstedRating column: it gives inspection dates without their "
                "outcome, so no inspection is recorded from it."
            )
        # With --trust-uid, an academy that left one of those trusts is still imported,
        # so that its move out is recorded.
        self.urns_in_chosen_trusts = (
            set(Academy.objects.filter(trust__gias_uid__in=self.trust_uids).values_list("urn", flat=True))
            if self.trust_uids
            else set()
        )

    def _report_missing(self, gias_field: GiasField, columns: list[str]) -> None:
        forms = " or ".join(gias_field.accepted)
        message = f"No {gias_field.name} column ({forms}): {gias_field.fills} are left as they are."
        similar = look_alikes(columns, gias_field.accepted)
        if similar:
            names = ", ".join(f"“{column}”" for column in similar)
            message += f" The file has {names}, which is not a spelling GIAS uses, so it is not read."
        self.notice(message)

    def _value(self, row: Row, gias_field: GiasField) -> str | None:
        """The field's value as its name ("Secondary"), from whichever header the file
        has; None if the file has none of them."""
        header = self.header[gias_field.name]
        if header is None:
            return None
        value = row.text(header)
        if gias_field.codes and header not in gias_field.headers and value:
            if value not in gias_field.codes:
                raise RowError(f"{header} '{value}' is not a code GIAS uses for {gias_field.name}")
            return gias_field.codes[value]
        return value

    def _choice(self, row: Row, gias_field: GiasField, mapping: dict, *, what: str):
        value = self._value(row, gias_field)
        try:
            return mapping[value.lower()]
        except KeyError:
            raise RowError(f"{self.header[gias_field.name]} '{value}' is an unknown {what}") from None

    def parse_row(self, row: Row) -> Establishment | Skip:
        urn = row.whole_number(URN)
        if urn is None:
            raise RowError("URN is missing")
        trust_uid = self._value(row, TRUST_UID)
        if self.trust_uids and trust_uid not in self.trust_uids and urn not in self.urns_in_chosen_trusts:
            return SKIP

        fields: dict[str, Any] = {}
        if self.header[NAME.name]:
            fields["name"] = row.required(self.header[NAME.name])
        if self.header[STATUS.name]:
            fields["is_open"] = self._choice(row, STATUS, OPEN_STATUSES, what="establishment status")
        if self.header[PHASE.name]:
            fields["phase"] = self._choice(row, PHASE, PHASES, what="phase")
        if self.header[LA.name]:
            fields["local_authority"] = self._value(row, LA)
        if self.header[REGION.name]:
            fields["region"] = REGIONS.get(self._value(row, REGION).lower(), "")
        community_type = ""
        if self.header[URBAN_RURAL.name]:
            fields["urban_rural"] = self._value(row, URBAN_RURAL)
            community_type = community_type_from(fields["urban_rural"])
        if self.header[PUPILS.name]:
            fields["pupils_on_roll"] = row.whole_number(self.header[PUPILS.name])
        if self.header[FSM.name]:
            fields["percent_fsm"] = row.decimal(
                self.header[FSM.name], blank=SUPPRESSED, lowest=Decimal(0), highest=Decimal(100)
            )
        if self.header[SIXTH_FORM.name]:
            fields["has_sixth_form"] = self._value(row, SIXTH_FORM).lower() == "has a sixth form"

        inspection = self._inspection(row)
        if urn in self.first_row_of_urn:
            # GIAS has one row per establishment: a URN twice is two different
            # accounts of one academy, and the importer cannot tell which is right.
            raise RowError(
                f"URN {urn} appears again (first on row {self.first_row_of_urn[urn]}); GIAS lists each "
                "establishment once, so only the first is imported"
            )
        self.first_row_of_urn[urn] = row.number
        return Establishment(
            urn=urn,
            fields=fields,
            community_type=community_type,
            trust_uid=trust_uid,
            trust_name=self._value(row, TRUST_NAME) or "",
            inspection=inspection,
        )

    def _inspection(self, row: Row) -> GiasInspection | None:
        """The last inspection the row records, only with its outcome: a date alone (or
        an outcome that is not an Ofsted judgement) records nothing."""
        date_header = self.header[OFSTED_DATE.name]
        inspected_on = row.date(date_header) if date_header else None
        if not inspected_on or not self.header[OFSTED_RATING.name]:
            return None
        rating = self._value(row, OFSTED_RATING)
        if not rating:
            self.tally("inspection dates without an outcome (nothing recorded)")
            return None
        grade = GRADES.get(rating.lower())
        if grade is not None:
            text = rating[:200] if grade == Inspection.Grade.INADEQUATE and rating.lower() in CONCERNS else ""
            return GiasInspection(date=inspected_on, grade=grade, outcome_text=text)
        if rating.lower() in UNGRADED_OUTCOMES:
            return GiasInspection(date=inspected_on, grade=None, outcome_text=UNGRADED_OUTCOMES[rating.lower()])
        self.unknown_ratings.setdefault(rating, []).append(row.number)
        return None

    # Writing -------------------------------------------------------------------------

    def before_write(self, items):
        for rating, rows in self.unknown_ratings.items():
            where = ", ".join(str(n) for n in rows[:5]) + (", …" if len(rows) > 5 else "")
            self.notice(
                f"{self.header[OFSTED_RATING.name]} '{rating}' (row{'s' if len(rows) > 1 else ''} {where}) is not an "
                "Ofsted judgement this importer knows, so no inspection is recorded from those rows."
            )
        self.academies = Academy.objects.in_bulk([item.urn for item in items], field_name="urn")
        uids = {item.trust_uid for item in items if item.trust_uid}
        self.trusts = Trust.objects.in_bulk(uids, field_name="gias_uid")
        academy_ids = [academy.pk for academy in self.academies.values()]
        self.current_trust_id: dict[int, int] = {}
        self.inspected: set[tuple[int, datetime.date]] = set()
        for chunk in _chunks(academy_ids):
            self.current_trust_id.update(
                AcademyTrustMembership.objects.filter(academy_id__in=chunk, left_on__isnull=True).values_list(
                    "academy_id", "trust_id"
                )
            )
            self.inspected.update(
                Inspection.objects.filter(academy_id__in=chunk).values_list("academy_id", "inspection_date")
            )
        self.trusts_touched: list[str] = []

    # Writing in batches: the common rows (an academy created, updated or unchanged, in a
    # trust already known under the same name, or in none, and a new inspection) are
    # planned in Python and written together; a row that creates or renames a trust, or
    # moves an existing academy, is written on its own by `write_row`.

    def plan_row(self, item: Establishment) -> AcademyPlan | None:
        known = self.academies.get(item.urn)
        trust_id = self._known_trust_id(item)
        if trust_id is UNKNOWN:
            return None  # a trust to create or rename: `write_row`
        stays = known is None or item.trust_uid is None
        if not stays and (known.trust_id != trust_id or self.current_trust_id.get(known.pk) != trust_id):
            return None  # a move, with its dated history: `write_row`
        if known is None:
            if "name" not in item.fields:
                raise RowError(f"the file has no {NAME.name} column, which a new academy needs")
            academy = Academy(urn=item.urn)
        else:
            academy = copy.copy(known)  # the cached one stays as stored until written
        changed = [name for name, value in item.fields.items() if getattr(academy, name) != value]
        for name in changed:
            setattr(academy, name, item.fields[name])
        if item.community_type and not academy.community_type:
            academy.community_type = item.community_type
            changed.append("community_type")
        if known is None or changed:
            academy.clean_fields(exclude=None if known is None else _other_fields(changed))
        if known is None:
            academy.trust_id = trust_id  # a known trust: set after validation, which would look it up
        found = item.inspection
        inspection = None
        if found is not None and (known is None or (known.pk, found.date) not in self.inspected):
            inspection = Inspection(
                inspection_date=found.date,
                grade=found.grade,
                outcome_text=found.outcome_text,
                source=Inspection.Source.GIAS,
            )
        return AcademyPlan(academy=academy, created=known is None, changed=tuple(changed), inspection=inspection)

    def _known_trust_id(self, item: Establishment):
        """The id of the trust the row names (None: in no trust, or no trust column),
        if known and named as in the file; UNKNOWN otherwise."""
        if not item.trust_uid:
            return None
        trust = self.trusts.get(item.trust_uid)
        if trust is None or (item.trust_name and trust.name != item.trust_name):
            return UNKNOWN
        return trust.pk

    def write_batch(self, plans: list[AcademyPlan]) -> list[Outcome]:
        now = timezone.now()
        created = [plan.academy for plan in plans if plan.created]
        updated = [plan.academy for plan in plans if plan.changed and not plan.created]
        if created:
            bulk_create_with_history(created, Academy, default_user=self.by, default_date=now)
            joined = [a for a in created if a.trust_id is not None]
            AcademyTrustMembership.objects.bulk_create(
                AcademyTrustMembership(academy=a, trust_id=a.trust_id, joined_on=self.as_of) for a in joined
            )
            if joined:
                self.note("trust moves recorded", len(joined))
        if updated:
            for academy in updated:
                academy.updated_at = now
            fields = sorted({name for plan in plans if not plan.created for name in plan.changed})
            bulk_update_with_history(updated, Academy, [*fields, "updated_at"], default_user=self.by, default_date=now)
        inspections = []
        for plan in plans:
            if plan.inspection is not None:
                plan.inspection.academy = plan.academy  # its id is known now
                inspections.append(plan.inspection)
        if inspections:
            Inspection.objects.bulk_create(inspections)
            self.note("inspections added", len(inspections))
            # The listeners hear each inspection, as when rows are written one by one.
            for inspection in inspections:
                if flagged := announce_inspection(inspection):
                    self.note("memberships flagged at risk", flagged)
        # Written: the caches now hold what is stored.
        for plan in plans:
            self.academies[plan.academy.urn] = plan.academy
            if plan.created and plan.academy.trust_id is not None:
                self.current_trust_id[plan.academy.pk] = plan.academy.trust_id
        self.inspected.update((i.academy_id, i.inspection_date) for i in inspections)
        return [
            Outcome.CREATED
            if plan.created
            else Outcome.UPDATED
            if plan.changed or plan.inspection is not None
            else Outcome.UNCHANGED
            for plan in plans
        ]

    def write_row(self, item: Establishment) -> Outcome:
        self.trusts_touched = []
        academy = self.academies.get(item.urn)
        created = academy is None
        if created:
            if "name" not in item.fields:
                raise RowError(f"the file has no {NAME.name} column, which a new academy needs")
            academy = Academy(urn=item.urn)

        changed = [name for name, value in item.fields.items() if getattr(academy, name) != value]
        for name in changed:
            setattr(academy, name, item.fields[name])
        # Coordinators set inner-city and coastal by hand: fill the type only when blank.
        if item.community_type and not academy.community_type:
            academy.community_type = item.community_type
            changed.append("community_type")
        if created or changed:
            academy.clean_fields(exclude=None if created else _other_fields(changed))
            academy._history_user = self.by
            if created:
                academy.save()
            else:
                academy.save(update_fields=[*changed, "updated_at"])
            self.academies[item.urn] = academy

        trust_changed = self._write_trust(academy, item)
        inspection_added = self._write_inspection(academy, item)
        if created:
            return Outcome.CREATED
        return Outcome.UPDATED if changed or trust_changed or inspection_added else Outcome.UNCHANGED

    def _write_trust(self, academy: Academy, item: Establishment) -> bool:
        """Move the academy to the trust the file names, dated `as_of`; create or rename
        the trust. True if anything changed."""
        if item.trust_uid is None:
            return False
        trust, trust_changed = self._trust(item) if item.trust_uid else (None, False)
        target = trust.pk if trust else None
        if academy.trust_id == target and self.current_trust_id.get(academy.pk) == target:
            return trust_changed
        academy_move_trust(academy=academy, trust=trust, on=self.as_of, by=self.by)
        self.current_trust_id[academy.pk] = target
        self.note("trust moves recorded")
        return True

    def _trust(self, item: Establishment) -> tuple[Trust, bool]:
        """The trust the row names, created or renamed to match the file."""
        uid = item.trust_uid
        trust = self.trusts.get(uid) or Trust.objects.filter(gias_uid=uid).first()
        changed = False
        if trust is None:
            if not item.trust_name:
                raise RowError(f"{TRUST_NAME.name} is blank, and trust {uid} is not known yet")
            trust = Trust(gias_uid=uid, name=item.trust_name)
            trust.clean_fields()
            trust._history_user = self.by
            trust.save()
            changed = True
            self.note("trusts created")
        elif item.trust_name and trust.name != item.trust_name:
            trust.name = item.trust_name
            trust.clean_fields(exclude=_other_fields(["name"], model=Trust))
            trust._history_user = self.by
            trust.save(update_fields=["name", "updated_at"])
            changed = True
            self.note("trusts renamed")
        self.trusts[uid] = trust
        if changed:
            self.trusts_touched.append(uid)
        return trust, changed

    def _write_inspection(self, academy: Academy, item: Establishment) -> bool:
        found = item.inspection
        if found is None or (academy.pk, found.date) in self.inspected:
            return False
        inspection = Inspection.objects.create(
            academy=academy,
            inspection_date=found.date,
            grade=found.grade,
            outcome_text=found.outcome_text,
            source=Inspection.Source.GIAS,
        )
        self.inspected.add((academy.pk, found.date))
        self.note("inspections added")
        if flagged := announce_inspection(inspection):
            self.note("memberships flagged at risk", flagged)
        return True

    def row_rolled_back(self, item: Establishment) -> None:
        # The savepoint undid this row's writes: reload these from the database if needed.
        academy = self.academies.pop(item.urn, None)
        if academy is not None:
            self.current_trust_id.pop(academy.pk, None)
        for uid in self.trusts_touched:
            self.trusts.pop(uid, None)


def _chunks(values: list, size: int = 500):
    for start in range(0, len(values), size):
        yield values[start : start + size]


def _other_fields(changed: list[str], model=Academy) -> list[str]:
    """Fields to leave out of validation: only what the import changed is checked, so an
    odd value typed in by hand elsewhere does not block the row."""
    return [f.name for f in model._meta.fields if f.name not in changed]


def import_gias(*, source: Source, as_of: datetime.date | None = None, trust_uids=(), by=None, progress=None):
    """Import a GIAS establishment export (a path or a file object) and report on it.

    Rules: academies are matched by URN and trusts by GIAS group UID, and created when
    new; only fields that differ are saved, so a second run of the same file reports
    every row unchanged. A trust move is recorded through `academy_move_trust`, dated
    `as_of` (default today): the old membership ends the day before. community_type is
    filled from UrbanRural only when blank. An inspection (source GIAS) is added if the
    academy has none on OfstedLastInsp. `trust_uids` restricts the import to academies
    of those trusts (and academies now in them, so a move out is recorded). Rows with
    errors are reported and left out; the rest are written in one transaction. Raises
    ImportFileError if the file cannot be read or has no URN column. `progress` is
    told how far it is (see CsvImporter.run)."""
    importer = GiasImporter(as_of=as_of or timezone.localdate(), trust_uids=trust_uids, by=by)
    return importer.run(source, progress=progress)
