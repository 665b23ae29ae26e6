#!/usr/bin/env python3
"""Derive config/gazetteer/states.toml from the mledoze countries data (ODbL, facts only).

Usage: python3 scripts/gen_states.py ../shared/gazetteer-sources/mledoze-countries/countries.json \
           > config/gazetteer/states.toml

Takes every UN member and observer plus Taiwan, Kosovo and a few territories that act in the
news, keeps English names, official names, ASCII alternative spellings (never the two-letter
codes), demonyms and capitals, then applies the hand-made corrections in OVERRIDES below
(seats of power, short forms, ambiguous names and the context that confirms them).
"""
import json
import sys
import unicodedata

EXTRA = {"PSE", "VAT", "TWN", "UNK", "HKG", "MAC", "PRI", "GRL", "ESH"}
RENAME = {"UNK": "XKX"}
KIND = {"HKG": "territory", "MAC": "territory", "PRI": "territory", "GRL": "territory",
        "ESH": "territory"}

# Hand-made facts on top of the source: names the news uses that the source lacks, seats
# of power used as metonyms, names that also mean something else.
OVERRIDES = {
    "USA": dict(name="United States", aliases=["United States", "America"],
                exact_case=["US", "U.S.", "USA", "U.S.A."],
                metonyms=["Washington", "White House", "Pentagon", "State Department",
                          "Capitol Hill", "Foggy Bottom"], drop_metonyms=["Washington D.C."],
                agencies=["CIA", "FBI", "NSA"]),
    "GBR": dict(name="United Kingdom", aliases=["Britain", "Great Britain"],
                exact_case=["UK", "U.K."], metonyms=["Downing Street", "Whitehall"],
                demonyms=["Briton"],
                agencies=["MI6", "MI5", "GCHQ"]),
    "RUS": dict(aliases=["Russian Federation"], metonyms=["Kremlin"],
                agencies=["FSB", "GRU", "SVR"]),
    "CHN": dict(aliases=["PRC", "Mainland China"], exact_case=["PRC"],
                metonyms=["Zhongnanhai"], drop_aliases=["PRC"]),
    "PRK": dict(aliases=["N. Korea", "N.Korea"], exact_case=["DPRK"], drop_aliases=["DPRK"]),
    "KOR": dict(name="South Korea", aliases=["Korea", "Republic of Korea", "S. Korea", "S.Korea"],
                exact_case=["ROK"],
                demonyms=["South Korean"], metonyms=["Blue House", "Yongsan"]),
    "TWN": dict(exact_case=["ROC"]),
    "FRA": dict(metonyms=["Elysee", "Élysée", "Elysee Palace", "Quai d'Orsay"]),
    "DEU": dict(aliases=["Federal Republic of Germany"]),
    "TUR": dict(name="Turkey", aliases=["Turkey", "Türkiye", "Turkiye"], demonyms=["Turk"]),
    "ARE": dict(exact_case=["UAE", "U.A.E."]),
    "COD": dict(aliases=["Congo", "Democratic Republic of Congo", "DR Congo"],
                exact_case=["DRC"], drop_aliases=["DRC"]),
    "COG": dict(drop_aliases=["Congo"], drop_demonyms=["Congolese"]),
    "DMA": dict(drop_demonyms=["Dominican"]),
    "BIH": dict(aliases=["Bosnia"]),
    # The adjective differs from the demonym noun ("Filipino").
    "PHL": dict(demonyms=["Philippine"]),
    # The source gives the adjective; the news also uses the noun ("two Swedes", "Poles").
    "POL": dict(demonyms=["Pole"]),
    "SWE": dict(demonyms=["Swede"]),
    "DNK": dict(demonyms=["Dane"]),
    "FIN": dict(demonyms=["Finns"]),  # not "Finn", a given name
    "ESP": dict(demonyms=["Spaniard"]),
    "IRL": dict(demonyms=["Irishman", "Irishmen"]),
    # The source's Icelandic spelling "Island" is an English word.
    "ISL": dict(drop_aliases=["Island"], demonyms=["Icelandic"]),
    "GEO": dict(ambiguous=["Georgia"],
                context=["Tbilisi", "Georgian", "Caucasus", "Abkhazia", "South Ossetia",
                         "Georgian Dream"]),
    "JOR": dict(ambiguous=["Jordan"],
                context=["Amman", "Jordanian", "Hashemite", "King Abdullah"]),
    "TCD": dict(ambiguous=["Chad"], context=["N'Djamena", "Chadian", "Sahel"]),
    "NER": dict(context=["Niamey", "Nigerien", "Sahel"]),
    "MDV": dict(ambiguous=["Male"], drop_metonyms=["Malé"]),
    "GUY": dict(ambiguous=["Georgetown"]),
    "SYC": dict(ambiguous=["Victoria"]),
    "JAM": dict(ambiguous=["Kingston"]),
    "BEL": dict(drop_metonyms=["Brussels"]),
    "ISR": dict(metonyms=["Jerusalem", "Mossad", "Shin Bet"], agencies=["IDF"]),
    "PSE": dict(name="Palestine", aliases=["Palestinian Authority", "Palestinian territories"]),
    "XKX": dict(),
    "VAT": dict(name="Holy See", aliases=["Vatican", "Holy See"]),
    "IRN": dict(aliases=["Islamic Republic of Iran"]),
    "SYR": dict(aliases=["Syrian Arab Republic"]),
    "MMR": dict(aliases=["Burma"]),
    "CIV": dict(aliases=["Ivory Coast", "Cote d'Ivoire", "Côte d'Ivoire"]),
    "CZE": dict(aliases=["Czech Republic"]),
    "SWZ": dict(aliases=["Swaziland"]),
    "MKD": dict(aliases=["Macedonia"]),
    "NLD": dict(aliases=["Holland"], demonyms=["Dutchman", "Dutchmen"]),
    "IND": dict(metonyms=["New Delhi"], drop_metonyms=[]),
}


def ascii_text(s):
    return all(ord(c) < 128 for c in s)


def clean(values):
    out = []
    for v in values:
        v = v.strip()
        if not v or "," in v or "(" in v or len(v) < 3 or not ascii_text(v):
            continue
        if v.isupper() and len(v) <= 5:  # codes and acronyms go to exact_case by hand
            continue
        if v not in out:
            out.append(v)
    return out


def toml_list(values):
    return "[" + ", ".join(json.dumps(v, ensure_ascii=False) for v in values) + "]"


def main(path):
    data = json.load(open(path, encoding="utf-8"))
    print("# States and territories: generated by scripts/gen_states.py from the mledoze")
    print("# countries data (ODbL 1.0), with the project's own corrections. Edit the script's")
    print("# OVERRIDES and regenerate rather than editing by hand; add your own actors in your")
    print("# config with [[actor]] tables of the same shape.")
    for c in sorted(data, key=lambda c: RENAME.get(c["cca3"], c["cca3"])):
        code = c["cca3"]
        if not (c.get("unMember") or code in EXTRA):
            continue
        cid = RENAME.get(code, code)
        o = OVERRIDES.get(cid, {})
        name = o.get("name", c["name"]["common"])
        aliases = clean([c["name"]["common"], c["name"]["official"]] + c.get("altSpellings", [])
                        + o.get("aliases", []))
        aliases = [a for a in aliases if a not in o.get("drop_aliases", []) and a != name]
        demonyms = []
        eng = c.get("demonyms", {}).get("eng", {})
        for ds in [eng.get("m"), eng.get("f")] + o.get("demonyms", []):
            # "Bosnian, Herzegovinian" is two demonyms.
            for d in (ds or "").split(","):
                d = d.strip()
                if d and d not in demonyms and d not in o.get("drop_demonyms", []):
                    demonyms.append(d)
        metonyms = [m for m in c.get("capital", []) + o.get("metonyms", [])
                    if m not in o.get("drop_metonyms", []) and m != name]
        ambiguous = o.get("ambiguous", [])
        if name in ambiguous:
            aliases = [a for a in aliases if a != name]
        metonyms = list(dict.fromkeys(m for m in metonyms if m not in ambiguous))
        print()
        print("[[actor]]")
        print(f"id = {json.dumps(cid)}")
        print(f"name = {json.dumps(name, ensure_ascii=False)}")
        print(f"kind = {json.dumps(KIND.get(code, 'state'))}")
        if aliases:
            print(f"aliases = {toml_list(aliases)}")
        exact = o.get("exact_case", []) + o.get("agencies", [])
        if exact:
            print(f"exact_case = {toml_list(exact)}")
        if demonyms:
            print(f"demonyms = {toml_list(demonyms)}")
        if metonyms:
            print(f"metonyms = {toml_list(metonyms)}")
        if ambiguous:
            print(f"ambiguous = {toml_list(ambiguous)}")
        if o.get("context"):
            print(f"context = {toml_list(o['context'])}")


if __name__ == "__main__":
    main(sys.argv[1])
