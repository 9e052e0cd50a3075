"""Import a "Get Information About Schools" (GIAS) establishment export.

The DfE publishes it as a Windows-1252 CSV with a few hundred columns; we read the ones
below and ignore the rest. A column the file does not have leaves its field alone (GIAS
lets people download a chosen set of fields); only URN is required.

| GIAS column | academy field |
| --- | --- |
| URN | urn (the key) |
| EstablishmentName | name |
| EstablishmentStatus (name) | is_open ("Open", "Open, but proposed to close" → open) |
| PhaseOfEducation (name) | phase (trusts.models.Phase; anything else is a row error) |
| LA (name) | local_authority |
| GOR (name) | region (outside England, e.g. "Wales (pseudo)" → blank) |
| UrbanRural (name) | urban_rural as published; community_type urban/rural **only if blank** |
| NumberOfPupils | pupils_on_roll (blank → empty) |
| PercentageFSM | percent_fsm (blank or SUPP → empty) |
| OfficialSixthForm (name) | has_sixth_form ("Has a sixth form") |
| Trusts (code), Trusts (name) | the trust, by GIAS group UID; moves dated by `as_of` |
| OfstedRating (name), OfstedLastInsp | an Inspection (source GIAS) if none exists that day |
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils import timezone

from trusts.importers.base import SKIP, CsvImporter, Outcome, Row, RowError, Skip, Source
from trusts.models import Academy, AcademyTrustMembership, CommunityType, Inspection, Phase, Region, Trust
from trusts.services import academy_move_trust
from trusts.signals import announce_inspection

URN = "URN"
NAME = "EstablishmentName"
STATUS = "EstablishmentStatus (name)"
PHASE = "PhaseOfEducation (name)"
LA = "LA (name)"
REGION = "GOR (name)"
URBAN_RURAL = "UrbanRural (name)"
PUPILS = "NumberOfPupils"
FSM = "PercentageFSM"
SIXTH_FORM = "OfficialSixthForm (name)"
TRUST_UID = "Trusts (code)"
TRUST_NAME = "Trusts (name)"
OFSTED_RATING = "OfstedRating (name)"
OFSTED_DATE = "OfstedLastInsp"

OPEN_STATUSES = {"open": True, "open, but proposed to close": True, "closed": False, "proposed to open": False}
PHASES = {label.lower(): value for value, label in Phase.choices}
REGIONS = {value.lower(): value for value in Region.values}
GRADES = {label.lower(): value for value, label in Inspection.Grade.choices}
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


class GiasImporter(CsvImporter[Establishment]):
    required_columns = (URN,)
    file_description = "GIAS establishment export"

    def __init__(self, *, as_of: datetime.date, trust_uids=(), by=None):
        self.as_of = as_of
        self.trust_uids = {uid.strip() for uid in trust_uids if uid and uid.strip()}
        self.by = by

    # Parsing -------------------------------------------------------------------------

    def prepare(self, columns):
        self.columns = set(columns)
        self.first_row_of_urn: dict[int, int] = {}
        # With --trust-uid, an academy that left one of those trusts is still imported,
        # so that its move out is recorded.
        self.urns_in_chosen_trusts = (
            set(Academy.objects.filter(trust__gias_uid__in=self.trust_uids).values_list("urn", flat=True))
            if self.trust_uids
            else set()
        )

    def parse_row(self, row: Row) -> Establishment | Skip:
        urn = row.whole_number(URN)
        if urn is None:
            raise RowError("URN is missing")
        trust_uid = row.text(TRUST_UID) if row.has(TRUST_UID) else None
        if self.trust_uids and trust_uid not in self.trust_uids and urn not in self.urns_in_chosen_trusts:
            return SKIP

        fields: dict[str, Any] = {}
        if row.has(NAME):
            fields["name"] = row.required(NAME)
        if row.has(STATUS):
            fields["is_open"] = row.choice(STATUS, OPEN_STATUSES, what="establishment status")
        if row.has(PHASE):
            fields["phase"] = row.choice(PHASE, PHASES, what="phase")
        if row.has(LA):
            fields["local_authority"] = row.text(LA)
        if row.has(REGION):
            fields["region"] = REGIONS.get(row.text(REGION).lower(), "")
        community_type = ""
        if row.has(URBAN_RURAL):
            fields["urban_rural"] = row.text(URBAN_RURAL)
            community_type = community_type_from(fields["urban_rural"])
        if row.has(PUPILS):
            fields["pupils_on_roll"] = row.whole_number(PUPILS)
        if row.has(FSM):
            fields["percent_fsm"] = row.decimal(FSM, blank=SUPPRESSED, lowest=Decimal(0), highest=Decimal(100))
        if row.has(SIXTH_FORM):
            fields["has_sixth_form"] = row.text(SIXTH_FORM).lower() == "has a sixth form"

        inspection = None
        inspected_on = row.date(OFSTED_DATE) if row.has(OFSTED_DATE) else None
        if inspected_on:
            rating = row.text(OFSTED_RATING)
            grade = GRADES.get(rating.lower())
            inspection = GiasInspection(date=inspected_on, grade=grade, outcome_text="" if grade else rating[:200])

        if urn in self.first_row_of_urn:
            raise RowError(
                f"URN {urn} appears again (first on row {self.first_row_of_urn[urn]}); only the first is imported"
            )
        self.first_row_of_urn[urn] = row.number
        return Establishment(
            urn=urn,
            fields=fields,
            community_type=community_type,
            trust_uid=trust_uid,
            trust_name=row.text(TRUST_NAME),
            inspection=inspection,
        )

    # Writing -------------------------------------------------------------------------

    def before_write(self, items):
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

    def write_row(self, item: Establishment) -> Outcome:
        self.trusts_touched = []
        academy = self.academies.get(item.urn)
        created = academy is None
        if created:
            if "name" not in item.fields:
                raise RowError(f"the file has no {NAME} column, which a new academy needs")
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
                raise RowError(f"{TRUST_NAME} is blank, and trust {uid} is not known yet")
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
