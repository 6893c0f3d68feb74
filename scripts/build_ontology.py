"""Build ``src/diurna/events/data/cameo.json`` from the shared reference tables.

Inputs (read-only, in ``<repo>/../shared/reference`` unless ``--shared`` says otherwise):

* ``cameo-codes.json`` -- 280 CAMEO codes with a description and a Goldstein value each;
* ``cameo-to-plover-2021.txt`` -- the CAMEO -> PLOVER (type, mode, context) table of 2021.

The output is keyed by **CAMEO 1.1b3** codes, the numbering of GDELT 2.0, ICEWS, the PLOVER table
and every gold set, which is what Diurna emits. It holds, per code: name, root, parent, Goldstein
value, QuadClass, PLOVER type/mode/context and the number the code has in the reference file
(``reference_code``); plus a ``rejections`` map used to code negated cooperative events. Run it
again whenever the reference tables change::

    python scripts/build_ontology.py [--shared PATH] [--out PATH]

Numbering note. ``cameo-codes.json`` numbers some branches differently from CAMEO 1.1b3: 016-019,
0211/0212, 0353-0357 and the roots 10, 12 and 16 (its 166 "impose embargo" is 1.1b3 163, its 128
"veto" is 1.1b3 129, its 127 "deny responsibility" is 1.1b3 016 ...). Each reference code is
therefore filed under the 1.1b3 code of the same meaning (``RENUMBERED``), or, for the eight
reference codes that have no 1.1b3 code of the same meaning, under the closest one (``CLOSEST``).
Names and Goldstein values carry over from the reference file by meaning. The 1.1b3 codes that no
reference code means (``CODEBOOK_1_1B3`` minus the reference's) are added with their standard
codebook name and the Goldstein value of their parent code (``"goldstein_from": "parent"``).
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
    "@5e0c24fb, CC BY-SA 4.0); keyed by CAMEO 1.1b3 codes, the names of the codes the reference "
    "lacks written from the public CAMEO 1.1b3 codebook (Schrodt 2012)"
)

EXPECTED_CODES = 280

# Descriptions in cameo-codes.json that are damaged in the source file. Fixed here, listed in _meta.
# Keyed by reference code (the same number in 1.1b3 for all of these).
NAME_FIXES: dict[str, str] = {
    "0872": "Ease military blockade",  # the source text is cut and ends in a stray "[-2.0"
    "2041": "Use chemical, biological, or radiological weapons",  # missing space
    # 1451-1454 repeat the descriptions of 1441-1444 in the source; 145 is "Protest violently".
    "1451": "Engage in violent protest for change in leadership",
    "1452": "Engage in violent protest for policy change",
    "1453": "Engage in violent protest for rights",
    "1454": "Engage in violent protest for change in institutions, regime",
}

# The CAMEO 1.1b3 event codebook (Schrodt 2012; the numbering of GDELT 2.0's CAMEO.eventcodes,
# ICEWS and the PLOVER table): every code with its standard name. Facts of the public codebook.
# A name here is used only for a code that no reference code means; the others keep the
# reference file's name. 1213 is an extension (see EXTENSIONS).
CODEBOOK_1_1B3: dict[str, str] = {
    "01": "MAKE PUBLIC STATEMENT",
    "010": "Make statement, not specified below",
    "011": "Decline comment",
    "012": "Make pessimistic comment",
    "013": "Make optimistic comment",
    "014": "Consider policy option",
    "015": "Acknowledge or claim responsibility",
    "016": "Deny responsibility",
    "017": "Engage in symbolic act",
    "018": "Make empathetic comment",
    "019": "Express accord",
    "02": "APPEAL",
    "020": "Make an appeal or request, not specified below",
    "021": "Appeal for material cooperation, not specified below",
    "0211": "Appeal for economic cooperation",
    "0212": "Appeal for military cooperation",
    "0213": "Appeal for judicial cooperation",
    "0214": "Appeal for intelligence",
    "022": "Appeal for diplomatic cooperation (such as policy support)",
    "023": "Appeal for aid, not specified below",
    "0231": "Appeal for economic aid",
    "0232": "Appeal for military aid",
    "0233": "Appeal for humanitarian aid",
    "0234": "Appeal for military protection or peacekeeping",
    "024": "Appeal for political reform, not specified below",
    "0241": "Appeal for change in leadership",
    "0242": "Appeal for policy change",
    "0243": "Appeal for rights",
    "0244": "Appeal for change in institutions, regime",
    "025": "Appeal to yield, not specified below",
    "0251": "Appeal for easing of administrative sanctions",
    "0252": "Appeal for easing of popular dissent",
    "0253": "Appeal for release of persons or property",
    "0254": "Appeal for easing of economic sanctions, boycott, or embargo",
    "0255": "Appeal for target to allow international involvement (non-mediation)",
    "0256": "Appeal for de-escalation of military engagement",
    "026": "Appeal to others to meet or negotiate",
    "027": "Appeal to others to settle dispute",
    "028": "Appeal to others to engage in or accept mediation",
    "03": "EXPRESS INTENT TO COOPERATE",
    "030": "Express intent to cooperate, not specified below",
    "031": "Express intent to engage in material cooperation, not specified below",
    "0311": "Express intent to cooperate economically",
    "0312": "Express intent to cooperate militarily",
    "0313": "Express intent to cooperate on judicial matters",
    "0314": "Express intent to cooperate on intelligence",
    "032": "Express intent to provide diplomatic cooperation (such as policy support)",
    "033": "Express intent to provide material aid, not specified below",
    "0331": "Express intent to provide economic aid",
    "0332": "Express intent to provide military aid",
    "0333": "Express intent to provide humanitarian aid",
    "0334": "Express intent to provide military protection or peacekeeping",
    "034": "Express intent to institute political reform, not specified below",
    "0341": "Express intent to change leadership",
    "0342": "Express intent to change policy",
    "0343": "Express intent to provide rights",
    "0344": "Express intent to change institutions, regime",
    "035": "Express intent to yield, not specified below",
    "0351": "Express intent to ease administrative sanctions",
    "0352": "Express intent to ease popular dissent",
    "0353": "Express intent to release persons or property",
    "0354": "Express intent to ease economic sanctions, boycott, or embargo",
    "0355": "Express intent to allow international involvement (non-mediation)",
    "0356": "Express intent to de-escalate military engagement",
    "036": "Express intent to meet or negotiate",
    "037": "Express intent to settle dispute",
    "038": "Express intent to accept mediation",
    "039": "Express intent to mediate",
    "04": "CONSULT",
    "040": "Consult, not specified below",
    "041": "Discuss by telephone",
    "042": "Make a visit",
    "043": "Host a visit",
    "044": "Meet at a 'third' location",
    "045": "Mediate",
    "046": "Engage in negotiation",
    "05": "ENGAGE IN DIPLOMATIC COOPERATION",
    "050": "Engage in diplomatic cooperation, not specified below",
    "051": "Praise or endorse",
    "052": "Defend verbally",
    "053": "Rally support on behalf of",
    "054": "Grant diplomatic recognition",
    "055": "Apologize",
    "056": "Forgive",
    "057": "Sign formal agreement",
    "06": "ENGAGE IN MATERIAL COOPERATION",
    "060": "Engage in material cooperation, not specified below",
    "061": "Cooperate economically",
    "062": "Cooperate militarily",
    "063": "Engage in judicial cooperation",
    "064": "Share intelligence or information",
    "07": "PROVIDE AID",
    "070": "Provide aid, not specified below",
    "071": "Provide economic aid",
    "072": "Provide military aid",
    "073": "Provide humanitarian aid",
    "074": "Provide military protection or peacekeeping",
    "075": "Grant asylum",
    "08": "YIELD",
    "080": "Yield, not specified below",
    "081": "Ease administrative sanctions, not specified below",
    "0811": "Ease restrictions on political freedoms",
    "0812": "Ease ban on political parties or politicians",
    "0813": "Ease curfew",
    "0814": "Ease state of emergency or martial law",
    "082": "Ease political dissent",
    "083": "Accede to requests or demands for political reform, not specified below",
    "0831": "Accede to demands for change in leadership",
    "0832": "Accede to demands for change in policy",
    "0833": "Accede to demands for rights",
    "0834": "Accede to demands for change in institutions, regime",
    "084": "Return, release, not specified below",
    "0841": "Return, release person(s)",
    "0842": "Return, release property",
    "085": "Ease economic sanctions, boycott, embargo",
    "086": "Allow international involvement, not specified below",
    "0861": "Receive deployment of peacekeepers",
    "0862": "Receive inspectors",
    "0863": "Allow delivery of humanitarian aid",
    "087": "De-escalate military engagement",
    "0871": "Declare truce, ceasefire",
    "0872": "Ease military blockade",
    "0873": "Demobilize armed forces",
    "0874": "Retreat or surrender militarily",
    "09": "INVESTIGATE",
    "090": "Investigate, not specified below",
    "091": "Investigate crime, corruption",
    "092": "Investigate human rights abuses",
    "093": "Investigate military action",
    "094": "Investigate war crimes",
    "10": "DEMAND",
    "100": "Demand, not specified below",
    "101": "Demand material cooperation, not specified below",
    "1011": "Demand economic cooperation",
    "1012": "Demand military cooperation",
    "1013": "Demand judicial cooperation",
    "1014": "Demand intelligence cooperation",
    "102": "Demand diplomatic cooperation (such as policy support)",
    "103": "Demand material aid, not specified below",
    "1031": "Demand economic aid",
    "1032": "Demand military aid",
    "1033": "Demand humanitarian aid",
    "1034": "Demand military protection or peacekeeping",
    "104": "Demand political reform, not specified below",
    "1041": "Demand change in leadership",
    "1042": "Demand policy change",
    "1043": "Demand rights",
    "1044": "Demand change in institutions, regime",
    "105": "Demand that target yields, not specified below",
    "1051": "Demand easing of administrative sanctions",
    "1052": "Demand easing of popular dissent",
    "1053": "Demand release of persons or property",
    "1054": "Demand easing of economic sanctions, boycott, or embargo",
    "1055": "Demand that target allows international involvement (non-mediation)",
    "1056": "Demand de-escalation of military engagement",
    "106": "Demand meeting, negotiation",
    "107": "Demand settling of dispute",
    "108": "Demand mediation",
    "11": "DISAPPROVE",
    "110": "Disapprove, not specified below",
    "111": "Criticize or denounce",
    "112": "Accuse, not specified below",
    "1121": "Accuse of crime, corruption",
    "1122": "Accuse of human rights abuses",
    "1123": "Accuse of aggression",
    "1124": "Accuse of war crimes",
    "1125": "Accuse of espionage, treason",
    "113": "Rally opposition against",
    "114": "Complain officially",
    "115": "Bring lawsuit against",
    "116": "Find guilty or liable (legally)",
    "12": "REJECT",
    "120": "Reject, not specified below",
    "121": "Reject material cooperation, not specified below",
    "1211": "Reject economic cooperation",
    "1212": "Reject military cooperation",
    "1213": "Reject judicial cooperation",
    "122": "Reject request or demand for material aid, not specified below",
    "1221": "Reject request for economic aid",
    "1222": "Reject request for military aid",
    "1223": "Reject request for humanitarian aid",
    "1224": "Reject request for military protection or peacekeeping",
    "123": "Reject request or demand for political reform, not specified below",
    "1231": "Reject request for change in leadership",
    "1232": "Reject request for policy change",
    "1233": "Reject request for rights",
    "1234": "Reject request for change in institutions, regime",
    "124": "Refuse to yield, not specified below",
    "1241": "Refuse to ease administrative sanctions",
    "1242": "Refuse to ease popular dissent",
    "1243": "Refuse to release persons or property",
    "1244": "Refuse to ease economic sanctions, boycott, or embargo",
    "1245": "Refuse to allow international involvement (non-mediation)",
    "1246": "Refuse to de-escalate military engagement",
    "125": "Reject proposal to meet, discuss, or negotiate",
    "126": "Reject mediation",
    "127": "Reject plan, agreement to settle dispute",
    "128": "Defy norms, law",
    "129": "Veto",
    "13": "THREATEN",
    "130": "Threaten, not specified below",
    "131": "Threaten non-force, not specified below",
    "1311": "Threaten to reduce or stop aid",
    "1312": "Threaten to boycott, embargo, or sanction",
    "1313": "Threaten to reduce or break relations",
    "132": "Threaten with administrative sanctions, not specified below",
    "1321": "Threaten to impose restrictions on political freedoms",
    "1322": "Threaten to ban political parties or politicians",
    "1323": "Threaten to impose curfew",
    "1324": "Threaten to impose state of emergency or martial law",
    "133": "Threaten political dissent, protest",
    "134": "Threaten to halt negotiations",
    "135": "Threaten to halt mediation",
    "136": "Threaten to halt international involvement (non-mediation)",
    "137": "Threaten with violent repression",
    "138": "Threaten to use military force, not specified below",
    "1381": "Threaten blockade",
    "1382": "Threaten occupation",
    "1383": "Threaten unconventional violence",
    "1384": "Threaten conventional attack",
    "1385": "Threaten attack with WMD",
    "139": "Give ultimatum",
    "14": "PROTEST",
    "140": "Engage in political dissent, not specified below",
    "141": "Demonstrate or rally, not specified below",
    "1411": "Demonstrate for leadership change",
    "1412": "Demonstrate for policy change",
    "1413": "Demonstrate for rights",
    "1414": "Demonstrate for change in institutions, regime",
    "142": "Conduct hunger strike, not specified below",
    "1421": "Conduct hunger strike for leadership change",
    "1422": "Conduct hunger strike for policy change",
    "1423": "Conduct hunger strike for rights",
    "1424": "Conduct hunger strike for change in institutions, regime",
    "143": "Conduct strike or boycott, not specified below",
    "1431": "Conduct strike or boycott for leadership change",
    "1432": "Conduct strike or boycott for policy change",
    "1433": "Conduct strike or boycott for rights",
    "1434": "Conduct strike or boycott for change in institutions, regime",
    "144": "Obstruct passage, block, not specified below",
    "1441": "Obstruct passage to demand leadership change",
    "1442": "Obstruct passage to demand policy change",
    "1443": "Obstruct passage to demand rights",
    "1444": "Obstruct passage to demand change in institutions, regime",
    "145": "Protest violently, riot, not specified below",
    "1451": "Engage in violent protest for leadership change",
    "1452": "Engage in violent protest for policy change",
    "1453": "Engage in violent protest for rights",
    "1454": "Engage in violent protest for change in institutions, regime",
    "15": "EXHIBIT FORCE POSTURE",
    "150": "Demonstrate military or police power, not specified below",
    "151": "Increase police alert status",
    "152": "Increase military alert status",
    "153": "Mobilize or increase police power",
    "154": "Mobilize or increase armed forces",
    "16": "REDUCE RELATIONS",
    "160": "Reduce relations, not specified below",
    "161": "Reduce or break diplomatic relations",
    "162": "Reduce or stop material aid, not specified below",
    "1621": "Reduce or stop economic assistance",
    "1622": "Reduce or stop military assistance",
    "1623": "Reduce or stop humanitarian assistance",
    "163": "Impose embargo, boycott, or sanctions",
    "164": "Halt negotiations",
    "165": "Halt mediation",
    "166": "Expel or withdraw, not specified below",
    "1661": "Expel or withdraw peacekeepers",
    "1662": "Expel or withdraw inspectors, observers",
    "1663": "Expel or withdraw aid agencies",
    "17": "COERCE",
    "170": "Coerce, not specified below",
    "171": "Seize or damage property, not specified below",
    "1711": "Confiscate property",
    "1712": "Destroy property",
    "172": "Impose administrative sanctions, not specified below",
    "1721": "Impose restrictions on political freedoms",
    "1722": "Ban political parties or politicians",
    "1723": "Impose curfew",
    "1724": "Impose state of emergency or martial law",
    "173": "Arrest, detain, or charge with legal action",
    "174": "Expel or deport individuals",
    "175": "Use tactics of violent repression",
    "18": "ASSAULT",
    "180": "Use unconventional violence, not specified below",
    "181": "Abduct, hijack, or take hostage",
    "182": "Physically assault, not specified below",
    "1821": "Sexually assault",
    "1822": "Torture",
    "1823": "Kill by physical assault",
    "183": "Conduct suicide, car, or other non-military bombing, not specified below",
    "1831": "Carry out suicide bombing",
    "1832": "Carry out vehicular bombing",
    "1833": "Carry out roadside bombing",
    "184": "Use as human shield",
    "185": "Attempt to assassinate",
    "186": "Assassinate",
    "19": "FIGHT",
    "190": "Use conventional military force, not specified below",
    "191": "Impose blockade, restrict movement",
    "192": "Occupy territory",
    "193": "Fight with small arms and light weapons",
    "194": "Fight with artillery and tanks",
    "195": "Employ aerial weapons",
    "196": "Violate ceasefire",
    "20": "USE UNCONVENTIONAL MASS VIOLENCE",
    "200": "Use unconventional mass violence, not specified below",
    "201": "Engage in mass expulsion",
    "202": "Engage in mass killings",
    "203": "Engage in ethnic cleansing",
    "204": "Use weapons of mass destruction, not specified below",
    "2041": "Use chemical, biological, or radiological weapons",
    "2042": "Detonate nuclear weapons",
}

# Codes above that are not in the CAMEO 1.1b3 manual itself, and why they are here.
EXTENSIONS: dict[str, str] = {
    "1213": "not in the CAMEO 1.1b3 manual (nor in GDELT's event codes); in the ICEWS CAMEO "
    "codebook and the PLOVER 2021 table, and used by the PLOVER gold records (a rejected "
    "extradition). Kept so that the gold codes exist; Diurna's rejection map does not emit it",
}
N_CODEBOOK_1_1B3 = 311  # the manual's codes, roots included; plus the EXTENSIONS

# Reference code -> CAMEO 1.1b3 code of the SAME meaning, for every reference code whose number
# differs. Reference codes listed neither here nor in CLOSEST have the same number and meaning in
# both (checked by hand against the codebook; the wording differs only in detail, e.g. reference
# 102 "Demand policy support" = 1.1b3 102 "Demand diplomatic cooperation (such as policy support)").
RENUMBERED: dict[str, str] = {
    # 01: 1.1b3 has 016 deny responsibility, 018 empathetic comment, 019 express accord
    "016": "018",  # Make empathetic comment
    "018": "019",  # Express accord
    "019": "019",  # Express common understanding, agreement, or accord (= 1.1b3 019's definition)
    # 02: the reference puts diplomatic and material cooperation under 021; 1.1b3 has
    # 021 material cooperation (0211 economic, 0212 military) and 022 diplomatic cooperation
    "0211": "022",  # Appeal for diplomatic cooperation
    "0212": "021",  # Appeal for material cooperation
    # 035x: the reference inserts 0353 "accede to political demands" and shifts the rest by one
    "0354": "0353",  # Express intent to release persons or property
    "0355": "0354",  # Express intent to ease economic sanctions, boycott, or embargo
    "0356": "0355",  # Express intent to allow international involvement (not mediation)
    "0357": "0356",  # Express intent to de-escalate military engagement
    # 10
    "105": "108",  # Demand mediation
    "108": "106",  # Demand meeting, negotiation
    # 12
    "1213": "127",  # Reject settlement = reject plan, agreement to settle dispute
    "124": "125",  # Reject proposal to meet, discuss, or negotiate
    "125": "126",  # Reject mediation
    "126": "128",  # Defy norms, law
    "127": "016",  # Reject accusation, deny responsibility = 1.1b3 016 deny responsibility
    "128": "129",  # Veto
    # 16
    "163": "164",  # Halt negotiations
    "164": "166",  # Expel or withdraw, not specified below
    "1641": "1661",  # Expel or withdraw peacekeepers
    "1642": "1662",  # Expel or withdraw inspectors, observers
    "1643": "1663",  # Expel or withdraw aid agencies
    "166": "163",  # Impose embargo, boycott, or sanctions
}

# Reference codes with NO 1.1b3 code of the same meaning -> the closest 1.1b3 code, under which
# they are filed (listed in that entry's reference_codes; the entry keeps its own name and value).
CLOSEST: dict[str, str] = {
    # "Appeal for cooperation, not specified below", parent of the judicial (0213) and
    # intelligence (0214) appeals as 1.1b3 021 is; 1.1b3 has no appeal for cooperation in general
    "021": "021",
    # "Express intent to accede to political demands": an expression of intent to yield
    "0353": "035",
    # "Demand information, investigation": the CAMEO manual codes demands for information as 1014
    # (its example, PLOVER gold: "demanding that the Turkish government provide information")
    "101": "1014",
    # "Demand withdrawal", "Demand ceasefire": 1056 is for "demands for ceasefires, military
    # withdrawals, and demobilization"
    "106": "1056",
    "107": "1056",
    # "Reject proposal, not specified below": 1.1b3 codes a rejected proposal with no more
    # specific code as 120 (the manual's example: rejecting proposed changes to the Wye deal)
    "121": "120",
    # "Reject ceasefire, withdrawal": 1246 is for "rejections of ceasefires, military
    # withdrawals, and demobilization"
    "1211": "1246",
    # "Reject peacekeeping": refusing peacekeepers access, 1245 (non-mediation involvement)
    "1212": "1245",
}

# 1.1b3 codes that several reference codes mean: the reference code whose name and value the
# entry takes (the others are listed in its reference_codes).
PRIMARY: dict[str, str] = {
    "019": "018",  # "Express accord" (018) and "Express common understanding, ..." (019)
    "022": "0211",  # "Appeal for diplomatic cooperation" (0211) and "... policy support" (022)
}

# Rejection (refusal) code for each cooperative code, used when a cooperative event is negated or
# refused ("X refused to meet Y" -> reject proposal to meet). Keys and values are CAMEO 1.1b3
# codes; codes not listed map to null. Roots are listed too, for patterns coded at root level.
REJECTIONS: dict[str, str] = {
    # 01 statements: negating an acknowledgement of responsibility denies it (1.1b3 016)
    "015": "016",
    "019": "120",
    # 03 intent: the rejection that matches what was (not) intended
    "03": "120",
    "030": "120",
    "031": "121",
    "0311": "1211",
    "0312": "1212",
    "0313": "121",
    "0314": "121",
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
    "035": "124",
    "0351": "1241",
    "0352": "1242",
    "0353": "1243",
    "0354": "1244",
    "0355": "1245",
    "0356": "1246",
    "036": "125",
    "037": "127",
    "038": "126",
    "039": "126",
    # 04 consult: refusing to meet, visit, host, talk or negotiate
    "04": "125",
    "040": "125",
    "041": "125",
    "042": "125",
    "043": "125",
    "044": "125",
    "045": "126",
    "046": "125",
    # 05 diplomatic cooperation
    "05": "120",
    "050": "120",
    "051": "120",
    "054": "120",
    "055": "016",
    "056": "120",
    "057": "120",
    # 06 material cooperation: a refused offer of cooperation
    "06": "121",
    "060": "121",
    "061": "1211",
    "062": "1212",
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
    "08": "124",
    "080": "124",
    "081": "1241",
    "0811": "1241",
    "0812": "1241",
    "0813": "1241",
    "0814": "1241",
    "082": "1242",
    "083": "123",
    "0831": "1231",
    "0832": "1232",
    "0833": "1233",
    "0834": "1234",
    "084": "1243",
    "0841": "1243",
    "0842": "1243",
    "085": "1244",
    "086": "1245",
    "0861": "1245",
    "0862": "1245",
    "0863": "1245",
    "087": "1246",
    "0871": "1246",
    "0872": "1246",
    "0873": "1246",
    "0874": "1246",
}

# Rejections outside root 12: 1.1b3 files "deny responsibility" under 01 (statements).
NON_REJECT_ROOT_REJECTIONS = frozenset({"016"})

REJECTION_RULE = (
    "rejections[code] is the REJECT code (CAMEO 1.1b3 numbering) that a refusal or negation of "
    "the cooperative event `code` expresses: meeting/visit/talks/negotiation (036, 04x) -> 125 "
    "reject proposal to meet, discuss or negotiate; mediation (038, 039, 045) -> 126 reject "
    "mediation; aid and asylum (033x, 07x) -> 122 reject request for material aid; material "
    "cooperation (031, 06x) -> 121 reject material cooperation, economic (0311, 061) -> 1211, "
    "military (0312, 062) -> 1212; political reform and change of leadership (034x, 083x) -> "
    "123/123x; yielding (035x, 08x) -> 124 refuse to yield and its sub-codes: administrative "
    "sanctions 1241, dissent 1242, release 1243, economic sanctions 1244, international "
    "involvement incl. peacekeepers 1245, de-escalation, ceasefire, withdrawal, demobilisation "
    "1246; settlement (037) -> 127 reject plan, agreement to settle dispute; claiming "
    "responsibility (015) and apologising (055) -> 016 deny responsibility (1.1b3 files it under "
    "01, not 12); signing an agreement (057), and any other cooperative intent, support, "
    "recognition or forgiveness -> 120 reject. Appeals (02), demands (10), investigations (09), "
    "other statements and all conflict codes (11-20) have no rejection (null): their negation is "
    "no event."
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
    """Read cameo-codes.json into {reference code: (name, goldstein)}."""
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


def standard_code(reference_code: str) -> str:
    """The CAMEO 1.1b3 code under which the reference code is filed (same or closest meaning)."""
    if reference_code in RENUMBERED:
        return RENUMBERED[reference_code]
    if reference_code in CLOSEST:
        return CLOSEST[reference_code]
    return reference_code


def crosswalk(reference: dict[str, tuple[str, float]]) -> dict[str, str]:
    """{reference code: 1.1b3 code} for every reference code, checked against the codebook."""
    for key in [*RENUMBERED, *CLOSEST]:
        if key not in reference:
            raise SystemExit(f"crosswalk names an unknown reference code: {key}")
    if set(RENUMBERED) & set(CLOSEST):
        raise SystemExit("a reference code is both RENUMBERED and CLOSEST")
    out = {code: standard_code(code) for code in sorted(reference)}
    unknown = sorted(code for code in out.values() if code not in CODEBOOK_1_1B3)
    if unknown:
        raise SystemExit(f"reference codes filed under codes that 1.1b3 lacks: {unknown}")
    return out


def plover_for(
    code: str, plover: dict[str, dict[str, str | None]]
) -> tuple[dict[str, str | None], str]:
    """PLOVER row for a 1.1b3 code, and where it came from.

    The code's own row if the table has one, otherwise the PLOVER values of the parent code
    (4-digit -> 3-digit -> root). Roots 01 and 02 have no PLOVER row at all and get type null, as
    in the table (PLOVER does not code statements and appeals).
    """
    if code in plover:
        return dict(plover[code]), f"row {code}"
    parent = _parent(code)
    if parent is None:
        return {"type": None, "mode": None, "context": None}, "none"
    row, _ = plover_for(parent, plover)
    return row, f"inherited from {parent}"


def _check_codebook() -> None:
    n = len(CODEBOOK_1_1B3) - len(EXTENSIONS)
    if n != N_CODEBOOK_1_1B3:
        raise SystemExit(f"the 1.1b3 codebook table has {n} codes, expected {N_CODEBOOK_1_1B3}")
    for code in CODEBOOK_1_1B3:
        parent = _parent(code)
        if parent is not None and parent not in CODEBOOK_1_1B3:
            raise SystemExit(f"1.1b3 code {code} has no parent {parent} in the codebook table")


def _check_rejections(codes: dict[str, Any]) -> None:
    for key, value in REJECTIONS.items():
        if key not in codes or value not in codes:
            raise SystemExit(f"rejection map names an unknown code: {key} -> {value}")
        if not value.startswith("12") and value not in NON_REJECT_ROOT_REJECTIONS:
            raise SystemExit(f"rejection of {key} is not a REJECT code: {value}")
        if value in EXTENSIONS:
            raise SystemExit(f"rejection of {key} is an extension code: {value}")


def build(shared: Path) -> dict[str, Any]:
    """Build the ontology document from the reference tables under ``shared``."""
    ref = shared / "reference"
    reference = read_codes(ref / "cameo-codes.json")
    plover = read_plover(ref / "cameo-to-plover-2021.txt")
    _check_codebook()
    cross = crosswalk(reference)

    filed: dict[str, list[str]] = {}  # 1.1b3 code -> every reference code filed under it
    same: dict[str, list[str]] = {}  # 1.1b3 code -> the reference codes of the same meaning
    for rcode, code in cross.items():
        filed.setdefault(code, []).append(rcode)
        if rcode not in CLOSEST:
            same.setdefault(code, []).append(rcode)

    entries: dict[str, Any] = {}
    inherited: dict[str, str] = {}
    for code in sorted(CODEBOOK_1_1B3):
        root = code[:2]
        parent = _parent(code)
        equivalents = same.get(code, [])
        if len(equivalents) > 1 and code not in PRIMARY:
            raise SystemExit(f"{code}: several reference codes {equivalents}, no PRIMARY")
        primary = PRIMARY.get(code) or (equivalents[0] if equivalents else None)
        if primary is not None:
            name, goldstein = reference[primary]
            values = {reference[r][1] for r in equivalents}
            if len(values) > 1:
                raise SystemExit(f"{code}: reference codes {equivalents} disagree on Goldstein")
            name_from, goldstein_from = "reference", "reference"
        else:
            if parent is None:
                raise SystemExit(f"root {code} has no reference code")
            name, goldstein = CODEBOOK_1_1B3[code], entries[parent]["goldstein"]
            name_from, goldstein_from = "cameo_1_1b3", "parent"
        row, origin = plover_for(code, plover)
        if origin.startswith("inherited"):
            inherited[code] = origin.removeprefix("inherited from ")
        entry: dict[str, Any] = {
            "code": code,
            "name": name,
            "root": root,
            "parent": parent,
            "goldstein": goldstein,
            "goldstein_from": goldstein_from,
            "name_from": name_from,
            "quad_class": quad_class_of(root),
            "plover": row,
            "reference_code": primary,
            "reference_codes": sorted(filed.get(code, [])),
        }
        if code in EXTENSIONS:
            entry["extension"] = True
        entries[code] = entry
    _check_rejections(entries)

    added = [code for code, e in entries.items() if e["reference_code"] is None]
    meta = {
        "provenance": PROVENANCE,
        "built_by": "scripts/build_ontology.py",
        "code_space": "CAMEO 1.1b3 (GDELT 2.0, ICEWS, PLOVER table and gold-set numbering)",
        "n_codes": len(entries),
        "n_reference_codes": len(reference),
        "n_added": len(added),
        "fields": {
            "code": "CAMEO 1.1b3 code (2-digit roots included)",
            "name": "the reference codebook's description of the code of the same meaning, "
            "whitespace collapsed (see name_fixes); for an added code the standard CAMEO 1.1b3 "
            "name (see name_from)",
            "root": "2-digit CAMEO root",
            "parent": "parent code (4-digit -> 3-digit -> root), null for roots",
            "goldstein": "Goldstein conflict-cooperation value, -10..10",
            "goldstein_from": "reference: the value of the reference code of the same meaning; "
            "parent: an added code, which takes its parent's value",
            "name_from": "reference (cameo-codes.json) or cameo_1_1b3 (the public codebook)",
            "quad_class": "GDELT QuadClass: roots 01-05 -> 1, 06-08 -> 2, 09-13 -> 3, 14-20 -> 4",
            "plover": "PLOVER 2021 type, mode, context (null where the table gives none)",
            "reference_code": "the number of the code of the same meaning in cameo-codes.json; "
            "null for a code the reference lacks (an added code)",
            "reference_codes": "every reference code filed under this code: its reference_code "
            "(two where the reference has two codes of this meaning) and the reference codes "
            "without a 1.1b3 equivalent for which this is the closest code (see closest)",
            "extension": "true for a code outside the CAMEO 1.1b3 manual (see extensions)",
        },
        "numbering": (
            "codes are CAMEO 1.1b3, which Diurna emits. cameo-codes.json numbers some branches "
            "differently (016-019, 0211/0212, 0353-0357, roots 10, 12 and 16): each of its codes "
            "is filed under the 1.1b3 code of the same meaning (renumbered lists those whose "
            "number changes; the others keep theirs), or, with no 1.1b3 code of the same meaning, "
            "under the closest one (closest). The 1.1b3 codes that no reference code means are "
            "added (added) with their codebook name and their parent's Goldstein value. "
            "reference_crosswalk converts any reference-numbered code to this numbering."
        ),
        "renumbered": dict(sorted(RENUMBERED.items())),
        "closest": dict(sorted(CLOSEST.items())),
        "added": added,
        "extensions": EXTENSIONS,
        "reference_crosswalk": cross,
        "plover_rule": (
            "the PLOVER table is keyed by CAMEO 1.1b3 codes: a code takes its own row; with no "
            "row it inherits its parent's values (4-digit -> 3-digit -> root); roots 01 and 02 "
            "have no row, so their type is null. Root 08 is listed twice (CONCEDE, RETREAT); the "
            "root takes the first, its sub-codes their own rows."
        ),
        "plover_inherited": inherited,
        "name_fixes": sorted(NAME_FIXES),
        "rejection_rule": REJECTION_RULE,
    }
    rejections = {code: REJECTIONS.get(code) for code in entries}
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
    meta = doc["_meta"]
    print(
        f"wrote {args.out} ({meta['n_codes']} CAMEO 1.1b3 codes: {meta['n_reference_codes']} "
        f"reference codes filed by meaning, {meta['n_added']} added)"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
