"""The CAMEO ontology: codes, Goldstein values, QuadClass, PLOVER mapping and rejection codes."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path
from types import ModuleType

import pytest

from diurna.events import ontology
from diurna.events.ontology import CameoCode, all_codes, cameo, plover, quad_class, rejection_code

REPO = Path(__file__).resolve().parents[2]
ROOTS = [f"{n:02d}" for n in range(1, 21)]


def _build_script() -> ModuleType:
    path = REPO / "scripts" / "build_ontology.py"
    spec = importlib.util.spec_from_file_location("build_ontology", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_all_280_codes_and_every_root() -> None:
    codes = all_codes()
    assert len(codes) == 280
    assert set(ROOTS) <= set(codes)
    assert all(isinstance(c, CameoCode) for c in codes.values())
    for key, entry in codes.items():
        assert entry.code == key
        assert entry.root == key[:2] and entry.root in ROOTS
        assert len(key) in (2, 3, 4) and key.isdigit()
        assert entry.name and entry.name == " ".join(entry.name.split())
        assert -10.0 <= entry.goldstein <= 10.0
        assert entry.parent == (None if len(key) == 2 else key[:-1])


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
    # The reference numbers roots 10, 12 and 16 differently from CAMEO 1.1b3 (the PLOVER table's).
    assert cameo("166").name == "Impose embargo, boycott, or sanctions"
    assert cameo("166").cameo_1_1b3 == "163"
    assert plover("166") == {"type": "COERCE", "mode": "restrict", "context": "diplomatic"}
    assert cameo("163").name == "Halt negotiations" and cameo("163").cameo_1_1b3 == "164"
    assert plover("163")["type"] == "SANCTION"
    assert plover("128") == {"type": "REJECT", "mode": "yield", "context": "diplomatic"}  # veto
    assert cameo("1642").cameo_1_1b3 == "1662"
    assert cameo("054").cameo_1_1b3 == "054"


def test_plover_inherits_from_the_parent_where_the_table_has_no_row() -> None:
    assert plover("0353") == plover("035")  # no PLOVER row for "accede to political demands"
    assert plover("127")["type"] == "REJECT"
    assert plover("101")["type"] == "REQUEST"


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
    assert cameo(" 054 ").code == "054"
    assert ontology.is_code("054") and not ontology.is_code("54")


@pytest.mark.parametrize(
    ("code", "rejection"),
    [
        ("040", "124"),
        ("042", "124"),
        ("043", "124"),
        ("046", "124"),
        ("036", "124"),
        ("045", "125"),
        ("038", "125"),
        ("054", "120"),
        ("051", "120"),
        ("057", "121"),
        ("055", "127"),
        ("015", "127"),
        ("061", "121"),
        ("062", "121"),
        ("070", "122"),
        ("072", "122"),
        ("073", "122"),
        ("075", "122"),
        ("0332", "122"),
        ("0341", "1231"),
        ("0831", "1231"),
        ("0834", "1234"),
        ("0861", "1212"),
        ("0871", "1211"),
        ("0874", "1211"),
        ("037", "1213"),
        ("0841", "120"),
        ("085", "120"),
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
        assert rejection in all_codes() and rejection.startswith("12"), code
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
    assert meta["n_codes"] == 280


@pytest.mark.shared
def test_matches_the_reference_codebook(shared_dir: Path) -> None:
    raw = json.loads((shared_dir / "reference" / "cameo-codes.json").read_text(encoding="utf-8"))
    fixed = set(ontology.meta()["name_fixes"])
    assert set(raw["Description"]) == set(all_codes())
    for code, desc in raw["Description"].items():
        entry = cameo(code)
        assert entry.goldstein == float(raw["GoldsteinScale"][code]), code
        if code not in fixed:
            assert entry.name == " ".join(desc.split()), code


@pytest.mark.shared
def test_packaged_file_is_what_the_build_script_makes(shared_dir: Path) -> None:
    built = _build_script().build(shared_dir)
    packaged = json.loads(
        (REPO / "src" / "diurna" / "events" / "data" / "cameo.json").read_text(encoding="utf-8")
    )
    assert built == packaged, "cameo.json is stale: run scripts/build_ontology.py"
