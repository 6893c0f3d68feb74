"""The CAMEO ontology: codes, Goldstein values, QuadClass, PLOVER mapping and rejection codes.

The ontology is keyed by CAMEO 1.1b3 codes; the 280 codes of the shared reference codebook are
filed under the 1.1b3 code of the same (or, for eight of them, the closest) meaning.
"""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path
from types import ModuleType

import pytest

from diurna.events import ontology
from diurna.events.ontology import (
    CameoCode,
    all_codes,
    cameo,
    from_reference,
    plover,
    quad_class,
    rejection_code,
)

REPO = Path(__file__).resolve().parents[2]
ROOTS = [f"{n:02d}" for n in range(1, 21)]
N_REFERENCE = 280  # codes of shared/reference/cameo-codes.json
N_CAMEO_1_1B3 = 311  # codes of the CAMEO 1.1b3 codebook, roots included
EXTENSIONS = {"1213"}  # reject judicial cooperation: ICEWS / PLOVER table, used by the PLOVER gold


def _build_script() -> ModuleType:
    path = REPO / "scripts" / "build_ontology.py"
    spec = importlib.util.spec_from_file_location("build_ontology", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_all_cameo_1_1b3_codes_and_every_root() -> None:
    codes = all_codes()
    assert len(codes) == N_CAMEO_1_1B3 + len(EXTENSIONS) == 312
    assert set(ROOTS) <= set(codes)
    assert all(isinstance(c, CameoCode) for c in codes.values())
    for key, entry in codes.items():
        assert entry.code == key
        assert entry.root == key[:2] and entry.root in ROOTS
        assert len(key) in (2, 3, 4) and key.isdigit()
        assert entry.name and entry.name == " ".join(entry.name.split())
        assert -10.0 <= entry.goldstein <= 10.0
        assert entry.parent == (None if len(key) == 2 else key[:-1])
        assert entry.cameo_1_1b3 == key  # kept for compatibility: the codes are 1.1b3 codes


def test_all_280_reference_codes_are_represented_by_meaning() -> None:
    codes = all_codes()
    crosswalk = ontology.meta()["reference_crosswalk"]
    assert len(crosswalk) == N_REFERENCE
    filed = [r for entry in codes.values() for r in entry.reference_codes]
    assert sorted(filed) == sorted(crosswalk)  # each reference code filed exactly once
    for reference, code in crosswalk.items():
        assert reference in codes[code].reference_codes
        assert from_reference(reference) == code
    with_reference = [c for c in codes.values() if c.reference_code is not None]
    assert len(with_reference) == N_REFERENCE - 10  # 2 codes with two reference codes, 8 closest
    for entry in with_reference:
        assert entry.reference_code in entry.reference_codes
    closest = {"021", "0353", "101", "106", "107", "121", "1211", "1212"}
    assert set(ontology.meta()["closest"]) == closest
    added = [c.code for c in codes.values() if c.reference_code is None]
    assert added == ontology.meta()["added"] and len(added) == 312 - len(with_reference) == 42


@pytest.mark.parametrize(
    ("code", "name", "goldstein", "quad", "ptype", "mode", "context"),
    [
        ("054", "Grant diplomatic recognition", 6.0, 1, "SUPPORT", None, "diplomatic"),
        (
            "1724",
            "Impose state of emergency or martial law",
            -5.0,
            4,
            "COERCE",
            "martial-law",
            "pro_autocracy",
        ),
        ("112", "Accuse, not specified below", -2.0, 3, "ACCUSE", "disapprove", None),
        (
            "190",
            "Use conventional military force, not specified below",
            -10.0,
            4,
            "ASSAULT",
            None,
            "military",
        ),
        ("0841", "Return, release person(s)", 7.0, 2, "RETREAT", "release", "legal"),
        ("0874", "Retreat or surrender militarily", 10.0, 2, "RETREAT", "disarm", "military"),
        ("020", "Appeal, not specified below", 3.0, 1, None, None, None),
        ("010", "Make statement, not specified below", 0.0, 1, None, None, None),
        (
            "163",
            "Impose embargo, boycott, or sanctions",
            -8.0,
            4,
            "COERCE",
            "restrict",
            "diplomatic",
        ),
        ("129", "Veto", -5.0, 3, "REJECT", "yield", "diplomatic"),
    ],
)
def test_known_codes(
    code: str,
    name: str,
    goldstein: float,
    quad: int,
    ptype: str | None,
    mode: str | None,
    context: str | None,
) -> None:
    entry = cameo(code)
    assert (entry.name, entry.goldstein, entry.quad_class) == (name, goldstein, quad)
    assert quad_class(code) == quad
    assert ontology.goldstein(code) == goldstein
    assert plover(code) == {"type": ptype, "mode": mode, "context": context}


def test_plover_rows_follow_the_meaning_not_the_number() -> None:
    # The reference numbers roots 10, 12 and 16 differently from CAMEO 1.1b3 (the PLOVER table's);
    # the codes are 1.1b3 codes, named and valued after the reference code of the same meaning.
    assert cameo("163").name == "Impose embargo, boycott, or sanctions"
    assert cameo("163").reference_code == "166" and from_reference("166") == "163"
    assert plover("163") == {"type": "COERCE", "mode": "restrict", "context": "diplomatic"}
    assert cameo("164").name == "Halt negotiations" and cameo("164").reference_code == "163"
    assert plover("164")["type"] == "SANCTION"
    assert plover("129") == {"type": "REJECT", "mode": "yield", "context": "diplomatic"}  # veto
    assert cameo("129").reference_code == "128"
    assert cameo("1662").reference_code == "1642"
    assert cameo("054").reference_code == "054"


def test_plover_inherits_from_the_parent_where_the_table_has_no_row() -> None:
    # only statements (01) and appeals (02) lack rows, and PLOVER codes neither
    assert set(ontology.meta()["plover_inherited"]) == {
        c for c in all_codes() if c[:2] in ("01", "02") and len(c) > 2
    }
    assert plover("0251") == plover("025") == plover("02")
    assert plover("035") == {"type": "AGREE", "mode": None, "context": None}  # reference 0353 too
    assert plover("016")["type"] is None  # deny responsibility (reference 127) is a statement
    assert plover("1014")["type"] == "REQUEST"  # reference 101, demand information


def test_added_codes_take_their_parents_goldstein_value() -> None:
    codes = all_codes()
    added = ontology.meta()["added"]
    assert {"1012", "1033", "1056", "1221", "1241", "1246", "116", "0251", "0313"} <= set(added)
    for code in added:
        entry = codes[code]
        assert entry.parent is not None
        assert entry.goldstein == codes[entry.parent].goldstein, code
        assert entry.reference_code is None
    doc = json.loads(
        (REPO / "src" / "diurna" / "events" / "data" / "cameo.json").read_text(encoding="utf-8")
    )
    assert all(
        (doc["codes"][c]["goldstein_from"] == "parent") == (c in added) for c in doc["codes"]
    )
    assert cameo("1056").name == "Demand de-escalation of military engagement"
    assert cameo("1056").reference_codes == ("106", "107")  # demand withdrawal, ceasefire
    assert cameo("1661").name == "Expel or withdraw peacekeepers"  # reference 1641


def test_quad_class_follows_the_root() -> None:
    expected = {
        **dict.fromkeys(ROOTS[:5], 1),
        **dict.fromkeys(ROOTS[5:8], 2),
        **dict.fromkeys(ROOTS[8:13], 3),
        **dict.fromkeys(ROOTS[13:], 4),
    }
    for entry in all_codes().values():
        assert entry.quad_class == expected[entry.root], entry.code


def test_damaged_reference_names_are_repaired() -> None:
    assert cameo("0872").name == "Ease military blockade"
    assert cameo("1451").name == "Engage in violent protest for change in leadership"
    assert cameo("2041").name == "Use chemical, biological, or radiological weapons"


def test_unknown_code_raises_a_clear_key_error() -> None:
    with pytest.raises(KeyError, match="unknown CAMEO code '999'"):
        cameo("999")
    with pytest.raises(KeyError, match="leading zeros"):
        cameo("54")
    with pytest.raises(KeyError):
        rejection_code("2043")
    with pytest.raises(TypeError):
        cameo(54)  # type: ignore[arg-type]
    with pytest.raises(KeyError, match="reference codebook"):
        from_reference("1056")  # a 1.1b3 code the reference lacks
    assert cameo(" 054 ").code == "054"
    assert ontology.is_code("054") and not ontology.is_code("54")


@pytest.mark.parametrize(
    ("code", "rejection"),
    [
        ("040", "125"),
        ("042", "125"),
        ("043", "125"),
        ("046", "125"),
        ("036", "125"),
        ("045", "126"),
        ("038", "126"),
        ("054", "120"),
        ("051", "120"),
        ("057", "120"),
        ("055", "016"),
        ("015", "016"),
        ("031", "121"),
        ("061", "1211"),
        ("062", "1212"),
        ("070", "122"),
        ("072", "122"),
        ("073", "122"),
        ("075", "122"),
        ("0332", "122"),
        ("0341", "1231"),
        ("0831", "1231"),
        ("0834", "1234"),
        ("0861", "1245"),
        ("0871", "1246"),
        ("0874", "1246"),
        ("0356", "1246"),
        ("037", "127"),
        ("0841", "1243"),
        ("0353", "1243"),
        ("085", "1244"),
        ("0354", "1244"),
        ("081", "1241"),
        ("08", "124"),
        ("020", None),
        ("0234", None),
        ("100", None),
        ("090", None),
        ("111", None),
        ("190", None),
        ("1724", None),
        ("120", None),
    ],
)
def test_rejection_codes(code: str, rejection: str | None) -> None:
    assert rejection_code(code) == rejection


def test_rejections_are_reject_codes_of_cooperative_codes() -> None:
    doc = json.loads(
        (REPO / "src" / "diurna" / "events" / "data" / "cameo.json").read_text(encoding="utf-8")
    )
    assert set(doc["rejections"]) == set(all_codes())
    for code, rejection in doc["rejections"].items():
        if rejection is None:
            continue
        # REJECT codes; and 016 deny responsibility, which 1.1b3 files under statements (01)
        assert rejection in all_codes() and rejection.startswith(("12", "016")), code
        assert rejection not in EXTENSIONS, code
        assert code[:2] in ("01", "03", "04", "05", "06", "07", "08"), code
    for root in ("03", "04", "05", "06", "07", "08"):
        assert rejection_code(root) is not None
    assert "rejection_rule" in ontology.meta()


def test_loaded_once() -> None:
    assert all_codes() is all_codes()


def test_provenance() -> None:
    meta = ontology.meta()
    assert meta["provenance"].startswith("built from shared/reference cameo-codes.json")
    assert "CC BY-SA 4.0" in meta["provenance"]
    assert meta["n_codes"] == 312
    assert meta["n_reference_codes"] == N_REFERENCE


@pytest.mark.shared
def test_matches_the_reference_codebook(shared_dir: Path) -> None:
    raw = json.loads((shared_dir / "reference" / "cameo-codes.json").read_text(encoding="utf-8"))
    fixed = set(ontology.meta()["name_fixes"])
    assert set(raw["Description"]) == set(ontology.meta()["reference_crosswalk"])
    for code, desc in raw["Description"].items():
        entry = cameo(from_reference(code))
        assert entry.goldstein == float(raw["GoldsteinScale"][code]), code
        if entry.reference_code == code and code not in fixed:
            assert entry.name == " ".join(desc.split()), code


@pytest.mark.shared
def test_every_gold_code_exists(shared_dir: Path) -> None:
    # The shared gold sets are coded in CAMEO 1.1b3.
    for name in ("plover_dev.jsonl", "upetr_dev.jsonl"):
        lines = (shared_dir / "eval" / name).read_text(encoding="utf-8").splitlines()
        for line in filter(None, lines):
            record = json.loads(line)
            manual = (record.get("manual_cameo") or {}).get("code")
            for code in [manual, *(e.get("cameo") for e in record["events"])]:
                assert code is None or ontology.is_code(code), (name, record["id"], code)


@pytest.mark.shared
def test_packaged_file_is_what_the_build_script_makes(shared_dir: Path) -> None:
    built = _build_script().build(shared_dir)
    packaged = json.loads(
        (REPO / "src" / "diurna" / "events" / "data" / "cameo.json").read_text(encoding="utf-8")
    )
    assert built == packaged, "cameo.json is stale: run scripts/build_ontology.py"
