"""Build ``src/diurna/events/data/cameo.json`` from the shared reference tables.

Inputs (read-only, in ``<repo>/../shared/reference`` unless ``--shared`` says otherwise):

* ``cameo-codes.json`` -- the 280 CAMEO codes with a description and a Goldstein value each;
* ``cameo-to-plover-2021.txt`` -- the CAMEO -> PLOVER (type, mode, context) table of 2021.

The output holds, per code: name, root, parent, Goldstein value, QuadClass, PLOVER type/mode/context
and the code of the same meaning in CAMEO 1.1b3 (``cameo_1_1b3``); plus a ``rejections`` map used
to code negated cooperative events. Run it again whenever the reference tables change::

    python scripts/build_ontology.py [--shared PATH] [--out PATH]

Numbering note. The codebook in ``cameo-codes.json`` numbers some branches differently from CAMEO
1.1b3, which the PLOVER table (and GDELT 2.0, ICEWS, the PLOVER gold records) use: 016-019,
0353-0357 and the roots 10, 12 and 16. The ontology keeps the reference numbering (every code of
the file, nothing added) and records the 1.1b3 equivalent of each code in ``cameo_1_1b3``. The
PLOVER row of a code is looked up under that 1.1b3 code, so that e.g. reference 166 (impose
embargo) gets the row of 1.1b3 163 (impose embargo), not the row of 1.1b3 166 (expel or withdraw).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parents[1]
DEFAULT_SHARED = REPO_ROOT.parent / "shared"
DEFAULT_OUT = REPO_ROOT / "src" / "diurna" / "events" / "data" / "cameo.json"

PROVENANCE = (
    "built from shared/reference cameo-codes.json (linwoodc3/gdeltPyR data/cameoCodes.json "
    "@8762db7f, public CAMEO standard) and cameo-to-plover-2021.txt (openeventdata/PLOVER "
    "@5e0c24fb, CC BY-SA 4.0)"
)

EXPECTED_CODES = 280

# Descriptions in cameo-codes.json that are damaged in the source file. Fixed here, listed in _meta.
NAME_FIXES: dict[str, str] = {
    "0872": "Ease military blockade",  # the source text is cut and ends in a stray "[-2.0"
    "2041": "Use chemical, biological, or radiological weapons",  # missing space
    # 1451-1454 repeat the descriptions of 1441-1444 in the source; 145 is "Protest violently".
    "1451": "Engage in violent protest for change in leadership",
    "1452": "Engage in violent protest for policy change",
    "1453": "Engage in violent protest for rights",
    "1454": "Engage in violent protest for change in institutions, regime",
}

# Reference code -> CAMEO 1.1b3 code of the same meaning, for every code whose number differs.
# Codes not listed here have the same number and meaning in both. None: no 1.1b3 equivalent.
# The 1.1b3 meanings are those of the comments of the PLOVER table (and, for root 01, which that
# table does not cover, of the CAMEO 1.1b3 codebook numbering).
CROSSWALK_1_1B3: dict[str, str | None] = {
    # 01: 1.1b3 has 016 deny responsibility, 018 empathetic comment, 019 express accord
    "016": "018",  # Make empathetic comment
    "018": "019",  # Express accord
    "019": "019",  # Express common understanding, agreement, or accord
    # 035x: the reference inserts 0353 "accede to political demands" and shifts the rest by one
    "0353": None,
    "0354": "0353",  # release persons or property
    "0355": "0354",  # ease economic sanctions
    "0356": "0355",  # allow international involvement
    "0357": "0356",  # de-escalate military engagement
    # 10
    "101": None,  # Demand information, investigation: no 1.1b3 code
    "105": "108",  # Demand mediation
    "106": "1056",  # Demand withdrawal -> demand de-escalation of military engagement
    "107": "1056",  # Demand ceasefire -> demand de-escalation of military engagement
    "108": "106",  # Demand meeting, negotiation
    # 12
    "121": None,  # Reject proposal, not specified: no 1.1b3 code (closest: 120)
    "1211": "1246",  # Reject ceasefire, withdrawal -> decline to de-escalate
    "1212": "1245",  # Reject peacekeeping -> decline to allow international involvement
    "1213": "127",  # Reject settlement -> reject plan, agreement to settle dispute
    "124": "125",  # Reject proposal to meet, discuss, or negotiate
    "125": "126",  # Reject mediation
    "126": "128",  # Defy norms, law
    "127": "016",  # Reject accusation, deny responsibility -> 1.1b3 016 deny responsibility
    "128": "129",  # Veto
    # 16
    "163": "164",  # Halt negotiations
    "164": "166",  # Expel or withdraw
    "1641": "1661",
    "1642": "1662",
    "1643": "1663",
    "166": "163",  # Impose embargo, boycott, or sanctions
}

# Rejection (refusal) code for each cooperative code, used when a cooperative event is negated or
# refused ("X refused to meet Y" -> reject proposal to meet). Keys are reference codes; codes not
# listed map to null. Roots are listed too, for patterns coded at root level.
REJECTIONS: dict[str, str] = {
    # 01 statements: only claiming responsibility has a refusal (denying responsibility)
    "015": "127",
    "018": "120",
    "019": "120",
    # 03 intent: the rejection that matches what was (not) intended
    "03": "120",
    "030": "120",
    "031": "121",
    "0311": "121",
    "0312": "121",
    "032": "120",
    "033": "122",
    "0331": "122",
    "0332": "122",
    "0333": "122",
    "0334": "122",
    "034": "123",
    "0341": "1231",
    "0342": "1232",
    "0343": "1233",
    "0344": "1234",
    "035": "120",
    "0351": "120",
    "0352": "120",
    "0353": "123",
    "0354": "120",
    "0355": "120",
    "0356": "120",
    "0357": "1211",
    "036": "124",
    "037": "1213",
    "038": "125",
    "039": "125",
    # 04 consult: refusing to meet, visit, host, talk or negotiate
    "04": "124",
    "040": "124",
    "041": "124",
    "042": "124",
    "043": "124",
    "044": "124",
    "045": "125",
    "046": "124",
    # 05 diplomatic cooperation
    "05": "120",
    "050": "120",
    "051": "120",
    "054": "120",
    "055": "127",
    "056": "120",
    "057": "121",
    # 06 material cooperation: a refused offer of cooperation
    "06": "121",
    "060": "121",
    "061": "121",
    "062": "121",
    "063": "121",
    "064": "121",
    # 07 aid: refusing to give aid rejects the request for it
    "07": "122",
    "070": "122",
    "071": "122",
    "072": "122",
    "073": "122",
    "074": "122",
    "075": "122",
    # 08 yield: refusing to yield
    "08": "120",
    "080": "120",
    "081": "120",
    "0811": "120",
    "0812": "120",
    "0813": "120",
    "0814": "120",
    "082": "120",
    "083": "123",
    "0831": "1231",
    "0832": "1232",
    "0833": "1233",
    "0834": "1234",
    "084": "120",
    "0841": "120",
    "0842": "120",
    "085": "120",
    "086": "120",
    "0861": "1212",
    "0862": "120",
    "0863": "120",
    "087": "1211",
    "0871": "1211",
    "0872": "1211",
    "0873": "1211",
    "0874": "1211",
}

REJECTION_RULE = (
    "rejections[code] is the REJECT (root 12) code that a refusal or negation of the cooperative "
    "event `code` expresses, in this codebook's numbering: meeting/visit/talks/negotiation (036, "
    "04x) -> 124 reject proposal to meet, discuss or negotiate; mediation (038, 039, 045) -> 125; "
    "aid and asylum (033x, 07x) -> 122 reject request for material aid; material cooperation "
    "(031x, 06x) and signing an agreement (057) -> 121 reject proposal; political reform and "
    "change of leadership (034x, 0353, 083x) -> 123/123x; settlement (037) -> 1213; de-escalation, "
    "ceasefire, withdrawal, demobilisation (0357, 087x) -> 1211 reject ceasefire, withdrawal; "
    "receiving peacekeepers (0861) -> 1212 reject peacekeeping; claiming responsibility (015) and "
    "apologising (055) -> 127 deny responsibility; any other cooperative intent, support, "
    "recognition, forgiveness or concession -> 120 reject. Appeals (02), demands (10), "
    "investigations (09), other statements and all conflict codes (11-20) have no rejection "
    "(null): their negation is no event."
)

_PLOVER_ROW = re.compile(r"^(?P<code>\d{2,4})\s*:\s*(?P<body>[^#]*)(?:#(?P<comment>.*))?$")


def _clean(text: str) -> str:
    """Strip and collapse runs of whitespace."""
    return " ".join(text.split())


def _parent(code: str) -> str | None:
    """Parent code: 4-digit -> 3-digit -> 2-digit root; a root has none."""
    if len(code) == 4:
        return code[:3]
    if len(code) == 3:
        return code[:2]
    return None


def quad_class_of(root: str) -> int:
    """GDELT QuadClass of a CAMEO root: 01-05 -> 1, 06-08 -> 2, 09-13 -> 3, 14-20 -> 4."""
    n = int(root)
    if not 1 <= n <= 20:
        raise ValueError(f"not a CAMEO root: {root!r}")
    if n <= 5:
        return 1
    if n <= 8:
        return 2
    if n <= 13:
        return 3
    return 4


def read_codes(path: Path) -> dict[str, tuple[str, float]]:
    """Read cameo-codes.json into {code: (name, goldstein)}."""
    raw = json.loads(path.read_text(encoding="utf-8"))
    descriptions: dict[str, str] = raw["Description"]
    goldstein: dict[str, str] = raw["GoldsteinScale"]
    codes: dict[str, tuple[str, float]] = {}
    for key, desc in descriptions.items():
        code = raw["cameoCode"].get(key, key).strip()
        name = NAME_FIXES.get(code, _clean(desc))
        codes[code] = (name, float(goldstein[key]))
    if len(codes) != EXPECTED_CODES:
        raise SystemExit(f"{path}: expected {EXPECTED_CODES} codes, found {len(codes)}")
    return codes


def read_plover(path: Path) -> dict[str, dict[str, str | None]]:
    """Read the CAMEO -> PLOVER table into {cameo_1_1b3_code: {type, mode, context}}.

    Root lines ("03: AGREE") carry only a type. The first row of a code wins (the table lists
    root 08 twice, CONCEDE then RETREAT, and 175 twice with the same values).
    """
    rows: dict[str, dict[str, str | None]] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        m = _PLOVER_ROW.match(line.strip())
        if not m:
            continue
        parts = [_clean(p) for p in m.group("body").split(",")]
        parts += [""] * (3 - len(parts))
        ptype, mode, context = parts[0], parts[1], parts[2]
        rows.setdefault(
            m.group("code"),
            {"type": ptype.upper() or None, "mode": mode or None, "context": context or None},
        )
    return rows


def standard_code(code: str) -> str | None:
    """CAMEO 1.1b3 code of the same meaning as the reference ``code`` (None: no equivalent)."""
    if code in CROSSWALK_1_1B3:
        return CROSSWALK_1_1B3[code]
    return code


def plover_for(
    code: str, plover: dict[str, dict[str, str | None]]
) -> tuple[dict[str, str | None], str]:
    """PLOVER row for a reference code, and where it came from.

    The row of the code's 1.1b3 equivalent if the table has one, otherwise the PLOVER values of
    the parent code (4-digit -> 3-digit -> root). Roots 01 and 02 have no PLOVER row at all and
    get type null, as in the table (PLOVER does not code statements and appeals).
    """
    std = standard_code(code)
    if std is not None and std in plover:
        return dict(plover[std]), f"row {std}"
    parent = _parent(code)
    if parent is None:
        return {"type": None, "mode": None, "context": None}, "none"
    row, _ = plover_for(parent, plover)
    return row, f"inherited from {parent}"


def build(shared: Path) -> dict[str, Any]:
    """Build the ontology document from the reference tables under ``shared``."""
    ref = shared / "reference"
    codes = read_codes(ref / "cameo-codes.json")
    plover = read_plover(ref / "cameo-to-plover-2021.txt")

    for key, value in REJECTIONS.items():
        if key not in codes or value not in codes:
            raise SystemExit(f"rejection map names an unknown code: {key} -> {value}")
        if not value.startswith("12"):
            raise SystemExit(f"rejection of {key} is not a REJECT code: {value}")
    for key in CROSSWALK_1_1B3:
        if key not in codes:
            raise SystemExit(f"crosswalk names an unknown code: {key}")

    entries: dict[str, Any] = {}
    inherited: dict[str, str] = {}
    for code in sorted(codes):
        name, goldstein = codes[code]
        root = code[:2]
        row, origin = plover_for(code, plover)
        if origin.startswith("inherited"):
            inherited[code] = origin.removeprefix("inherited from ")
        entries[code] = {
            "code": code,
            "name": name,
            "root": root,
            "parent": _parent(code),
            "goldstein": goldstein,
            "quad_class": quad_class_of(root),
            "plover": row,
            "cameo_1_1b3": standard_code(code),
        }

    meta = {
        "provenance": PROVENANCE,
        "built_by": "scripts/build_ontology.py",
        "n_codes": len(entries),
        "fields": {
            "code": "CAMEO code as numbered in the reference codebook (2-digit roots included)",
            "name": "description from the codebook, whitespace collapsed (see name_fixes)",
            "root": "2-digit CAMEO root",
            "parent": "parent code (4-digit -> 3-digit -> root), null for roots",
            "goldstein": "Goldstein conflict-cooperation value, -10..10",
            "quad_class": "GDELT QuadClass: roots 01-05 -> 1, 06-08 -> 2, 09-13 -> 3, 14-20 -> 4",
            "plover": "PLOVER 2021 type, mode, context (null where the table gives none)",
            "cameo_1_1b3": "code of the same meaning in CAMEO 1.1b3 (GDELT 2.0, ICEWS, PLOVER "
            "table numbering); null where 1.1b3 has no equivalent",
        },
        "plover_rule": (
            "the PLOVER table is keyed by CAMEO 1.1b3 codes: a code takes the row of its "
            "cameo_1_1b3 code; with no row it inherits its parent's values (4-digit -> 3-digit -> "
            "root); roots 01 and 02 have no row, so their type is null. Root 08 is listed twice "
            "(CONCEDE, RETREAT); the root takes the first, its sub-codes their own rows."
        ),
        "plover_inherited": inherited,
        "numbering_differences": {code: std for code, std in CROSSWALK_1_1B3.items()},
        "name_fixes": sorted(NAME_FIXES),
        "rejection_rule": REJECTION_RULE,
    }
    rejections = {code: REJECTIONS.get(code) for code in sorted(codes)}
    return {"_meta": meta, "codes": entries, "rejections": rejections}


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--shared", type=Path, default=DEFAULT_SHARED, help="the shared/ folder (has reference/)"
    )
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="output JSON file")
    args = parser.parse_args(argv)
    if not (args.shared / "reference").is_dir():
        print(f"no reference/ folder under {args.shared}", file=sys.stderr)
        return 2
    doc = build(args.shared)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(doc, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {args.out} ({doc['_meta']['n_codes']} codes)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
